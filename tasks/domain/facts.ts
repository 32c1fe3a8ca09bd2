/**
 * Facts that can arrive early or twice: stored first, then used to complete the waiting task; a task that opens after
 * its fact arrived completes at once (which facts complete which stage: the stage registry's `earlyFacts`). One fact
 * per (onboarding, kind), a deal step's answer one per step (factKey): the first one wins, a duplicate is recognised
 * and advances nothing.
 */
import type { Actor } from '../../workflows/contracts/actor.js';
import type {
  AcceptanceSignal,
  AccountSelectionChoice,
  BuyerRegistration,
  FulfillmentResolved,
} from '../../workflows/contracts/callbacks.js';
import type { DEAL_STEP_STAGES } from '../../workflows/contracts/lifecycle.js';
import { type EarlyFact, type HumanStage, humanStage } from '../../workflows/contracts/stage-registry.js';

type SystemActor = Extract<Actor, { kind: 'system' }>;

export interface AgreementCreatedFact {
  kind: 'agreement-created';
  onboardingId: string;
  at: string;
  source: 'agreement-event' | 'subscribe-success' | 'license-updated';
  customerAwsAccountId: string;
  agreementId?: string;
  licenseArn?: string;
  offerId?: string;
}

export interface BuyerArrivedFact {
  kind: 'buyer-arrived';
  onboardingId: string;
  at: string;
  resolved: Omit<FulfillmentResolved, 'actor'>;
}

export interface SubscriptionFailedFact {
  kind: 'subscription-failed';
  onboardingId: string;
  at: string;
  source: string;
  reason: string;
}

/**
 * The buyer submitted a stage's form a moment before the workflow opened that stage (7-1 right after the
 * fulfillment POST): the validated callback payload, used when the stage opens.
 */
export interface StageSubmittedFact {
  kind: Extract<EarlyFact, `${string}-submitted`>;
  onboardingId: string;
  at: string;
  stage: HumanStage;
  output: BuyerRegistration | AccountSelectionChoice;
}

/**
 * The marketplace's answer to a deal step that came before the step's task was stored (its lifecycle execution was
 * still starting, or Renewal was between two rounds): AWS's Resolved of an advisory, the buyer's answer to a
 * cancellation request, the renewing agreement. Kept per step (`subject`), and the step completes with it the moment
 * it opens, as onboarding stages do with their early facts.
 */
export interface DealAnswerFact {
  kind: 'deal-answer';
  onboardingId: string;
  at: string;
  stage: (typeof DEAL_STEP_STAGES)[number];
  /** Which step it answers (dealStepSubject): the agreement, and the request or advisory. */
  subject: string;
  /** The step's success payload (its callback contract), as the marketplace's answer gives it. */
  output: Record<string, unknown> & { actor: Actor };
}

export type Fact =
  | AgreementCreatedFact
  | BuyerArrivedFact
  | SubscriptionFailedFact
  | StageSubmittedFact
  | DealAnswerFact;

/** Where a fact is kept: one per kind and onboarding (the first one wins), a deal answer one per step it answers. */
export function factKey(fact: Fact): string {
  return fact.kind === 'deal-answer' ? `deal-answer#${fact.stage}#${fact.subject}` : fact.kind;
}

/**
 * Which deal step an answer is for, from what identifies it (the task's context, or the marketplace event): the
 * agreement's Renewal, the request's CancellationAnswer, the advisory's AdvisoryReview. An advisory AWS did not name
 * has none: its answer is not kept (it could complete a later advisory of the agreement).
 */
export function dealStepSubject(
  stage: HumanStage,
  about: { agreementId?: unknown; requestId?: unknown; advisoryId?: unknown } | undefined,
): string | undefined {
  const agreementId = typeof about?.agreementId === 'string' ? about.agreementId : undefined;
  if (!agreementId) return undefined;
  const own = (v: unknown) => (typeof v === 'string' && v ? `${agreementId}#${v}` : undefined);
  switch (stage) {
    case 'Renewal':
      return agreementId;
    case 'CancellationAnswer':
      return own(about?.requestId);
    case 'AdvisoryReview':
      return own(about?.advisoryId);
    default:
      return undefined;
  }
}

/** The kept answer of the deal step whose task has `context`, if it came before the step opened. */
export function dealAnswerFor(
  stage: HumanStage,
  context: Record<string, unknown> | undefined,
  facts: readonly Fact[],
): DealAnswerFact | undefined {
  const subject = dealStepSubject(stage, context);
  if (!subject) return undefined;
  return facts.find(
    (f): f is DealAnswerFact => f.kind === 'deal-answer' && f.stage === stage && f.subject === subject,
  );
}

/** Who stops the workflow on a marketplace signal (`subscribe-fail`, `agreement-ended`, ...): that signal, as the system. */
export const signalActor = (source: string): SystemActor => ({ kind: 'system', id: `marketplace-${source}` });

/**
 * The SendTaskFailure cause of `Onboarding.SubscriptionFailed`, as JSON: who acted (the signal, as the system), which
 * signal, why and when, so the execution history shows the actor of this callback like any other.
 */
export function subscriptionFailureCause(f: {
  source: string;
  reason: string;
  at: string;
  eventId?: string;
}): string {
  return JSON.stringify({
    actor: signalActor(f.source),
    source: f.source,
    reason: f.reason,
    ...(f.eventId ? { eventId: f.eventId } : {}),
    at: f.at,
  });
}

export type FactKind = Fact['kind'];

type EarlyOutput = AcceptanceSignal | FulfillmentResolved | BuyerRegistration | AccountSelectionChoice;

/** The success payload `fact` completes `stage` with (which facts complete which stage: the registry's earlyFacts). */
function outputOf(stage: HumanStage, fact: Fact): EarlyOutput | undefined {
  switch (fact.kind) {
    case 'agreement-created':
      return {
        actor: signalActor(fact.source),
        source: fact.source === 'subscribe-success' ? 'subscribe-success' : 'agreement-event',
        customerAwsAccountId: fact.customerAwsAccountId,
        ...(fact.agreementId ? { agreementId: fact.agreementId } : {}),
        ...(fact.licenseArn ? { licenseArn: fact.licenseArn } : {}),
        acceptedAt: fact.at,
      };
    case 'buyer-arrived': {
      const actor = { kind: 'buyer', id: fact.resolved.customerAwsAccountId } as const;
      // the buyer's own arrival is their acceptance (AwaitAcceptance) and the resolved token (AccountSetup)
      return stage === 'AwaitAcceptance'
        ? {
            actor,
            source: 'buyer-arrival',
            customerAwsAccountId: fact.resolved.customerAwsAccountId,
            licenseArn: fact.resolved.licenseArn,
            acceptedAt: fact.at,
          }
        : { actor, ...fact.resolved };
    }
    case 'registration-submitted':
    case 'selection-submitted':
      return fact.output;
    case 'subscription-failed':
    case 'deal-answer':
      return undefined;
  }
}

/** The success payload a fact completes its stage with, or undefined if no fact applies to that stage. */
export function completionFor(
  stage: HumanStage,
  facts: readonly Fact[],
): { output: EarlyOutput; fact: Fact } | undefined {
  const byKind = new Map(facts.map((f) => [f.kind, f] as const));
  for (const kind of humanStage(stage).earlyFacts ?? []) {
    const fact = byKind.get(kind);
    const output = fact && outputOf(stage, fact);
    if (fact && output) return { output, fact };
  }
  return undefined;
}
