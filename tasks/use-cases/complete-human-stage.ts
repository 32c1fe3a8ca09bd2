/**
 * Completing a human stage from the console, the CLI or the buyer's pages: validate with the stage's callback
 * contract (the authenticated actor wins over any actor in the payload), then resume the workflow at most once.
 */
import type * as z from 'zod';
import { Actor } from '../../workflows/contracts/actor.js';
import {
  type AccountSelectionChoice,
  type AgreedTerms,
  type BuyerRegistration,
  STAGE_CALLBACKS,
} from '../../workflows/contracts/callbacks.js';
import { OnboardingId } from '../../workflows/contracts/inquiry.js';
import { HumanStage } from '../../workflows/contracts/stages.js';
import { type Onboarding, withTerms } from '../domain/onboarding.js';
import { type FieldIssue, type Invalid, invalid, issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';
import { type DeliveryOutcome, deliverToTask } from './deliver.js';
import { nowIso, updateOnboarding } from './shared.js';

export type StageOutcome = Exclude<DeliveryOutcome, 'completed'>;

export type CompleteStageResult =
  | { ok: true; outcome: 'completed'; stage: HumanStage }
  | Invalid
  | { ok: false; error: 'not-found' }
  | { ok: false; error: StageOutcome };

export interface CompleteStageInput {
  onboardingId: string;
  stage: string;
  payload: unknown;
  actor: Actor;
}

type CompletePorts = Pick<Ports, 'onboardings' | 'tasks' | 'callbacks' | 'clock' | 'log'>;

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
  if (!id.success || !stage.success || !actor.success) return invalid(issues);

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

  const onboarding = await ports.onboardings.get(id.data);
  if (!onboarding) return { ok: false, error: 'not-found' };

  const outcome = await deliverToTask(ports, {
    onboardingId: id.data,
    stage: stage.data,
    actor: actor.data,
    delivery: { kind: 'success', output: parsed.data },
  });
  if (outcome !== 'completed') return { ok: false, error: outcome };

  await updateOnboarding(ports, id.data, (o) => applyCompletion(o, stage.data, parsed.data, nowIso(ports)));
  return { ok: true, outcome: 'completed', stage: stage.data };
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
            : { kind: 'existing', userId: r.userId },
        updatedAt: at,
      };
    }
    case 'AccountSelection':
      return { ...o, accountId: (value as AccountSelectionChoice).accountId, updatedAt: at };
    default:
      return o;
  }
}
