/** What the simulator accepted outlives a crash of its process (SIGKILL): its outbox delivers it after the restart. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MarketplaceCatalogClient } from '@aws-sdk/client-marketplace-catalog';
import { type BusEvent, startLocalEventBus } from '@marketplace-onboarding/local-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { BUYER, releasedOffer, startSimulator } from './helpers.js';

describe('simulator killed with SIGKILL', () => {
  let dataDir = '';
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('delivers after the restart the agreement events of a subscription accepted before the kill', async () => {
    // Prepare: the simulator in its own process, its events in flight to an endpoint that never answers
    dataDir = mkdtempSync(join(tmpdir(), 'sim-crash-'));
    const script = fileURLToPath(new URL('./fixtures/stalled-simulator.ts', import.meta.url));
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
      child.once('exit', (code) => reject(new Error(`the simulator exited (${code}) before it was ready`)));
    });
    const catalog = new MarketplaceCatalogClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const offerId = await releasedOffer(catalog);
    catalog.destroy();
    const subscribed = await fetch(`${url}/_admin/subscribe`, {
      method: 'POST',
      body: JSON.stringify({ offerId, accountId: BUYER }),
      headers: { 'content-type': 'application/json' },
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    // Act: started again on the same data, with a bus that answers
    const received: BusEvent[] = [];
    const bus = await startLocalEventBus({
      rules: [
        {
          name: 'all',
          eventPattern: { source: ['aws.agreement-marketplace'] },
          targets: [{ id: 't', arn: 'T' }],
        },
      ],
      deliver: async (_arn, payload) => {
        received.push(payload as BusEvent);
      },
    });
    const { sim } = await startSimulator({ dataDir, eventsEndpoint: bus.url });
    try {
      const idle = await sim.admin.idle(10_000);
      await bus.idle();

      // Assess
      expect(subscribed.status).toBe(200);
      expect(idle).toBe(true);
      expect(received.map((e) => e['detail-type'])).toEqual([
        'Purchase Agreement Created - Proposer',
        'License Updated - Manufacturer',
      ]);
    } finally {
      await sim.close();
      await bus.close();
    }
  }, 30_000);
});
