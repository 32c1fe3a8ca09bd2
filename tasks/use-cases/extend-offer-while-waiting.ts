/**
 * Sales (or an admin) extends the offer while the workflow waits for the buyer to subscribe (AwaitAcceptance), before
 * it expires (issue 11 item 4, issue 12 item 5). The new expiry is checked here, on its field, before anything is
 * sent: a date in the future, after the current expiry, and no later than the workflow can wait (a Standard
 * execution lasts at most a year; the Catalog itself only asks for a future AvailabilityEndDate). Then, at most once,
 * SendTaskFailure `Onboarding.OfferExtended` on the waiting task (the token stays server side) with the actor and the
 * new expiry as its cause: the workflow moves the offer's expiry (ExtendOffer, UpdateAvailability), mails the buyer
 * the offer again with the new expiry, and waits in AwaitAcceptance until the new expiry.
 */

import {
  type Actor,
  OfferExtension,
  OnboardingId,
  StaffActor,
  staffMayExtendOffer,
} from '../../workflows/contracts/index.js';
import { WORKFLOW_ERRORS } from '../../workflows/contracts/workflow-errors.js';
import { said } from '../domain/timeline-texts.js';
import { type FieldIssue, type Invalid, invalid, issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';
import { type DeliveryOutcome, deliverToTask } from './deliver.js';
import { note } from './shared.js';

/**
 * A Standard execution runs at most 365 days; the new expiry keeps two days of it free (the acceptance grace, the
 * steps after the buyer subscribes), counted from when the onboarding started.
 */
export const LATEST_EXPIRY_DAYS = 363;

export type ExtendOfferResult =
  | { ok: true; offerId: string; offerExpiresAt: string; previousExpiresAt: string }
  | Invalid
  | { ok: false; error: 'not-found' }
  /** Only sales and admins extend an offer. */
  | { ok: false; error: 'forbidden'; role: string }
  /** The onboarding does not wait for the buyer's subscription (any more), or has no offer. */
  | { ok: false; error: 'not-waiting' }
  /** The waiting task could not be resumed: it is being resumed right now, timed out or moved on. */
  | { ok: false; error: Exclude<DeliveryOutcome, 'completed'> };

/**
 * A `YYYY-MM-DD` typed by a person (the console's date field, the CLI's --expires) as the end of that day in UTC,
 * which is when an AvailabilityEndDate of that day ends; anything else is passed on as typed, for the contract to
 * refuse on the field.
 */
export function offerExpiryFromDate(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const d = new Date(`${v}T23:59:59Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v)
    ? `${v}T23:59:59Z`
    : `${v} is not a date`;
}

/** The latest expiry the workflow can wait for, for an onboarding that started at `startedAt` (end of day, UTC). */
export function latestOfferExpiry(startedAt: string): string {
  const day = new Date(Date.parse(startedAt) + LATEST_EXPIRY_DAYS * 86_400_000).toISOString().slice(0, 10);
  return `${day}T23:59:59Z`;
}

export async function extendOfferWhileWaiting(
  ports: Pick<Ports, 'onboardings' | 'tasks' | 'callbacks' | 'clock' | 'log'>,
  input: { onboardingId: string; offerExpiresAt: unknown; actor: Actor },
): Promise<ExtendOfferResult> {
  const id = OnboardingId.safeParse(input.onboardingId);
  const actor = StaffActor.safeParse(input.actor);
  const request = OfferExtension.safeParse({ actor: input.actor, offerExpiresAt: input.offerExpiresAt });
  if (!id.success || !actor.success || !request.success) {
    return invalid([
      ...(id.success ? [] : issuesOf(id.error).map((i) => ({ ...i, path: 'onboardingId' }))),
      ...(actor.success ? [] : issuesOf(actor.error).map((i) => ({ ...i, path: `actor.${i.path}` }))),
      ...(request.success || !actor.success ? [] : issuesOf(request.error)),
    ]);
  }
  if (!staffMayExtendOffer(actor.data.role)) return { ok: false, error: 'forbidden', role: actor.data.role };
  const onboarding = await ports.onboardings.get(id.data);
  if (!onboarding) return { ok: false, error: 'not-found' };
  const offer = onboarding.offer;
  if (onboarding.status !== 'active' || onboarding.stage !== 'AwaitAcceptance' || !offer)
    return { ok: false, error: 'not-waiting' };

  const wanted = request.data.offerExpiresAt;
  const issue = expiryIssue(wanted, {
    now: ports.clock.now().getTime(),
    current: offer.expiresAt,
    latest: latestOfferExpiry(onboarding.createdAt),
  });
  if (issue) return invalid([issue]);

  const outcome = await deliverToTask(ports, {
    onboardingId: id.data,
    stage: 'AwaitAcceptance',
    actor: actor.data,
    delivery: {
      kind: 'failure',
      error: WORKFLOW_ERRORS.offerExtended,
      cause: JSON.stringify(request.data),
    },
  });
  if (outcome !== 'completed') return { ok: false, error: outcome };
  await note(
    ports,
    id.data,
    actor.data,
    'AwaitAcceptance',
    'offer-extension-asked',
    said('offer-extension-asked', { offerId: offer.offerId, from: offer.expiresAt, to: wanted }),
    { offerId: offer.offerId, previousExpiresAt: offer.expiresAt, offerExpiresAt: wanted },
  );
  return { ok: true, offerId: offer.offerId, offerExpiresAt: wanted, previousExpiresAt: offer.expiresAt };
}

/** What is wrong with a new expiry, on the `offerExpiresAt` field (sentences: tasks/domain/field-messages.ts). */
export function expiryIssue(
  wanted: string,
  bounds: { now: number; current: string; latest: string },
): FieldIssue | undefined {
  const at = Date.parse(wanted);
  const path = 'offerExpiresAt';
  if (at <= bounds.now) return { path, message: 'offerExpiresAt must be in the future', kind: 'not_future' };
  if (at <= Date.parse(bounds.current))
    return {
      path,
      message: `offerExpiresAt must be after the current expiry ${bounds.current}`,
      kind: 'not_after',
      limit: bounds.current.slice(0, 10),
    };
  if (at > Date.parse(bounds.latest))
    return {
      path,
      message: `offerExpiresAt must be on or before ${bounds.latest}`,
      kind: 'too_late',
      limit: bounds.latest.slice(0, 10),
    };
  return undefined;
}
