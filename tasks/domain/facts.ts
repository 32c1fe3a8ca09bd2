/**
 * Facts that can arrive early or twice (design §4): stored first, then used to complete the waiting task; a task
 * that opens after its fact arrived completes at once. One fact per (onboarding, kind): the first one wins, a
 * duplicate is recognised and advances nothing.
 */
import type { Actor } from '../../workflows/contracts/actor.js';
import type {
  AcceptanceSignal,
  AccountSelectionChoice,
  BuyerRegistration,
  FulfillmentResolved,
} from '../../workflows/contracts/callbacks.js';
import type { HumanStage, Stage } from '../../workflows/contracts/stages.js';

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
  kind: 'registration-submitted' | 'selection-submitted';
  onboardingId: string;
  at: string;
  stage: 'Registration' | 'AccountSelection';
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

/** Buyer stages that accept a submission before they open, the fact kind it is kept as, and the stages before. */
export const EARLY_SUBMISSIONS = {
  Registration: { kind: 'registration-submitted', openFrom: ['AwaitAcceptance', 'AccountSetup'] },
  // The buyer can log in (Registration, itself early) and pick the account before the workflow reached either stage.
  AccountSelection: {
    kind: 'selection-submitted',
    openFrom: ['AwaitAcceptance', 'AccountSetup', 'Registration', 'NewOrExisting'],
  },
} as const satisfies Partial<
  Record<HumanStage, { kind: StageSubmittedFact['kind']; openFrom: readonly Stage[] }>
>;
export type FactKind = Fact['kind'];

/** The success payload a fact completes its stage with, or undefined if the fact does not apply to that stage. */
export function completionFor(
  stage: HumanStage,
  facts: readonly Fact[],
):
  | {
      output: AcceptanceSignal | FulfillmentResolved | BuyerRegistration | AccountSelectionChoice;
      fact: Fact;
    }
  | undefined {
  const byKind = new Map(facts.map((f) => [f.kind, f] as const));
  if (stage === 'AwaitAcceptance') {
    const agreement = byKind.get('agreement-created') as AgreementCreatedFact | undefined;
    if (agreement) {
      const output: AcceptanceSignal = {
        actor: signalActor(agreement.source),
        source: agreement.source === 'subscribe-success' ? 'subscribe-success' : 'agreement-event',
        customerAwsAccountId: agreement.customerAwsAccountId,
        ...(agreement.agreementId ? { agreementId: agreement.agreementId } : {}),
        ...(agreement.licenseArn ? { licenseArn: agreement.licenseArn } : {}),
        acceptedAt: agreement.at,
      };
      return { output, fact: agreement };
    }
    const arrival = byKind.get('buyer-arrived') as BuyerArrivedFact | undefined;
    if (arrival) {
      const output: AcceptanceSignal = {
        actor: { kind: 'buyer', id: arrival.resolved.customerAwsAccountId },
        source: 'buyer-arrival',
        customerAwsAccountId: arrival.resolved.customerAwsAccountId,
        licenseArn: arrival.resolved.licenseArn,
        acceptedAt: arrival.at,
      };
      return { output, fact: arrival };
    }
    return undefined;
  }
  if (stage === 'AccountSetup') {
    const arrival = byKind.get('buyer-arrived') as BuyerArrivedFact | undefined;
    if (!arrival) return undefined;
    const output: FulfillmentResolved = {
      actor: { kind: 'buyer', id: arrival.resolved.customerAwsAccountId },
      ...arrival.resolved,
    };
    return { output, fact: arrival };
  }
  if (stage === 'Registration' || stage === 'AccountSelection') {
    const submitted = byKind.get(EARLY_SUBMISSIONS[stage].kind) as StageSubmittedFact | undefined;
    return submitted ? { output: submitted.output, fact: submitted } : undefined;
  }
  return undefined;
}

/** Stages a recorded subscription failure stops at once (the buyer's side of the procedure). */
export const STOPPED_BY_SUBSCRIPTION_FAILURE: readonly HumanStage[] = [
  'AwaitAcceptance',
  'AccountSetup',
  'Registration',
  'AccountSelection',
];
