/** Prints the usage and the cost of one onboarding per branch (bench/cost/onboarding-cost.ts, prices.ts). */
import { type Branch, costOf, type OnboardingUsage } from './onboarding-cost.js';
import { PRICES, PRICES_AS_OF } from './prices.js';

const usd = (n: number) => `$${n.toFixed(6)}`;
const LABEL: Record<Branch, string> = { new: '7-1 new account', existing: '7-2 existing account' };

/** Averages the runs of one branch (each quantity, each Lambda function). */
function average(runs: readonly OnboardingUsage[]): OnboardingUsage {
  const n = runs.length;
  const first = runs[0] as OnboardingUsage;
  const mean = (pick: (u: OnboardingUsage) => number) => runs.reduce((s, u) => s + pick(u), 0) / n;
  const lambda: OnboardingUsage['lambda'] = {};
  for (const name of new Set(runs.flatMap((u) => Object.keys(u.lambda))))
    lambda[name] = {
      invocations: mean((u) => u.lambda[name]?.invocations ?? 0),
      ms: mean((u) => u.lambda[name]?.ms ?? 0),
    };
  const ruleInvocations: Record<string, number> = {};
  for (const name of Object.keys(first.ruleInvocations))
    ruleInvocations[name] = mean((u) => u.ruleInvocations[name] ?? 0);
  return {
    ...first,
    status: runs.map((u) => u.status).join(','),
    transitions: mean((u) => u.transitions),
    lambda,
    ruleInvocations,
    gbSeconds: mean((u) => u.gbSeconds),
    readUnits: mean((u) => u.readUnits),
    writeUnits: mean((u) => u.writeUnits),
    indexWriteUnits: mean((u) => u.indexWriteUnits),
    sesMessages: mean((u) => u.sesMessages),
    customEvents: mean((u) => u.customEvents),
    awsEvents: mean((u) => u.awsEvents),
    s3Tier1: mean((u) => u.s3Tier1),
    s3Tier2: mean((u) => u.s3Tier2),
  };
}

export function printCost(usages: readonly OnboardingUsage[]): void {
  console.log(
    `\nAWS cost of one onboarding (counted on the local stack; us-east-1 list prices of ${PRICES_AS_OF}, bench/cost/prices.ts)`,
  );
  for (const branch of ['new', 'existing'] as const) {
    const runs = usages.filter((u) => u.branch === branch);
    if (runs.length === 0) continue;
    const u = average(runs);
    const lines = costOf(u);
    const total = lines.reduce((s, l) => s + l.usd, 0);
    console.log(`\n  ${LABEL[branch]} (${runs.length} run${runs.length > 1 ? 's' : ''}, ${u.status})`);
    for (const l of lines)
      console.log(
        `    ${l.item.padEnd(34)} ${l.quantity.toFixed(l.quantity % 1 ? 2 : 0).padStart(9)}  ${usd(l.usd).padStart(11)}`,
      );
    console.log(`    ${'total'.padEnd(34)} ${''.padStart(9)}  ${usd(total).padStart(11)}`);
    const fns = Object.entries(u.lambda)
      .map(([name, l]) => `${name} ${l.invocations}× ${Math.round(l.ms)} ms`)
      .join(', ');
    const rules = Object.entries(u.ruleInvocations)
      .map(([name, n]) => `${name} ${n}×`)
      .join(', ');
    console.log(`    Lambda: ${fns}; by EventBridge rules (duration not measured): ${rules}`);
    console.log(
      `    DynamoDB: ${u.writeUnits} write units of which ${u.indexWriteUnits} index entries; AWS service events (free): ${u.awsEvents}`,
    );
  }
  console.log(
    '\n  How: transitions and Lambda tasks from the execution history; web invocations, DynamoDB units (dynalite, from item',
  );
  console.log(
    '  sizes), SES, S3, EventBridge counted per request at the local endpoints; durations are local wall time under',
  );
  console.log(`  whatever else runs on this machine. Unverified prices: ${unverified().join(', ')}.`);
}

function unverified(): string[] {
  return Object.entries(PRICES)
    .filter(([, p]) => 'note' in p && /unverified|not found|not looked up|does not show/.test(p.note))
    .map(([name]) => name);
}
