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
