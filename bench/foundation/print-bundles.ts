/** Prints the bundle figures of bench/foundation/bundles.ts: size, gzip, the SDK-bundled size, cold import. */
import type { BundleFigure, MinimalFigure } from './bundles.js';

const TASK_TARGET = 300 * 1024;
const WEB_TARGET = 400 * 1024;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const ms = (n: number | undefined) => (n === undefined ? '—' : `${n.toFixed(1)} ms`);

export function printBundles(
  bundles: readonly BundleFigure[],
  minimal: readonly MinimalFigure[],
  synthMs: number,
): void {
  console.log(
    `\nLambda bundles (esbuild via the stack's NodejsFunction, ESM, minified, AWS SDK from the runtime; synth ${Math.round(synthMs)} ms)`,
  );
  console.log(
    `  ${'function'.padEnd(20)} ${'index.mjs'.padStart(10)} ${'gzip'.padStart(10)} ${'import'.padStart(9)} ${'SDK in*'.padStart(10)} ${'import'.padStart(9)}  ${'target'.padEnd(20)} largest packages (KB)`,
  );
  for (const b of bundles) {
    if (b.bytes === undefined) {
      console.log(`  ${b.name.padEnd(20)} ${'—'.padStart(10)}  missing: its handler is not written yet`);
      continue;
    }
    const target = b.name === 'web' ? WEB_TARGET : TASK_TARGET;
    const verdict = b.bytes <= target ? `ok (≤ ${kb(target)})` : `OVER by ${kb(b.bytes - target)}`;
    const top = (b.top ?? []).map(([p, n]) => `${p} ${n}`).join(', ');
    console.log(
      `  ${b.name.padEnd(20)} ${kb(b.bytes).padStart(10)} ${kb(b.gzipBytes ?? 0).padStart(10)} ${ms(b.importMs).padStart(9)} ${kb(b.withSdkBytes ?? 0).padStart(10)} ${ms(b.withSdkImportMs).padStart(9)}  ${verdict.padEnd(20)} ${top}`,
    );
    if (b.importError) console.log(`    import failed: ${b.importError}`);
  }
  const measured = bundles.filter((b) => b.bytes !== undefined);
  const over = measured.filter((b) => (b.bytes ?? 0) > (b.name === 'web' ? WEB_TARGET : TASK_TARGET));
  console.log(`  measured ${measured.length}/${bundles.length}; over target: ${over.length}`);
  console.log('  * SDK in: the same entry with the AWS SDK bundled (the option not taken), for comparison');
  console.log(
    '  import: median of 7 fresh `node` processes importing index.mjs (time of the import alone), the SDK from node_modules',
  );
  console.log('\nMinimal handlers, same run (for scale)');
  for (const m of minimal)
    console.log(`  ${m.name.padEnd(44)} ${kb(m.bytes).padStart(10)} ${ms(m.importMs).padStart(9)}`);
}
