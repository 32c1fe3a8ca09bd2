/**
 * Closing an onboarding while its offer is out and not accepted expires the offer at the marketplace
 * (UpdateAvailability into the past); a failure to expire never loses the close: support is told.
 */
import { describe, expect, it } from 'vitest';
import { buildExpireOfferChangeSet, outstandingOffer } from '../../../tasks/domain/offer-withdrawal.js';
import type { Onboarding } from '../../../tasks/domain/onboarding.js';
import { readable } from '../../../tasks/domain/timeline-texts.js';
import { CatalogError } from '../../../tasks/ports/offer-catalog.js';
import { closeOnboardingRecord } from '../../../tasks/use-cases/close-onboarding-record.js';
import { withdrawOutstandingOffer } from '../../../tasks/use-cases/offer-withdrawal.js';
import { placeAt, recorded, setup, support } from './helpers.js';

const OFFER = 'offer-abcdefghij123';
const offer = (expiresAt = '2025-06-30T06:00:00.000Z'): Onboarding['offer'] => ({
  offerId: OFFER,
  expiresAt,
  source: 'api',
  url: `https://aws.amazon.com/marketplace/fp/offers/${OFFER}`,
});

/** Prepare: an onboarding waiting for the buyer to accept its offer (the memory clock is 2025-04-01). */
async function waitingForAcceptance(patch: Partial<Onboarding> = {}) {
  const ports = setup();
  const id = await recorded(ports);
  await placeAt(ports, id, 'AwaitAcceptance', { offer: offer(), ...patch });
  const close = () =>
    closeOnboardingRecord(ports, {
      onboardingId: id,
      stage: 'AwaitAcceptance',
      outcome: 'closed',
      error: 'Onboarding.Closed',
      cause: JSON.stringify({ actor: support, reason: 'The buyer chose another vendor' }),
    });
  return { ports, id, close };
}

const expiries = (ports: ReturnType<typeof setup>) =>
  ports.catalog.changeSets.filter((c) => c.changes.some((x) => x.ChangeType === 'UpdateAvailability'));

describe('the offer of an onboarding closed while waiting for the buyer', () => {
  it('is expired at the marketplace (yesterday as AvailabilityEndDate), kept, noted in ja/en and mailed to support', async () => {
    // Prepare
    const { ports, id, close } = await waitingForAcceptance();

    // Act
    await close();
    await close(); // the task retried: no second change set, no second mail

    // Assess
    expect(expiries(ports).map((c) => c.changes)).toEqual([
      [
        {
          ChangeType: 'UpdateAvailability',
          Entity: { Type: 'Offer@1.0', Identifier: OFFER },
          DetailsDocument: { AvailabilityEndDate: '2025-03-31' },
        },
      ],
    ]);
    const o = await ports.onboardings.get(id);
    expect(o).toMatchObject({ status: 'closed', offerWithdrawal: { offerId: OFFER, status: 'expired' } });
    const entry = (await ports.onboardings.timeline(id)).find((e) => e.action === 'offer-withdrawal-expired');
    expect(entry && readable(entry, entry.action, 'en')).toBe(
      `Offer ${OFFER} expired on AWS Marketplace: the buyer can no longer accept it`,
    );
    expect(entry && readable(entry, entry.action, 'ja')).toContain('購入者はもう承諾できません');
    const alerts = ports.mailer.tagged('support-alert:closed');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toContain('the buyer can no longer accept it');
  });

  it('a refused expiry keeps the close; support is told to expire it by hand', async () => {
    // Prepare
    const { ports, id, close } = await waitingForAcceptance();
    ports.catalog.rejectNext = new CatalogError('rejected', 'AccessDeniedException', 'not allowed');

    // Act
    const closed = await close();

    // Assess
    expect(closed.reason).toBe('The buyer chose another vendor');
    const o = await ports.onboardings.get(id);
    expect(o).toMatchObject({
      status: 'closed',
      end: { outcome: 'closed', stage: 'AwaitAcceptance' },
      offerWithdrawal: { status: 'failed', error: 'AccessDeniedException: not allowed' },
    });
    const text = ports.mailer.tagged('support-alert:closed')[0]?.text ?? '';
    expect(text).toContain('could not be expired on AWS Marketplace (AccessDeniedException: not allowed)');
    expect(text).toContain('手動での失効を依頼しました');
  });

  it('a change set that FAILED is a failure with AWS’s error, mailed to support', async () => {
    // Prepare
    const { ports, id, close } = await waitingForAcceptance();
    ports.catalog.failNextWith = {
      code: 'INCOMPATIBLE_TERMS',
      message: 'offer locked',
      changeType: 'UpdateAvailability',
    };

    // Act
    await close();
    const afterFailure = (await ports.onboardings.get(id))?.offerWithdrawal;

    // Assess
    expect(afterFailure).toMatchObject({ status: 'failed', error: 'INCOMPATIBLE_TERMS: offer locked' });
    expect(ports.mailer.tagged('support-alert:closed')[0]?.text).toContain('INCOMPATIBLE_TERMS');
  });

  it('still applying after the polls is kept as requested with its change set', async () => {
    // Prepare
    const { ports, id } = await waitingForAcceptance();
    const o = (await ports.onboardings.get(id)) as Onboarding;

    // Act
    const r = await withdrawOutstandingOffer(ports, o, 'Closed', { polls: 2, intervalMs: 500 });

    // Assess
    expect(r?.withdrawal).toMatchObject({ status: 'requested', offerId: OFFER });
    expect(r?.withdrawal.changeSetId).toMatch(/^cs/);
    expect(ports.clock.sleeps).toEqual([500]);
  });

  it('leaves alone an offer that was accepted, has expired, or was never sent', async () => {
    // Prepare
    const accepted = await waitingForAcceptance({ agreementId: 'agmt-1234567890abcdefghijklmno' });
    const expired = await waitingForAcceptance({ offer: offer('2025-03-01T00:00:00.000Z') });
    const none = await waitingForAcceptance({ offer: undefined });

    // Act
    await Promise.all([accepted.close(), expired.close(), none.close()]);

    // Assess
    for (const { ports, id } of [accepted, expired, none]) {
      expect(expiries(ports)).toEqual([]);
      expect((await ports.onboardings.get(id))?.offerWithdrawal).toBeUndefined();
      expect(await ports.onboardings.get(id)).toMatchObject({ status: 'closed' });
    }
  });
});

describe('offer-withdrawal (pure)', () => {
  it('expires with the day before today, so the offer is over whatever the hour', () => {
    // Act
    const late = buildExpireOfferChangeSet(OFFER, new Date('2026-12-04T23:59:00Z'));
    const early = buildExpireOfferChangeSet(OFFER, new Date('2026-01-01T00:01:00Z'));

    // Assess
    expect(late[0]?.DetailsDocument).toEqual({ AvailabilityEndDate: '2026-12-03' });
    expect(early[0]?.DetailsDocument).toEqual({ AvailabilityEndDate: '2025-12-31' });
  });

  it('an offer already expired by an earlier close is not outstanding', () => {
    // Prepare
    const base = { offer: offer(), subscription: 'none' } as Onboarding;

    // Act / Assess
    expect(outstandingOffer(base, new Date('2025-04-01T00:00:00Z'))).toEqual({ offerId: OFFER });
    expect(
      outstandingOffer(
        { ...base, offerWithdrawal: { offerId: OFFER, status: 'expired', at: '2025-04-01T00:00:00Z' } },
        new Date('2025-04-01T00:00:00Z'),
      ),
    ).toBeUndefined();
    expect(
      outstandingOffer({ ...base, subscription: 'confirmed' }, new Date('2025-04-01T00:00:00Z')),
    ).toBeUndefined();
  });
});
