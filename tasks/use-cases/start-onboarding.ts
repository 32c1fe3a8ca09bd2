/** Step 1 from the inquiry form or API: validate, new onboarding id, StartExecution named by it. */
import { Actor } from '../../workflows/contracts/actor.js';
import { Inquiry, type OnboardingStart } from '../../workflows/contracts/inquiry.js';
import { rateLimit } from '../domain/rate-limits.js';
import { type Invalid, invalid, issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';
import { nowIso } from './shared.js';

export type StartOnboardingResult =
  | { ok: true; onboardingId: string; executionArn: string }
  | Invalid
  | { ok: false; error: 'already-exists'; onboardingId: string }
  /** The public form's limits (tasks/domain/rate-limits.ts): too many from this client or to this address. */
  | { ok: false; error: 'rate-limited'; retryAfterSeconds: number };

/**
 * `client` (the public form's caller address) turns the per-client limits on: the form mails an address nobody has
 * verified yet, so neither one client nor one recipient may get more than a few in a while. Staff tools pass none.
 */
export async function startOnboarding(
  ports: Pick<Ports, 'callbacks' | 'ids' | 'clock' | 'log'> & Partial<Pick<Ports, 'rateLimits' | 'config'>>,
  input: { inquiry: unknown; actor: Actor; onboardingId?: string; client?: string },
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
  return { ok: true, onboardingId, executionArn: started.executionArn };
}
