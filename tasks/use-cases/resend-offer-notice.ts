/**
 * Sales (or support, or an admin) sends the offer e-mail to the buyer again while the workflow waits for the buyer to
 * subscribe (AwaitAcceptance): the buyer lost it, or it went to spam. The same mail as the first (our offer notice,
 * the offer's link on AWS Marketplace, the expiry in the buyer's time zone); nothing in the workflow changes and no
 * task token is read (the waiting task is not touched). Who sent it is kept in the activity log.
 */

import { type Actor, OnboardingId, StaffActor } from '../../workflows/contracts/index.js';
import { buyerMailContext, offerNoticeEmail } from '../domain/emails/index.js';
import { said } from '../domain/timeline-texts.js';
import type { FieldIssue } from '../domain/validation.js';
import { issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';
import { note, nowIso, sendMail } from './shared.js';

/** A resend within this many minutes of the last one is refused (a double click, two people at once). */
export const RESEND_PAUSE_MINUTES = 10;

export type ResendOfferNoticeResult =
  | { ok: true; offerId: string; sentAt: string }
  | { ok: false; error: 'invalid-input'; issues: FieldIssue[] }
  | { ok: false; error: 'not-found' }
  /** The onboarding does not wait for the buyer's subscription (any more), or has no offer. */
  | { ok: false; error: 'not-waiting' }
  /** The offer's expiry has passed: extend or re-create it instead (OfferExpired). */
  | { ok: false; error: 'offer-expired' }
  | { ok: false; error: 'recently-resent'; at: string };

export async function resendOfferNotice(
  ports: Pick<Ports, 'onboardings' | 'mailer' | 'clock' | 'log'>,
  input: { onboardingId: string; actor: Actor },
): Promise<ResendOfferNoticeResult> {
  const id = OnboardingId.safeParse(input.onboardingId);
  const actor = StaffActor.safeParse(input.actor);
  if (!id.success || !actor.success) {
    return {
      ok: false,
      error: 'invalid-input',
      issues: [
        ...(id.success ? [] : issuesOf(id.error).map((i) => ({ ...i, path: 'onboardingId' }))),
        ...(actor.success ? [] : issuesOf(actor.error).map((i) => ({ ...i, path: `actor.${i.path}` }))),
      ],
    };
  }
  const onboarding = await ports.onboardings.get(id.data);
  if (!onboarding) return { ok: false, error: 'not-found' };
  const offer = onboarding.offer;
  if (onboarding.status !== 'active' || onboarding.stage !== 'AwaitAcceptance' || !offer) {
    return { ok: false, error: 'not-waiting' };
  }
  const now = ports.clock.now();
  if (Date.parse(offer.expiresAt) <= now.getTime()) return { ok: false, error: 'offer-expired' };
  const last = (await ports.onboardings.timeline(onboarding.id))
    .filter((e) => e.action === 'offer-notice-resent')
    .at(-1);
  if (last && now.getTime() - Date.parse(last.at) < RESEND_PAUSE_MINUTES * 60_000) {
    return { ok: false, error: 'recently-resent', at: last.at };
  }

  await sendMail(ports, {
    to: [onboarding.inquiry.email],
    ...offerNoticeEmail({
      ...buyerMailContext(onboarding),
      offerUrl: offer.url,
      offerName: onboarding.terms?.offerName ?? onboarding.plan,
      expiresAt: offer.expiresAt,
    }),
    tag: 'offer-notice-resent',
  });
  const sentAt = nowIso(ports);
  await note(
    ports,
    onboarding.id,
    actor.data,
    'AwaitAcceptance',
    'offer-notice-resent',
    said('offer-notice-resent', { offerId: offer.offerId }),
    { offerId: offer.offerId, offerExpiresAt: offer.expiresAt },
  );
  return { ok: true, offerId: offer.offerId, sentAt };
}
