/**
 * Closing an onboarding whose private offer is out and not accepted: the offer is expired at the marketplace
 * (UpdateAvailability into the past), so the buyer can no longer accept an offer nobody follows any more. Part of
 * the close-onboarding task; it never fails the close: whatever happens is kept on the onboarding, noted on the
 * timeline and returned, so support's mail can say it.
 */

import type { Stage } from '../../workflows/contracts/stage-registry.js';
import {
  buildExpireOfferChangeSet,
  expireOfferToken,
  outstandingOffer,
  withdrawalSaid,
  withWithdrawal,
} from '../domain/offer-withdrawal.js';
import type { OfferWithdrawal, Onboarding } from '../domain/onboarding.js';
import type { Ports } from '../ports/index.js';
import { CatalogError } from '../ports/offer-catalog.js';
import { note, nowIso, SYSTEM, updateOnboarding } from './shared.js';

/** How long the close waits for the change set (DescribeChangeSet `polls` times, `intervalMs` apart). */
export interface WithdrawalPolling {
  polls: number;
  intervalMs: number;
}
export { withdrawalSaid };
export const WITHDRAWAL_POLLING: WithdrawalPolling = { polls: 5, intervalMs: 1_000 };

const errorText = (err: unknown): string =>
  err instanceof CatalogError
    ? `${err.code}: ${err.message}`
    : err instanceof Error
      ? `${err.name}: ${err.message}`
      : String(err);

async function expire(
  ports: Pick<Ports, 'catalog' | 'clock' | 'log'>,
  onboardingId: string,
  offerId: string,
  polling: WithdrawalPolling,
): Promise<Omit<OfferWithdrawal, 'at'>> {
  let changeSetId: string;
  try {
    ({ changeSetId } = await ports.catalog.startChangeSet({
      changes: buildExpireOfferChangeSet(offerId, ports.clock.now()),
      clientRequestToken: expireOfferToken(onboardingId, offerId),
      changeSetName: `Onboarding ${onboardingId} closed: expire ${offerId}`,
    }));
  } catch (err) {
    return { offerId, status: 'failed', error: errorText(err) };
  }
  for (let i = 0; i < polling.polls; i++) {
    try {
      const d = await ports.catalog.describeChangeSet(changeSetId);
      if (d.status === 'SUCCEEDED') return { offerId, status: 'expired', changeSetId };
      if (d.status === 'FAILED' || d.status === 'CANCELLED') {
        const errors = d.changes.flatMap((c) => c.errors.map((e) => `${e.code}: ${e.message}`));
        const error = errors.join('; ') || `${d.status}${d.failureCode ? ` ${d.failureCode}` : ''}`;
        return { offerId, status: 'failed', changeSetId, error };
      }
    } catch (err) {
      ports.log.warn('DescribeChangeSet failed while expiring a closed onboarding offer', {
        onboardingId,
        changeSetId,
        error: errorText(err),
      });
    }
    if (i + 1 < polling.polls) await ports.clock.sleep(polling.intervalMs);
  }
  return { offerId, status: 'requested', changeSetId };
}

/**
 * Expires the onboarding's outstanding offer, if it has one (outstandingOffer), keeps the outcome on the onboarding
 * and notes it. Undefined when there was nothing to expire. Never throws.
 */
export async function withdrawOutstandingOffer(
  ports: Pick<Ports, 'onboardings' | 'catalog' | 'clock' | 'log'>,
  onboarding: Onboarding,
  stage: Stage,
  polling: WithdrawalPolling = WITHDRAWAL_POLLING,
): Promise<{ withdrawal: OfferWithdrawal; onboarding: Onboarding } | undefined> {
  const offer = outstandingOffer(onboarding, ports.clock.now());
  if (!offer) return undefined;
  const outcome = await expire(ports, onboarding.id, offer.offerId, polling);
  const withdrawal: OfferWithdrawal = { ...outcome, at: nowIso(ports) };
  if (withdrawal.status === 'failed') {
    ports.log.error('the offer of a closed onboarding could not be expired; support is told', {
      onboardingId: onboarding.id,
      offerId: withdrawal.offerId,
      error: withdrawal.error,
    });
  }
  try {
    const saved = await updateOnboarding(ports, onboarding.id, (o) => withWithdrawal(o, withdrawal));
    await note(
      ports,
      onboarding.id,
      SYSTEM('close-onboarding'),
      stage,
      `offer-withdrawal-${withdrawal.status}`,
      withdrawalSaid(withdrawal),
      {
        offerId: withdrawal.offerId,
        ...(withdrawal.changeSetId ? { changeSetId: withdrawal.changeSetId } : {}),
      },
    );
    return { withdrawal, onboarding: saved };
  } catch (err) {
    // the marketplace side is done (or told); keeping it failed: the mail still says it
    ports.log.error('could not keep the offer withdrawal on the onboarding', {
      onboardingId: onboarding.id,
      error: errorText(err),
    });
    return { withdrawal, onboarding };
  }
}
