/**
 * What the state machine passes to each task Lambda and what each returns. The workflow (workflows/) builds these
 * payloads with JSONata; the handlers (tasks/handlers/) parse them with these schemas. Keep both sides in step here.
 */
import * as z from 'zod';
import { AgreedTerms, BuyerRegistration, OfferId } from './callbacks.js';
import { AwsAccountId, awsAccountIdField, Locale, OnboardingId, OnboardingStart } from './inquiry.js';
import { HumanStage, Stage } from './stage-registry.js';

/** record-inquiry receives the execution input as it is (OnboardingStart), also when support re-opens it. */
export const RecordInquiryInput = OnboardingStart;

/** record-inquiry → returned as the onboarding's reference, kept in a workflow variable. */
export const OnboardingRef = z.object({
  onboardingId: OnboardingId,
  locale: Locale,
  company: z.string(),
  email: z.email(),
  awsAccountId: AwsAccountId,
});
export type OnboardingRef = z.infer<typeof OnboardingRef>;

/** open-human-task: every `.waitForTaskToken` stage. The token is stored server side, never shown. */
export const OpenHumanTask = z.object({
  onboardingId: OnboardingId,
  stage: HumanStage,
  taskToken: z.string().min(1, 'taskToken is required'),
  /** When the stage times out (the state's TimeoutSeconds from now). */
  dueAt: z.iso.datetime({ offset: true }),
  /** For StageTimedOut: the stage that timed out and why. For OfferFailed: the failure. Free-form, shown to staff. */
  context: z.record(z.string(), z.unknown()).optional(),
  /**
   * A deal step's instance: the lifecycle execution's name. Each instance keeps its own task (two advisories, or a
   * renewal and a later one, never share a record or a token). Onboarding stages have none: one task per stage.
   */
  instance: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/, 'instance must be 1-80 letters, digits, hyphens or underscores')
    .optional(),
});
export type OpenHumanTask = z.infer<typeof OpenHumanTask>;
export const HumanTaskOpened = z.object({
  stage: HumanStage,
  openedAt: z.iso.datetime({ offset: true }),
  /** True when the fact this stage awaits had already arrived and the task was completed at once. */
  completedAtOnce: z.boolean(),
});

/** create-offer: one StartChangeSet creating and releasing the private offer. */
export const CreateOfferInput = z.object({
  onboardingId: OnboardingId,
  buyerAwsAccountId: awsAccountIdField('buyerAwsAccountId'),
  terms: AgreedTerms,
  /** Increases on each re-creation so ClientRequestToken stays idempotent per attempt. */
  attempt: z.number().int().min(1),
});
export const ChangeSetStarted = z.object({ changeSetId: z.string(), changeSetArn: z.string().optional() });

/** extend-offer: a change set moving the offer's expiry (UpdateAvailability). */
export const ExtendOfferInput = z.object({
  onboardingId: OnboardingId,
  offerId: OfferId,
  offerExpiresAt: z.iso.datetime({ offset: true }),
  attempt: z.number().int().min(1),
});

/**
 * extend-offer again, when an extension asked while AwaitAcceptance waited failed (refused, FAILED, or still running
 * after the bounded polling): the offer is still live with its kept expiry, so the workflow waits for the buyer again
 * until then; the failure is told to sales on the timeline.
 */
export const ExtensionFailedInput = z.object({
  report: z.literal('failed'),
  onboardingId: OnboardingId,
  offerId: OfferId,
  /** The expiry the offer keeps (before the extension). */
  offerExpiresAt: z.iso.datetime({ offset: true }),
  /** The expiry sales asked for. */
  requestedExpiresAt: z.iso.datetime({ offset: true }),
  error: z.string(),
  cause: z.string(),
});
export const ExtensionFailedReported = z.object({ offerExpiresAt: z.iso.datetime({ offset: true }) });

/** check-offer: DescribeChangeSet, polled until the change set ends. */
export const CheckOfferInput = z.object({ onboardingId: OnboardingId, changeSetId: z.string() });
export const ChangeSetStatus = z.object({
  status: z.enum(['PREPARING', 'APPLYING', 'SUCCEEDED', 'CANCELLED', 'FAILED']),
  offerId: OfferId.optional(),
  failure: z
    .object({
      code: z.string(),
      details: z.array(z.object({ change: z.string().optional(), code: z.string(), message: z.string() })),
    })
    .optional(),
});
export type ChangeSetStatus = z.infer<typeof ChangeSetStatus>;

/** send-offer-notice: records the offer on the onboarding and mails the buyer the offer link. */
export const SendOfferNoticeInput = z.object({
  onboardingId: OnboardingId,
  offerId: OfferId,
  offerExpiresAt: z.iso.datetime({ offset: true }),
  source: z.enum(['api', 'manual']),
});

/** create-account (7-1). */
export const CreateAccountInput = z.object({
  onboardingId: OnboardingId,
  registration: BuyerRegistration,
});
export const AccountRef = z.object({ accountId: z.string() });

/** activate-paid-plan: idempotent; throws Onboarding.SubscriptionNotConfirmed before the subscription is confirmed. */
/**
 * The Registration result comes with ActivatePaidPlan and NotifyCompletion (optional for executions started before
 * it did): the onboarding record gets it only after the web resumed the workflow, so a task must not wait for it.
 */
export const ActivatePaidPlanInput = z.object({
  onboardingId: OnboardingId,
  accountId: z.string(),
  registration: BuyerRegistration.optional(),
});
export const PaidPlanActivated = z.object({
  accountId: z.string(),
  plan: z.string(),
  activatedAt: z.iso.datetime({ offset: true }),
});

/** notify-completion: the completion e-mail to the buyer (and a copy to sales). */
export const NotifyCompletionInput = z.object({
  onboardingId: OnboardingId,
  accountId: z.string(),
  registration: BuyerRegistration.optional(),
});

/** close-onboarding: records why an onboarding ended without completing, tells support. */
export const CloseOnboardingInput = z.object({
  onboardingId: OnboardingId,
  /** The stage where it ended. */
  stage: Stage,
  outcome: z.enum(['closed', 'subscription-failed', 'offer-failed', 'timed-out', 'failed']),
  /** The error and cause as the workflow caught them ($states.errorOutput), cause often a JSON CloseRequest. */
  error: z.string().optional(),
  cause: z.string().optional(),
});
export const OnboardingClosed = z.object({ closedAt: z.iso.datetime({ offset: true }), reason: z.string() });

/**
 * Why the workflow left its happy path: the `$reason` workflow variable. It is the `context` of the OfferFailed and
 * StageTimedOut human tasks, and the `Cause` (as JSON) of every Fail state, so the history always says why it ended.
 */
export const REASON_KINDS = ['timed-out', 'failed', 'closed', 'subscription-failed'] as const;
export const WorkflowReason = z.object({
  /** The stage where it happened. */
  stage: Stage,
  kind: z.enum(REASON_KINDS),
  /** The error as caught (e.g. States.Timeout, Onboarding.Closed, Lambda.Unknown) or set by the workflow. */
  error: z.string(),
  /** The cause as caught: for Onboarding.Closed the JSON CloseRequest (actor and reason). */
  cause: z.string(),
  at: z.iso.datetime({ offset: true }),
  /** The state that re-opening (StageTimedOut → reopen) resumes at. */
  resumeAt: z.string().optional(),
});
export type WorkflowReason = z.infer<typeof WorkflowReason>;
