/**
 * Closing an onboarding while its private offer is out and not accepted (pure): the offer must stop being
 * acceptable at the marketplace. AWS expires a private offer by moving its AvailabilityEndDate into the past
 * (UpdateAvailability on the released offer; AWS Marketplace API Reference, "Expire a private offer"), after which
 * buyers no longer see it and it cannot be accepted.
 */
import { createHash } from 'node:crypto';
import { type CatalogChange, catalogDate, OFFER_ENTITY_TYPE } from './offer-change-set.js';
import type { OfferWithdrawal, Onboarding } from './onboarding.js';
import { type Said, said } from './timeline-texts.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The offer a closing onboarding leaves acceptable at the marketplace: one was sent, no agreement came of it, it has
 * not expired yet and was not already expired by an earlier run of the close.
 */
export function outstandingOffer(o: Onboarding, now: Date): { offerId: string } | undefined {
  if (!o.offer || o.agreementId) return undefined;
  if (o.subscription === 'confirmed' || o.subscription === 'ended') return undefined;
  if (o.offerWithdrawal?.status === 'expired' && o.offerWithdrawal.offerId === o.offer.offerId)
    return undefined;
  const expires = Date.parse(o.offer.expiresAt);
  if (!Number.isNaN(expires) && expires <= now.getTime()) return undefined;
  return { offerId: o.offer.offerId };
}

/** UpdateAvailability with yesterday's date (UTC): the offer's last day is over, whatever the time of day now. */
export function buildExpireOfferChangeSet(offerId: string, now: Date): CatalogChange[] {
  return [
    {
      ChangeType: 'UpdateAvailability',
      Entity: { Type: OFFER_ENTITY_TYPE, Identifier: offerId },
      DetailsDocument: { AvailabilityEndDate: catalogDate(new Date(now.getTime() - DAY_MS).toISOString()) },
    },
  ];
}

/** ClientRequestToken of the expiry: the same onboarding and offer always give the same token (a re-run starts none). */
export function expireOfferToken(onboardingId: string, offerId: string): string {
  const h = createHash('sha256').update(`${onboardingId}#expire#${offerId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function withWithdrawal(o: Onboarding, withdrawal: OfferWithdrawal): Onboarding {
  return { ...o, offerWithdrawal: withdrawal, updatedAt: withdrawal.at };
}

/** What the timeline says of a withdrawal. */
export function withdrawalSaid(w: OfferWithdrawal): Said {
  switch (w.status) {
    case 'expired':
      return said('offer-withdrawn', { offerId: w.offerId });
    case 'requested':
      return said('offer-withdrawal-pending', { offerId: w.offerId, changeSetId: w.changeSetId ?? '-' });
    case 'failed':
      return said('offer-withdrawal-failed', { offerId: w.offerId, error: w.error ?? 'unknown' });
  }
}
