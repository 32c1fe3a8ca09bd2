/**
 * `npm run conformance -- <folder> [--out <dir>] [--filter <substring>] [--strict] [--durable]`
 *
 * Runs every case of a conformance folder (a folder with manifest.json, or any tree of case files) on the local
 * runtime, prints one line per failing case with its first difference, then `N passed, N failed`. With `--out`,
 * writes `<dir>/<case file name>` = `{status, output, error, cause, events}` for every case, `events` being the
 * history as GetExecutionHistory returns it. With `--durable`, each case runs on the durable store (a fresh data
 * directory) instead of in memory. Exits non-zero when a case failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCases } from './cases.js';
import { runCase } from './runner.js';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      filter: { type: 'string' },
      strict: { type: 'boolean', default: false },
      durable: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const folder = positionals[0];
  if (values.help || !folder) {
    process.stderr.write(
      'usage: npm run conformance -- <folder> [--out <dir>] [--filter <substring>] [--strict] [--durable]\n',
    );
    return folder ? 0 : 2;
  }
  const cases = loadCases(resolve(folder)).filter(
    (c) => !values.filter || c.id.includes(values.filter) || c.relPath.includes(values.filter),
  );
  const outDir = values.out ? resolve(values.out) : undefined;
  if (outDir) mkdirSync(outDir, { recursive: true });
  let passed = 0;
  let failed = 0;
  for (const c of cases) {
    if (!c.data) {
      failed++;
      process.stdout.write(`FAIL ${c.relPath}: ${c.loadError}\n`);
      continue;
    }
    const result = await runCase(c.data, { strict: values.strict, durable: values.durable });
    if (result.passed) passed++;
    else {
      failed++;
      process.stdout.write(`FAIL ${c.relPath}: ${result.difference}\n`);
    }
    if (outDir) {
      const p = result.produced;
      // Every key present; null where the execution has none (output of a failed run, error of a successful one).
      const body = p
        ? {
            status: p.status,
            output: p.output ?? null,
            error: p.error ?? null,
            cause: p.cause ?? null,
            events: p.events,
          }
        : { status: 'ERROR', output: null, error: 'Runner', cause: result.difference ?? null, events: [] };
      writeFileSync(join(outDir, c.fileName), `${JSON.stringify(body, null, 2)}\n`);
    }
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
