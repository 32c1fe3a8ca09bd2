/**
 * A seller's cancellation request (issue 11 item 2): sales sends it from the console (once per form, whoever double
 * clicks), may withdraw it while pending; the buyer's answer arrives as an EventBridge event and is applied: approved
 * ends the paid plan (once, with AWS's Ended after it), rejected / withdrawn / failed keep it and tell sales.
 */
import { describe, expect, it } from 'vitest';
import { entryText } from '../../../tasks/domain/timeline.js';
import {
  refreshAgreementCancellation,
  requestAgreementCancellation,
  withdrawAgreementCancellation,
} from '../../../tasks/use-cases/agreement-cancellation.js';
import { dealOf } from '../../../tasks/use-cases/agreement-lifecycle.js';
import { handleMarketplaceEvent } from '../../../tasks/use-cases/marketplace-signals.js';
import { fixture } from '../fixtures.js';
import { completedWithPaidPlan, FIXTURE_AGREEMENT, sales, support } from './helpers.js';

const AGREEMENT = FIXTURE_AGREEMENT;

async function withAgreement() {
  const done = await completedWithPaidPlan();
  await handleMarketplaceEvent(done.ports, fixture('eventbridge-agreement-created.json'));
  return done;
}

let seq = 0;
/** An `Agreement Cancellation Request <status> - Proposer` event in the shape AWS documents. */
function cancellationEvent(status: string, requestId: string, statusMessage = '') {
  seq += 1;
  const name: Record<string, string> = {
    PENDING_APPROVAL: 'Pending Approval',
    APPROVED: 'Approved',
    REJECTED: 'Rejected',
    CANCELLED: 'Cancelled',
    VALIDATION_FAILED: 'Validation Failed',
  };
  return {
    version: '0',
    id: `evt-acr-${seq}`,
    'detail-type': `Agreement Cancellation Request ${name[status]} - Proposer`,
    source: 'aws.agreement-marketplace',
    account: '123456789012',
    time: '2025-03-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      requestId: '3d4c9f9b-b809-4f5e-9fac-a9ae98b05cbb',
      catalog: 'AWSMarketplace',
      agreement: { id: AGREEMENT, proposerId: '123456789012', productId: 'prod-x', offerId: 'offer-x' },
      agreementCancellationRequest: {
        id: requestId,
        reasonCode: 'TEST_AGREEMENT',
        reasonMessage: '',
        statusCode: status,
        statusMessage,
        createdAt: '2025-03-01T00:00:00Z',
        updatedAt: '2025-03-01T00:00:00Z',
      },
    },
  };
}

const request = (extra: Record<string, unknown> = {}) => ({
  onboardingId: '',
  agreementId: AGREEMENT,
  reasonCode: 'TEST_AGREEMENT' as const,
  note: 'Bought for a trial by mistake',
  clientToken: 'form-token-1',
  actor: sales,
  ...extra,
});

describe('requesting a cancellation', () => {
  it('sends it once per form and records who asked; the same form again sends nothing', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    // Act
    const first = await requestAgreementCancellation(ports, request({ onboardingId: id }));
    const again = await requestAgreementCancellation(ports, request({ onboardingId: id }));
    // Assess
    expect(first).toMatchObject({ ok: true, duplicate: false, cancellation: { status: 'PENDING_APPROVAL' } });
    expect(again).toMatchObject({ ok: true, duplicate: true });
    expect(ports.cancellations.calls.send).toBe(1);
    const [agreement] = await dealOf(ports, id);
    const episode = agreement?.episodes.find((e) => e.kind === 'cancellation-requested');
    expect(episode?.by).toEqual(sales);
    expect(episode?.summary).toContain('Sato (sales)');
    expect(episode?.text?.code).toBe('cancellation-requested');
    const logged = (await ports.onboardings.timeline(id)).filter(
      (e) => e.action === 'cancellation-requested',
    );
    expect(logged).toHaveLength(1);
    expect(logged[0]?.actor).toEqual(sales);
    expect(agreement?.cancellation).toMatchObject({
      reasonCode: 'TEST_AGREEMENT',
      note: 'Bought for a trial by mistake',
      requestedBy: sales,
      clientToken: 'form-token-1',
    });
  });

  it('refuses support, a second request while one waits, an unknown reason code and an ended agreement', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    await requestAgreementCancellation(ports, request({ onboardingId: id }));
    // Act
    const bySupport = await requestAgreementCancellation(
      ports,
      request({ onboardingId: id, actor: support }),
    );
    const second = await requestAgreementCancellation(
      ports,
      request({ onboardingId: id, clientToken: 'other' }),
    );
    const badReason = await requestAgreementCancellation(
      ports,
      request({ onboardingId: id, reasonCode: 'BECAUSE', clientToken: 'x2' }),
    );
    ports.cancellations.inactive.add(AGREEMENT);
    await withdrawAgreementCancellation(ports, { onboardingId: id, agreementId: AGREEMENT, actor: sales });
    const inactive = await requestAgreementCancellation(
      ports,
      request({ onboardingId: id, clientToken: 'x3' }),
    );
    // Assess
    expect(bySupport).toEqual({ ok: false, error: 'forbidden' });
    expect(second).toEqual({ ok: false, error: 'already-pending' });
    expect(badReason).toMatchObject({ ok: false, error: 'invalid-input', issues: [{ path: 'reasonCode' }] });
    expect(inactive).toMatchObject({ ok: false, error: 'agreement-ended' });
    expect(ports.cancellations.calls.send).toBe(2); // the first and the inactive one reached AWS
  });
});

describe('withdrawing', () => {
  it('withdraws a pending request, recorded with who did it; nothing to withdraw afterwards', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    await requestAgreementCancellation(ports, request({ onboardingId: id }));
    // Act
    const withdrawn = await withdrawAgreementCancellation(ports, {
      onboardingId: id,
      agreementId: AGREEMENT,
      reason: 'Agreed with the buyer to keep it',
      actor: sales,
    });
    const twice = await withdrawAgreementCancellation(ports, {
      onboardingId: id,
      agreementId: AGREEMENT,
      actor: sales,
    });
    // Assess
    expect(withdrawn).toMatchObject({ ok: true, cancellation: { status: 'CANCELLED' } });
    expect(twice).toEqual({ ok: false, error: 'not-pending' });
    const [agreement] = await dealOf(ports, id);
    expect(agreement?.episodes.find((e) => e.kind === 'cancellation-withdrawn')?.by).toEqual(sales);
    expect(ports.cancellations.calls.withdraw).toBe(1);
  });
});

describe('the buyer’s answer', () => {
  it('approved: the paid plan ends once, AWS’s Ended after it ends nothing more; sales told', async () => {
    // Prepare
    const { ports, id, accountId } = await withAgreement();
    const sent = await requestAgreementCancellation(ports, request({ onboardingId: id }));
    const requestId = sent.ok ? sent.cancellation.requestId : '';
    // Act
    await handleMarketplaceEvent(ports, cancellationEvent('PENDING_APPROVAL', requestId));
    const approved = cancellationEvent('APPROVED', requestId);
    await handleMarketplaceEvent(ports, approved);
    await handleMarketplaceEvent(ports, approved); // redelivered
    const afterApproval = await ports.accounts.getAccount(accountId);
    await handleMarketplaceEvent(ports, fixture('eventbridge-agreement-ended.json'));
    // Assess
    expect(afterApproval?.paidPlan).toBeUndefined();
    const timeline = await ports.onboardings.timeline(id);
    expect(timeline.filter((e) => e.action === 'paid-plan-ended')).toHaveLength(1);
    const [agreement] = await dealOf(ports, id);
    expect(agreement?.cancellation?.status).toBe('APPROVED');
    expect(agreement?.episodes.map((e) => e.kind)).toEqual(
      expect.arrayContaining([
        'cancellation-requested',
        'cancellation-pending',
        'cancellation-approved',
        'plan-ended',
      ]),
    );
    expect(agreement?.episodes.filter((e) => e.kind === 'cancellation-approved')).toHaveLength(1);
    expect(ports.mailer.tagged('deal:cancellation-approved')).toHaveLength(1);
  });

  it('with a grace period, AWS’s Ended after an approved cancellation schedules nothing and alerts no one: the timeline says nothing was left to end (ja/en)', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    ports.config.planEndGraceHours = 48;
    const sent = await requestAgreementCancellation(ports, request({ onboardingId: id }));
    const requestId = sent.ok ? sent.cancellation.requestId : '';
    await handleMarketplaceEvent(ports, cancellationEvent('APPROVED', requestId));
    const alerts = ports.mailer.tagged('support-alert:subscription-failed').length;
    // Act
    await handleMarketplaceEvent(ports, fixture('eventbridge-agreement-ended.json'));
    // Assess
    const [agreement] = await dealOf(ports, id);
    expect(agreement?.planEndsAt).toBeUndefined();
    expect(agreement?.episodes.filter((e) => e.kind === 'plan-end-scheduled')).toEqual([]);
    expect([...ports.episodes.started.values()].filter((e) => e.episode === 'grace')).toEqual([]);
    expect(ports.mailer.tagged('support-alert:subscription-failed')).toHaveLength(alerts);
    const told = (await ports.onboardings.timeline(id)).find((e) => e.action === 'plan-already-ended');
    expect(told && entryText(told, 'en')).toBe(
      `Agreement ${AGREEMENT} ended; its paid plan had already ended (the approved cancellation): nothing was left to end`,
    );
    expect(told && entryText(told, 'ja')).toContain('終了するものはありませんでした');
  });

  it('rejected: the plan is kept, the buyer’s reason recorded and mailed to sales once', async () => {
    // Prepare
    const { ports, id, accountId } = await withAgreement();
    const sent = await requestAgreementCancellation(ports, request({ onboardingId: id }));
    const requestId = sent.ok ? sent.cancellation.requestId : '';
    const rejected = cancellationEvent('REJECTED', requestId, 'We still use it');
    // Act
    await handleMarketplaceEvent(ports, rejected);
    await handleMarketplaceEvent(ports, rejected);
    // Assess
    expect((await ports.accounts.getAccount(accountId))?.paidPlan).toBeDefined();
    const [agreement] = await dealOf(ports, id);
    expect(agreement?.cancellation).toMatchObject({ status: 'REJECTED', statusMessage: 'We still use it' });
    const mails = ports.mailer.tagged('deal:cancellation-rejected');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain('We still use it');
  });

  it('a request sent elsewhere (no record of it) is learnt from its event; validation failed keeps the plan', async () => {
    // Prepare
    const { ports, id, accountId } = await withAgreement();
    // Act
    await handleMarketplaceEvent(
      ports,
      cancellationEvent('VALIDATION_FAILED', 'acr-portal1', 'Not eligible'),
    );
    // Assess
    const [agreement] = await dealOf(ports, id);
    expect(agreement?.cancellation).toMatchObject({
      requestId: 'acr-portal1',
      status: 'VALIDATION_FAILED',
      statusMessage: 'Not eligible',
    });
    expect(agreement?.cancellation?.requestedBy).toBeUndefined();
    expect((await ports.accounts.getAccount(accountId))?.paidPlan).toBeDefined();
    expect(ports.mailer.tagged('deal:cancellation-failed')).toHaveLength(1);
  });

  it('a lost answer is read from AWS: at the workflow’s timeout, or when sales tries to withdraw an answered request', async () => {
    // Prepare: two customers, each with a request the buyer answered without the event reaching us
    const approved = await withAgreement();
    const rejected = await withAgreement();
    const sentA = await requestAgreementCancellation(approved.ports, request({ onboardingId: approved.id }));
    const sentR = await requestAgreementCancellation(rejected.ports, request({ onboardingId: rejected.id }));
    approved.ports.cancellations.answer(sentA.ok ? sentA.cancellation.requestId : '', 'APPROVED');
    rejected.ports.cancellations.answer(sentR.ok ? sentR.cancellation.requestId : '', 'REJECTED', 'No');
    // Act
    const status = await refreshAgreementCancellation(approved.ports, {
      onboardingId: approved.id,
      agreementId: AGREEMENT,
    });
    const again = await refreshAgreementCancellation(approved.ports, {
      onboardingId: approved.id,
      agreementId: AGREEMENT,
    });
    const withdraw = await withdrawAgreementCancellation(rejected.ports, {
      onboardingId: rejected.id,
      agreementId: AGREEMENT,
      actor: sales,
    });
    // Assess
    expect(status).toBe('APPROVED');
    expect(again).toBeUndefined(); // nothing waits any more
    expect((await approved.ports.accounts.getAccount(approved.accountId))?.paidPlan).toBeUndefined();
    expect(withdraw).toEqual({ ok: false, error: 'not-pending' });
    const [record] = await dealOf(rejected.ports, rejected.id);
    expect(record?.cancellation).toMatchObject({ status: 'REJECTED', statusMessage: 'No' });
    expect((await rejected.ports.accounts.getAccount(rejected.accountId))?.paidPlan).toBeDefined();
  });
});
