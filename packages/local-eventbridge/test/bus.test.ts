import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalEventBus, type LocalRule, startLocalEventBus } from '../src/index.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

interface Delivered {
  arn: string;
  payload: unknown;
  ruleName: string;
}

const marketplaceRule: LocalRule = {
  name: 'agreements',
  eventPattern: {
    source: ['aws.agreement-marketplace'],
    'detail-type': [{ prefix: 'Purchase Agreement Created' }],
  },
  targets: [
    { id: 'handler', arn: 'AgreementHandler' },
    { id: 'audit', arn: 'AuditHandler', inputPath: '$.detail.agreement' },
  ],
};

describe('local event bus', () => {
  let bus: LocalEventBus | undefined;
  afterEach(async () => {
    await bus?.close();
    bus = undefined;
  });

  async function start(rules: LocalRule[], deliver?: (arn: string, payload: unknown) => Promise<void>) {
    const delivered: Delivered[] = [];
    bus = await startLocalEventBus({
      rules,
      accountId: '111122223333',
      region: 'us-east-1',
      retryBaseDelayMs: 5,
      logger: { error: () => {}, warn: () => {} },
      deliver: async (arn, payload, ctx) => {
        await deliver?.(arn, payload);
        delivered.push({ arn, payload, ruleName: ctx.ruleName });
      },
    });
    const client = new EventBridgeClient({
      endpoint: bus.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    return { bus, client, delivered };
  }

  it('accepts PutEvents from the SDK and delivers full events to every matching target', async () => {
    // Prepare
    const { bus, client, delivered } = await start([marketplaceRule]);
    const time = new Date('2024-08-30T21:36:03.456Z');
    // Act
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'aws.agreement-marketplace',
            DetailType: 'Purchase Agreement Created - Proposer',
            Detail: JSON.stringify({ agreement: { id: 'agmt-1', status: 'ACTIVE' } }),
            Resources: ['arn:aws:aws-marketplace::aws:agreement:agmt-1'],
            Time: time,
          },
          { Source: 'other', DetailType: 'Other', Detail: '{}' },
        ],
      }),
    );
    await bus.idle();
    // Assess
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries).toHaveLength(2);
    const [first] = out.Entries ?? [];
    expect(first?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(delivered.map((d) => d.arn).sort()).toEqual(['AgreementHandler', 'AuditHandler']);
    const full = delivered.find((d) => d.arn === 'AgreementHandler')?.payload;
    expect(full).toEqual({
      version: '0',
      id: first?.EventId,
      'detail-type': 'Purchase Agreement Created - Proposer',
      source: 'aws.agreement-marketplace',
      account: '111122223333',
      time: '2024-08-30T21:36:03Z',
      region: 'us-east-1',
      resources: ['arn:aws:aws-marketplace::aws:agreement:agmt-1'],
      detail: { agreement: { id: 'agmt-1', status: 'ACTIVE' } },
    });
    expect(delivered.find((d) => d.arn === 'AuditHandler')?.payload).toEqual({
      id: 'agmt-1',
      status: 'ACTIVE',
    });
    expect(bus.events).toHaveLength(2);
  });

  it('reports per-entry errors like EventBridge and still accepts the good entries', async () => {
    const { client } = await start([marketplaceRule]);
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'a', DetailType: 'b', Detail: 'not json' },
          { Source: 'a', DetailType: 'b' },
          { Source: 'a', DetailType: 'b', Detail: '{}', EventBusName: 'nope' },
          { Source: 'a', DetailType: 'b', Detail: '{}' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(3);
    expect(out.Entries?.map((e) => e.ErrorCode)).toEqual([
      'MalformedDetail',
      'InvalidArgument',
      'ResourceNotFoundException',
      undefined,
    ]);
    expect(out.Entries?.[3]?.EventId).toBeDefined();
  });

  it('rejects more than 10 entries with a ValidationException', async () => {
    const { client } = await start([marketplaceRule]);
    const entry = { Source: 'a', DetailType: 'b', Detail: '{}' };
    await expect(client.send(new PutEventsCommand({ Entries: Array(11).fill(entry) }))).rejects.toMatchObject(
      {
        name: 'ValidationException',
      },
    );
  });

  it('retries a failing target (at least once) without disturbing the others', async () => {
    let failuresLeft = 2;
    const { bus, delivered } = await start([marketplaceRule], async (arn) => {
      if (arn === 'AgreementHandler' && failuresLeft-- > 0) throw new Error('handler down');
    });
    await bus.putEvents([
      {
        Source: 'aws.agreement-marketplace',
        DetailType: 'Purchase Agreement Created - Proposer',
        Detail: '{}',
      },
    ]);
    await bus.idle();
    expect(delivered.filter((d) => d.arn === 'AgreementHandler')).toHaveLength(1);
    expect(delivered.filter((d) => d.arn === 'AuditHandler')).toHaveLength(1);
    expect(bus.failures).toEqual([]);
  });

  it('gives up after the retry budget and records the failure', async () => {
    const { bus, delivered } = await start(
      [
        {
          ...marketplaceRule,
          targets: [{ id: 't', arn: 'Broken', retryPolicy: { maximumRetryAttempts: 1 } }],
        },
      ],
      async () => {
        throw new Error('always down');
      },
    );
    await bus.putEvents([
      {
        Source: 'aws.agreement-marketplace',
        DetailType: 'Purchase Agreement Created - Proposer',
        Detail: '{}',
      },
    ]);
    await bus.idle();
    expect(delivered).toEqual([]);
    expect(bus.failures).toMatchObject([{ targetArn: 'Broken', attempts: 2, error: 'always down' }]);
  });

  it('routes by event bus name and skips disabled rules', async () => {
    const { bus, delivered } = await start([
      {
        name: 'on-custom',
        eventBusName: 'custom',
        eventPattern: { source: ['x'] },
        targets: [{ id: 'a', arn: 'A' }],
      },
      { name: 'on-default', eventPattern: { source: ['x'] }, targets: [{ id: 'b', arn: 'B' }] },
      { name: 'off', state: 'DISABLED', eventPattern: { source: ['x'] }, targets: [{ id: 'c', arn: 'C' }] },
    ]);
    await bus.putEvents([
      {
        Source: 'x',
        DetailType: 'd',
        Detail: '{}',
        EventBusName: 'arn:aws:events:us-east-1:111122223333:event-bus/custom',
      },
    ]);
    await bus.idle();
    expect(delivered.map((d) => d.arn)).toEqual(['A']);
  });

  it('redelivers an accepted event with the same id (duplicate delivery)', async () => {
    const { bus, delivered } = await start([marketplaceRule]);
    const out = await bus.putEvents([
      {
        Source: 'aws.agreement-marketplace',
        DetailType: 'Purchase Agreement Created - Proposer',
        Detail: '{}',
      },
    ]);
    const eventId = out.Entries[0]?.EventId as string;
    await bus.idle();
    expect(bus.redeliver(eventId)).toBe(2);
    await bus.idle();
    const ids = delivered
      .filter((d) => d.arn === 'AgreementHandler')
      .map((d) => (d.payload as { id: string }).id);
    expect(ids).toEqual([eventId, eventId]);
    expect(() => bus.redeliver('nope')).toThrow(/No event nope/);
  });

  it('fails to start on an invalid rule, naming it', async () => {
    await expect(
      startLocalEventBus({
        rules: [{ name: 'bad', eventPattern: { source: 'x' }, targets: [] }],
        deliver: async () => {},
      }),
    ).rejects.toThrow(/rule bad: Event pattern is not valid at \$\.source/);
  });
});

describe('local event bus: what it accepted outlives it', () => {
  const rule: LocalRule = {
    name: 'agreements',
    eventPattern: { source: ['aws.agreement-marketplace'] },
    targets: [{ id: 'handler', arn: 'AgreementHandler' }],
  };
  const entry = {
    Source: 'aws.agreement-marketplace',
    DetailType: 'Purchase Agreement Created - Proposer',
    Detail: JSON.stringify({ agreement: { id: 'agmt-1' } }),
  };
  const quiet = { error: () => {}, warn: () => {} };
  let dataDir = '';
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('delivers after a restart an event accepted just before the process was killed (SIGKILL) with its delivery in flight', async () => {
    // Prepare: a bus in another process, whose target never answers
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'bus-outbox-'));
    const script = fileURLToPath(new URL('./fixtures/stalled-bus.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = out.match(/url (\S+)/);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`the bus process exited (${code}) before it was ready`)));
    });
    const client = new EventBridgeClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const accepted = await client.send(new PutEventsCommand({ Entries: [entry] }));
    client.destroy();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    // Act: the bus starts again on the same folder
    const delivered: { arn: string; eventId: string }[] = [];
    const again = await startLocalEventBus({
      dataDir,
      rules: [rule],
      logger: quiet,
      deliver: async (arn, _payload, ctx) => {
        delivered.push({ arn, eventId: ctx.event.id });
      },
    });
    await again.idle();
    await again.close();

    // Assess
    expect(accepted.FailedEntryCount).toBe(0);
    expect(delivered).toEqual([{ arn: 'AgreementHandler', eventId: accepted.Entries?.[0]?.EventId }]);
  }, 30_000);

  it('does not deliver again after a restart what it delivered, nor what it gave up on', async () => {
    // Prepare
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'bus-outbox-'));
    const delivered: string[] = [];
    const failing: LocalRule = {
      ...rule,
      name: 'failing',
      targets: [{ id: 'broken', arn: 'Broken', retryPolicy: { maximumRetryAttempts: 0 } }],
    };
    const first = await startLocalEventBus({
      dataDir,
      rules: [rule, failing],
      logger: quiet,
      deliver: async (arn) => {
        if (arn === 'Broken') throw new Error('target down');
        delivered.push(arn);
      },
    });
    await first.putEvents([entry]);
    await first.idle();
    await first.close();

    // Act
    const second = await startLocalEventBus({
      dataDir,
      rules: [rule, failing],
      logger: quiet,
      deliver: async (arn) => {
        delivered.push(`again ${arn}`);
      },
    });
    await second.idle();
    await second.close();

    // Assess
    expect(delivered).toEqual(['AgreementHandler']);
    expect(first.failures).toHaveLength(1);
  });
});
