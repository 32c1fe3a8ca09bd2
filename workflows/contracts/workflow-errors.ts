/** Error names the workflow uses in SendTaskFailure and Fail states, and the task errors its Retry matches. */
export const WORKFLOW_ERRORS = {
  /** Support/sales closed the onboarding; cause = JSON CloseRequest. */
  closed: 'Onboarding.Closed',
  /** The buyer's subscription failed or was cancelled; cause = JSON with the signal. */
  subscriptionFailed: 'Onboarding.SubscriptionFailed',
  /** Activation was attempted before the subscription was confirmed (retryable). */
  subscriptionNotConfirmed: 'Onboarding.SubscriptionNotConfirmed',
  /**
   * Sales extended the offer while AwaitAcceptance waits: the workflow moves the offer's expiry (ExtendOffer) and
   * waits again until the new one; cause = JSON OfferExtension (actor, new offerExpiresAt).
   */
  offerExtended: 'Onboarding.OfferExtended',
  /** The change set creating the offer failed; cause = JSON failure details. */
  offerFailed: 'Onboarding.OfferFailed',
  /** Fail state: support did not act on an escalation in time; cause = JSON WorkflowReason. */
  timedOut: 'Onboarding.TimedOut',
  /** Fail state: a step failed and could not be recovered; cause = JSON WorkflowReason. */
  failed: 'Onboarding.Failed',
  /** A task lost an optimistic-concurrency race on a record more often than it retries itself (retryable). */
  concurrentUpdate: 'Onboarding.ConcurrentUpdate',
  /**
   * The vendor's SaaS (provisioning port) could not be reached or did not answer in time (retryable with backoff;
   * after the retries the onboarding goes to support's escalation with the reason).
   */
  provisioningUnavailable: 'Onboarding.ProvisioningUnavailable',
  /** The vendor's SaaS refused a provisioning call (e.g. an unknown plan): support decides. */
  provisioningRefused: 'Onboarding.ProvisioningRefused',
  /** An AWS service the task called throttled it beyond the SDK's own retries (retryable). */
  throttled: 'Onboarding.Throttled',
  /**
   * Powertools Idempotency: the same invocation is still marked in progress (a run that is still going, or one that
   * died before it finished; the mark lapses at that run's deadline). The error name Powertools throws, unchanged.
   */
  inProgress: 'IdempotencyAlreadyInProgressError',
} as const;
