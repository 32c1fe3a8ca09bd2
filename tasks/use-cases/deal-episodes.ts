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
import type { CancellationAnswer } from '../../workflows/contracts/callbacks.js';
import type { AgreementEpisodeInput, AgreementEpisodeResult } from '../../workflows/contracts/lifecycle.js';
import { isDealStage } from '../../workflows/contracts/stage-registry.js';
import { type Agreement, type AgreementEpisode, isEnded, withEpisode } from '../domain/agreement.js';
import { buyerMailContext, renewalOfferEmail } from '../domain/emails/index.js';
import { OnboardingNotFoundError } from '../domain/errors.js';
import { dealStepSubject, signalActor } from '../domain/facts.js';
import type { MarketplaceSignal } from '../domain/marketplace-signals.js';
import {
  bareOfferId,
  buildReplacementOfferChangeSet,
  clientRequestToken,
} from '../domain/offer-change-set.js';
import { dealStepEnded, type Onboarding } from '../domain/onboarding.js';
import { kept, type Said, said } from '../domain/timeline-texts.js';
import { offerUrl } from '../ports/config.js';
import type { Ports } from '../ports/index.js';
import { CatalogError } from '../ports/offer-catalog.js';
import { type CancellationPorts, refreshAgreementCancellation } from './agreement-cancellation.js';
import {
  changePlanToEntitlements,
  endPlanIfDue,
  type LifecyclePorts,
  updateAgreement,
} from './agreement-lifecycle.js';
import { deliverToTask } from './deliver.js';
import { renewalOfferSentEventId } from './replaced-agreement.js';
import { nowIso, sendMail, updateOnboarding } from './shared.js';

/** The agreement-episode function's ports: the lifecycle's, and the Catalog API for the renewal offer. */
export type AgreementEpisodePorts = LifecyclePorts &
  Pick<Ports, 'catalog' | 'tasks'> &
  Pick<CancellationPorts, 'cancellations'>;

export type DealStepPorts = Pick<
  Ports,
  'agreementRecords' | 'episodes' | 'tasks' | 'facts' | 'callbacks' | 'clock' | 'onboardings' | 'log'
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
  | 'cancellation-answered'
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
        // AWS renews it by itself unless sales acts before the lockout
        ...(agreement.autoRenewalEnabled ? { autoRenewal: true } : {}),
        ...(agreement.autoRenewalEnabled && agreement.lockoutStartTime
          ? { lockoutStartTime: agreement.lockoutStartTime }
          : {}),
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
      advisoryId: s.advisory?.id ?? s.eventId,
      context: {
        agreementId: agreement.agreementId,
        ...(s.advisory?.id ? { advisoryId: s.advisory.id } : {}),
        ...(s.advisory?.type ? { type: s.advisory.type } : {}),
        ...(s.advisory?.description ? { description: s.advisory.description } : {}),
        ...(s.advisory?.issuedAt ? { issuedAt: s.advisory.issuedAt } : {}),
      },
    });
    return started ? 'advisory-started' : 'nothing';
  }
  // the buyer's answer to a seller's cancellation request (or AWS's refusal, or sales' withdrawal): the request's step
  const answered = s.cancellationRequest && ANSWERS[s.kind];
  if (answered && s.cancellationRequest) {
    const done = await completeStep(
      ports,
      onboarding.id,
      'CancellationAnswer',
      agreement.agreementId,
      {
        action: 'answered',
        actor: signalActor('eventbridge'),
        requestId: s.cancellationRequest.id,
        status: answered,
      },
      { key: 'requestId', value: s.cancellationRequest.id },
    );
    return done ? 'cancellation-answered' : 'nothing';
  }
  if (s.kind === 'advisory-resolved') {
    const done = await completeStep(
      ports,
      onboarding.id,
      'AdvisoryReview',
      agreement.agreementId,
      { action: 'resolved', actor: signalActor('eventbridge') },
      s.advisory?.id ? { key: 'advisoryId', value: s.advisory.id } : undefined,
    );
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

/**
 * Completes the open deal step of `agreementId` (not another agreement's, nor another request's or advisory's when
 * `own` names it: each waits in its own task) with the marketplace's answer. When no such step waits yet (its
 * execution is still starting, or Renewal is between two rounds), the answer is kept for it (a deal-answer fact) and
 * open-human-task completes the step with it the moment it opens.
 */
async function completeStep(
  ports: DealStepPorts,
  onboardingId: string,
  stage: 'Renewal' | 'AdvisoryReview' | 'CancellationAnswer',
  agreementId: string,
  output: Record<string, unknown> & { actor: Actor },
  own?: { key: 'requestId' | 'advisoryId'; value: string },
): Promise<boolean> {
  const waitingStep = async () => {
    const waiting = (await ports.tasks.list(onboardingId)).filter(
      (t) => t.stage === stage && t.status === 'open' && t.context?.agreementId === agreementId,
    );
    // an advisory's Resolved names its advisory; a review whose advisory AWS did not name still takes it
    return own
      ? (waiting.find((t) => t.context?.[own.key] === own.value) ??
          (own.key === 'advisoryId' ? waiting.find((t) => t.context?.advisoryId === undefined) : undefined))
      : waiting[0];
  };
  let task = await waitingStep();
  if (!task) {
    const subject = dealStepSubject(stage, { agreementId, ...(own ? { [own.key]: own.value } : {}) });
    if (!subject) return false;
    const at = nowIso(ports);
    await ports.facts.record({ kind: 'deal-answer', onboardingId, at, stage, subject, output });
    // the step may have opened meanwhile (it read the facts before this one was kept): complete it now
    task = await waitingStep();
    if (!task) return false;
  }
  const outcome = await deliverToTask(ports, {
    onboardingId,
    stage,
    task,
    actor: output.actor,
    delivery: { kind: 'success', output },
  });
  return outcome === 'completed';
}

/** The cancellation request events that answer it, as CancellationAnswer's status. */
const ANSWERS: Partial<Record<MarketplaceSignal['kind'], CancellationAnswer['status']>> = {
  'cancellation-approved': 'APPROVED',
  'cancellation-rejected': 'REJECTED',
  'cancellation-cancelled': 'CANCELLED',
  'cancellation-failed': 'VALIDATION_FAILED',
};
/** How a CancellationAnswer reads on the agreement (the catalogue's step-ended outcomes). */
const ANSWER_OUTCOME: Record<CancellationAnswer['status'], string> = {
  APPROVED: 'approved',
  REJECTED: 'rejected',
  CANCELLED: 'withdrawn',
  VALIDATION_FAILED: 'validation-failed',
};

/** What a deal step's end says on the agreement (the catalogue's `step-ended`, read in each reader's language). */
function outcomeText(input: Extract<AgreementEpisodeInput, { action: 'record-outcome' }>): Said {
  // a step that ended by a catch (timed out, failed, closed) says so, even if an earlier round decided something
  // (Renewal → draft-offer → Renewal again, then nobody acted)
  if (input.reason)
    return said('step-ended', {
      stage: input.stage,
      outcome: input.reason.kind === 'timed-out' ? 'timed-out' : input.reason.error,
    });
  const d = input.decision as { action?: string; actor?: Actor; note?: string; agreementId?: string } | null;
  const actor = d?.actor;
  const by = actor ? (actor.kind === 'staff' ? (actor.name ?? actor.id) : actor.id) : undefined;
  const status = (d as { status?: CancellationAnswer['status'] } | null)?.status;
  const outcome = (d?.action === 'answered' && status ? ANSWER_OUTCOME[status] : d?.action) ?? 'ended';
  return said('step-ended', {
    stage: input.stage,
    outcome,
    ...(by && actor?.kind !== 'system' ? { by } : {}),
    ...(d?.note ? { note: d.note } : {}),
    ...(d?.agreementId ? { next: d.agreementId } : {}),
  });
}

/** Adds one episode to the agreement (once per eventId), retrying on a concurrent update. */
async function recordOnAgreement(
  ports: Pick<LifecyclePorts, 'agreementRecords'>,
  agreement: Agreement,
  episode: AgreementEpisode,
): Promise<Agreement> {
  const { onboardingId, agreementId } = agreement;
  return (
    await updateAgreement(
      ports,
      onboardingId,
      agreementId,
      () => agreement,
      (a) => withEpisode(a, episode),
    )
  ).after;
}

const renewalFailure = (
  ports: AgreementEpisodePorts,
  agreement: Agreement,
  key: string,
  failure: { code: string; message: string },
) =>
  recordOnAgreement(ports, agreement, {
    at: nowIso(ports),
    kind: 'renewal-offer-failed',
    ...kept(said('renewal-offer-failed', failure)),
    eventId: `renewal-offer-failed:${key}`,
  });

/** Renewal → draft-offer: StartChangeSet of the replacement offer; a refusal is recorded and answered as failed. */
async function createRenewalOffer(
  ports: AgreementEpisodePorts,
  onboarding: Onboarding,
  agreement: Agreement,
  input: Extract<AgreementEpisodeInput, { action: 'create-renewal-offer' }>,
): Promise<AgreementEpisodeResult> {
  const { terms, attempt } = input;
  const request = {
    changes: buildReplacementOfferChangeSet({
      agreementId: agreement.agreementId,
      terms,
      company: onboarding.inquiry.company,
    }),
    clientRequestToken: clientRequestToken(agreement.agreementId, 'renewal', attempt),
    changeSetName: `Renewal ${agreement.agreementId} offer attempt ${attempt}`,
  };
  let started: { changeSetId: string };
  try {
    started = await ports.catalog.startChangeSet(request);
  } catch (err) {
    if (!(err instanceof CatalogError) || err.kind === 'busy') throw err;
    // a run of this task that died after StartChangeSet left its change set: go on with it
    const own =
      err.kind === 'rejected' ? await ports.catalog.findChangeSet(request.changeSetName) : undefined;
    if (!own) {
      const failure = { code: err.code, message: err.message };
      await renewalFailure(ports, agreement, `start:${attempt}`, failure);
      return { outcome: 'failed', failure };
    }
    started = own;
  }
  const actor = terms.actor;
  await recordOnAgreement(ports, agreement, {
    at: nowIso(ports),
    kind: 'renewal-offer-requested',
    ...kept(
      said('renewal-offer-requested', {
        changeSetId: started.changeSetId,
        attempt,
        by: actor.name ?? actor.id,
      }),
    ),
    eventId: `renewal-offer-requested:${started.changeSetId}`,
    by: actor,
  });
  return { outcome: 'started', changeSetId: started.changeSetId };
}

/** DescribeChangeSet of the renewal offer: released (its offer id), failed (recorded), or still running. */
async function checkRenewalOffer(
  ports: AgreementEpisodePorts,
  agreement: Agreement,
  input: Extract<AgreementEpisodeInput, { action: 'check-renewal-offer' }>,
): Promise<AgreementEpisodeResult> {
  const d = await ports.catalog.describeChangeSet(input.changeSetId);
  const { changeSetId } = input;
  if (d.status === 'SUCCEEDED') {
    const create = d.changes.find((c) => c.changeType === 'CreateReplacementOffer' && c.entityId);
    if (create?.entityId) return { outcome: 'succeeded', changeSetId, offerId: bareOfferId(create.entityId) };
    const failure = { code: 'NO_OFFER', message: `change set ${changeSetId} succeeded but names no offer` };
    await renewalFailure(ports, agreement, changeSetId, failure);
    return { outcome: 'failed', changeSetId, failure };
  }
  if (d.status === 'FAILED' || d.status === 'CANCELLED') {
    const first = d.changes.flatMap((c) => c.errors.map((e) => ({ ...e, change: c.changeType })))[0];
    const failure = first
      ? { code: first.code, message: `${first.change}: ${first.message}` }
      : { code: d.failureCode ?? d.status, message: d.failureDescription ?? d.status };
    await renewalFailure(ports, agreement, changeSetId, failure);
    return { outcome: 'failed', changeSetId, failure };
  }
  if (input.lastCheck) {
    const failure = {
      code: 'STILL_RUNNING',
      message: `change set ${changeSetId} still ${d.status} after ${input.check} checks`,
    };
    await renewalFailure(ports, agreement, changeSetId, failure);
    return { outcome: 'failed', changeSetId, failure };
  }
  return { outcome: 'pending', changeSetId };
}

/** The renewal offer is released: record it on the agreement and mail the buyer its link (once per offer). */
async function sendRenewalOffer(
  ports: AgreementEpisodePorts,
  onboarding: Onboarding,
  agreement: Agreement,
  input: Extract<AgreementEpisodeInput, { action: 'send-renewal-offer' }>,
): Promise<AgreementEpisodeResult> {
  const { offerId, terms } = input;
  const eventId = renewalOfferSentEventId(offerId);
  if (agreement.episodes.some((e) => e.eventId === eventId)) return { outcome: 'sent', offerId };
  const url = offerUrl(ports.config, offerId);
  await sendMail(ports, {
    to: [onboarding.inquiry.email],
    ...renewalOfferEmail({
      ...buyerMailContext(onboarding),
      offerUrl: url,
      offerName: terms.offerName,
      expiresAt: terms.offerExpiresAt,
      agreementId: agreement.agreementId,
    }),
    tag: 'renewal-offer',
  });
  // its agreement (a REPLACE, maybe naming no previous agreement) finds this onboarding by the offer
  await ports.onboardings.linkRef('offer', offerId, onboarding.id);
  await recordOnAgreement(ports, agreement, {
    at: nowIso(ports),
    kind: 'renewal-offer-sent',
    ...kept(said('renewal-offer-sent', { offerId, expiresAt: terms.offerExpiresAt })),
    eventId,
  });
  return { outcome: 'sent', offerId };
}

/** The lifecycle workflow's task function (agreement-episode). */
export async function runAgreementEpisode(
  ports: AgreementEpisodePorts,
  input: AgreementEpisodeInput,
): Promise<AgreementEpisodeResult> {
  const onboarding = await ports.onboardings.get(input.onboardingId);
  if (!onboarding) throw new OnboardingNotFoundError(input.onboardingId);
  const agreement = await ports.agreementRecords.get(input.onboardingId, input.agreementId);
  if (
    input.action === 'create-renewal-offer' ||
    input.action === 'check-renewal-offer' ||
    input.action === 'send-renewal-offer'
  ) {
    if (!agreement) throw new Error(`agreement ${input.agreementId} has no record`);
    if (input.action === 'create-renewal-offer')
      return createRenewalOffer(ports, onboarding, agreement, input);
    if (input.action === 'check-renewal-offer') return checkRenewalOffer(ports, agreement, input);
    return sendRenewalOffer(ports, onboarding, agreement, input);
  }
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
  if (input.action === 'refresh-cancellation') {
    // no answer came in time (AWS delivers events best effort): read the request and apply what AWS says
    const status = await refreshAgreementCancellation(ports, input);
    if (status === undefined || status === 'PENDING_APPROVAL') return { outcome: 'unchanged' };
    const answer: CancellationAnswer = {
      action: 'answered',
      actor: { kind: 'system', id: 'marketplace-agreement-api' },
      requestId: input.requestId,
      status,
    };
    return { outcome: 'changed', answer };
  }
  // the step no longer waits: off the work lists
  const stage = input.stage;
  // another deal step still open (a Renewal while an advisory was reviewed, a second advisory) takes its place on
  // the list; this step is this execution's task (a task kept before instances existed: the stage's)
  const ended = (t: { stage: string; instance?: string }) =>
    t.instance ? t.instance === input.execution : t.stage === stage;
  const open = (await ports.tasks.list(onboarding.id)).filter(
    (t) => isDealStage(t.stage) && !ended(t) && (t.status === 'open' || t.status === 'claimed'),
  );
  await updateOnboarding(
    ports,
    onboarding.id,
    (o) => dealStepEnded(o, stage, nowIso(ports), open),
    onboarding,
  );
  if (!agreement) return { outcome: 'recorded' };
  const text = kept(outcomeText(input));
  // one outcome per step and agreement: a retried task records it once
  const eventId = `step:${input.execution ?? `${input.stage}:${input.agreementId}`}`;
  await recordOnAgreement(ports, agreement, { at: nowIso(ports), kind: 'step-ended', ...text, eventId });
  return { outcome: 'recorded' };
}
