/**
 * Support closes an onboarding at whatever human stage it waits: SendTaskFailure(`Onboarding.Closed`, cause = the
 * CloseRequest as JSON) on its open task. The workflow records the end (close-onboarding task).
 *
 * Only the onboarding's own stage task is closed: a deal step (Renewal, AdvisoryReview, CancellationAnswer) waits in
 * the agreement's lifecycle workflow, after the sale, and is answered on the deal view; failing its token with
 * Onboarding.Closed would end that step, not the onboarding. A Completed onboarding whose deal steps wait is refused
 * (`deal-steps-open`, naming them) rather than having one of them picked because it opened last.
 */

import type { Actor } from '../../workflows/contracts/actor.js';
import { CloseRequest } from '../../workflows/contracts/callbacks.js';
import { OnboardingId } from '../../workflows/contracts/inquiry.js';
import { staffMayClose } from '../../workflows/contracts/permissions.js';
import { type HumanStage, isDealStage } from '../../workflows/contracts/stage-registry.js';
import { WORKFLOW_ERRORS } from '../../workflows/contracts/workflow-errors.js';
import { isClaimable, isClaimLive } from '../domain/human-task.js';
import { type Invalid, invalid, issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';
import type { StageOutcome } from './complete-human-stage.js';
import { deliverToTask } from './deliver.js';

export type CloseResult =
  | { ok: true; outcome: 'closed'; stage: HumanStage }
  | Invalid
  | { ok: false; error: 'not-found' }
  /**
   * No human stage is waiting right now (the workflow is running a task, or has ended): try again shortly. With
   * `stage` when the waiting task of that stage ended another way meanwhile (completed, timed out).
   */
  | { ok: false; error: StageOutcome; stage?: HumanStage }
  /** The staff member's role may not close at the stage it waits at (workflows/contracts/permissions.ts). */
  | { ok: false; error: 'forbidden'; role: string; stage: HumanStage }
  /**
   * No stage of the onboarding waits (it has completed), but deal steps of its agreements do (`stages`, oldest first):
   * they are answered on the deal view; closing would not end them.
   */
  | { ok: false; error: 'deal-steps-open'; stages: HumanStage[] };

export async function closeOnboarding(
  ports: Pick<Ports, 'onboardings' | 'tasks' | 'callbacks' | 'clock' | 'log'>,
  input: { onboardingId: string; reason: unknown; actor: Actor },
): Promise<CloseResult> {
  const id = OnboardingId.safeParse(input.onboardingId);
  const request = CloseRequest.safeParse({ actor: input.actor, reason: input.reason });
  if (!id.success || !request.success) {
    return invalid([
      ...(id.success ? [] : issuesOf(id.error).map((i) => ({ ...i, path: 'onboardingId' }))),
      ...(request.success ? [] : issuesOf(request.error)),
    ]);
  }
  if (
    request.data.actor.kind === 'staff' &&
    !['sales', 'support', 'admin'].includes(request.data.actor.role)
  ) {
    return invalid([{ path: 'actor.role', message: 'only sales, support or admin can close an onboarding' }]);
  }
  const onboarding = await ports.onboardings.get(id.data);
  if (!onboarding) return { ok: false, error: 'not-found' };

  // open, or claimed by a completion that died while sending (deliverToTask takes such a claim over)
  const nowMs = ports.clock.now().getTime();
  const all = await ports.tasks.list(id.data);
  // the onboarding's own stages only: a deal step belongs to an agreement's lifecycle workflow
  const tasks = all.filter((t) => !isDealStage(t.stage));
  const open = tasks
    .filter((t) => isClaimable(t, nowMs))
    .sort((a, b) => b.openedAt.localeCompare(a.openedAt))[0];
  if (!open) {
    // a completion of the waiting stage is being sent right now: whether it went through is not known yet
    const sending = tasks.find((t) => isClaimLive(t, nowMs));
    if (sending) return { ok: false, error: 'in-progress', stage: sending.stage };
    const steps = all
      .filter((t) => isDealStage(t.stage) && (t.status === 'open' || t.status === 'claimed'))
      .sort((a, b) => a.openedAt.localeCompare(b.openedAt));
    return steps.length
      ? { ok: false, error: 'deal-steps-open', stages: [...new Set(steps.map((t) => t.stage))] }
      : { ok: false, error: 'not-open' };
  }

  const actor = request.data.actor;
  if (actor.kind === 'staff' && !staffMayClose(actor.role, open.stage))
    return { ok: false, error: 'forbidden', role: actor.role, stage: open.stage };
  const outcome = await deliverToTask(ports, {
    onboardingId: id.data,
    stage: open.stage,
    task: open,
    actor: request.data.actor,
    delivery: { kind: 'failure', error: WORKFLOW_ERRORS.closed, cause: JSON.stringify(request.data) },
  });
  return outcome === 'completed'
    ? { ok: true, outcome: 'closed', stage: open.stage }
    : { ok: false, error: outcome, stage: open.stage };
}
