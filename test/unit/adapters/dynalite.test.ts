/**
 * The DynamoDB adapters and Powertools Idempotency against a real DynamoDB-compatible server (dynalite, in memory,
 * on loopback): conditional writes really hold, the indexes answer, a retried invocation runs once.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsPorts, awsPorts } from '../../../tasks/adapters/aws/index.js';
import { memoryPorts } from '../../../tasks/adapters/memory/index.js';
import { ConcurrentUpdateError } from '../../../tasks/domain/errors.js';
import { openTask } from '../../../tasks/domain/human-task.js';
import { awaitDealStep, dealStepEnded, newOnboarding } from '../../../tasks/domain/onboarding.js';
import { createLogger, handlerDeps, taskHandler } from '../../../tasks/handlers/middleware.js';
import { IDEMPOTENCY_TABLE, ONBOARDING_TABLE } from '../../../tasks/table.js';
import { completeHumanStage } from '../../../tasks/use-cases/complete-human-stage.js';
import { openHumanTask } from '../../../tasks/use-cases/open-human-task.js';
import { recordInquiry } from '../../../tasks/use-cases/record-inquiry.js';
import { inquiry, newToken, sales, terms } from '../use-cases/helpers.js';

let server: Server;
let ports: AwsPorts;
const saved = { ...process.env };
const env = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  TABLE_NAME: 'onboarding',
  IDEMPOTENCY_TABLE_NAME: 'idempotency',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:Onboarding',
  EMAIL_FROM: 'noreply@vendor.example',
};

beforeAll(async () => {
  server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, env, {
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
  const ddb = new DynamoDBClient({});
  const S = 'S' as const;
  await ddb.send(
    new CreateTableCommand({
      TableName: env.TABLE_NAME,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: ONBOARDING_TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: ONBOARDING_TABLE.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        ONBOARDING_TABLE.partitionKey,
        ONBOARDING_TABLE.sortKey,
        ...ONBOARDING_TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
      ].map((AttributeName) => ({ AttributeName, AttributeType: S })),
      GlobalSecondaryIndexes: ONBOARDING_TABLE.indexes.map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      })),
    }),
  );
  await ddb.send(
    new CreateTableCommand({
      TableName: env.IDEMPOTENCY_TABLE_NAME,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE.partitionKey, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_TABLE.partitionKey, AttributeType: S }],
    }),
  );
  ddb.destroy();
  ports = awsPorts({ env: process.env });
});

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await new Promise((resolve) => server.close(resolve));
});

const onboarding = (id: string, overrides: Record<string, unknown> = {}, at = '2025-04-01T00:00:00.000Z') =>
  newOnboarding({ id, inquiry: inquiry(overrides), at });

describe('DynamoDB adapters on dynalite', () => {
  it('creates once, saves only over the expected version, keeps the stage counters', async () => {
    const repo = ports.onboardings;
    expect(await repo.create(onboarding('onb-dyn0000001'))).toBe('created');
    expect(await repo.create(onboarding('onb-dyn0000001'))).toBe('exists');

    const stored = await repo.get('onb-dyn0000001');
    if (!stored) throw new Error('not stored');
    const saved = await repo.save({
      ...stored,
      stage: 'Consultation',
      updatedAt: '2025-04-02T00:00:00.000Z',
    });
    await expect(repo.save({ ...stored, stage: 'Closed' })).rejects.toBeInstanceOf(ConcurrentUpdateError);

    expect(saved.version).toBe(stored.version + 1);
    const counts = await repo.countByStage();
    expect(counts.Consultation).toBe(1);
    expect(counts.Inquiry).toBe(0);
    expect(await repo.recountStages()).toMatchObject({ Consultation: 1, Inquiry: 0 });
  });

  it('counts onboardings whose deal step waits, by deal stage, as their waiting step opens and ends; recountStages rebuilds it', async () => {
    // Prepare
    const repo = ports.onboardings;
    await repo.create(onboarding('onb-dyndeal0001'));
    const stored = await repo.get('onb-dyndeal0001');
    if (!stored) throw new Error('not stored');
    const done = await repo.save({ ...stored, stage: 'Completed', updatedAt: '2025-04-02T00:00:00.000Z' });
    // Act
    const waiting = await repo.save(
      awaitDealStep(done, 'Renewal', '2026-06-30T00:00:00.000Z', '2025-04-03T00:00:00.000Z'),
    );
    const whileWaiting = await repo.countWaitingDealSteps();
    await repo.save(dealStepEnded(waiting, 'Renewal', '2025-04-04T00:00:00.000Z'));
    const afterEnd = await repo.countWaitingDealSteps();
    const again = (await repo.get('onb-dyndeal0001')) ?? waiting;
    await repo.save(
      awaitDealStep(again, 'AdvisoryReview', '2026-06-30T00:00:00.000Z', '2025-04-05T00:00:00.000Z'),
    );
    await repo.recountStages();
    const rebuilt = await repo.countWaitingDealSteps();
    // Assess
    expect(whileWaiting).toEqual({ Renewal: 1 });
    expect(afterEnd).toEqual({});
    expect(rebuilt).toEqual({ AdvisoryReview: 1 });
  });

  it('removes a deal-step entry a cut-off save left behind at the next save of the onboarding', async () => {
    // Prepare: an open Renewal, and the entry of an AdvisoryReview whose end was saved on the record but whose
    // entry was never deleted (the process stopped in between)
    const repo = ports.onboardings;
    const id = 'onb-dynghost0001';
    await repo.create(onboarding(id));
    const stored = await repo.get(id);
    if (!stored) throw new Error('not stored');
    const done = await repo.save({ ...stored, stage: 'Completed', status: 'completed' });
    const at = '2032-01-01T00:00:00.000Z';
    const renewal = await repo.save(awaitDealStep(done, 'Renewal', '2032-03-01T00:00:00.000Z', at, 'r-1'));
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const entries = await db.send(
      new QueryCommand({
        TableName: env.TABLE_NAME,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :wait)',
        ExpressionAttributeValues: { ':pk': `ONB#${id}`, ':wait': 'WAIT#' },
      }),
    );
    const entry = entries.Items?.[0];
    if (!entry) throw new Error('the Renewal has no entry');
    const ghost = {
      ...entry,
      sk: 'WAIT#AdvisoryReview#a-ghost',
      gsi7sk: `2032-02-01T00:00:00.000Z#${id}#AdvisoryReview#a-ghost`,
      summary: {
        ...entry.summary,
        waiting: { stage: 'AdvisoryReview', assignee: 'support', dueAt: '2032-02-01T00:00:00.000Z' },
      },
    };
    await db.send(new PutCommand({ TableName: env.TABLE_NAME, Item: ghost }));
    const rows = async () =>
      (await repo.listWaiting({ limit: 100 })).items.filter((i) => i.id === id).map((i) => i.waiting?.stage);
    const before = await rows();
    // Act
    await repo.save({ ...renewal, updatedAt: '2032-01-02T00:00:00.000Z' });
    // Assess
    expect(before).toEqual(['AdvisoryReview', 'Renewal']);
    expect(await rows()).toEqual(['Renewal']);
  });

  it('lists each waiting deal step of one onboarding as its own byDue row, for its role, paged; an ended step leaves', async () => {
    // Prepare: a completed onboarding whose Renewal (sales) and AdvisoryReview (support, due sooner) both wait
    const repo = ports.onboardings;
    const id = 'onb-dyntwosteps01';
    await repo.create(onboarding(id));
    const stored = await repo.get(id);
    if (!stored) throw new Error('not stored');
    const done = await repo.save({ ...stored, stage: 'Completed', status: 'completed' });
    const countsBefore = await repo.countWaitingDealSteps();
    const at = '2031-01-01T00:00:00.000Z';
    const renewal = await repo.save(awaitDealStep(done, 'Renewal', '2031-03-01T00:00:00.000Z', at, 'r-1'));
    const both = await repo.save(
      awaitDealStep(renewal, 'AdvisoryReview', '2031-02-01T00:00:00.000Z', at, 'a-1'),
    );
    const mine = (items: { id: string; waiting?: { stage: string; assignee: string } }[]) =>
      items.filter((s) => s.id === id).map((s) => [s.waiting?.stage, s.waiting?.assignee]);
    // Act
    const sales = await repo.listWaiting({ assignees: ['sales'], limit: 100 });
    const support = await repo.listWaiting({ assignees: ['support'], limit: 100 });
    const supportLate = await repo.listWaiting({
      assignees: ['support'],
      dueBefore: '2031-02-15T00:00:00.000Z',
      limit: 100,
    });
    const salesLate = await repo.listWaiting({
      assignees: ['sales'],
      dueBefore: '2031-02-15T00:00:00.000Z',
      limit: 100,
    });
    const paged: { id: string; waiting?: { stage: string; assignee: string } }[] = [];
    let cursor: string | undefined;
    do {
      const page = await repo.listWaiting({ limit: 1, ...(cursor ? { cursor } : {}) });
      paged.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const countsBoth = await repo.countWaitingDealSteps();
    await repo.save(
      dealStepEnded(both, 'AdvisoryReview', '2031-02-02T00:00:00.000Z', [
        { stage: 'Renewal', openedAt: at, dueAt: '2031-03-01T00:00:00.000Z', instance: 'r-1' },
      ]),
    );
    const afterEnd = await repo.listWaiting({ limit: 100 });
    const countsAfter = await repo.countWaitingDealSteps();
    // Assess
    expect(mine(sales.items)).toEqual([['Renewal', 'sales']]);
    expect(mine(support.items)).toEqual([['AdvisoryReview', 'support']]);
    expect(mine(supportLate.items)).toEqual([['AdvisoryReview', 'support']]);
    expect(mine(salesLate.items)).toEqual([]);
    expect(mine(paged)).toEqual([
      ['AdvisoryReview', 'support'],
      ['Renewal', 'sales'],
    ]);
    expect(mine(afterEnd.items)).toEqual([['Renewal', 'sales']]);
    const delta = (c: Record<string, number | undefined>, stage: string) =>
      (c[stage] ?? 0) - ((countsBefore as Record<string, number | undefined>)[stage] ?? 0);
    expect([delta(countsBoth, 'Renewal'), delta(countsBoth, 'AdvisoryReview')]).toEqual([1, 1]);
    expect([delta(countsAfter, 'Renewal'), delta(countsAfter, 'AdvisoryReview')]).toEqual([1, 0]);
  });

  it('answers the byStage, byOffer and byBuyer indexes and a text search page by page', async () => {
    const repo = ports.onboardings;
    for (let i = 0; i < 5; i++) {
      const o = onboarding(
        `onb-idx000000${i}`,
        { company: `Indexed ${i}`, awsAccountId: '210987654321' },
        `2025-04-0${i + 1}T00:00:00.000Z`,
      );
      await repo.create({
        ...o,
        stage: 'AwaitAcceptance',
        ...(i === 3
          ? { offer: { offerId: 'offer-dynalite0003', expiresAt: 'x', source: 'api', url: 'u' } }
          : {}),
      });
    }

    const first = await repo.listByStage('AwaitAcceptance', { limit: 3 });
    const second = await repo.listByStage('AwaitAcceptance', { limit: 3, cursor: first.nextCursor });
    const byOffer = await repo.findByOfferId('offer-dynalite0003');
    const searchOffer = await repo.search('offer-dynalite0003');
    const byBuyer = await repo.findByBuyerAccount('210987654321');
    const search1 = await repo.search('indexed', { limit: 2 });
    const search2 = await repo.search('indexed', { limit: 2, cursor: search1.nextCursor });
    const search3 = await repo.search('indexed', { limit: 2, cursor: search2.nextCursor });

    expect([...first.items, ...second.items].map((s) => s.id)).toEqual([
      'onb-idx0000004',
      'onb-idx0000003',
      'onb-idx0000002',
      'onb-idx0000001',
      'onb-idx0000000',
    ]);
    expect(byOffer?.id).toBe('onb-idx0000003');
    expect(byBuyer.map((o) => o.id)).toEqual([
      'onb-idx0000004',
      'onb-idx0000003',
      'onb-idx0000002',
      'onb-idx0000001',
      'onb-idx0000000',
    ]);
    const found = [...search1.items, ...search2.items, ...search3.items].map((s) => s.id).sort();
    expect(found).toEqual([
      'onb-idx0000000',
      'onb-idx0000001',
      'onb-idx0000002',
      'onb-idx0000003',
      'onb-idx0000004',
    ]);
    expect((await repo.search('210987654321')).items).toHaveLength(5);
    expect(
      (await repo.search('YAMADA@example.co.jp', { stage: 'AwaitAcceptance' })).items.map((x) => x.id),
    ).toHaveLength(5);
    expect(searchOffer.items.map((o) => o.id)).toEqual(['onb-idx0000003']);
  });

  it('lists what waits for a person by due date (byDue), filtered by role, due date and stage, page by page', async () => {
    // Prepare: dues in 2001, before anything the other tests store
    const repo = ports.onboardings;
    const waits = [
      { id: 'onb-due0000003', stage: 'Consultation', assignee: 'sales', dueAt: '2001-01-03T00:00:00.000Z' },
      { id: 'onb-due0000001', stage: 'AccountSetup', assignee: 'buyer', dueAt: '2001-01-01T00:00:00.000Z' },
      {
        id: 'onb-due0000002',
        stage: 'StageTimedOut',
        assignee: 'support',
        dueAt: '2001-01-02T00:00:00.000Z',
      },
      { id: 'onb-due0000004', stage: 'OfferFailed', assignee: 'sales', dueAt: '2001-01-04T00:00:00.000Z' },
    ] as const;
    for (const w of waits) {
      const o = onboarding(w.id, { company: `Due ${w.id}` });
      await repo.create({
        ...o,
        stage: w.stage,
        waiting: { stage: w.stage, assignee: w.assignee, since: o.createdAt, dueAt: w.dueAt },
      });
    }
    // closed: no longer waiting, whatever its last waiting stage said
    const closed = onboarding('onb-due0000005');
    await repo.create({
      ...closed,
      stage: 'Closed',
      status: 'closed',
      waiting: {
        stage: 'Consultation',
        assignee: 'sales',
        since: closed.createdAt,
        dueAt: '2001-01-01T00:00:00.000Z',
      },
    });
    const before = '2001-12-31T00:00:00.000Z';

    // Act
    const first = await repo.listWaiting({ dueBefore: before, limit: 3 });
    const second = await repo.listWaiting({ dueBefore: before, limit: 3, cursor: first.nextCursor });
    const sales = await repo.listWaiting({ dueBefore: before, assignees: ['sales'], limit: 1 });
    const sales2 = await repo.listWaiting({
      dueBefore: before,
      assignees: ['sales'],
      limit: 1,
      cursor: sales.nextCursor,
    });
    const staff = await repo.listWaiting({ dueBefore: before, assignees: ['sales', 'support'] });
    const byStage = await repo.listWaiting({ dueBefore: before, stage: 'StageTimedOut' });
    const early = await repo.listWaiting({ dueBefore: '2001-01-02T00:00:00.000Z' });

    // Assess
    expect([...first.items, ...second.items].map((s) => s.id)).toEqual([
      'onb-due0000001',
      'onb-due0000002',
      'onb-due0000003',
      'onb-due0000004',
    ]);
    expect(second.nextCursor).toBeUndefined();
    expect(first.items[0]?.waiting).toMatchObject({ assignee: 'buyer', dueAt: '2001-01-01T00:00:00.000Z' });
    expect([...sales.items, ...sales2.items].map((s) => s.id)).toEqual(['onb-due0000003', 'onb-due0000004']);
    expect(staff.items.map((s) => s.id)).toEqual(['onb-due0000002', 'onb-due0000003', 'onb-due0000004']);
    expect(byStage.items.map((s) => s.id)).toEqual(['onb-due0000002']);
    expect(early.items.map((s) => s.id)).toEqual(['onb-due0000001']);
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const task = openTask({
      onboardingId: 'onb-dyn0000002',
      stage: 'Consultation',
      taskToken: 'tok-1',
      dueAt: 'd',
      openedAt: 'o',
    });
    await ports.tasks.put(task);

    const claims = await Promise.all(
      Array.from({ length: 8 }, () =>
        ports.tasks.claim(
          'onb-dyn0000002',
          'Consultation',
          'tok-1',
          '2025-04-01T00:00:00Z',
          '2025-03-31T23:59:00Z',
        ),
      ),
    );

    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await ports.tasks.claim('onb-dyn0000002', 'Consultation', 'other-token', 'x', 'y')).toBe(false);
    await ports.tasks.finish('onb-dyn0000002', 'Consultation', 'tok-1', {
      status: 'completed',
      at: 'z',
      outcome: 'success',
      completedBy: sales,
    });
    expect(await ports.tasks.get('onb-dyn0000002', 'Consultation')).toMatchObject({
      status: 'completed',
      completedBy: sales,
      taskToken: 'tok-1',
    });
  });

  it('keeps the first fact, expires memos, and keeps accounts consistent', async () => {
    const fact = {
      kind: 'subscription-failed' as const,
      onboardingId: 'onb-dyn0000003',
      at: 'a',
      source: 's',
      reason: 'r',
    };
    expect(await ports.facts.record(fact)).toBe('recorded');
    expect(await ports.facts.record({ ...fact, reason: 'other' })).toBe('duplicate');
    expect((await ports.facts.list('onb-dyn0000003')).map((f) => f.kind)).toEqual(['subscription-failed']);
    await ports.facts.remember('memo-a', { x: 1 }, 60);
    await ports.facts.remember('memo-b', { x: 2 }, -1);
    expect(await ports.facts.recall('memo-a')).toEqual({ x: 1 });
    expect(await ports.facts.recall('memo-b')).toBeUndefined();

    const owner = { id: 'user-dyn1', email: 'Owner@Example.com', createdAt: 'x' };
    expect(
      await ports.accounts.createAccount({ id: 'acct-dyn1', name: 'B', plan: 'free', createdAt: 'x' }, owner),
    ).toBe('created');
    expect(
      await ports.accounts.createAccount({ id: 'acct-dyn2', name: 'A', plan: 'free', createdAt: 'x' }, owner),
    ).toBe('created');
    expect(
      await ports.accounts.createAccount({ id: 'acct-dyn1', name: 'B', plan: 'free', createdAt: 'x' }, owner),
    ).toBe('exists');
    expect((await ports.accounts.listAccountsForUser('user-dyn1')).map((a) => a.id)).toEqual([
      'acct-dyn2',
      'acct-dyn1',
    ]);
    const paid = { plan: 'Enterprise', onboardingId: 'onb-x', activatedAt: 'now' };
    expect(await ports.accounts.activatePaidPlan('acct-dyn1', paid)).toBe('activated');
    expect(await ports.accounts.activatePaidPlan('acct-dyn1', paid)).toBe('already-active');
    expect((await ports.accounts.findUserByEmail('owner@example.com'))?.id).toBe('user-dyn1');
  });

  it('a double submission through the use cases advances once on the real table', async () => {
    // Prepare
    const memory = memoryPorts();
    const mixed = { ...memory, onboardings: ports.onboardings, tasks: ports.tasks, facts: ports.facts };
    await recordInquiry(mixed, {
      onboardingId: 'onb-dyn0000004',
      inquiry: inquiry(),
      actor: { kind: 'system', id: 'web' },
      receivedAt: '2025-04-01T00:00:00Z',
    });
    const token = newToken();
    memory.callbacks.waiting(token);
    await openHumanTask(mixed, {
      onboardingId: 'onb-dyn0000004',
      stage: 'Consultation',
      taskToken: token,
      dueAt: '2025-04-08T00:00:00Z',
    });

    // Act
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        completeHumanStage(mixed, {
          onboardingId: 'onb-dyn0000004',
          actor: sales,
          stage: 'Consultation',
          payload: terms(),
        }),
      ),
    );

    // Assess
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(memory.callbacks.successes()).toHaveLength(1);
    const timeline = await ports.onboardings.timeline('onb-dyn0000004');
    expect(timeline.map((e) => e.action)).toEqual(['inquiry-recorded', 'stage-opened', 'stage-completed']);
    // each entry keeps its catalogue code and parameters through the table (read in the reader's language later)
    expect(timeline.map((e) => e.text)).toEqual([
      { code: 'inquiry-recorded', params: { company: inquiry().company } },
      { code: 'stage-opened', params: { stage: 'Consultation', assignee: 'sales' } },
      { code: 'stage-completed', params: { stage: 'Consultation' } },
    ]);
  });
});

describe('Powertools Idempotency on dynalite', () => {
  it('runs a retried invocation once and returns the first result; a failure is not remembered', async () => {
    const deps = {
      ...handlerDeps(() => ({}), { idempotency: true }),
      logger: createLogger({ logLevel: 'ERROR' }),
    };
    let runs = 0;
    let fail = true;
    const handler = taskHandler(
      deps,
      'idempotency-probe',
      async (event: { id: string }) => {
        runs += 1;
        if (fail && event.id === 'failing') throw new Error('transient');
        return { ranAt: runs, id: event.id };
      },
      { idempotent: true },
    );

    const context = {
      getRemainingTimeInMillis: () => 10_000,
      functionName: 'probe',
      awsRequestId: 'r',
    } as unknown as Context;
    const first = await handler({ id: 'same' }, context);
    const retry = await handler({ id: 'same' }, context);
    await expect(handler({ id: 'failing' }, context)).rejects.toThrow('transient');
    fail = false;
    const afterFailure = await handler({ id: 'failing' }, context);

    expect(retry).toEqual(first);
    expect(afterFailure).toEqual({ ranAt: 3, id: 'failing' });
    expect(runs).toBe(3);
  });
});

describe('the rate limiter on dynalite', () => {
  it('counts concurrent hits atomically per window and subject, and peeks without counting', async () => {
    // Prepare
    const limit = { scope: 'test-scope', limit: 3, windowSeconds: 600 };
    // Act
    const hits = await Promise.all(
      Array.from({ length: 5 }, () => ports.rateLimits.hit(limit, '203.0.113.9')),
    );
    const peeked = await ports.rateLimits.peek(limit, '203.0.113.9');
    const other = await ports.rateLimits.peek(limit, '203.0.113.10');
    // Assess
    expect(hits.map((h) => h.count).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(hits.filter((h) => h.allowed)).toHaveLength(3);
    expect(peeked).toMatchObject({ count: 5, allowed: false });
    expect(peeked.retryAfterSeconds).toBeGreaterThan(0);
    expect(other).toMatchObject({ count: 0, allowed: true });
  });
});
