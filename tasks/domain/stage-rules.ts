/**
 * Which stage may follow which, derived from the stage registry's forward edges (workflows/contracts/stage-registry.ts,
 * checked against the rendered state machine by test/workflows/graph.test.ts). The workflow decides the path; these
 * rules catch a record that would move somewhere the procedure never goes (e.g. leaving a terminal stage, or
 * activating before the offer exists). Staying at the same stage is always allowed (retries, polling).
 */
import { type Stage, stageEntry } from '../../workflows/contracts/stage-registry.js';
import { StageTransitionError } from './errors.js';

export function isTerminal(stage: Stage): boolean {
  return stageEntry(stage).terminal;
}

/** The registry's edges, with a Choice stage (no record rests there) also passed through to its branches. */
function forward(from: Stage): readonly Stage[] {
  return stageEntry(from).next.flatMap((to) =>
    stageEntry(to).kind === 'choice' ? [to, ...stageEntry(to).next] : [to],
  );
}

/**
 * Whether a record at `from` may move to `to`. Besides the registry's edges, a record may catch up over one step it
 * missed: a crash can lose the record update that follows a step whose effect already reached Step Functions (the
 * terms sent, a stage completed), and the next task then finds the record one step behind the workflow. The step
 * after is always recorded by that next task itself (it is retried until it is), so the record never lags by more.
 */
export function canMove(from: Stage, to: Stage): boolean {
  if (from === to) return true;
  if (isTerminal(from)) return false;
  // any live onboarding can end (Closed, SubscriptionFailed), and any stage can time out or fail into support's
  // escalation, which re-opens the stage it came from (a human stage, or a task such as CreateAccount)
  if (to === 'Closed' || to === 'SubscriptionFailed' || to === 'StageTimedOut') return true;
  if (from === 'StageTimedOut') return !isTerminal(to);
  const next = forward(from);
  return next.includes(to) || next.some((missed) => !isTerminal(missed) && forward(missed).includes(to));
}

export function assertCanMove(from: Stage, to: Stage): void {
  if (!canMove(from, to)) throw new StageTransitionError(from, to);
}
