/** Step 1 from the inquiry form or API: validate, new onboarding id, StartExecution named by it. */

import { Actor } from '../../workflows/contracts/actor.js';
import { Inquiry, type OnboardingStart } from '../../workflows/contracts/inquiry.js';
import { isLive } from '../domain/onboarding.js';
import { rateLimit } from '../domain/rate-limits.js';
import { said } from '../domain/timeline-texts.js';
import { type Invalid, invalid, issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';
import { note, nowIso } from './shared.js';

export type StartOnboardingResult =
  | { ok: true; onboardingId: string; executionArn: string }
  | Invalid
  | { ok: false; error: 'already-exists'; onboardingId: string }
  /** The public form's limits (tasks/domain/rate-limits.ts): too many from this client or to this address. */
  | { ok: false; error: 'rate-limited'; retryAfterSeconds: number }
  /**
   * A live onboarding has the same AWS account and e-mail (the buyer went back and sent again): nothing started; the
   * form asks whether this is another request (`allowDuplicate`). Which onboarding it is stays unsaid.
   */
  | { ok: false; error: 'possible-duplicate' };

/**
 * `client` (the public form's caller address) turns the per-client limits on: the form mails an address nobody has
 * verified yet, so neither one client nor one recipient may get more than a few in a while. Staff tools pass none.
 */
export async function startOnboarding(
  ports: Pick<Ports, 'callbacks' | 'ids' | 'clock' | 'log'> &
    Partial<Pick<Ports, 'rateLimits' | 'config' | 'onboardings'>>,
  input: { inquiry: unknown; actor: Actor; onboardingId?: string; client?: string; allowDuplicate?: boolean },
): Promise<StartOnboardingResult> {
  const inquiry = Inquiry.safeParse(input.inquiry);
  const actor = Actor.safeParse(input.actor);
  if (!inquiry.success || !actor.success) {
    return invalid([
      ...(inquiry.success ? [] : issuesOf(inquiry.error)),
      ...(actor.success ? [] : issuesOf(actor.error).map((i) => ({ ...i, path: `actor.${i.path}` }))),
    ]);
  }
  if (input.client !== undefined && ports.rateLimits) {
    const verdicts = [
      await ports.rateLimits.hit(rateLimit('inquiryPerAddress', ports.config?.rateLimits), input.client),
      await ports.rateLimits.hit(rateLimit('inquiryPerEmail', ports.config?.rateLimits), inquiry.data.email),
    ];
    const refused = verdicts.filter((v) => !v.allowed);
    if (refused.length) {
      ports.log.warn('inquiry refused by a rate limit', { counts: verdicts.map((v) => v.count) });
      return {
        ok: false,
        error: 'rate-limited',
        retryAfterSeconds: Math.max(...refused.map((v) => v.retryAfterSeconds)),
      };
    }
  }
  // the same buyer again (same AWS account and e-mail) while an onboarding of theirs is live: ask before a second one
  const twin = ports.onboardings
    ? (await ports.onboardings.findByBuyerAccount(inquiry.data.awsAccountId)).find(
        (o) =>
          isLive(o) &&
          o.id !== input.onboardingId &&
          o.inquiry.email.toLowerCase() === inquiry.data.email.toLowerCase(),
      )
    : undefined;
  if (twin && !input.allowDuplicate) {
    ports.log.info('inquiry held: a live onboarding has the same account and e-mail');
    return { ok: false, error: 'possible-duplicate' };
  }
  const onboardingId = input.onboardingId ?? ports.ids.onboardingId();
  const start: OnboardingStart = {
    onboardingId,
    inquiry: inquiry.data,
    actor: actor.data,
    receivedAt: nowIso(ports),
  };
  const started = await ports.callbacks.startExecution(onboardingId, start);
  if (!started.ok) return { ok: false, error: 'already-exists', onboardingId };
  ports.log.info('onboarding started', { onboardingId, executionArn: started.executionArn });
  if (twin && ports.onboardings) {
    // support sees it on the new onboarding's page and may close it as a duplicate (merge) or go on
    await note(
      { ...ports, onboardings: ports.onboardings },
      onboardingId,
      actor.data,
      'Inquiry',
      'possible-duplicate',
      said('possible-duplicate', { duplicateOf: twin.id }),
      { duplicateOf: twin.id },
    );
  }
  return { ok: true, onboardingId, executionArn: started.executionArn };
}
