/**
 * `npm run bench:crash`: the crash matrix (issue 10), larger than the test's. Each run starts `npm start` in its own
 * process on a fresh data folder, drives onboardings of both branches, and kills the stack with SIGKILL at a series
 * of points (its n-th outgoing request), restarting it on the same data after each kill, until every onboarding
 * ended; then checks each against what truly happened to it (local/demo/crash-run.ts). Prints, per run and in total:
 * onboardings, kills, onboardings in a wrong end state (target 0) and what was wrong.
 * Options: --runs <n> (default 3), --new <n> and --existing <n> onboardings per run (default 4 and 4),
 * --kills <n> per run (default 4), --spacing <n> requests between kill points (default 60; each run shifts them);
 * --sweep <n>: one kill per run instead, at request n in run 1, 2n in run 2, ... (a point-by-point sweep).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type OnboardingVerdict, runCrashMatrix } from '../local/demo/crash-run.js';
import { freePorts } from '../local/stack/process.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number ≥ 0`);
  return value;
}

const runs = option('runs', 3);
const newAccounts = option('new', 4);
const existingAccounts = option('existing', 4);
const killsPerRun = option('kills', 4);
const spacing = option('spacing', 60);
const sweep = option('sweep', 0);

async function main(): Promise<void> {
  const all: OnboardingVerdict[] = [];
  const stagesAtKill = new Map<string, number>();
  let kills = 0;
  let points = 0;
  for (let run = 0; run < runs; run++) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mo-bench-crash-'));
    // spread the kill points: each run starts at a different offset, so together they cover more of the procedure
    const offset = 7 + Math.round((run * spacing) / Math.max(runs, 1));
    // --sweep <n>: one kill per run, at request n, 2n, 3n, ... (run 1, 2, 3, ...): every n-th point of the procedure
    const killPoints =
      sweep > 0 ? [sweep * (run + 1)] : Array.from({ length: killsPerRun }, (_, k) => offset + k * spacing);
    try {
      const result = await runCrashMatrix({
        dataDir,
        ports: await freePorts(),
        newAccounts,
        existingAccounts,
        killPoints,
        timeoutMs: 600_000,
        log: (line) => console.log(`  run ${run + 1}: ${line}`),
      });
      const wrong = result.verdicts.filter((v) => v.wrong.length > 0);
      console.log(
        `run ${run + 1}: ${result.verdicts.length} onboardings, kill points ${killPoints.join(',')}, ${result.kills} kills, ${result.restarts} restarts, ${(result.elapsedMs / 1000).toFixed(0)} s: ${wrong.length} in a wrong end state`,
      );
      for (const v of wrong) console.log(`  ${v.onboardingId} (${v.branch}): ${v.wrong.join('; ')}`);
      for (const v of result.verdicts.filter((x) => x.mailedTwice.length > 0))
        console.log(
          `  ${v.onboardingId} (${v.branch}) mailed twice (at least once): ${v.mailedTwice.join(' | ')}`,
        );
      all.push(...result.verdicts);
      for (const seen of result.killedAt)
        for (const stage of seen) stagesAtKill.set(stage, (stagesAtKill.get(stage) ?? 0) + 1);
      kills += result.kills;
      points += killPoints.length;
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  const wrong = all.filter((v) => v.wrong.length > 0);
  const twice = all.reduce((n, v) => n + v.mailedTwice.length, 0);
  console.log(
    `\ncrash matrix: ${runs} runs, ${all.length} onboardings (${all.filter((v) => v.branch === '7-1').length} × 7-1, ${all.filter((v) => v.branch === '7-2').length} × 7-2), ${kills} SIGKILLs of ${points} kill points: ${wrong.length} onboardings in a wrong end state (target 0); e-mails sent twice: ${twice}`,
  );
  console.log(
    `where the onboardings in flight stood at the kills (last seen by the driver): ${[...stagesAtKill]
      .sort((a, b) => b[1] - a[1])
      .map(([stage, n]) => `${stage} ${n}`)
      .join(', ')}`,
  );
  if (wrong.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error('bench:crash failed:', error);
  process.exit(1);
});
