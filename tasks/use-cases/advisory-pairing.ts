/**
 * AWS's advisory events name no advisory: the documented detail is `advisory: { issuedAt }` (Issued) or
 * `{ resolvedAt }` (Resolved). So an Issued is known by its issuedAt (`issued-<issuedAt>`, else its event id), and a
 * Resolved without an id resolves the agreement's oldest advisory still open (the Issued episodes on the agreement
 * record, each keeping its key, minus those a Resolved already named). A redelivered Resolved keeps the advisory
 * its first delivery resolved. An id AWS does give is used as it is. A fresh Resolved that finds no open advisory may
 * have overtaken its Issued (both come at once, handled side by side): it fails, to be delivered again
 * (AdvisoryNotIssuedYetError); an older one is recorded unpaired.
 */
import type { Agreement } from '../domain/agreement.js';
import { AdvisoryNotIssuedYetError } from '../domain/errors.js';
import type { MarketplaceSignal } from '../domain/marketplace-signals.js';
import type { Onboarding } from '../domain/onboarding.js';
import type { Ports } from '../ports/index.js';

const keyOf = (e: Agreement['episodes'][number]) => {
  const id = e.text?.params.advisoryId;
  return typeof id === 'string' ? id : undefined;
};

/** The agreement's advisories not resolved yet, oldest first: their key and when they were issued. */
export function openAdvisories(a: Agreement): { advisoryId: string; issuedAt?: string }[] {
  const resolved = new Set(a.episodes.filter((e) => e.kind === 'advisory-resolved').map(keyOf));
  return a.episodes
    .filter((e) => e.kind === 'advisory-issued')
    .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0))
    .flatMap((e) => {
      const advisoryId = keyOf(e);
      if (!advisoryId || resolved.has(advisoryId)) return [];
      const issuedAt = e.text?.params.issuedAt;
      return [{ advisoryId, ...(typeof issuedAt === 'string' ? { issuedAt } : {}) }];
    });
}

/** The signal with its advisory named: an Issued by its key, a Resolved by the advisory it resolves. */
/** How long a Resolved without an open advisory is retried for, waiting for its Issued (Lambda retries twice). */
export const ADVISORY_PAIRING_WINDOW_MS = 10 * 60_000;

export async function withAdvisoryId(
  ports: Pick<Ports, 'agreementRecords' | 'clock'>,
  onboarding: Onboarding,
  s: MarketplaceSignal,
): Promise<MarketplaceSignal> {
  if (s.advisory?.id || !s.agreementId) return s;
  if (s.kind === 'advisory-issued') {
    const issuedAt = s.advisory?.issuedAt;
    return { ...s, advisory: { ...s.advisory, id: issuedAt ? `issued-${issuedAt}` : s.eventId } };
  }
  if (s.kind !== 'advisory-resolved') return s;
  const agreement = await ports.agreementRecords.get(onboarding.id, s.agreementId);
  if (!agreement) return s;
  const earlier = agreement.episodes.find((e) => e.kind === 'advisory-resolved' && e.eventId === s.eventId);
  const advisoryId = earlier ? keyOf(earlier) : openAdvisories(agreement)[0]?.advisoryId;
  if (!advisoryId) {
    const age = Math.abs(ports.clock.now().getTime() - Date.parse(s.at));
    if (!earlier && age <= ADVISORY_PAIRING_WINDOW_MS)
      throw new AdvisoryNotIssuedYetError(s.agreementId, s.eventId);
    return s;
  }
  const issued = agreement.episodes.find((e) => e.kind === 'advisory-issued' && keyOf(e) === advisoryId);
  const issuedAt = issued?.text?.params.issuedAt;
  return {
    ...s,
    advisory: { ...s.advisory, id: advisoryId, ...(typeof issuedAt === 'string' ? { issuedAt } : {}) },
  };
}
