/**
 * Time travel: the simulator's clock moves forward by a duration, and what AWS would have done in between happens
 * now, in time order per agreement: the `Purchase Agreement Ending` notices whose day was passed (180, 120, 90, 60,
 * 30 days before an agreement's end), agreements reaching their end (EXPIRED, with their Ended events), and
 * cancellation requests left unanswered for 7 days (approved). Offers and registration tokens simply compare with
 * the new time (an offer past its AvailabilityEndDate can no longer be accepted).
 */

import { settleCancellationRequests } from './agreement/cancellation.js';
import { ENDING_DAYS, notifyEnding } from './agreement/lifecycle.js';
import { endAgreement } from './buyer/subscriptions.js';
import type { SimulatorClock } from './clock.js';
import type { SimulatorContext } from './core.js';
import { addDuration } from './dates.js';
import type { AgreementRecord } from './model.js';

export interface TimeTravel {
  readonly from: string;
  readonly to: string;
  readonly endingNotices: Array<{ agreementId: string; daysBeforeEndTime: number }>;
  readonly expired: string[];
  readonly autoApproved: number;
}

const DAY = 86_400_000;

/** `duration`: ISO 8601 (`P7D`, `PT12H`, `P1M`), at most 5 years ahead. */
export function advanceClock(ctx: SimulatorContext, clock: SimulatorClock, duration: string): TimeTravel {
  const from = clock.now();
  const to = addDuration(from, duration);
  const ms = to.getTime() - from.getTime();
  if (!(ms > 0) || ms > 5 * 366 * DAY) throw new RangeError('The clock moves forward by up to 5 years.');
  // cancellation requests due before the jump are approved at their time, not after it
  const autoApprovedBefore = settleCancellationRequests(ctx);
  clock.advance(ms);
  const endingNotices: TimeTravel['endingNotices'] = [];
  const expired: string[] = [];
  const active = ctx.store.filter<AgreementRecord>('agreement', (a) => a.status === 'ACTIVE' && !!a.endTime);
  for (const a of active) {
    const end = Date.parse(a.endTime as string);
    for (const days of ENDING_DAYS) {
      const at = end - days * DAY;
      if (at > from.getTime() && at <= to.getTime()) {
        notifyEnding(ctx, a.agreementId, days);
        endingNotices.push({ agreementId: a.agreementId, daysBeforeEndTime: days });
      }
    }
  }
  const autoApproved = autoApprovedBefore + settleCancellationRequests(ctx);
  for (const a of active) {
    const now = ctx.store.peek<AgreementRecord>('agreement', a.agreementId);
    if (now?.status === 'ACTIVE' && Date.parse(a.endTime as string) <= to.getTime()) {
      endAgreement(ctx, a.agreementId, 'EXPIRED', a.endTime);
      expired.push(a.agreementId);
    }
  }
  ctx.log.info('clock advanced', { duration, to: to.toISOString(), endingNotices: endingNotices.length });
  return { from: from.toISOString(), to: to.toISOString(), endingNotices, expired, autoApproved };
}
