/**
 * The episodes of the deal that wait (issue 11), each one execution of the lifecycle state machine
 * (workflows/lifecycle-workflow.ts):
 * - an agreement's first `Ending` notice starts its `renewal`: sales' Renewal task, due when the agreement ends; a
 *   RENEW or REPLACE agreement created for it completes the task (the marketplace acted), or sales records a decision;
 * - an ended agreement with a grace period starts its `grace`: the workflow waits until the plan's end is due, then
 *   `end-plan-if-due` ends it unless a renewal arrived meanwhile (the reconciliation stays the backstop);
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
import type { Ports } from '../ports/index.js';
import { endPlanIfDue, type LifecyclePorts } from './agreement-lifecycle.js';
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
): Promise<'renewal-started' | 'grace-started' | 'renewal-completed' | 'nothing'> {
  if (!s.agreementId) return 'nothing';
  const agreement = await ports.agreementRecords.get(onboarding.id, s.agreementId);
  if (!agreement) return 'nothing';
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
  if (s.kind === 'agreement-created' && s.previousAgreementId) {
    const done = await completeRenewal(ports, onboarding.id, s.previousAgreementId, {
      action: 'renewed',
      actor: signalActor(s.origin === 'sns' ? 'sns' : 'eventbridge'),
      agreementId: s.agreementId,
    });
    return done ? 'renewal-completed' : 'nothing';
  }
  return 'nothing';
}

/** Completes the open Renewal task of `agreementId` (not another agreement's) with the marketplace's answer. */
async function completeRenewal(
  ports: DealStepPorts,
  onboardingId: string,
  agreementId: string,
  output: { action: 'renewed'; actor: Actor; agreementId: string },
): Promise<boolean> {
  const task = await ports.tasks.get(onboardingId, 'Renewal');
  if (!task || task.status !== 'open' || task.context?.agreementId !== agreementId) return false;
  const outcome = await deliverToTask(ports, {
    onboardingId,
    stage: 'Renewal',
    task,
    actor: output.actor,
    delivery: { kind: 'success', output },
  });
  return outcome === 'completed';
}

/** The words of a deal step's outcome, as the deal view shows them (English as stored). */
function outcomeSummary(input: Extract<AgreementEpisodeInput, { action: 'record-outcome' }>): string {
  const d = input.decision as { action?: string; actor?: Actor; note?: string; agreementId?: string } | null;
  const by = d?.actor ? ` by ${d.actor.kind} ${d.actor.id}` : '';
  const note = d?.note ? `: ${d.note}` : '';
  const r = input.reason;
  if (!d) {
    if (r?.kind === 'timed-out') return `${input.stage}: nobody acted before it was due`;
    return `${input.stage} ended without a decision (${r?.kind ?? 'unknown'}: ${r?.error ?? ''})`;
  }
  switch (d.action) {
    case 'offer-sent':
      return `Renewal: a renewal offer was sent${by}${note}`;
    case 'not-renewing':
      return `Renewal: the customer does not renew${by}${note}`;
    case 'renewed':
      return `Renewal: continued by ${d.agreementId ?? 'a new agreement'}`;
    case 'reviewed':
      return `Advisory reviewed${by}${note}`;
    case 'resolved':
      return 'Advisory resolved by AWS Marketplace';
    default:
      return `${input.stage}: ${d.action ?? 'decided'}${by}${note}`;
  }
}

/** The lifecycle workflow's task function (agreement-episode). */
export async function runAgreementEpisode(
  ports: LifecyclePorts,
  input: AgreementEpisodeInput,
): Promise<AgreementEpisodeResult> {
  const onboarding = await ports.onboardings.get(input.onboardingId);
  if (!onboarding) throw new OnboardingNotFoundError(input.onboardingId);
  const agreement = await ports.agreementRecords.get(input.onboardingId, input.agreementId);
  if (input.action === 'end-plan-if-due') {
    if (!agreement) return { outcome: 'not-due' };
    return { outcome: await endPlanIfDue(ports, onboarding, agreement) };
  }
  if (!agreement) return { outcome: 'recorded' };
  const summary = outcomeSummary(input);
  // one outcome per step and agreement: a retried task records it once
  const eventId = `step:${input.stage}:${input.agreementId}`;
  for (let attempt = 1, current = agreement; ; attempt++) {
    const next = withEpisode(current, { at: nowIso(ports), kind: 'step-ended', summary, eventId });
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
