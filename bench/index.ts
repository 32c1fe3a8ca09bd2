/**
 * `npm run bench`: the foundation's figures (issue 2).
 * - bundle size and cold import of every Lambda as the stack ships it (minified, the AWS SDK from the runtime;
 *   target ≤ 300 KB, the web function ≤ 450 KB: docs/decisions/bundles.md), beside two minimal handlers;
 * - state transitions on the happy path of each branch, new account and existing account (target ≤ 30);
 * - the AWS cost of one onboarding per branch, counted on the local stack (bench/cost; `--cost-runs <n>` onboardings
 *   per branch, default 1, averaged).
 * Figures are printed, not asserted; a line says how each was measured.
 */
import { measureOnboardings } from './cost/onboarding-cost.js';
import { printCost } from './cost/print-cost.js';
import { synthesizeAndMeasure } from './foundation/bundles.js';
import { printBundles } from './foundation/print-bundles.js';
import { happyPathTransitions, type TransitionFigure } from './foundation/transitions.js';

const TRANSITION_TARGET = 30;

function printTransitions(figures: readonly TransitionFigure[]): void {
  console.log(
    '\nState transitions on the happy path (sfn-local in memory, fake tasks; one per state entered plus retries, as AWS bills Standard workflows)',
  );
  for (const f of figures) {
    const verdict = f.transitions <= TRANSITION_TARGET ? 'ok' : 'OVER';
    console.log(
      `  ${`${f.branch} account`.padEnd(18)} ${String(f.transitions).padStart(3)}  ${f.status.padEnd(9)} ${verdict}`,
    );
    if (f.contractViolations.length)
      console.log(`    contract violations: ${f.contractViolations.join('; ')}`);
  }
  const first = figures[0];
  if (first) console.log(`  path (${first.branch}): ${first.path.join(' → ')}`);
  console.log(
    '  (one change-set check; each further DescribeChangeSet poll adds 3: WaitForOffer, CheckOffer, OfferReady)',
  );
}

async function main(): Promise<void> {
  console.log('Marketplace Onboarding: foundation figures');
  const { bundles, minimal, asl, synthMs } = await synthesizeAndMeasure();
  printBundles(bundles, minimal, synthMs);

  const figures: TransitionFigure[] = [];
  for (const branch of ['new', 'existing'] as const) figures.push(await happyPathTransitions(asl, branch));
  printTransitions(figures);

  const runsAt = process.argv.indexOf('--cost-runs');
  const runs = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 1;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--cost-runs must be a whole number ≥ 1');
  printCost(await measureOnboardings(runs));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
