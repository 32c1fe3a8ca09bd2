/**
 * `npx tsx bench/provisioning.ts [runs] [sample|built-in|both]` (default 3 per branch, both vendors one after the
 * other): provisioning calls per onboarding, per branch (7-1 new account, 7-2 existing account), and the time each
 * call adds, on the local stack in this process: with the sample SaaS (`webhook` adapter: signed HTTP to its
 * provisioning API on loopback) and with the `built-in` adapter (the embedded directory on the local DynamoDB).
 * Every call through the adapter is counted and timed (its prototype methods are wrapped here, nothing in the
 * application changes) and attributed to its onboarding by the idempotency key (`onb:<onboardingId>:<stage>`).
 * Figures are printed, not asserted. Servers on free loopback ports.
 */

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existingAccountScenario, newAccountScenario, newBuyer } from '../local/demo/scenarios.js';
import { allowManyInquiriesFromOneAddress, existingUsers, seedExistingUsers } from '../local/demo/users.js';
import { STACK_VENDORS, type StackVendor } from '../local/stack/config.js';
import { BuiltInProvisioning } from '../tasks/adapters/provisioning/built-in.js';
import { WebhookProvisioning } from '../tasks/adapters/provisioning/webhook.js';
import { runBench, withBenchStack } from './support/local-stack.js';

type Call = { operation: string; onboardingId: string; ms: number; outcome: string };
const calls: Call[] = [];

const METHODS = [
  'createTenant',
  'listTenants',
  'activatePaidPlan',
  'changePlan',
  'endPaidPlan',
  'readTenant',
] as const;
for (const name of METHODS)
  for (const adapter of [BuiltInProvisioning, WebhookProvisioning]) {
    const proto = adapter.prototype as unknown as Record<
      string,
      (this: unknown, request: unknown, key: string) => Promise<{ outcome: string }>
    >;
    const original = proto[name];
    if (!original) throw new Error(`${adapter.name} has no ${name}`);
    proto[name] = async function (this: unknown, request: unknown, key: string) {
      const started = performance.now();
      const outcome = await original.call(this, request, key);
      const onboardingId = /^onb:(.+):[^:]+$/.exec(key)?.[1] ?? `(key ${key})`;
      calls.push({
        operation: name,
        onboardingId,
        ms: performance.now() - started,
        outcome: outcome.outcome,
      });
      return outcome;
    };
  }

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

async function main(): Promise<void> {
  const runs = Math.max(1, Number(process.argv[2] ?? 3) || 3);
  const which = process.argv[3] ?? 'both';
  const vendors = which === 'both' ? STACK_VENDORS : STACK_VENDORS.filter((v) => v === which);
  if (vendors.length === 0) throw new Error(`vendor must be ${STACK_VENDORS.join(', ')} or both`);
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  allowManyInquiriesFromOneAddress();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (vendors.length === 1) return measure(runs, vendors[0] as StackVendor);
  // one stack per process: the application's SDK clients are made once per process, for the first stack's endpoints
  for (const vendor of vendors) {
    execFileSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), String(runs), vendor],
      {
        stdio: 'inherit',
      },
    );
  }
}

async function measure(runs: number, vendor: StackVendor): Promise<void> {
  calls.length = 0;
  await withBenchStack('provisioning', { config: { vendor } }, async (stack, procedure) => {
    const users = existingUsers('prov', runs);
    await seedExistingUsers(users, stack.urls.saas);
    const results: { branch: 'new' | 'existing'; onboardingId: string; status: string }[] = [];
    for (let r = 0; r < runs; r++) {
      for (const branch of ['new', 'existing'] as const) {
        const user = users[r] as (typeof users)[number];
        const result =
          branch === 'new'
            ? await newAccountScenario(procedure, newBuyer(`Prov7-1-${r}`))
            : await existingAccountScenario(procedure, user, newBuyer(`Prov7-2-${r}`));
        results.push({ branch, onboardingId: result.onboardingId, status: result.status });
      }
    }
    console.log(
      `Provisioning calls per onboarding (local stack, ${vendor === 'sample' ? 'sample SaaS, webhook adapter' : 'built-in adapter'}, ${runs} onboarding(s) per branch, one after the other)`,
    );
    for (const branch of ['new', 'existing'] as const) {
      const mine = results.filter((x) => x.branch === branch);
      const ids = new Set(mine.map((x) => x.onboardingId));
      const seen = calls.filter((c) => ids.has(c.onboardingId));
      const byOperation = new Map<string, number>();
      for (const c of seen)
        byOperation.set(
          `${c.operation}→${c.outcome}`,
          (byOperation.get(`${c.operation}→${c.outcome}`) ?? 0) + 1,
        );
      const ms = seen.map((c) => c.ms);
      const perOnboarding = mine.map((x) => calls.filter((c) => c.onboardingId === x.onboardingId).length);
      console.log(
        `  ${branch === 'new' ? '7-1 new account     ' : '7-2 existing account'} status ${[...new Set(mine.map((x) => x.status))].join(',')}: ` +
          `${perOnboarding.join('/')} calls per onboarding (${[...byOperation].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}); ` +
          `added per call p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms`,
      );
    }
    const unattributed = calls.filter((c) => c.onboardingId.startsWith('(key'));
    if (unattributed.length) console.log(`  not keyed by an onboarding: ${unattributed.length} call(s)`);
  });
}

runBench(main);
