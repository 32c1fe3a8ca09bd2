/**
 * The workflow variables (`Assign`) that carry the onboarding across states. State outputs stay small; whatever a
 * later state needs is in one of these. Every variable is assigned its initial value by `Inquiry` (and by its
 * catcher), so no expression ever reads a variable that was never assigned. Which variable receives each human stage's
 * callback payload is that stage's `resultVariable` in the stage registry (contracts/stage-registry.ts).
 */
export const INITIAL_VARIABLES = {
  /** OnboardingRef returned by record-inquiry. */
  onboarding: null,
  /** AgreedTerms from Consultation (replaced by OfferFailed → retry and OfferExpired → recreate). */
  terms: null,
  /** create-offer attempts so far; the ClientRequestToken of each StartChangeSet is per attempt. */
  offerAttempt: 0,
  /** extend-offer attempts so far. */
  extendAttempt: 0,
  /** The change set being polled (create or extend). */
  changeSetId: null,
  /** DescribeChangeSet calls for the current change set. */
  polls: 0,
  /** The last ChangeSetStatus from check-offer. */
  offerStatus: null,
  /** The offer: id, expiry and whether it was created through the API or by hand. */
  offerId: null,
  offerExpiresAt: null,
  offerSource: null,
  /** AcceptanceSignal from AwaitAcceptance. */
  acceptance: null,
  /** FulfillmentResolved from AccountSetup. */
  fulfillment: null,
  /** BuyerRegistration from Registration. */
  registration: null,
  /** AccountSelectionChoice from AccountSelection (7-2). */
  selection: null,
  /** The SaaS account that gets the paid plan (CreateAccount or AccountSelection). */
  accountId: null,
  /** PaidPlanActivated from ActivatePaidPlan. */
  activation: null,
  /**
   * Where the current extension of the offer came from: `OfferExpired` (sales' decision on the expired offer) or
   * `AwaitAcceptance` (sales extended it while the buyer had not subscribed); a failed extension is reported there.
   */
  extendFrom: null,
  /**
   * The offer's expiry when sales asked to extend it while AwaitAcceptance waited: if the extension fails, the offer is
   * still live until then, and the workflow waits for the buyer again until it (ExtensionFailed).
   */
  keptOfferExpiresAt: null,
  /** The last staff decision (OfferFailed, OfferExpired, StageTimedOut). */
  decision: null,
  /** WorkflowReason: why the workflow left its happy path (see contracts/task-io.ts). */
  reason: null,
} as const;

export type WorkflowVariable = keyof typeof INITIAL_VARIABLES;

/** `$name` of a workflow variable, checked against the list above. */
export const v = (name: WorkflowVariable): string => `$${name}`;
