/**
 * `npm run bench:stack`: figures of the local stack (issue 4), measured, printed as a table.
 * - `npm start` to ready: a first start on an empty data folder (the CDK app is synthesized) and a restart
 *   (template cached, data kept).
 * - N onboardings (default 200) driven concurrently through both branches, half 7-1 and half 7-2, through the real
 *   surfaces (inquiry form, console, marketplace simulator, fulfillment POST, buyer pages): throughput, p50/p95 of
 *   each callback step, failures.
 * The stack runs in its own process; this process plays every person (HTTP only), as the demo does.
 * Options: --onboardings <n> (default 200), --concurrency <n> (default: all at once).
 */

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readEnvFile } from '../cli/run.js';
import { Procedure } from '../local/demo/procedure.js';
import {
  existingAccountScenario,
  newAccountScenario,
  newBuyer,
  type ScenarioResult,
} from '../local/demo/scenarios.js';
import { allowManyInquiriesFromOneAddress, existingUsers, seedExistingUsers } from '../local/demo/users.js';
import { freePorts, type StackProcess, spawnStack } from '../local/stack/process.js';
import { DEMO_STAFF } from '../local/stack/seed.js';
import { formatNumber, percentile, table } from './engine/stats.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return value;
}

const total = option('onboardings', 200);
const concurrency = option('concurrency', total);
const STAFF = Object.fromEntries(DEMO_STAFF.map((u) => [u.id, u.password]));

async function main(): Promise<void> {
  allowManyInquiriesFromOneAddress(); // the spawned stacks inherit it
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mo-bench-stack-'));
  const ports = await freePorts();
  console.log(`bench:stack: data in ${dataDir}; ${total} onboardings, concurrency ${concurrency}`);
  let running: StackProcess | undefined;
  try {
    const first = await spawnStack({ dataDir, ports });
    running = first;
    await first.kill('SIGTERM');
    const stack = await spawnStack({ dataDir, ports });
    running = stack;
    console.log(
      `npm start to ready: first start ${formatNumber(first.startupMs)} ms, restart ${formatNumber(stack.startupMs)} ms`,
    );

    // Existing SaaS users for the 7-2 half, through the application's own use case on the stack's DynamoDB.
    Object.assign(process.env, await readEnvFile(path.join(dataDir, 'stack.env')));
    const stateMachineArn = process.env.STATE_MACHINE_ARN;
    if (!stateMachineArn) throw new Error('the stack wrote no STATE_MACHINE_ARN into stack.env');
    const existing = Math.floor(total / 2);
    const users = existingUsers('bench', existing);
    await seedExistingUsers(users, stack.url('saas'));

    const procedure = new Procedure(
      {
        web: stack.url('web'),
        states: stack.url('states'),
        ses: stack.url('ses'),
        marketplace: stack.url('marketplace'),
      },
      stateMachineArn,
      STAFF,
      600_000, // under load a step may take minutes; only a step that never completes is a failure
    );
    const jobs = Array.from({ length: total }, (_, i) => () => {
      const user = users[i >> 1];
      return i % 2 === 1 && user
        ? existingAccountScenario(procedure, user, newBuyer(`Bench7-2-${i}`))
        : newAccountScenario(procedure, newBuyer(`Bench7-1-${i}`));
    });
    const results: (ScenarioResult | Error)[] = [];
    const started = performance.now();
    let next = 0;
    let done = 0;
    const progress = setInterval(() => console.log(`  … ${done}/${total} ended`), 5000);
    await Promise.all(
      Array.from({ length: Math.min(concurrency, total) }, async () => {
        while (next < jobs.length) {
          const job = jobs[next++] as () => Promise<ScenarioResult>;
          results.push(await job().catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
          done++;
        }
      }),
    );
    clearInterval(progress);
    const seconds = (performance.now() - started) / 1000;
    const ok = results.filter((r): r is ScenarioResult => !(r instanceof Error) && r.status === 'SUCCEEDED');
    const failures = results.length - ok.length;
    const steps = ['inquiry', 'consultation', 'subscribe', 'setup', 'registration', 'selection'];
    const rows = [['step (HTTP, as the person sees it)', 'n', 'p50 ms', 'p95 ms', 'max ms']];
    for (const step of steps) {
      const values = ok.map((r) => r.stepMs[step]).filter((v): v is number => v !== undefined);
      if (values.length === 0) continue;
      rows.push([
        step,
        String(values.length),
        formatNumber(percentile(values, 50)),
        formatNumber(percentile(values, 95)),
        formatNumber(Math.max(...values)),
      ]);
    }
    console.log(
      `\n${total} onboardings (${total - existing} × 7-1, ${existing} × 7-2), ${concurrency >= total ? 'all started at once' : `${concurrency} at a time`}:`,
    );
    console.log(
      `  SUCCEEDED ${ok.length}, failures ${failures}; wall time ${seconds.toFixed(1)} s; throughput ${(ok.length / seconds).toFixed(2)} onboardings/s (${formatNumber((ok.length / seconds) * 60)} per minute)`,
    );
    console.log(`\n${table(rows)}`);
    for (const failure of results.filter((r) => r instanceof Error || r.status !== 'SUCCEEDED').slice(0, 5)) {
      console.log(
        `  failure: ${failure instanceof Error ? failure.message.slice(0, 300) : `${failure.onboardingId} ${failure.status}`}`,
      );
    }
    procedure.sfn.destroy();
    await stack.kill('SIGTERM');
    if (failures > 0) process.exitCode = 1;
  } finally {
    await running?.kill('SIGKILL'); // a bench that failed half-way leaves no stack process behind
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('bench:stack failed:', error);
  process.exit(1);
});
