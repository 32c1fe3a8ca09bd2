/** Who did what, when: the onboarding's own activity log (kept with it; the execution history is the other half). */
import type { Actor } from '../../workflows/contracts/actor.js';
import type { Stage } from '../../workflows/contracts/stage-registry.js';

export interface TimelineEntry {
  onboardingId: string;
  at: string;
  actor: Actor;
  stage: Stage;
  /** Short machine-readable action, e.g. `inquiry-recorded`, `stage-completed`, `offer-created`. */
  action: string;
  /** Human-readable one-liner. Never contains a task token. */
  summary: string;
  detail?: Record<string, unknown>;
}

export function entry(
  onboardingId: string,
  at: string,
  actor: Actor,
  stage: Stage,
  action: string,
  summary: string,
  detail?: Record<string, unknown>,
): TimelineEntry {
  return { onboardingId, at, actor, stage, action, summary, ...(detail ? { detail } : {}) };
}
