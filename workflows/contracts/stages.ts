/** The stages of the procedure, as state names of the workflow (design §1). */
import * as z from 'zod';

export const STAGES = [
  'Inquiry',
  'Consultation',
  'CreateOffer',
  'SendOfferNotice',
  'AwaitAcceptance',
  'AccountSetup',
  'Registration',
  'NewOrExisting',
  'CreateAccount',
  'AccountSelection',
  'ActivatePaidPlan',
  'NotifyCompletion',
  // side paths
  'OfferFailed',
  'OfferExpired',
  'StageTimedOut',
  'SubscriptionFailed',
  // ends
  'Completed',
  'Closed',
] as const;
export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;

/** Stages that pause on a task token until a person (staff or buyer) or a marketplace signal resumes them. */
export const HUMAN_STAGES = [
  'Consultation',
  'OfferFailed',
  'AwaitAcceptance',
  'OfferExpired',
  'AccountSetup',
  'Registration',
  'AccountSelection',
  'StageTimedOut',
] as const satisfies readonly Stage[];
export const HumanStage = z.enum(HUMAN_STAGES);
export type HumanStage = z.infer<typeof HumanStage>;

/** Who is expected to complete a human stage. */
export const STAGE_ASSIGNEE: Record<HumanStage, 'sales' | 'support' | 'buyer'> = {
  Consultation: 'sales',
  OfferFailed: 'sales',
  AwaitAcceptance: 'buyer',
  OfferExpired: 'sales',
  AccountSetup: 'buyer',
  Registration: 'buyer',
  AccountSelection: 'buyer',
  StageTimedOut: 'support',
};

/** Error names the workflow uses in SendTaskFailure and Fail states. */
export const WORKFLOW_ERRORS = {
  /** Support/sales closed the onboarding; cause = JSON CloseRequest. */
  closed: 'Onboarding.Closed',
  /** The buyer's subscription failed or was cancelled; cause = JSON with the signal. */
  subscriptionFailed: 'Onboarding.SubscriptionFailed',
  /** Activation was attempted before the subscription was confirmed (retryable). */
  subscriptionNotConfirmed: 'Onboarding.SubscriptionNotConfirmed',
  /** The change set creating the offer failed; cause = JSON failure details. */
  offerFailed: 'Onboarding.OfferFailed',
  /** Fail state: support did not act on an escalation in time; cause = JSON WorkflowReason. */
  timedOut: 'Onboarding.TimedOut',
  /** Fail state: a step failed and could not be recovered; cause = JSON WorkflowReason. */
  failed: 'Onboarding.Failed',
} as const;
