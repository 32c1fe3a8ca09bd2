/**
 * A marketplace answer that comes before its deal step opens is kept (a deal-answer fact) and completes the step the
 * moment open-human-task stores it, as onboarding stages do with their early facts: AWS's Resolved before the
 * advisory's AdvisoryReview, the buyer's Approved before the request's CancellationAnswer.
 */
import { describe, expect, it } from 'vitest';
import { requestAgreementCancellation } from '../../../tasks/use-cases/agreement-cancellation.js';
import { handleMarketplaceEvent } from '../../../tasks/use-cases/marketplace-signals.js';
import { openHumanTask } from '../../../tasks/use-cases/open-human-task.js';
import { fixture } from '../fixtures.js';
import { agreementEvents, completedWithPaidPlan, FIXTURE_AGREEMENT } from './helpers.js';

const AGREEMENT = FIXTURE_AGREEMENT;
const DUE = '2026-06-30T00:00:00.000Z';

const anEvent = agreementEvents('early-deal');
const event = (detailType: string, extra: Record<string, unknown>) =>
  anEvent(detailType, { id: AGREEMENT, status: 'ACTIVE' }, extra);
const advisory = (what: 'Issued' | 'Resolved', advisoryId: string) =>
  event(`Purchase Agreement Advisory ${what} - Manufacturer`, {
    advisory: { id: advisoryId, type: 'PAYMENT' },
  });

async function withAgreement() {
  const done = await completedWithPaidPlan();
  await handleMarketplaceEvent(done.ports, fixture('eventbridge-agreement-created.json'));
  return done;
}

describe('early answers to deal steps', () => {
  it("AWS's Resolved before AdvisoryReview opens completes the review at once, without mailing support", async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    await handleMarketplaceEvent(ports, advisory('Issued', 'adv-early-1'));
    await handleMarketplaceEvent(ports, advisory('Resolved', 'adv-early-1'));
    const beforeOpen = ports.callbacks.successes().length;
    ports.callbacks.waiting('token-early-advisory');
    // Act
    const opened = await openHumanTask(ports, {
      onboardingId: id,
      stage: 'AdvisoryReview',
      taskToken: 'token-early-advisory',
      dueAt: DUE,
      context: { agreementId: AGREEMENT, advisoryId: 'adv-early-1' },
      instance: `advisory-${AGREEMENT}-adv-early-1`,
    });
    // Assess
    expect(beforeOpen).toBe(0);
    expect(opened.completedAtOnce).toBe(true);
    expect(ports.callbacks.successes()).toEqual([
      expect.objectContaining({
        token: 'token-early-advisory',
        output: { action: 'resolved', actor: { kind: 'system', id: 'marketplace-eventbridge' } },
      }),
    ]);
    expect(ports.mailer.tagged('staff-task:AdvisoryReview')).toHaveLength(0);
  });

  it("another advisory's early Resolved does not complete this one", async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    await handleMarketplaceEvent(ports, advisory('Resolved', 'adv-other-9'));
    ports.callbacks.waiting('token-advisory-own');
    // Act
    const opened = await openHumanTask(ports, {
      onboardingId: id,
      stage: 'AdvisoryReview',
      taskToken: 'token-advisory-own',
      dueAt: DUE,
      context: { agreementId: AGREEMENT, advisoryId: 'adv-own-1' },
      instance: `advisory-${AGREEMENT}-adv-own-1`,
    });
    // Assess
    expect(opened.completedAtOnce).toBe(false);
    expect(ports.callbacks.successes()).toEqual([]);
  });

  it("the buyer's Approved before CancellationAnswer opens is that request's answer at once", async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    const sent = await requestAgreementCancellation(ports, {
      onboardingId: id,
      agreementId: AGREEMENT,
      reasonCode: 'TEST_AGREEMENT',
      clientToken: 'form-token-early-1',
      actor: { kind: 'staff', id: 'u-sales', role: 'sales', name: 'Sato' },
    });
    const requestId = sent.ok ? sent.cancellation.requestId : '';
    await handleMarketplaceEvent(
      ports,
      event('Agreement Cancellation Request Approved - Proposer', {
        agreementCancellationRequest: { id: requestId, reasonCode: 'TEST_AGREEMENT', statusCode: 'APPROVED' },
      }),
    );
    ports.callbacks.waiting('token-early-cancel');
    // Act
    const opened = await openHumanTask(ports, {
      onboardingId: id,
      stage: 'CancellationAnswer',
      taskToken: 'token-early-cancel',
      dueAt: DUE,
      context: { agreementId: AGREEMENT, requestId },
      instance: `cancellation-${AGREEMENT}-${requestId}`,
    });
    // Assess
    expect(requestId).not.toBe('');
    expect(opened.completedAtOnce).toBe(true);
    expect(ports.callbacks.successes().map((c) => c.output)).toEqual([
      {
        action: 'answered',
        actor: { kind: 'system', id: 'marketplace-eventbridge' },
        requestId,
        status: 'APPROVED',
      },
    ]);
  });
});
