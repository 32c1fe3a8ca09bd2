/**
 * The agreement a `Purchase Agreement Created` with intent REPLACE replaces. AWS documents
 * `agreement.previousAgreementId` only for RENEW (Seller Guide "Amazon EventBridge events"; docs/notes event shapes
 * #1), so a REPLACE may name none. Then the replaced agreement is found through the offer: the agreement-based
 * replacement offer we created for it (deal-episodes.ts sendRenewalOffer records `renewal-offer-sent:<offerId>` on the
 * agreement it replaces); failing that, the only agreement of the same customer (the onboarding's product) that is
 * still live, or that ended REPLACED, and is continued by no other. The signal then goes on as if AWS had named it:
 * the old → new link, the closing of sales' Renewal step and the "continued by" entry and mail.
 */
import { type Agreement, CONTINUED_STATUSES, isEnded } from '../domain/agreement.js';
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

/** How long after a replacement an SNS `unsubscribe-success` (which names no agreement) is taken as the old one's. */
const SNS_REPLACEMENT_WINDOW_MS = 24 * 3600_000;

/** A replacement offer of ours is out for the agreement and it has not ended nor been continued yet. */
const replacementPending = (a: Agreement) =>
  !isEnded(a) && !a.nextAgreementId && a.episodes.some((e) => e.kind === 'renewal-offer-sent');

/**
 * Whether an end signal (`unsubscribe-success`, `License Deprovisioned`) is about an agreement that another one
 * continues, so it neither fails the subscription nor ends the plan (AWS documents no such signal on a replacement;
 * if it comes, it is the old agreement's). License Deprovisioned names its agreement: continued when a later
 * agreement of the customer is live (`laterLive`), it ended RENEWED/REPLACED/SUPERSEDED, or its replacement offer is
 * out. An SNS message names none: continued when a replacement offer of ours is out, or an agreement was continued by
 * a live one created within the last 24 hours. A real end still comes as the agreement's own `Ended` (CANCELLED…),
 * which this does not touch. Answers the agreement and its successor (if known), or undefined.
 */
export async function continuedAgreementOf(
  ports: Pick<Ports, 'agreementRecords'>,
  onboarding: Onboarding,
  s: MarketplaceSignal,
  laterLive: boolean,
): Promise<{ agreementId: string; next?: string } | undefined> {
  if (s.kind === 'license-deprovisioned' && s.agreementId) {
    const a = await ports.agreementRecords.get(onboarding.id, s.agreementId);
    if (!a) return undefined;
    const continued = laterLive || CONTINUED_STATUSES.has(a.status) || replacementPending(a);
    return continued
      ? { agreementId: a.agreementId, ...(a.nextAgreementId ? { next: a.nextAgreementId } : {}) }
      : undefined;
  }
  if (s.kind !== 'unsubscribe-success') return undefined;
  const all = await ports.agreementRecords.listForOnboarding(onboarding.id);
  const pending = all.find(replacementPending);
  if (pending) return { agreementId: pending.agreementId };
  const at = Date.parse(s.at);
  const recent = (n: Agreement) =>
    !Number.isNaN(at) && at - Date.parse(n.createdAt) <= SNS_REPLACEMENT_WINDOW_MS;
  for (const old of all) {
    const next = all.find((n) => n.agreementId === old.nextAgreementId);
    if (next && !isEnded(next) && recent(next))
      return { agreementId: old.agreementId, next: next.agreementId };
  }
  return undefined;
}
