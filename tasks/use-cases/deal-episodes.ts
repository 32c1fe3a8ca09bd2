/**
 * The episodes of the deal (issue 11), each one execution of the lifecycle state machine
 * (workflows/lifecycle-workflow.ts):
 * - an amendment (Amended, License Updated) starts an `amend`: the tenant's plan follows the new entitlements;
 * - an agreement's first `Ending` notice starts its `renewal`: sales' Renewal task, due when the agreement ends; a
 *   RENEW or REPLACE agreement created for it completes the task (the marketplace acted), or sales records a decision;
 * - an ended agreement with a grace period starts its `grace`: the workflow waits until the plan's end is due, then
 *   `end-plan-if-due` ends it unless a renewal arrived meanwhile (the reconciliation stays the backstop);
 * - AWS's advisory on an agreement starts its `advisory`: support's AdvisoryReview; AWS's Resolved completes it;
 * - the workflow's RecordOutcome step records how a deal step ended on the agreement (`record-outcome`).
 * Execution names are per agreement and episode, so a redelivered or reconciled event starts nothing twice.
 */
import type { Actor } from '../../workflows/contracts/actor.js';
import type { AgreementEpisodeInput, AgreementEpisodeResult } from '../../workflows/contracts/lifecycle.js';
import { isEnded, withEpisode } from '../domain/agreement.js';
import { ConcurrentUpdateError, OnboardingNotFoundError } from '../domain/errors.js';
import { signalActor } from '../domain/facts.js';
import type { MarketplaceSignal } from '../domain/marketplace-signals.js';
import type { Onboarding } from '../domain/onboarding.js';
import { kept, type Said, said } from '../domain/timeline-texts.js';
import type { Ports } from '../ports/index.js';
import { changePlanToEntitlements, endPlanIfDue, type LifecyclePorts } from './agreement-lifecycle.js';
import { deliverToTask } from './deliver.js';
import { nowIso, UPDATE_ATTEMPTS } from './shared.js';

export type DealStepPorts = Pick<
  Ports,
  'agreementRecords' | 'episodes' | 'tasks' | 'callbacks' | 'clock' | 'onboardings' | 'log'
>;

/**
 * After a marketplace signal was recorded on its agreement (recordAgreementEpisode): starts the episode that waits
 * for it, or completes the deal step it answers. Answers what it did, for the caller's log.
 */
export async function advanceDeal(
  ports: DealStepPorts,
  onboarding: Onboarding,
  s: MarketplaceSignal,
): Promise<
  | 'amend-started'
  | 'renewal-started'
  | 'grace-started'
  | 'renewal-completed'
  | 'advisory-started'
  | 'advisory-completed'
  | 'nothing'
> {
  if (!s.agreementId) return 'nothing';
  const agreement = await ports.agreementRecords.get(onboarding.id, s.agreementId);
  if (!agreement) return 'nothing';
  if (s.kind === 'agreement-amended' || s.kind === 'license-updated') {
    // after the end an amendment changes nothing (recorded as late); before the paid plan there is no plan to change
    if (isEnded(agreement) || !onboarding.paidPlan) return 'nothing';
    const { started } = await ports.episodes.start({
      episode: 'amend',
      onboardingId: onboarding.id,
      agreementId: agreement.agreementId,
      eventId: s.eventId,
    });
    return started ? 'amend-started' : 'nothing';
  }
  if (s.kind === 'agreement-ending') {
    const endTime = s.endTime ?? agreement.endTime;
    // already ended or already renewed: nothing to prepare
    if (!endTime || isEnded(agreement) || agreement.nextAgreementId) return 'nothing';
    const { started } = await ports.episodes.start({
      episode: 'renewal',
      onboardingId: onboarding.id,
      agreementId: agreement.agreementId,
      endTime,
      context: {
        agreementId: agreement.agreementId,
        endTime,
        ...(s.daysBeforeEnd !== undefined ? { daysBeforeEnd: s.daysBeforeEnd } : {}),
      },
    });
    return started ? 'renewal-started' : 'nothing';
  }
  if (s.kind === 'agreement-ended' || s.kind === 'license-deprovisioned') {
    const due = agreement.planEndsAt;
    const settled = agreement.episodes.some((e) => e.kind === 'plan-ended' || e.kind === 'plan-kept');
    if (!due || settled) return 'nothing';
    const { started } = await ports.episodes.start({
      episode: 'grace',
      onboardingId: onboarding.id,
      agreementId: agreement.agreementId,
      planEndsAt: due,
    });
    return started ? 'grace-started' : 'nothing';
  }
  if (s.kind === 'advisory-issued') {
    const { started } = await ports.episodes.start({
      episode: 'advisory',
      onboardingId: onboarding.id,
      agreementId: agreement.agreementId,
      context: {
        agreementId: agreement.agreementId,
        ...(s.advisory?.id ? { advisoryId: s.advisory.id } : {}),
        ...(s.advisory?.type ? { type: s.advisory.type } : {}),
        ...(s.advisory?.description ? { description: s.advisory.description } : {}),
      },
    });
    return started ? 'advisory-started' : 'nothing';
  }
  if (s.kind === 'advisory-resolved') {
    const done = await completeStep(ports, onboarding.id, 'AdvisoryReview', agreement.agreementId, {
      action: 'resolved',
      actor: signalActor('eventbridge'),
    });
    return done ? 'advisory-completed' : 'nothing';
  }
  if (s.kind === 'agreement-created' && s.previousAgreementId) {
    const done = await completeStep(ports, onboarding.id, 'Renewal', s.previousAgreementId, {
      action: 'renewed',
      actor: signalActor(s.origin === 'sns' ? 'sns' : 'eventbridge'),
      agreementId: s.agreementId,
    });
    return done ? 'renewal-completed' : 'nothing';
  }
  return 'nothing';
}

/** Completes the open deal step of `agreementId` (not another agreement's) with the marketplace's answer. */
async function completeStep(
  ports: DealStepPorts,
  onboardingId: string,
  stage: 'Renewal' | 'AdvisoryReview',
  agreementId: string,
  output: Record<string, unknown> & { actor: Actor },
): Promise<boolean> {
  const task = await ports.tasks.get(onboardingId, stage);
  if (!task || task.status !== 'open' || task.context?.agreementId !== agreementId) return false;
  const outcome = await deliverToTask(ports, {
    onboardingId,
    stage,
    task,
    actor: output.actor,
    delivery: { kind: 'success', output },
  });
  return outcome === 'completed';
}

/** What a deal step's end says on the agreement (the catalogue's `step-ended`, read in each reader's language). */
function outcomeText(input: Extract<AgreementEpisodeInput, { action: 'record-outcome' }>): Said {
  const d = input.decision as { action?: string; actor?: Actor; note?: string; agreementId?: string } | null;
  const actor = d?.actor;
  const by = actor ? (actor.kind === 'staff' ? (actor.name ?? actor.id) : actor.id) : undefined;
  const outcome =
    d?.action ?? (input.reason?.kind === 'timed-out' ? 'timed-out' : (input.reason?.error ?? 'ended'));
  return said('step-ended', {
    stage: input.stage,
    outcome,
    ...(by && actor?.kind !== 'system' ? { by } : {}),
    ...(d?.note ? { note: d.note } : {}),
    ...(d?.agreementId ? { next: d.agreementId } : {}),
  });
}

/** The lifecycle workflow's task function (agreement-episode). */
export async function runAgreementEpisode(
  ports: LifecyclePorts,
  input: AgreementEpisodeInput,
): Promise<AgreementEpisodeResult> {
  const onboarding = await ports.onboardings.get(input.onboardingId);
  if (!onboarding) throw new OnboardingNotFoundError(input.onboardingId);
  const agreement = await ports.agreementRecords.get(input.onboardingId, input.agreementId);
  if (input.action === 'change-plan') {
    if (!agreement || isEnded(agreement) || !onboarding.paidPlan) return { outcome: 'unchanged' };
    const after = await changePlanToEntitlements(ports, onboarding, agreement);
    return { outcome: after === agreement ? 'unchanged' : 'changed' };
  }
  if (input.action === 'end-plan-if-due') {
    if (!agreement) return { outcome: 'not-due' };
    // the workflow's Wait is the timer: the end is due at least at the instant it waited for
    const waited = input.waitedUntil ? Date.parse(input.waitedUntil) : 0;
    const clock = {
      now: () => new Date(Math.max(ports.clock.now().getTime(), waited)),
      sleep: (ms: number) => ports.clock.sleep(ms),
    };
    return { outcome: await endPlanIfDue({ ...ports, clock }, onboarding, agreement) };
  }
  if (!agreement) return { outcome: 'recorded' };
  const text = kept(outcomeText(input));
  // one outcome per step and agreement: a retried task records it once
  const eventId = `step:${input.stage}:${input.agreementId}`;
  for (let attempt = 1, current = agreement; ; attempt++) {
    const next = withEpisode(current, { at: nowIso(ports), kind: 'step-ended', ...text, eventId });
    if (next === current) return { outcome: 'recorded' };
    try {
      await ports.agreementRecords.save(next);
      return { outcome: 'recorded' };
    } catch (err) {
      const again = await ports.agreementRecords.get(input.onboardingId, input.agreementId);
      if (!(err instanceof ConcurrentUpdateError) || attempt >= UPDATE_ATTEMPTS || !again) throw err;
      current = again;
    }
  }
}
