/**
 * Facts that can arrive early or twice: stored first, then used to complete the waiting task; a task that opens after
 * its fact arrived completes at once (which facts complete which stage: the stage registry's `earlyFacts`). One fact
 * per (onboarding, kind): the first one wins, a duplicate is recognised and advances nothing.
 */
import type { Actor } from '../../workflows/contracts/actor.js';
import type {
  AcceptanceSignal,
  AccountSelectionChoice,
  BuyerRegistration,
  FulfillmentResolved,
} from '../../workflows/contracts/callbacks.js';
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

export type Fact = AgreementCreatedFact | BuyerArrivedFact | SubscriptionFailedFact | StageSubmittedFact;

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
