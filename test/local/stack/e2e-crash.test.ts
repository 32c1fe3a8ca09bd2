/**
 * The crash matrix, small (issue 10): `npm start` in its own process, two onboardings of each branch (7-1 and 7-2)
 * driven through the real surfaces, the stack killed with SIGKILL at four points (its n-th outgoing request after each
 * start) and started again on the same data each time. Every onboarding must end where it truly
 * got to: Completed, never through StageTimedOut or OfferFailed, the record agreeing with the execution, one offer,
 * one account and one paid plan each. The larger matrix is `npm run bench:crash`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrashRunResult, runCrashMatrix } from '../../../local/demo/crash-run.js';
import { freePorts } from '../../../local/stack/process.js';

/**
 * Counted from each start. A full run of these four onboardings makes about 800 outgoing requests (about 200 each:
 * `npm run bench:crash -- --sweep`), so the kills fall, in turn, into the inquiries, the terms and offers, the
 * subscriptions and setups, and the registrations and activations.
 */
const KILL_POINTS = [30, 150, 250, 200];

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'mo-crash-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start killed (SIGKILL) at several points of both branches', () => {
  it('ends every onboarding in the state it truly reached', async () => {
    // Prepare
    const ports = await freePorts();

    // Act
    const result: CrashRunResult = await runCrashMatrix({
      dataDir,
      ports,
      newAccounts: 2,
      existingAccounts: 2,
      killPoints: KILL_POINTS,
      timeoutMs: 360_000, // about 70 s alone; a ceiling for a busy machine (the whole suite on 2 cores)
    });

    // Assess
    // request counts vary a little from run to run (retries, timers): the last point may come after the end
    expect(result.kills).toBeGreaterThanOrEqual(KILL_POINTS.length - 1);
    expect(result.verdicts.map((v) => v.branch).sort()).toEqual(['7-1', '7-1', '7-2', '7-2']);
    expect(result.verdicts.filter((v) => v.wrong.length > 0)).toEqual([]);
    // e-mail is at least once (SES has no idempotency key): only a kill between SES and the record sends one twice
    const mailedTwice = result.verdicts.reduce((n, v) => n + v.mailedTwice.length, 0);
    expect(mailedTwice).toBeLessThanOrEqual(result.kills);
  }, 420_000);
});
