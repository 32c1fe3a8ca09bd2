/**
 * `npm run bench`: the foundation's figures (issue 2).
 * - bundle size of every Lambda as the stack ships it (minified, AWS SDK included; target ≤ 300 KB each);
 * - state transitions on the happy path of each branch, new account and existing account (target ≤ 30).
 * Figures are printed, not asserted; a line says how each was measured.
 */
import { type BundleFigure, synthesizeAndMeasure } from './foundation/bundles.js';
import {
  type TransitionFigure,
  transitionsByLocalRuntime,
  transitionsByWalker,
} from './foundation/transitions.js';

const BUNDLE_TARGET = 300 * 1024;
const TRANSITION_TARGET = 30;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function printBundles(bundles: readonly BundleFigure[], synthMs: number): void {
  console.log(
    `\nLambda bundles (esbuild via the stack's NodejsFunction, ESM, minified, SDK bundled; synth ${Math.round(synthMs)} ms)`,
  );
  console.log(
    `  ${'function'.padEnd(20)} ${'index.mjs'.padStart(10)} ${'gzip'.padStart(10)} ${'no SDK*'.padStart(10)}  ${'target ≤ 300 KB'.padEnd(17)} largest packages (KB)`,
  );
  for (const b of bundles) {
    if (b.bytes === undefined) {
      console.log(
        `  ${b.name.padEnd(20)} ${'—'.padStart(10)} ${'—'.padStart(10)}  missing: tasks/handlers/${b.name}.ts not written yet`,
      );
      continue;
    }
    const verdict = b.bytes <= BUNDLE_TARGET ? 'ok' : `OVER by ${kb(b.bytes - BUNDLE_TARGET)}`;
    const top = (b.top ?? []).map(([p, n]) => `${p} ${n}`).join(', ');
    console.log(
      `  ${b.name.padEnd(20)} ${kb(b.bytes).padStart(10)} ${kb(b.gzipBytes ?? 0).padStart(10)} ${kb(b.withoutSdkBytes ?? 0).padStart(10)}  ${verdict.padEnd(17)} ${top}`,
    );
  }
  const measured = bundles.filter((b) => b.bytes !== undefined);
  const missing = bundles.filter((b) => b.bytes === undefined).map((b) => b.name);
  console.log(
    `  measured ${measured.length}/${bundles.length}; over target: ${measured.filter((b) => (b.bytes ?? 0) > BUNDLE_TARGET).length}` +
      (missing.length ? `; missing: ${missing.join(', ')}` : ''),
  );
  console.log(
    "  * no SDK: the same bundle if it used the Lambda runtime's AWS SDK instead (for comparison only)",
  );
}

function printTransitions(figures: readonly TransitionFigure[]): void {
  console.log(
    '\nState transitions on the happy path (one per state entered; AWS bills Standard workflows per transition)',
  );
  for (const f of figures) {
    const verdict = f.transitions <= TRANSITION_TARGET ? 'ok' : 'OVER';
    console.log(
      `  ${`${f.branch} account`.padEnd(18)} ${String(f.transitions).padStart(3)}  ${f.status.padEnd(9)} ${verdict.padEnd(4)} (${f.method})`,
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
  const { bundles, asl, synthMs } = await synthesizeAndMeasure();
  printBundles(bundles, synthMs);

  const figures: TransitionFigure[] = [];
  for (const branch of ['new', 'existing'] as const) {
    const local = await transitionsByLocalRuntime(asl, branch).catch((e: Error) => {
      console.log(`  local runtime failed for ${branch}: ${e.message}`);
      return undefined;
    });
    if (local) figures.push(local);
    figures.push(await transitionsByWalker(asl, branch));
  }
  if (!figures.some((f) => f.method === 'local runtime')) {
    console.log('\n(sfn-local runtime not available: transitions measured with the JSONata walker only)');
  }
  printTransitions(figures);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
