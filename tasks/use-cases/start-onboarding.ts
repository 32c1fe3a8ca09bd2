/** Step 1 from the inquiry form or API: validate, new onboarding id, StartExecution named by it. */
import { Actor } from '../../workflows/contracts/actor.js';
import { Inquiry, type OnboardingStart } from '../../workflows/contracts/inquiry.js';
import { type Invalid, invalid, issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';
import { nowIso } from './shared.js';

export type StartOnboardingResult =
  | { ok: true; onboardingId: string; executionArn: string }
  | Invalid
  | { ok: false; error: 'already-exists'; onboardingId: string };

export async function startOnboarding(
  ports: Pick<Ports, 'callbacks' | 'ids' | 'clock' | 'log'>,
  input: { inquiry: unknown; actor: Actor; onboardingId?: string },
): Promise<StartOnboardingResult> {
  const inquiry = Inquiry.safeParse(input.inquiry);
  const actor = Actor.safeParse(input.actor);
  if (!inquiry.success || !actor.success) {
    return invalid([
      ...(inquiry.success ? [] : issuesOf(inquiry.error)),
      ...(actor.success ? [] : issuesOf(actor.error).map((i) => ({ ...i, path: `actor.${i.path}` }))),
    ]);
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
