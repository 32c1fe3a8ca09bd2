/**
 * The crash matrix, for the crash test and the crash benchmark: `npm start` in its own process, onboardings of both
 * branches driven through the real surfaces, the stack killed with SIGKILL at a series of points (its n-th outgoing
 * request, stack/crash-switch.ts) and started again on the same data each time, until every onboarding ended. Then
 * each onboarding is checked against what truly happened to it: it ended Completed (nothing in the procedure fails
 * it; only a crash could), the record agrees with the execution, and nothing was done twice (offers, e-mails,
 * accounts, paid plans).
 */

import path from 'node:path';
import { readEnvFile } from '../../cli/run.js';
import { onboardingKey } from '../../tasks/ports/provisioning.js';
import { CRASH_AFTER_REQUESTS } from '../stack/crash-switch.js';
import { type StackProcess, spawnStack } from '../stack/process.js';
import { DEMO_STAFF } from '../stack/seed.js';
import { driveAll, type Journey, journey } from './journeys.js';
import { Procedure } from './procedure.js';
import { newBuyer } from './scenarios.js';
import { allowManyInquiriesFromOneAddress, existingUsers, seedExistingUsers } from './users.js';

export interface CrashRunOptions {
  readonly dataDir: string;
  readonly ports: Parameters<typeof spawnStack>[0]['ports'];
  /** Onboardings of branch 7-1 (new account) and 7-2 (existing account). */
  readonly newAccounts: number;
  readonly existingAccounts: number;
  /** Kill after this many outgoing requests of each run of the stack, in turn (one kill per run). */
  readonly killPoints: readonly number[];
  /** How long all onboardings may take to end, kills and restarts included. */
  readonly timeoutMs: number;
  readonly log?: (line: string) => void;
}

export interface OnboardingVerdict {
  readonly onboardingId: string;
  readonly branch: '7-1' | '7-2';
  readonly status: string;
  /** What is wrong with how it ended; empty when it ended where it truly got to. */
  readonly wrong: readonly string[];
  /**
   * E-mails it was sent twice. E-mail is at least once: SES has no idempotency key, so a kill after SES accepted a
   * mail and before the record noted it sends that mail again; reported, not counted as a wrong end state.
   */
  readonly mailedTwice: readonly string[];
}

export interface CrashRunResult {
  readonly verdicts: readonly OnboardingVerdict[];
  /** Kills that happened (a kill point past the end of the work is never reached). */
  readonly kills: number;
  readonly restarts: number;
  readonly elapsedMs: number;
  /** Per kill, where the onboardings not ended yet were last seen (state, "(waiting)" at a human stage). */
  readonly killedAt: readonly (readonly string[])[];
}

const STAFF = Object.fromEntries(DEMO_STAFF.map((u) => [u.id, u.password]));
/** States an onboarding only reaches when something failed: none of them may follow from a crash. */
const DETOURS = ['StageTimedOut', 'OfferFailed', 'RecordFailed', 'RecordTimedOut', 'RecordClosed', 'Failed'];

export async function runCrashMatrix(options: CrashRunOptions): Promise<CrashRunResult> {
  const log = options.log ?? (() => undefined);
  allowManyInquiriesFromOneAddress(); // the spawned stacks inherit it
  const started = Date.now();
  const points = [...options.killPoints];
  let kills = 0;
  let restarts = 0;
  let stack: StackProcess | undefined;
  let died = false;
  const killedAt: string[][] = [];
  const spawn = async () => {
    const point = points.shift();
    died = false;
    const s = await spawnStack({
      dataDir: options.dataDir,
      ports: options.ports,
      ...(point !== undefined ? { env: { [CRASH_AFTER_REQUESTS]: String(point) } } : {}),
    });
    s.child.once('exit', (_code, signal) => {
      died = true;
      if (signal === 'SIGKILL') kills += 1;
    });
    log(`stack up (${Math.round(s.startupMs)} ms)${point !== undefined ? `, kill at request ${point}` : ''}`);
    return s;
  };

  try {
    stack = await spawn();
    Object.assign(process.env, await readEnvFile(path.join(options.dataDir, 'stack.env')));
    const stateMachineArn = process.env.STATE_MACHINE_ARN;
    if (!stateMachineArn) throw new Error('the stack wrote no STATE_MACHINE_ARN into stack.env');
    const { awsPorts } = await import('../../tasks/adapters/aws/index.js');
    const users = existingUsers(`crash-${started}`, options.existingAccounts);
    await seedExistingUsers(users, stack.url('saas'));
    const journeys: Journey[] = [
      ...Array.from({ length: options.newAccounts }, () => journey(newBuyer('Crash71'))),
      ...users.map((u) => journey(newBuyer('Crash72'), u)),
    ];
    const urls = (s: StackProcess) => ({
      web: s.url('web'),
      states: s.url('states'),
      ses: s.url('ses'),
      marketplace: s.url('marketplace'),
    });

    const deadline = started + options.timeoutMs;
    for (;;) {
      const procedure = new Procedure(urls(stack), stateMachineArn, STAFF);
      await driveAll(procedure, journeys, { timeoutMs: deadline - Date.now(), stop: () => died });
      procedure.sfn.destroy();
      const done = journeys.every((j) => j.ended || j.strayedAt);
      if (done || Date.now() >= deadline) break;
      if (died) {
        killedAt.push(journeys.filter((j) => !j.ended && !j.strayedAt).map((j) => j.lastSeen ?? 'starting'));
        await stack.kill('SIGKILL'); // already gone; resolves once the exit was seen
        stack = await spawn();
        restarts += 1;
      }
    }

    const procedure = new Procedure(urls(stack), stateMachineArn, STAFF);
    const verdicts = await judge(procedure, journeys, awsPorts());
    procedure.sfn.destroy();
    return { verdicts, kills, restarts, elapsedMs: Date.now() - started, killedAt };
  } finally {
    await stack?.kill('SIGTERM');
  }
}

type Ports = ReturnType<typeof import('../../tasks/adapters/aws/index.js').awsPorts>;

async function judge(
  procedure: Procedure,
  journeys: readonly Journey[],
  ports: Ports,
): Promise<OnboardingVerdict[]> {
  const mails = (await (await fetch(`${procedure.urls.ses}/store`)).json()) as {
    emails: { destination: { to: string[] }; subject: string }[];
  };
  const market = (await (await fetch(`${procedure.urls.marketplace}/_admin/state`)).json()) as {
    offers: { id: string; positiveTargeting?: { BuyerAccounts?: string[] } }[];
  };
  const verdicts: OnboardingVerdict[] = [];
  for (const j of journeys) {
    const wrong: string[] = [];
    const id = j.onboardingId ?? '';
    if (!j.onboardingId) wrong.push('never started');
    if (j.strayedAt) wrong.push(`waited at ${j.strayedAt}`);
    if (j.ended !== 'SUCCEEDED')
      wrong.push(`execution ${j.ended ?? `still running at ${j.lastSeen ?? '?'}`}`);
    if (id) {
      const states = await procedure.path(id);
      for (const d of DETOURS) if (states.includes(d)) wrong.push(`went through ${d}`);
      for (const stage of ['Consultation', 'AwaitAcceptance', 'AccountSetup', 'Registration'])
        if (states.filter((s) => s === stage).length > 1) wrong.push(`entered ${stage} twice`);
      const record = await ports.onboardings.get(id);
      if (record?.stage !== 'Completed' || record.status !== 'completed')
        wrong.push(`record at ${record?.stage}/${record?.status}`);
      // the truth is at the vendor's SaaS (the sample SaaS, or the built-in directory): asked through the port
      const accountId = record?.paidPlan?.accountId;
      const tenant = accountId
        ? await ports.provisioning.readTenant({ tenantId: accountId }, onboardingKey(id, 'CrashJudge'))
        : undefined;
      const found =
        tenant?.outcome === 'done' || tenant?.outcome === 'already-done' ? tenant.value : undefined;
      if (found?.status !== 'paid') wrong.push('no paid plan from it');
      if (!j.existing) {
        const listed = await ports.provisioning.listTenants(
          { onboardingId: id, user: { subject: `judge-${id}`, email: j.buyer.email } },
          onboardingKey(id, 'CrashJudgeList'),
        );
        const owned = listed.outcome === 'done' || listed.outcome === 'already-done' ? listed.value : [];
        if (owned.length !== 1) wrong.push(`${owned.length} accounts for the new buyer`);
      }
    }
    const subjects = mails.emails
      .filter((m) => m.destination.to.includes(j.buyer.email))
      .map((m) => m.subject);
    const mailedTwice = subjects.filter((s, i) => subjects.indexOf(s) !== i);
    const offers = market.offers.filter((o) =>
      o.positiveTargeting?.BuyerAccounts?.includes(j.buyer.awsAccountId),
    );
    if (offers.length !== 1) wrong.push(`${offers.length} offers for the buyer`);
    verdicts.push({
      onboardingId: id,
      branch: j.existing ? '7-2' : '7-1',
      status: j.ended ?? 'RUNNING',
      mailedTwice,
      wrong,
    });
  }
  return verdicts;
}
