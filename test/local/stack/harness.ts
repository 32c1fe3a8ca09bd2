/** A whole local stack on free ports with a temporary data folder, and a procedure driver on it, for e2e tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Procedure } from '../../../local/demo/procedure.js';
import { type RunningStack, startStack } from '../../../local/stack/boot.js';
import { DEMO_STAFF } from '../../../local/stack/seed.js';
import { LOCAL_PACING, type WorkflowPacing } from '../../../local/stack/synth.js';

export const STAFF_PASSWORDS = Object.fromEntries(DEMO_STAFF.map((u) => [u.id, u.password]));

/**
 * Time for one end-to-end test: more than the driver's own waits (30 s for a stage, 60 s for the end), so on a slow
 * machine a test fails with the driver's message naming what it waited for, not with vitest's bare timeout.
 */
export const E2E_TEST_TIMEOUT_MS = 120_000;

export const ALL_FREE_PORTS = { web: 0, states: 0, dynamodb: 0, ses: 0, marketplace: 0, events: 0, s3: 0 };

export interface StackHarness {
  readonly stack: RunningStack;
  readonly procedure: Procedure;
  readonly dataDir: string;
  close(): Promise<void>;
}

export async function startTestStack(pacing: Partial<WorkflowPacing> = {}): Promise<StackHarness> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mo-e2e-'));
  const stack = await startStack({
    config: { host: '127.0.0.1', dataDir, ports: ALL_FREE_PORTS, verbose: false },
    pacing: { ...LOCAL_PACING, ...pacing },
    changeSetDelayMs: 500,
  }).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const procedure = new Procedure(stack.urls, stack.stateMachineArn, STAFF_PASSWORDS);
  return {
    stack,
    procedure,
    dataDir,
    close: async () => {
      procedure.sfn.destroy();
      await stack.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
