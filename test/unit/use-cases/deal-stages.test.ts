/**
 * The deal's stages that wait (issue 11, "episodes as workflows"): an Ending notice starts the agreement's `renewal`
 * execution once; the Renewal task (sales) leaves the onboarding where it ended; a RENEW agreement completes it for the
 * marketplace; sales records a decision from the console's use case; a grace period starts its `grace` execution,
 * whose EndPlanIfDue ends the plan once; RecordOutcome records a step's end once.
 */
import { describe, expect, it } from 'vitest';
import { requestAgreementCancellation } from '../../../tasks/use-cases/agreement-cancellation.js';
import { dealOf } from '../../../tasks/use-cases/agreement-lifecycle.js';
import { completeHumanStage } from '../../../tasks/use-cases/complete-human-stage.js';
import { runAgreementEpisode } from '../../../tasks/use-cases/deal-episodes.js';
import { handleMarketplaceEvent } from '../../../tasks/use-cases/marketplace-signals.js';
import { openHumanTask } from '../../../tasks/use-cases/open-human-task.js';
import { fixture } from '../fixtures.js';
import { agreementEvents, completedWithPaidPlan, FIXTURE_AGREEMENT } from './helpers.js';

const AGREEMENT = FIXTURE_AGREEMENT;
const RENEWAL = 'agmt-renewal0000000000000002';
const END = '2026-06-30T00:00:00.000Z';

const event = agreementEvents('deal');
const ending = (days: number) =>
  event('Purchase Agreement Ending - Proposer', { id: AGREEMENT, endTime: END, daysBeforeEndTime: days });

async function withAgreement() {
  const done = await completedWithPaidPlan();
  await handleMarketplaceEvent(done.ports, fixture('eventbridge-agreement-created.json'));
  return done;
}

/** What the lifecycle workflow's deal step does: open-human-task with a token the state machine waits on. */
async function openStep(
  ports: Awaited<ReturnType<typeof withAgreement>>['ports'],
  id: string,
  stage: 'Renewal' | 'AdvisoryReview',
  token: string,
) {
  ports.callbacks.waiting(token);
  await openHumanTask(ports, {
    onboardingId: id,
    stage,
    taskToken: token,
    dueAt: END,
    context: { agreementId: AGREEMENT, ...(stage === 'Renewal' ? { endTime: END } : {}) },
  });
  return token;
}
const openRenewal = (ports: Awaited<ReturnType<typeof withAgreement>>['ports'], id: string) =>
  openStep(ports, id, 'Renewal', 'token-renewal-1');

describe('Renewal (the deal after the sale)', () => {
  it('the first Ending notice starts the renewal episode once; later notices start nothing', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    // Act
    await handleMarketplaceEvent(ports, ending(90));
    await handleMarketplaceEvent(ports, ending(60));
    // Assess
    expect([...ports.episodes.started.entries()]).toEqual([
      [
        `renewal-${AGREEMENT}`,
        {
          episode: 'renewal',
          onboardingId: id,
          agreementId: AGREEMENT,
          endTime: END,
          context: { agreementId: AGREEMENT, endTime: END, daysBeforeEnd: 90 },
        },
      ],
    ]);
  });

  it('the Renewal task leaves the onboarding Completed, mails sales, and a RENEW agreement completes it for the marketplace', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    const token = await openRenewal(ports, id);
    const stageWhileOpen = (await ports.onboardings.get(id))?.stage;
    // Act
    await handleMarketplaceEvent(
      ports,
      event('Purchase Agreement Created - Proposer', {
        id: RENEWAL,
        intent: 'RENEW',
        status: 'ACTIVE',
        previousAgreementId: AGREEMENT,
      }),
    );
    // Assess
    expect(stageWhileOpen).toBe('Completed');
    const mails = ports.mailer.tagged('staff-task:Renewal');
    expect(mails).toHaveLength(1);
    // the link goes where the step is done: the deal view
    expect(mails[0]?.text).toContain(`/console/deal/${id}`);
    expect(ports.callbacks.successes()).toEqual([
      expect.objectContaining({
        token,
        output: {
          action: 'renewed',
          agreementId: RENEWAL,
          actor: { kind: 'system', id: 'marketplace-eventbridge' },
        },
      }),
    ]);
    expect((await ports.tasks.get(id, 'Renewal'))?.status).toBe('completed');
  });

  it("a renewal of another agreement does not complete this agreement's Renewal task", async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    await openRenewal(ports, id);
    // Act
    await handleMarketplaceEvent(
      ports,
      event('Purchase Agreement Created - Proposer', {
        id: RENEWAL,
        intent: 'RENEW',
        status: 'ACTIVE',
        previousAgreementId: 'agmt-someotheragreement000001',
      }),
    );
    // Assess
    expect(ports.callbacks.successes()).toEqual([]);
    expect((await ports.tasks.get(id, 'Renewal'))?.status).toBe('open');
  });

  it('sales records a decision; support may not; the step is recorded on the agreement once', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    const token = await openRenewal(ports, id);
    // Act
    const bySupport = await completeHumanStage(ports, {
      onboardingId: id,
      stage: 'Renewal',
      payload: { action: 'not-renewing' },
      actor: { kind: 'staff', id: 'u-support', role: 'support' },
    });
    const bySales = await completeHumanStage(ports, {
      onboardingId: id,
      stage: 'Renewal',
      payload: { action: 'offer-sent', note: 'offer-renew0001 sent' },
      actor: { kind: 'staff', id: 'u-sales', role: 'sales' },
    });
    const decision = ports.callbacks.successes()[0]?.output as Record<string, unknown>;
    const outcome = {
      action: 'record-outcome' as const,
      onboardingId: id,
      agreementId: AGREEMENT,
      stage: 'Renewal' as const,
      decision,
      reason: null,
    };
    await runAgreementEpisode(ports, outcome);
    await runAgreementEpisode(ports, outcome);
    // Assess
    expect(bySupport).toEqual({ ok: false, error: 'forbidden', role: 'support' });
    expect(bySales).toMatchObject({ ok: true, outcome: 'completed', stage: 'Renewal' });
    expect(ports.callbacks.successes().map((c) => c.token)).toEqual([token]);
    const [agreement] = await dealOf(ports, id);
    const steps = agreement?.episodes.filter((e) => e.kind === 'step-ended') ?? [];
    expect(steps.map((e) => e.summary)).toEqual([
      'Renewal: a renewal offer was sent by u-sales: offer-renew0001 sent',
    ]);
  });

  it('a Renewal nobody acted on is recorded as such, also after an earlier round drafted an offer', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    // Act
    await runAgreementEpisode(ports, {
      action: 'record-outcome',
      onboardingId: id,
      agreementId: AGREEMENT,
      stage: 'Renewal',
      decision: { action: 'draft-offer', actor: { kind: 'staff', id: 'u-sales', role: 'sales' } },
      reason: {
        stage: 'Renewal',
        kind: 'timed-out',
        error: 'States.Timeout',
        cause: 'Renewal was not completed before its timeout',
        at: END,
      },
    });
    // Assess
    const [agreement] = await dealOf(ports, id);
    expect(agreement?.episodes.at(-1)).toMatchObject({
      kind: 'step-ended',
      summary: 'Renewal: nobody acted before it was due',
    });
  });
});

describe('grace period as an episode', () => {
  it('an end with a grace period starts the grace episode; EndPlanIfDue ends the plan once when due', async () => {
    // Prepare
    const { ports, id, accountId } = await withAgreement();
    ports.config.planEndGraceHours = 48;
    const endedNow = {
      ...event('Purchase Agreement Ended - Proposer', { id: AGREEMENT, status: 'CANCELLED' }),
      time: ports.clock.now().toISOString(),
    };
    const run = { action: 'end-plan-if-due' as const, onboardingId: id, agreementId: AGREEMENT };
    // Act
    await handleMarketplaceEvent(ports, endedNow);
    await handleMarketplaceEvent(ports, endedNow);
    const early = await runAgreementEpisode(ports, run);
    const planDuring = (await ports.accounts.getAccount(accountId))?.plan;
    await ports.clock.sleep(48 * 3600_000);
    const due = await runAgreementEpisode(ports, run);
    const again = await runAgreementEpisode(ports, run);
    // Assess
    const started = [...ports.episodes.started.values()];
    expect(started).toEqual([
      {
        episode: 'grace',
        onboardingId: id,
        agreementId: AGREEMENT,
        planEndsAt: new Date(Date.parse(endedNow.time) + 48 * 3600_000).toISOString(),
      },
    ]);
    expect([early.outcome, planDuring, due.outcome, again.outcome]).toEqual([
      'not-due',
      'paid',
      'ended',
      'not-due',
    ]);
    expect((await ports.accounts.getAccount(accountId))?.plan).toBe('free');
  });
});

describe('AdvisoryReview (the deal after the sale)', () => {
  it('support marks an advisory reviewed; sales may not; the onboarding stays Completed', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    await openStep(ports, id, 'AdvisoryReview', 'token-advisory-1');
    // Act
    const bySales = await completeHumanStage(ports, {
      onboardingId: id,
      stage: 'AdvisoryReview',
      payload: { action: 'reviewed' },
      actor: { kind: 'staff', id: 'u-sales', role: 'sales' },
    });
    const bySupport = await completeHumanStage(ports, {
      onboardingId: id,
      stage: 'AdvisoryReview',
      payload: { action: 'reviewed', note: 'the buyer fixed its payment method' },
      actor: { kind: 'staff', id: 'u-support', role: 'support' },
    });
    // Assess
    expect(bySales).toEqual({ ok: false, error: 'forbidden', role: 'sales' });
    expect(bySupport).toMatchObject({ ok: true, outcome: 'completed', stage: 'AdvisoryReview' });
    expect(ports.callbacks.successes().map((c) => c.output)).toEqual([
      {
        action: 'reviewed',
        note: 'the buyer fixed its payment method',
        actor: { kind: 'staff', id: 'u-support', role: 'support' },
      },
    ]);
    expect((await ports.onboardings.get(id))?.stage).toBe('Completed');
  });
});

describe('advisories from AWS Marketplace', () => {
  const advisory = (what: 'Issued' | 'Resolved', agreementId = AGREEMENT) =>
    event(
      `Purchase Agreement Advisory ${what} - Manufacturer`,
      { id: agreementId, status: 'ACTIVE' },
      { advisory: { id: 'adv-0001', type: 'PAYMENT', description: 'The payment method was declined' } },
    );

  it('Issued starts the advisory episode once, recorded on the agreement; nothing is revoked', async () => {
    // Prepare
    const { ports, id, accountId } = await withAgreement();
    const issued = advisory('Issued');
    // Act
    await handleMarketplaceEvent(ports, issued);
    await handleMarketplaceEvent(ports, issued);
    // Assess
    expect([...ports.episodes.started.values()]).toEqual([
      {
        episode: 'advisory',
        onboardingId: id,
        agreementId: AGREEMENT,
        advisoryId: 'adv-0001',
        context: {
          agreementId: AGREEMENT,
          advisoryId: 'adv-0001',
          type: 'PAYMENT',
          description: 'The payment method was declined',
        },
      },
    ]);
    expect((await ports.accounts.getAccount(accountId))?.plan).toBe('paid');
    const [agreement] = await dealOf(ports, id);
    expect(agreement?.episodes.filter((e) => e.kind === 'advisory-issued').map((e) => e.summary)).toEqual([
      'AWS Marketplace issued an advisory: The payment method was declined',
    ]);
  });

  it('a second advisory on the same agreement is its own episode (named by the advisory)', async () => {
    // Prepare
    const { ports } = await withAgreement();
    const second = event(
      'Purchase Agreement Advisory Issued - Manufacturer',
      { id: AGREEMENT, status: 'ACTIVE' },
      { advisory: { id: 'adv-0002', type: 'COMPLIANCE' } },
    );
    // Act
    await handleMarketplaceEvent(ports, advisory('Issued'));
    await handleMarketplaceEvent(ports, second);
    // Assess
    expect([...ports.episodes.started.keys()]).toEqual([
      `advisory-${AGREEMENT}-adv-0001`,
      `advisory-${AGREEMENT}-adv-0002`,
    ]);
  });

  it('Resolved completes the open AdvisoryReview of that agreement for the marketplace', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    const token = await openStep(ports, id, 'AdvisoryReview', 'token-advisory-2');
    // Act
    await handleMarketplaceEvent(ports, advisory('Resolved'));
    // Assess
    expect(ports.callbacks.successes()).toEqual([
      expect.objectContaining({
        token,
        output: { action: 'resolved', actor: { kind: 'system', id: 'marketplace-eventbridge' } },
      }),
    ]);
    expect((await ports.tasks.get(id, 'AdvisoryReview'))?.status).toBe('completed');
  });
});

describe('the grace Wait is the timer', () => {
  it('EndPlanIfDue with the instant the Wait waited for ends the plan even when the function clock is behind', async () => {
    // Prepare
    const { ports, id, accountId } = await withAgreement();
    ports.config.planEndGraceHours = 48;
    await handleMarketplaceEvent(ports, {
      ...event('Purchase Agreement Ended - Proposer', { id: AGREEMENT, status: 'CANCELLED' }),
      time: ports.clock.now().toISOString(),
    });
    const [grace] = [...ports.episodes.started.values()];
    const waitedUntil = grace?.episode === 'grace' ? grace.planEndsAt : undefined;
    // Act: the function's clock still reads now, the Wait fired at planEndsAt
    const ran = await runAgreementEpisode(ports, {
      action: 'end-plan-if-due',
      onboardingId: id,
      agreementId: AGREEMENT,
      ...(waitedUntil ? { waitedUntil } : {}),
    });
    // Assess
    expect(waitedUntil).toBeDefined();
    expect(ran.outcome).toBe('ended');
    expect((await ports.accounts.getAccount(accountId))?.plan).toBe('free');
  });
});

describe("CancellationAnswer: the buyer's answer to a seller's cancellation request", () => {
  const staffSales = { kind: 'staff' as const, id: 'u-sales', role: 'sales' as const, name: 'Sato' };
  const ask = (ports: Awaited<ReturnType<typeof withAgreement>>['ports'], id: string) =>
    requestAgreementCancellation(ports, {
      onboardingId: id,
      agreementId: AGREEMENT,
      reasonCode: 'TEST_AGREEMENT',
      clientToken: 'form-token-deal-1',
      actor: staffSales,
    });
  const answerEvent = (status: 'Approved' | 'Rejected', requestId: string) =>
    event(
      `Agreement Cancellation Request ${status} - Proposer`,
      { id: AGREEMENT },
      {
        agreementCancellationRequest: {
          id: requestId,
          reasonCode: 'TEST_AGREEMENT',
          statusCode: status.toUpperCase(),
        },
      },
    );

  it('sending the request starts its episode once (named by the request); the same form again starts nothing new', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    // Act
    const sent = await ask(ports, id);
    await ask(ports, id);
    // Assess
    const requestId = sent.ok ? sent.cancellation.requestId : '';
    expect([...ports.episodes.started.entries()]).toEqual([
      [
        `cancellation-${AGREEMENT}-${requestId}`,
        {
          episode: 'cancellation',
          onboardingId: id,
          agreementId: AGREEMENT,
          requestId,
          context: { reasonCode: 'TEST_AGREEMENT', requestedBy: 'Sato' },
        },
      ],
    ]);
  });

  it("the buyer's Rejected completes that request's step for the marketplace; another request's answer does not", async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    const sent = await ask(ports, id);
    const requestId = sent.ok ? sent.cancellation.requestId : '';
    ports.callbacks.waiting('token-cancel-1');
    await openHumanTask(ports, {
      onboardingId: id,
      stage: 'CancellationAnswer',
      taskToken: 'token-cancel-1',
      dueAt: END,
      context: { agreementId: AGREEMENT, requestId },
    });
    // Act
    await handleMarketplaceEvent(ports, answerEvent('Rejected', 'acr-someotherrequest'));
    const afterOther = ports.callbacks.successes().length;
    await handleMarketplaceEvent(ports, answerEvent('Rejected', requestId));
    // Assess
    expect(afterOther).toBe(0);
    expect(ports.callbacks.successes().map((c) => c.output)).toEqual([
      {
        action: 'answered',
        actor: { kind: 'system', id: 'marketplace-eventbridge' },
        requestId,
        status: 'REJECTED',
      },
    ]);
  });

  it("no answer in time: RefreshCancellation reads this request from AWS, applies the approval (the plan ends) and it is recorded as the buyer's answer", async () => {
    // Prepare
    const { ports, id, accountId } = await withAgreement();
    const sent = await ask(ports, id);
    const requestId = sent.ok ? sent.cancellation.requestId : '';
    ports.cancellations.answer(requestId, 'APPROVED');
    const refresh = (request: string) =>
      runAgreementEpisode(ports, {
        action: 'refresh-cancellation',
        onboardingId: id,
        agreementId: AGREEMENT,
        requestId: request,
      });
    // Act
    const another = await refresh('acr-anotherrequest0001');
    const refreshed = await refresh(requestId);
    // the workflow assigns the answer as the step's decision and clears the timeout's reason
    await runAgreementEpisode(ports, {
      action: 'record-outcome',
      onboardingId: id,
      agreementId: AGREEMENT,
      stage: 'CancellationAnswer',
      decision: refreshed.answer ?? null,
      reason: null,
      execution: `cancellation-${AGREEMENT}-${requestId}`,
    });
    // Assess
    expect(another).toEqual({ outcome: 'unchanged' });
    expect(refreshed).toEqual({
      outcome: 'changed',
      answer: {
        action: 'answered',
        actor: { kind: 'system', id: 'marketplace-agreement-api' },
        requestId,
        status: 'APPROVED',
      },
    });
    expect((await ports.accounts.getAccount(accountId))?.plan).toBe('free');
    const [agreement] = await dealOf(ports, id);
    expect(agreement?.episodes.filter((e) => e.kind === 'step-ended').map((e) => e.summary)).toEqual([
      "The buyer's answer to a cancellation request: approved (the agreement is cancelled)",
    ]);
  });
});

describe('two deal steps at once', () => {
  it('an advisory reviewed while Renewal waits hands the work list back to Renewal', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    await openStep(ports, id, 'Renewal', 'token-both-renewal');
    await openStep(ports, id, 'AdvisoryReview', 'token-both-advisory');
    const whileBoth = (await ports.onboardings.get(id))?.dealSteps?.map((w) => w.stage).sort();
    await completeHumanStage(ports, {
      onboardingId: id,
      stage: 'AdvisoryReview',
      payload: { action: 'reviewed' },
      actor: { kind: 'staff', id: 'u-support', role: 'support' },
    });
    // Act
    await runAgreementEpisode(ports, {
      action: 'record-outcome',
      onboardingId: id,
      agreementId: AGREEMENT,
      stage: 'AdvisoryReview',
      decision: { action: 'reviewed', actor: { kind: 'staff', id: 'u-support', role: 'support' } },
      reason: null,
      execution: `advisory-${AGREEMENT}-adv-1`,
    });
    // Assess
    // both wait at once (each its own work-list row); the advisory's end leaves the Renewal
    expect(whileBoth).toEqual(['AdvisoryReview', 'Renewal']);
    const after = await ports.onboardings.get(id);
    expect(after?.waiting).toMatchObject({ stage: 'Renewal', assignee: 'sales', dueAt: END });
    expect(after?.dealSteps?.map((w) => w.stage)).toEqual(['Renewal']);
  });
});
