/**
 * Reconciliation (issue 11 item 3): what AWS says about the seller's agreements against our records. Each dropped
 * event is repaired through the use case the event would have gone through; a second run finds nothing.
 */
import { describe, expect, it } from 'vitest';
import { dealOf } from '../../../tasks/use-cases/agreement-lifecycle.js';
import { handleMarketplaceEvent } from '../../../tasks/use-cases/marketplace-signals.js';
import { sendOfferNotice } from '../../../tasks/use-cases/offers.js';
import { reconcileAgreements } from '../../../tasks/use-cases/reconcile-agreements.js';
import { fixture } from '../fixtures.js';
import {
  completedWithPaidPlan,
  FIXTURE_ACCEPTOR,
  FIXTURE_AGREEMENT,
  opened,
  placeAt,
  recorded,
  setup,
} from './helpers.js';

const ACCEPTOR = FIXTURE_ACCEPTOR;
const AGREEMENT = FIXTURE_AGREEMENT;

async function completed() {
  const done = await completedWithPaidPlan();
  await handleMarketplaceEvent(done.ports, fixture('eventbridge-agreement-created.json'));
  return done;
}

describe('reconcileAgreements', () => {
  it('an Ended that never arrived: the plan is ended as the event would have; a second run finds nothing', async () => {
    // Prepare
    const { ports, id, accountId } = await completed();
    ports.agreements.add({
      agreementId: AGREEMENT,
      status: 'CANCELLED',
      acceptorAccountId: ACCEPTOR,
      offerId: 'offer-1234567890123',
    });
    // Act
    const first = await reconcileAgreements(ports);
    const second = await reconcileAgreements(ports);
    // Assess
    expect(first.findings.map((f) => f.what)).toEqual(['missing-end']);
    expect((await ports.accounts.getAccount(accountId))?.plan).toBe('free');
    expect((await dealOf(ports, id))[0]?.status).toBe('CANCELLED');
    expect(second.findings).toEqual([]);
    expect(ports.mailer.tagged('support-alert:reconciliation')).toHaveLength(1);
  });

  it("an old agreement's end found before the customer's newer live agreement does not end the plan", async () => {
    // Prepare: neither was ever received; SearchAgreements lists the expired one first
    const { ports, accountId } = await completed();
    ports.agreements.agreements.clear();
    ports.agreements.add({
      agreementId: 'agmt-old0000000000000000001',
      status: 'EXPIRED',
      acceptorAccountId: ACCEPTOR,
      // after the onboarding's first agreement (2024-08-30), so only the newer one can carry the plan on
      startTime: '2024-09-01T00:00:00Z',
    });
    ports.agreements.add({
      agreementId: 'agmt-new0000000000000000001',
      status: 'ACTIVE',
      acceptorAccountId: ACCEPTOR,
      startTime: '2025-01-01T00:00:00Z',
    });
    // Act
    const report = await reconcileAgreements(ports);
    // Assess
    expect(report.findings.map((f) => [f.what, f.agreementId])).toEqual([
      ['missing-record', 'agmt-old0000000000000000001'],
      ['missing-record', 'agmt-new0000000000000000001'],
      ['missing-end', 'agmt-old0000000000000000001'],
    ]);
    expect((await ports.accounts.getAccount(accountId))?.plan).toBe('paid');
  });

  it('a Created that never arrived resumes the onboarding waiting for acceptance', async () => {
    // Prepare
    const ports = setup();
    const id = await recorded(ports, { awsAccountId: ACCEPTOR });
    await placeAt(ports, id, 'CreateOffer');
    await sendOfferNotice(ports, {
      onboardingId: id,
      offerId: 'offer-dropped000001',
      offerExpiresAt: '2099-06-30T06:00:00Z',
      source: 'api',
    });
    await opened(ports, id, 'AwaitAcceptance');
    ports.agreements.add({
      agreementId: 'agmt-dropped00000000000000001',
      status: 'ACTIVE',
      acceptorAccountId: ACCEPTOR,
      offerId: 'offer-dropped000001',
    });
    // Act
    const report = await reconcileAgreements(ports);
    // Assess
    expect(report.findings.map((f) => [f.what, f.onboardingId])).toEqual([['missing-record', id]]);
    expect(ports.callbacks.successes()).toHaveLength(1);
    expect((await ports.onboardings.get(id))?.subscription).toBe('confirmed');
  });

  it('lists an agreement no onboarding knows once, and reminds a buyer stuck before setup once', async () => {
    // Prepare
    const ports = setup();
    ports.agreements.add({
      agreementId: 'agmt-stranger000000000000001',
      status: 'ACTIVE',
      acceptorAccountId: '111122223333',
      offerId: 'offer-public0000001',
    });
    const stuck = await recorded(ports, { awsAccountId: '222233334444' });
    await placeAt(ports, stuck, 'AccountSetup');
    await ports.clock.sleep(25 * 3600_000);
    // Act
    const first = await reconcileAgreements(ports, { setupReminderHours: 24 });
    const second = await reconcileAgreements(ports, { setupReminderHours: 24 });
    // Assess
    expect(first.findings.map((f) => f.what).sort()).toEqual(['setup-reminded', 'unmatched']);
    expect(second.findings).toEqual([]);
    expect(ports.mailer.tagged('buyer:setup-reminder')).toHaveLength(1);
    expect(ports.mailer.tagged('support-alert:setup-not-started')).toHaveLength(1);
  });

  it('reminds sales once of an offer not accepted that expires within 3 days', async () => {
    // Prepare: two offers waiting for the buyer, one expiring in 2 days, one in 10
    const ports = setup();
    const soon = await recorded(ports, { awsAccountId: '444455556666' });
    const later = await recorded(ports, { awsAccountId: '555566667777' });
    for (const [id, days] of [
      [soon, 2],
      [later, 10],
    ] as const) {
      await placeAt(ports, id, 'CreateOffer');
      const expires = new Date(ports.clock.now().getTime() + days * 86_400_000).toISOString();
      await sendOfferNotice(ports, {
        onboardingId: id,
        offerId: `offer-watch${days}0000000`,
        offerExpiresAt: expires,
        source: 'api',
      });
      await placeAt(ports, id, 'AwaitAcceptance');
    }
    // Act
    const first = await reconcileAgreements(ports);
    const second = await reconcileAgreements(ports);
    // Assess
    expect(first.findings.map((f) => [f.what, f.onboardingId])).toEqual([['offer-expiring', soon]]);
    expect(second.findings).toEqual([]);
    const [mail] = ports.mailer.tagged('support-alert:offer-expiring');
    expect(mail?.text).toContain('offer-watch20000000');
  });

  it('pages through every agreement (50 a page) and reports progress', async () => {
    // Prepare
    const ports = setup();
    for (let i = 0; i < 120; i++)
      ports.agreements.add({
        agreementId: `agmt-many${String(i).padStart(21, '0')}`,
        status: 'ACTIVE',
        acceptorAccountId: '333344445555',
      });
    const progress: number[] = [];
    // Act
    const report = await reconcileAgreements(ports, { onPage: (p) => progress.push(p.agreements) });
    // Assess
    expect([report.pages, report.agreements]).toEqual([3, 120]);
    expect(progress).toEqual([50, 100, 120]);
  });
});
