/**
 * Runs the rendered definition (every JSONata expression evaluated) with contract-checking fake handlers: the happy
 * path of both branches and every side path, and what each end records.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type TaskCall, TIMEOUT, WalkTaskError, walk } from '../../bench/foundation/asl-walk.js';
import {
  type FakeOptions,
  fakeHandlers,
  happyCallbacks,
  ONBOARDING_ID,
  START,
} from '../../bench/foundation/fakes.js';
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

async function run(options: Partial<FakeOptions> & { registration?: 'new' | 'existing' } = {}) {
  const fakes = fakeHandlers({ callbacks: happyCallbacks(options.registration ?? 'new'), ...options });
  const result = await walk(asl, START, fakes.handler);
  expect(fakes.violations).toEqual([]);
  return result;
}
const closeCalls = (calls: readonly TaskCall[]) =>
  calls
    .filter((c) => c.functionName.endsWith('close-onboarding'))
    .map((c) => CloseOnboardingInput.parse(c.payload));
const humanCalls = (calls: readonly TaskCall[], stage: string) =>
  calls.filter((c) => c.waitForTaskToken && (c.payload as { stage: string }).stage === stage);

describe('happy paths', () => {
  it.each(['new', 'existing'] as const)(
    '%s account: SUCCEEDED in at most 30 transitions',
    async (registration) => {
      const r = await run({ registration });
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
    const r = await run({ registration: 'existing' });
    const human = r.calls.filter((c) => c.waitForTaskToken);
    expect(human.map((c) => (c.payload as { stage: string }).stage)).toEqual([
      'Consultation',
      'AwaitAcceptance',
      'AccountSetup',
      'Registration',
      'AccountSelection',
    ]);
    for (const call of human) {
      const p = OpenHumanTask.parse(call.payload);
      expect(p.taskToken).toBe(call.taskToken);
      const dueIn = (Date.parse(p.dueAt) - Date.now()) / 1000;
      expect(Math.abs(dueIn - (call.timeoutSeconds as number))).toBeLessThan(30);
    }
    const accept = OpenHumanTask.parse(humanCalls(r.calls, 'AwaitAcceptance')[0]?.payload);
    expect(accept.context).toMatchObject({ offerId: 'offer-abcdefghij12' });
    // Timeout = offer expiry (30 days) + 1 hour grace.
    expect(humanCalls(r.calls, 'AwaitAcceptance')[0]?.timeoutSeconds).toBeGreaterThan(30 * 86400 + 3500);
    expect(humanCalls(r.calls, 'AccountSelection')[0]?.payload).toMatchObject({
      context: { userId: 'user-42' },
    });
  });

  it('a manual offer goes straight from Consultation to SendOfferNotice with its id', async () => {
    const fakes = fakeHandlers({ callbacks: happyCallbacks('new', 'manual') });
    const r = await walk(asl, START, fakes.handler);
    expect(fakes.violations).toEqual([]);
    expect(r.status).toBe('SUCCEEDED');
    expect(r.path.slice(0, 4)).toEqual(['Inquiry', 'Consultation', 'HowToCreateOffer', 'SendOfferNotice']);
    const notice = r.calls.find((c) => c.state === 'SendOfferNotice');
    expect(notice?.payload).toMatchObject({ offerId: 'offer-manualmade0001', source: 'manual' });
  });

  it('polls a slow change set with growing waits', async () => {
    const r = await run({ pendingChecks: 4 });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.waits.map((w) => w.seconds)).toEqual([60, 120, 240, 480, 900]);
  });
});

describe('side paths', () => {
  it('a failed change set → OfferFailed (with the failure) → sales enters a manual offer → completes', async () => {
    const r = await run({
      override: (_call, name) =>
        name === 'check-offer'
          ? {
              status: 'FAILED',
              failure: { code: 'VALIDATION', details: [{ code: 'X', message: 'bad price' }] },
            }
          : undefined,
    });
    expect(r.status).toBe('SUCCEEDED');
    const failed = OpenHumanTask.parse(humanCalls(r.calls, 'OfferFailed')[0]?.payload);
    const reason = WorkflowReason.parse(failed.context);
    expect(reason).toMatchObject({
      stage: 'CreateOffer',
      kind: 'failed',
      error: WORKFLOW_ERRORS.offerFailed,
    });
    expect(reason.cause).toContain('bad price');
    expect(r.calls.find((c) => c.state === 'SendOfferNotice')?.payload).toMatchObject({
      offerId: 'offer-manualmade0002',
      source: 'manual',
    });
  });

  it('polling is bounded: a change set that never ends goes to OfferFailed', async () => {
    const callbacks = {
      ...happyCallbacks('new'),
      OfferFailed: { action: 'close', actor: salesActor, reason: 'gave up' },
    };
    const fakes = fakeHandlers({ callbacks, pendingChecks: 1000 });
    const r = await walk(asl, START, fakes.handler);
    expect(fakes.violations).toEqual([]);
    expect(r.path.filter((s) => s === 'CheckOffer')).toHaveLength(12);
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe(WORKFLOW_ERRORS.closed);
  });

  it('an expired offer → OfferExpired → extend → polled → re-sent → completes', async () => {
    let first = true;
    const r = await run({
      override: (call) => {
        if (
          call.waitForTaskToken &&
          (call.payload as { stage: string }).stage === 'AwaitAcceptance' &&
          first
        ) {
          first = false;
          return TIMEOUT;
        }
        return undefined;
      },
    });
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
    const extend = r.calls.find((c) => c.state === 'ExtendOffer');
    expect(extend?.payload).toMatchObject({ offerId: 'offer-abcdefghij12', attempt: 1 });
  });

  it('closed by support at Consultation → close-onboarding → Fail Closed, cause names who and why', async () => {
    const request = { actor: { kind: 'staff', id: 'u-support', role: 'support' }, reason: 'buyer withdrew' };
    const r = await run({
      override: (call) =>
        call.state === 'Consultation'
          ? (() => {
              throw new WalkTaskError(WORKFLOW_ERRORS.closed, JSON.stringify(request));
            })()
          : undefined,
    });
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
    const r = await run({
      override: (call) => {
        if (call.state === 'AccountSetup')
          throw new WalkTaskError(WORKFLOW_ERRORS.subscriptionFailed, 'subscribe-fail');
        return undefined;
      },
    });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe(WORKFLOW_ERRORS.subscriptionFailed);
    expect(JSON.parse(r.cause as string)).toMatchObject({ stage: 'AccountSetup', cause: 'subscribe-fail' });
    expect(closeCalls(r.calls)[0]).toMatchObject({ outcome: 'subscription-failed', stage: 'AccountSetup' });
    expect(r.path).not.toContain('ActivatePaidPlan');
  });

  it('a human stage that times out → StageTimedOut (support told why) → re-open → completes', async () => {
    let timedOut = false;
    const r = await run({
      override: (call) => {
        if (call.state === 'Registration' && !timedOut) {
          timedOut = true;
          return TIMEOUT;
        }
        return undefined;
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    const escalation = OpenHumanTask.parse(humanCalls(r.calls, 'StageTimedOut')[0]?.payload);
    expect(WorkflowReason.parse(escalation.context)).toMatchObject({
      stage: 'Registration',
      kind: 'timed-out',
      error: 'States.Timeout',
      resumeAt: 'Registration',
    });
    expect(r.path.filter((s) => s === 'Registration')).toHaveLength(2);
  });

  it('support not acting on an escalation in time ends in TimedOut, naming the stalled stage', async () => {
    const r = await run({
      override: (call) =>
        call.state === 'AccountSetup' || call.state === 'StageTimedOut' ? TIMEOUT : undefined,
    });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe(WORKFLOW_ERRORS.timedOut);
    const reason = WorkflowReason.parse(JSON.parse(r.cause as string));
    expect(reason).toMatchObject({ stage: 'StageTimedOut', kind: 'timed-out' });
    expect(reason.cause).toContain('AccountSetup');
    expect(closeCalls(r.calls)[0]).toMatchObject({ outcome: 'timed-out' });
  });

  it('a failing system task escalates; re-opening re-runs exactly that task', async () => {
    let failures = 0;
    const r = await run({
      override: (_call, name) => {
        if (name === 'notify-completion' && failures++ === 0)
          throw new WalkTaskError('SES.Throttling', 'slow down');
        return undefined;
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    const i = r.path.indexOf('StageTimedOut');
    expect(r.path.slice(i - 1)).toEqual([
      'NotifyCompletion',
      'StageTimedOut',
      'TimedOutDecision',
      'NotifyCompletion',
      'Completed',
    ]);
  });

  it('activation before the subscription is confirmed is retried, then support is told', async () => {
    let attempts = 0;
    const retried = await run({
      override: (_c, name) => {
        if (name === 'activate-paid-plan' && attempts++ < 3) {
          throw new WalkTaskError(WORKFLOW_ERRORS.subscriptionNotConfirmed, 'no agreement yet');
        }
        return undefined;
      },
    });
    expect(retried.status).toBe('SUCCEEDED');
    expect(attempts).toBe(4);
    expect(retried.path).not.toContain('StageTimedOut');

    const never = await run({
      callbacks: {
        ...happyCallbacks('new'),
        StageTimedOut: { action: 'close', actor: supportActor, reason: 'no sub' },
      },
      override: (_c, name) => {
        if (name === 'activate-paid-plan')
          throw new WalkTaskError(WORKFLOW_ERRORS.subscriptionNotConfirmed, 'no');
        return undefined;
      },
    });
    expect(never.status).toBe('FAILED');
    expect(never.calls.filter((c) => c.state === 'ActivatePaidPlan')).toHaveLength(9);
    expect(never.error).toBe(WORKFLOW_ERRORS.closed);
  });

  it('the closing call failing still ends with the reason in the Fail state', async () => {
    const r = await run({
      override: (call, name) => {
        if (call.state === 'Consultation') throw new WalkTaskError(WORKFLOW_ERRORS.closed, '{"reason":"x"}');
        if (name === 'close-onboarding') throw new WalkTaskError('Lambda.Unknown', 'table down');
        return undefined;
      },
    });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe(WORKFLOW_ERRORS.closed);
    expect(JSON.parse(r.cause as string)).toMatchObject({ stage: 'Consultation', cause: '{"reason":"x"}' });
  });
});

const salesActor = { kind: 'staff', id: 'u-sales', role: 'sales' };
const supportActor = { kind: 'staff', id: 'u-support', role: 'support' };
