/**
 * Completing a human stage from the console, the CLI or the buyer's pages: validate with the stage's callback
 * contract (the authenticated actor wins over any actor in the payload), then resume the workflow at most once.
 */

import type * as z from 'zod';
import { Actor } from '../../workflows/contracts/actor.js';
import type {
  AccountSelectionChoice,
  AgreedTerms,
  BuyerRegistration,
} from '../../workflows/contracts/callbacks.js';
import { OnboardingId } from '../../workflows/contracts/inquiry.js';
import { staffMayClose, staffMayComplete } from '../../workflows/contracts/permissions.js';
import { HumanStage, humanStage, STAGE_CALLBACKS } from '../../workflows/contracts/stage-registry.js';
import { OpenHumanTask } from '../../workflows/contracts/task-io.js';
import { type Onboarding, withTerms } from '../domain/onboarding.js';
import { said } from '../domain/timeline-texts.js';
import { type FieldIssue, type Invalid, invalid, issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';
import { type DeliveryOutcome, deliverToTask } from './deliver.js';
import { note, nowIso, updateOnboarding } from './shared.js';

export type StageOutcome = Exclude<DeliveryOutcome, 'completed'>;

export type CompleteStageResult =
  /** `early`: the buyer was a moment ahead of the workflow; kept, and used the moment the stage opens. */
  | { ok: true; outcome: 'completed'; stage: HumanStage; early?: true }
  | Invalid
  | { ok: false; error: 'not-found' }
  | { ok: false; error: StageOutcome }
  /** The staff member's role may not do this at this stage (workflows/contracts/permissions.ts). */
  | { ok: false; error: 'forbidden'; role: string };

export interface CompleteStageInput {
  onboardingId: string;
  stage: string;
  payload: unknown;
  actor: Actor;
  /**
   * Which of a deal stage's waiting steps (the task's instance, as the deal view lists it); without one, the oldest
   * step of that stage still waiting.
   */
  instance?: string;
}

/** With `facts`, a buyer stage submitted a moment before it opens is kept for it (the registry's earlySubmission). */
type CompletePorts = Pick<Ports, 'onboardings' | 'tasks' | 'callbacks' | 'clock' | 'log'> &
  Partial<Pick<Ports, 'facts'>>;

export async function completeHumanStage(
  ports: CompletePorts,
  input: CompleteStageInput,
): Promise<CompleteStageResult> {
  const issues: FieldIssue[] = [];
  const id = OnboardingId.safeParse(input.onboardingId);
  if (!id.success) issues.push(...issuesOf(id.error).map((i) => ({ ...i, path: 'onboardingId' })));
  const stage = HumanStage.safeParse(input.stage);
  if (!stage.success)
    issues.push({ path: 'stage', message: `stage must be one of ${HumanStage.options.join(', ')}` });
  const actor = Actor.safeParse(input.actor);
  if (!actor.success) issues.push(...issuesOf(actor.error).map((i) => ({ ...i, path: `actor.${i.path}` })));
  if (input.instance !== undefined && !OpenHumanTask.shape.instance.safeParse(input.instance).success)
    // said to people by the message catalogue (tasks/domain/field-messages.ts: instance), in their language
    issues.push({ path: 'instance', kind: 'format', message: 'instance must name a waiting deal step' });
  if (!id.success || !stage.success || !actor.success || issues.length) return invalid(issues);

  const schema: z.ZodType = STAGE_CALLBACKS[stage.data];
  const body = (input.payload && typeof input.payload === 'object' ? input.payload : {}) as Record<
    string,
    unknown
  >;
  // the authenticated actor also signs nested agreed terms (OfferFailed retry, OfferExpired recreate)
  const terms =
    body.terms && typeof body.terms === 'object' ? { terms: { ...body.terms, actor: actor.data } } : {};
  const parsed = schema.safeParse({ ...body, ...terms, actor: actor.data });
  if (!parsed.success) return invalid(issuesOf(parsed.error));
  if (actor.data.kind === 'staff') {
    const role = actor.data.role;
    const closing = (parsed.data as { action?: unknown }).action === 'close';
    if (!(closing ? staffMayClose(role, stage.data) : staffMayComplete(role, stage.data)))
      return { ok: false, error: 'forbidden', role };
  }
  // an offer that would expire before it is published fails at the marketplace later: refuse it here, on its field
  const expiry = offerExpiryOf(parsed.data);
  if (expiry && Date.parse(expiry.value) <= ports.clock.now().getTime())
    return invalid([
      { path: expiry.path, message: `${expiry.path.split('.').at(-1)} must be in the future` },
    ]);

  const onboarding = await ports.onboardings.get(id.data);
  if (!onboarding) return { ok: false, error: 'not-found' };

  const outcome = await deliverToTask(ports, {
    onboardingId: id.data,
    stage: stage.data,
    actor: actor.data,
    delivery: { kind: 'success', output: parsed.data },
    ...(input.instance ? { instance: input.instance } : {}),
  });
  if (outcome === 'not-open' && ports.facts) {
    const early = await submitEarly(
      ports as CompletePorts & Pick<Ports, 'facts'>,
      onboarding,
      stage.data,
      parsed.data,
      actor.data,
    );
    if (early) return early;
  }
  if (outcome !== 'completed') return { ok: false, error: outcome };

  await updateOnboarding(ports, id.data, (o) => applyCompletion(o, stage.data, parsed.data, nowIso(ports)));
  return { ok: true, outcome: 'completed', stage: stage.data };
}

/**
 * 7-1/7-2 right after the fulfillment POST: the buyer can submit Registration (or AccountSelection) a moment before
 * the workflow opens it. The validated payload is kept as a fact (first one wins); open-human-task completes the
 * stage with it at once. Checking the task again after recording closes the race with a task opening meanwhile.
 */
async function submitEarly(
  ports: CompletePorts & Pick<Ports, 'facts'>,
  onboarding: Onboarding,
  stage: HumanStage,
  value: unknown,
  actor: Actor,
): Promise<CompleteStageResult | undefined> {
  const rule = humanStage(stage).earlySubmission;
  if (!rule?.from.includes(onboarding.stage)) return undefined;
  const at = nowIso(ports);
  const recorded = await ports.facts.record({
    kind: rule.fact,
    onboardingId: onboarding.id,
    at,
    stage,
    output: value as BuyerRegistration | AccountSelectionChoice,
  });
  if (recorded === 'duplicate') return { ok: false, error: 'already-completed' };
  await updateOnboarding(ports, onboarding.id, (o) => applyCompletion(o, stage, value, at));
  await note(
    ports,
    onboarding.id,
    actor,
    onboarding.stage,
    'stage-submitted-early',
    said('stage-submitted-early', { stage }),
  );
  // the task may have opened meanwhile: then complete it now (at most once, as always)
  await deliverToTask(ports, {
    onboardingId: onboarding.id,
    stage,
    actor,
    delivery: { kind: 'success', output: value },
  });
  return { ok: true, outcome: 'completed', stage, early: true };
}

/** The offer expiry a staff decision sets (agreed terms, a retry or re-creation, an extension), and its field. */
function offerExpiryOf(value: unknown): { path: string; value: string } | undefined {
  const v = value as { offerExpiresAt?: unknown; terms?: { offerExpiresAt?: unknown } };
  if (typeof v.offerExpiresAt === 'string') return { path: 'offerExpiresAt', value: v.offerExpiresAt };
  if (typeof v.terms?.offerExpiresAt === 'string')
    return { path: 'terms.offerExpiresAt', value: v.terms.offerExpiresAt };
  return undefined;
}

/** What the onboarding record keeps from each stage's completion. */
function applyCompletion(o: Onboarding, stage: HumanStage, value: unknown, at: string): Onboarding {
  switch (stage) {
    case 'Consultation':
      return withTerms(o, value as AgreedTerms, at);
    case 'Registration': {
      const r = value as BuyerRegistration;
      return {
        ...o,
        registration:
          r.kind === 'new'
            ? { kind: 'new', accountName: r.accountName, email: r.email }
            : {
                kind: 'existing',
                userId: r.userId,
                ...(r.issuer ? { issuer: r.issuer } : {}),
                ...(r.email ? { email: r.email } : {}),
              },
        updatedAt: at,
      };
    }
    case 'AccountSelection':
      return { ...o, accountId: (value as AccountSelectionChoice).accountId, updatedAt: at };
    default:
      return o;
  }
}
