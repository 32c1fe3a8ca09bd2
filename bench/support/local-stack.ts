/**
 * The local stack a benchmark drives in its own process: free loopback ports, a temporary data folder, a procedure
 * driver signed in as the demo staff; everything stopped and removed afterwards, whatever happened.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Procedure } from '../../local/demo/procedure.js';
import type { RunningStack } from '../../local/stack/boot.js';
import { startStack } from '../../local/stack/boot.js';
import { freePortsConfig, type StackConfig } from '../../local/stack/config.js';
import { DEMO_STAFF } from '../../local/stack/seed.js';

export async function withBenchStack<T>(
  name: string,
  options: { config?: Partial<Omit<StackConfig, 'dataDir'>>; changeSetDelayMs?: number },
  run: (stack: RunningStack, procedure: Procedure) => Promise<T>,
): Promise<T> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `mo-bench-${name}-`));
  const stack = await startStack({
    config: freePortsConfig(dataDir, options.config),
    changeSetDelayMs: options.changeSetDelayMs ?? 200,
  });
  const procedure = new Procedure(
    stack.urls,
    stack.stateMachineArn,
    Object.fromEntries(DEMO_STAFF.map((u) => [u.id, u.password])),
    120_000,
  );
  try {
    return await run(stack, procedure);
  } finally {
    procedure.sfn.destroy();
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Runs a benchmark's main; a failure is printed and sets the exit code. */
export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
