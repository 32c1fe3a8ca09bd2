/**
 * The agreement a `Purchase Agreement Created` with intent REPLACE replaces. AWS documents
 * `agreement.previousAgreementId` only for RENEW (Seller Guide "Amazon EventBridge events"; docs/notes event shapes
 * #1), so a REPLACE may name none. Then the replaced agreement is found through the offer: the agreement-based
 * replacement offer we created for it (deal-episodes.ts sendRenewalOffer records `renewal-offer-sent:<offerId>` on the
 * agreement it replaces); failing that, the only agreement of the same customer (the onboarding's product) that is
 * still live, or that ended REPLACED, and is continued by no other. The signal then goes on as if AWS had named it:
 * the old → new link, the closing of sales' Renewal step and the "continued by" entry and mail.
 */
import { type Agreement, isEnded } from '../domain/agreement.js';
import { type MarketplaceSignal, offerIdCandidates } from '../domain/marketplace-signals.js';
import type { Onboarding } from '../domain/onboarding.js';
import type { Ports } from '../ports/index.js';

/** The eventId of the episode that records a replacement offer sent for an agreement. */
export const renewalOfferSentEventId = (offerId: string) => `renewal-offer-sent:${offerId}`;

/** The agreement whose replacement offer is `offerId` (one we created and sent), if any. */
export function replacedThroughOffer(agreements: readonly Agreement[], offerId: string | undefined) {
  const ids = offerIdCandidates(offerId).map(renewalOfferSentEventId);
  return agreements.find((a) => a.episodes.some((e) => e.eventId !== undefined && ids.includes(e.eventId)));
}

/** The signal with `previousAgreementId` filled in for a REPLACE that names none (unchanged otherwise). */
export async function withReplacedAgreement(
  ports: Pick<Ports, 'agreementRecords' | 'log'>,
  onboarding: Onboarding,
  s: MarketplaceSignal,
): Promise<MarketplaceSignal> {
  if (s.kind !== 'agreement-created' || s.intent !== 'REPLACE' || s.previousAgreementId || !s.agreementId)
    return s;
  const newId = s.agreementId;
  const all = await ports.agreementRecords.listForOnboarding(onboarding.id);
  // a redelivery: the link found the first time
  const own = all.find((a) => a.agreementId === newId)?.previousAgreementId;
  if (own) return { ...s, previousAgreementId: own };
  const others = all.filter((a) => a.agreementId !== newId);
  const byOffer = replacedThroughOffer(others, s.offerId);
  const customer = s.customerAwsAccountId ?? onboarding.buyerAwsAccountId;
  const candidates = others.filter(
    (a) =>
      (!a.nextAgreementId || a.nextAgreementId === newId) &&
      (!isEnded(a) || a.status === 'REPLACED') &&
      (!a.customerAwsAccountId || a.customerAwsAccountId === customer),
  );
  const found = byOffer ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (!found) {
    ports.log.warn('REPLACE agreement names no previous agreement and none was found', {
      agreementId: newId,
      offerId: s.offerId,
      candidates: candidates.length,
    });
    return s;
  }
  ports.log.info('REPLACE agreement linked to the agreement it replaces', {
    agreementId: newId,
    previousAgreementId: found.agreementId,
    through: byOffer ? 'replacement-offer' : 'only-live-agreement',
  });
  return { ...s, previousAgreementId: found.agreementId };
}
