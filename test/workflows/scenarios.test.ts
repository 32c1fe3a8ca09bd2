/**
 * The rendered definition on the project's Step Functions runtime (sfn-local), in memory on a virtual clock, with
 * contract-checking fake handlers: the happy path of both branches and every side path, and what each end records.
 * Waits, retries and timeouts are driven by the clock, not slept.
 */
import { TaskError } from '@marketplace-onboarding/sfn-local';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeOptions,
  fakeHandlers,
  happyCallbacks,
  ONBOARDING_ID,
  START,
} from '../../local/in-memory/fakes.js';
import { runInMemory, type TaskCall, TIMEOUT } from '../../local/in-memory/run.js';
import type { AslStateMachine } from '../../workflows/asl.js';
import {
  CloseOnboardingInput,
  OpenHumanTask,
  WORKFLOW_ERRORS,
  WorkflowReason,
} from '../../workflows/contracts/index.js';
import { renderOnboardingAsl } from '../../workflows/render.js';

let asl: AslStateMachine;
beforeAll(() => {
  asl = renderOnboardingAsl();
});

/** Runs the definition once; every payload the workflow sends and every fake callback must fit its contract. */
async function run(options: Partial<FakeOptions> & { registration?: 'new' | 'existing' } = {}) {
  const fakes = fakeHandlers({ callbacks: happyCallbacks(options.registration ?? 'new'), ...options });
  const result = await runInMemory(asl, START, fakes.handler, { executionName: ONBOARDING_ID });
  expect(fakes.violations).toEqual([]);
  return result;
}
const closeCalls = (calls: readonly TaskCall[]) =>
  calls
    .filter((c) => c.functionName.endsWith('close-onboarding'))
    .map((c) => CloseOnboardingInput.parse(c.payload));
const humanCall = (calls: readonly TaskCall[], stage: string): TaskCall => {
  const call = calls.find((c) => c.waitForTaskToken && (c.payload as { stage: string }).stage === stage);
  if (!call) throw new Error(`no human task was opened for ${stage}`);
  return call;
};
const stageOf = (call: TaskCall) => (call.payload as { stage: string }).stage;
const fail = (error: string, cause: string) => {
  throw new TaskError(error, cause);
};

describe('happy paths', () => {
  it.each(['new', 'existing'] as const)(
    '%s account: SUCCEEDED in at most 30 transitions',
    async (registration) => {
      // Act
      const r = await run({ registration });

      // Assess
      expect(r.status).toBe('SUCCEEDED');
      expect(r.transitions).toBeLessThanOrEqual(30);
      expect(r.path).toContain(registration === 'new' ? 'CreateAccount' : 'AccountSelection');
      expect(r.path).not.toContain(registration === 'new' ? 'AccountSelection' : 'CreateAccount');
      expect(r.output).toMatchObject({
        onboardingId: ONBOARDING_ID,
        accountId: registration === 'new' ? 'acct-new-1' : 'acct-existing-7',
        plan: 'Business',
      });
    },
  );

  it('every human stage gets the token, a dueAt matching its timeout, and its context', async () => {
    // Prepare
    const terms = happyCallbacks('existing').Consultation as { offerExpiresAt: string };

    // Act
    const r = await run({ registration: 'existing' });

    // Assess
    const human = r.calls.filter((c) => c.waitForTaskToken);
    expect(human.map(stageOf)).toEqual([
      'Consultation',
      'AwaitAcceptance',
      'AccountSetup',
      'Registration',
      'AccountSelection',
    ]);
    // JSONata's $millis() (which dueAt is computed from) reads the real clock, not the runtime's virtual one.
    const dueIn = (call: TaskCall) =>
      (Date.parse(OpenHumanTask.parse(call.payload).dueAt) - Date.now()) / 1000;
    expect(human.map((c) => OpenHumanTask.parse(c.payload).taskToken)).toEqual(human.map((c) => c.taskToken));
    for (const call of human) expect(Math.abs(dueIn(call) - Number(call.timeoutSeconds))).toBeLessThan(30);
    const accept = humanCall(r.calls, 'AwaitAcceptance');
    expect(OpenHumanTask.parse(accept.payload).context).toMatchObject({ offerId: 'offer-abcdefghij12' });
    // Timeout = until the offer expires + 1 hour grace.
    const untilExpiry = (Date.parse(terms.offerExpiresAt) - Date.now()) / 1000;
    expect(Math.abs(Number(accept.timeoutSeconds) - (untilExpiry + 3600))).toBeLessThan(30);
    expect(humanCall(r.calls, 'AccountSelection').payload).toMatchObject({ context: { userId: 'user-42' } });
  });

  it('a manual offer goes straight from Consultation to SendOfferNotice with its id', async () => {
    // Prepare
    const fakes = fakeHandlers({ callbacks: happyCallbacks('new', 'manual') });

    // Act
    const r = await runInMemory(asl, START, fakes.handler);

    // Assess
    expect(fakes.violations).toEqual([]);
    expect(r.status).toBe('SUCCEEDED');
    expect(r.path.slice(0, 4)).toEqual(['Inquiry', 'Consultation', 'HowToCreateOffer', 'SendOfferNotice']);
    const notice = r.calls.filter((c) => c.state === 'SendOfferNotice');
    expect(notice.map((c) => c.payload)).toEqual([
      expect.objectContaining({ offerId: 'offer-manualmade0001', source: 'manual' }),
    ]);
  });

  it('polls a slow change set with growing waits', async () => {
    // Act
    const r = await run({ pendingChecks: 4 });

    // Assess
    expect(r.status).toBe('SUCCEEDED');
    expect(r.waits).toEqual([60, 120, 240, 480, 900].map((seconds) => ({ state: 'WaitForOffer', seconds })));
  });
});

describe('side paths', () => {
  it('a failed change set → OfferFailed (with the failure) → sales enters a manual offer → completes', async () => {
    // Prepare
    const failedChangeSet = {
      status: 'FAILED',
      failure: { code: 'VALIDATION', details: [{ code: 'X', message: 'bad price' }] },
    };

    // Act
    const r = await run({
      override: (_call, name) => (name === 'check-offer' ? failedChangeSet : undefined),
    });

    // Assess
    expect(r.status).toBe('SUCCEEDED');
    const failed = OpenHumanTask.parse(humanCall(r.calls, 'OfferFailed').payload);
    const reason = WorkflowReason.parse(failed.context);
    expect(reason).toMatchObject({
      stage: 'CreateOffer',
      kind: 'failed',
      error: WORKFLOW_ERRORS.offerFailed,
    });
    expect(reason.cause).toContain('bad price');
    expect(r.calls.filter((c) => c.state === 'SendOfferNotice').map((c) => c.payload)).toEqual([
      expect.objectContaining({ offerId: 'offer-manualmade0002', source: 'manual' }),
    ]);
  });

  it('polling is bounded: a change set that never ends goes to OfferFailed', async () => {
    // Prepare
    const callbacks = {
      ...happyCallbacks('new'),
      OfferFailed: { action: 'close', actor: salesActor, reason: 'gave up' },
    };

    // Act
    const r = await run({ callbacks, pendingChecks: 1000 });

    // Assess
    expect(r.path.filter((s) => s === 'CheckOffer')).toHaveLength(12);
    expect(r.path).toContain('OfferFailed');
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe(WORKFLOW_ERRORS.closed);
  });

  it('an expired offer → OfferExpired → extend → polled → re-sent → completes', async () => {
    // Prepare
    let first = true;
    const expireOnce = (call: TaskCall) => {
      if (!call.waitForTaskToken || stageOf(call) !== 'AwaitAcceptance' || !first) return undefined;
      first = false;
      return TIMEOUT;
    };

    // Act
    const r = await run({ override: expireOnce });

    // Assess
    expect(r.status).toBe('SUCCEEDED');
    const i = r.path.indexOf('OfferExpired');
    expect(r.path.slice(i, i + 7)).toEqual([
      'OfferExpired',
      'OfferExpiredDecision',
      'ExtendOffer',
      'WaitForOffer',
      'CheckOffer',
      'OfferReady',
      'SendOfferNotice',
    ]);
    expect(r.calls.filter((c) => c.state === 'ExtendOffer').map((c) => c.payload)).toEqual([
      expect.objectContaining({ offerId: 'offer-abcdefghij12', attempt: 1 }),
    ]);
  });

  it('an extension asked while the buyer waits that fails → ExtensionFailed → AwaitAcceptance until the old expiry (not OfferFailed) → completes', async () => {
    // Prepare
    const later = '2099-12-31T23:59:59Z';
    let asked = false;
    let extending = false;
    const failingExtension = (call: TaskCall) => {
      if (call.waitForTaskToken && stageOf(call) === 'AwaitAcceptance' && !asked) {
        asked = true;
        return fail(
          WORKFLOW_ERRORS.offerExtended,
          JSON.stringify({ actor: salesActor, offerExpiresAt: later }),
        );
      }
      if (call.state === 'ExtendOffer') extending = true;
      if (call.state === 'CheckOffer' && extending)
        return { status: 'FAILED', failure: { code: 'VALIDATION_FAILED', details: [] } };
      return undefined;
    };

    // Act
    const r = await run({ override: failingExtension });

    // Assess
    expect(r.status).toBe('SUCCEEDED');
    expect(r.path).not.toContain('OfferFailed');
    const i = r.path.indexOf('ExtendOffer');
    expect(r.path.slice(i, i + 7)).toEqual([
      'ExtendOffer',
      'WaitForOffer',
      'CheckOffer',
      'OfferReady',
      'OfferChangeFailed',
      'ExtensionFailed',
      'AwaitAcceptance',
    ]);
    const waits = r.calls.filter((c) => c.waitForTaskToken && stageOf(c) === 'AwaitAcceptance');
    const contextOf = (i: number) =>
      (waits[i]?.payload as { context?: { offerExpiresAt?: string } } | undefined)?.context;
    const kept = contextOf(0)?.offerExpiresAt;
    expect(r.calls.find((c) => c.state === 'ExtensionFailed')?.payload).toMatchObject({
      report: 'failed',
      offerExpiresAt: kept,
      requestedExpiresAt: later,
      error: WORKFLOW_ERRORS.offerFailed,
    });
    // waiting again until the old expiry, as the first time
    expect(waits).toHaveLength(2);
    expect(contextOf(1)).toEqual(contextOf(0));
    expect(contextOf(0)).toBeDefined();
  });

  it('closed by support at Consultation → close-onboarding → Fail Closed, cause names who and why', async () => {
    // Prepare
    const request = { actor: { kind: 'staff', id: 'u-support', role: 'support' }, reason: 'buyer withdrew' };

    // Act
    const r = await run({
      override: (call) =>
        call.state === 'Consultation' ? fail(WORKFLOW_ERRORS.closed, JSON.stringify(request)) : undefined,
    });

    // Assess
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe(WORKFLOW_ERRORS.closed);
    const reason = WorkflowReason.parse(JSON.parse(r.cause as string));
    expect(reason).toMatchObject({ stage: 'Consultation', kind: 'closed' });
    expect(JSON.parse(reason.cause)).toEqual(request);
    expect(closeCalls(r.calls)).toEqual([
      {
        onboardingId: ONBOARDING_ID,
        stage: 'Consultation',
        outcome: 'closed',
        error: WORKFLOW_ERRORS.closed,
        cause: reason.cause,
      },
    ]);
  });

  it('a subscription failing at AccountSetup ends in SubscriptionFailed with the reason', async () => {
    // Act
    const r = await run({
      override: (call) =>
        call.state === 'AccountSetup'
          ? fail(WORKFLOW_ERRORS.subscriptionFailed, 'subscribe-fail')
          : undefined,
    });

    // Assess
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe(WORKFLOW_ERRORS.subscriptionFailed);
    expect(JSON.parse(r.cause as string)).toMatchObject({ stage: 'AccountSetup', cause: 'subscribe-fail' });
    expect(closeCalls(r.calls)).toEqual([
      expect.objectContaining({ outcome: 'subscription-failed', stage: 'AccountSetup' }),
    ]);
    expect(r.path).not.toContain('ActivatePaidPlan');
  });

  it('a human stage that times out → StageTimedOut (support told why) → re-open → completes', async () => {
    // Prepare
    let timedOut = false;
    const timeOutOnce = (call: TaskCall) => {
      if (call.state !== 'Registration' || timedOut) return undefined;
      timedOut = true;
      return TIMEOUT;
    };

    // Act
    const r = await run({ override: timeOutOnce });

    // Assess
    expect(r.status).toBe('SUCCEEDED');
    const escalation = OpenHumanTask.parse(humanCall(r.calls, 'StageTimedOut').payload);
    expect(WorkflowReason.parse(escalation.context)).toMatchObject({
      stage: 'Registration',
      kind: 'timed-out',
      error: 'States.Timeout',
      resumeAt: 'Registration',
    });
    expect(r.path.filter((s) => s === 'Registration')).toHaveLength(2);
  });

  it('support not acting on an escalation in time ends in TimedOut, naming the stalled stage', async () => {
    // Act
    const r = await run({
      override: (call) =>
        call.state === 'AccountSetup' || call.state === 'StageTimedOut' ? TIMEOUT : undefined,
    });

    // Assess
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe(WORKFLOW_ERRORS.timedOut);
    const reason = WorkflowReason.parse(JSON.parse(r.cause as string));
    expect(reason).toMatchObject({ stage: 'StageTimedOut', kind: 'timed-out' });
    expect(reason.cause).toContain('AccountSetup');
    expect(closeCalls(r.calls)).toEqual([expect.objectContaining({ outcome: 'timed-out' })]);
  });

  it('a failing system task escalates; re-opening re-runs exactly that task', async () => {
    // Prepare
    let failures = 0;

    // Act
    const r = await run({
      override: (_call, name) =>
        name === 'notify-completion' && failures++ === 0 ? fail('SES.Throttling', 'slow down') : undefined,
    });

    // Assess
    expect(r.status).toBe('SUCCEEDED');
    const i = r.path.indexOf('StageTimedOut');
    expect(i).toBeGreaterThan(0);
    expect(r.path.slice(i - 1)).toEqual([
      'NotifyCompletion',
      'StageTimedOut',
      'TimedOutDecision',
      'NotifyCompletion',
      'Completed',
    ]);
  });

  it('activation before the subscription is confirmed is retried until it is', async () => {
    // Prepare
    let attempts = 0;

    // Act
    const r = await run({
      override: (_c, name) =>
        name === 'activate-paid-plan' && attempts++ < 3
          ? fail(WORKFLOW_ERRORS.subscriptionNotConfirmed, 'no agreement yet')
          : undefined,
    });

    // Assess
    expect(r.status).toBe('SUCCEEDED');
    expect(attempts).toBe(4);
    expect(r.path).not.toContain('StageTimedOut');
    // Each retry is a billed transition: three more than the states entered.
    expect(r.transitions).toBe(r.path.length + 3);
  });

  it('activation never confirmed: retried to the limit, then support is told (and closes it)', async () => {
    // Prepare
    const callbacks = {
      ...happyCallbacks('new'),
      StageTimedOut: { action: 'close', actor: supportActor, reason: 'no sub' },
    };

    // Act
    const r = await run({
      callbacks,
      override: (_c, name) =>
        name === 'activate-paid-plan' ? fail(WORKFLOW_ERRORS.subscriptionNotConfirmed, 'no') : undefined,
    });

    // Assess
    expect(r.status).toBe('FAILED');
    expect(r.calls.filter((c) => c.state === 'ActivatePaidPlan')).toHaveLength(9);
    expect(r.path).toContain('StageTimedOut');
    expect(r.error).toBe(WORKFLOW_ERRORS.closed);
  });

  it('the closing call failing still ends with the reason in the Fail state', async () => {
    // Act
    const r = await run({
      override: (call, name) => {
        if (call.state === 'Consultation') return fail(WORKFLOW_ERRORS.closed, '{"reason":"x"}');
        if (name === 'close-onboarding')
          return fail('ResourceNotFoundException', 'Requested resource not found: table down');
        return undefined;
      },
    });

    // Assess
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe(WORKFLOW_ERRORS.closed);
    expect(JSON.parse(r.cause as string)).toMatchObject({ stage: 'Consultation', cause: '{"reason":"x"}' });
    expect(closeCalls(r.calls).map((c) => c.outcome)).toEqual(['closed']);
  });
});

const salesActor = { kind: 'staff', id: 'u-sales', role: 'sales' };
const supportActor = { kind: 'staff', id: 'u-support', role: 'support' };
