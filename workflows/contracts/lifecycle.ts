/**
 * The lifecycle workflow's contracts (the deal after the sale, issue 11): what starts an episode execution and what its
 * one task function, `agreement-episode`, receives. Plain zod, like the onboarding's task-io.ts.
 */
import * as z from 'zod';
import { AgreedTerms } from './callbacks.js';
import { OnboardingId } from './inquiry.js';
import { WorkflowReason } from './task-io.js';

/**
 * The episodes of the deal, each one execution of the lifecycle state machine:
 * - `amend`: an agreement was amended (or its license updated); the tenant's plan follows the new entitlements;
 * - `renewal`: an agreement is ending; sales' Renewal task is due at its end, a RENEW/REPLACE agreement completes it;
 * - `advisory`: AWS issued an advisory on an agreement; support reviews it, AWS's Resolved completes it;
 * - `grace`: an agreement ended; its paid plan ends when the grace period is over, unless a renewal arrived;
 * - `cancellation`: sales asked AWS to cancel an agreement; the buyer's answer (CancellationAnswer) completes it, and
 *   without one after 8 days the request's status is read from AWS.
 */
export const LIFECYCLE_EPISODES = ['amend', 'renewal', 'advisory', 'grace', 'cancellation'] as const;
export type LifecycleEpisode = (typeof LIFECYCLE_EPISODES)[number];

const AgreementId = z
  .string({ message: 'agreementId is required' })
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'agreementId must be 1-64 letters, digits or hyphens');
const Instant = z.iso.datetime({ offset: true });

export const LifecycleStart = z.discriminatedUnion('episode', [
  z.object({
    episode: z.literal('amend'),
    onboardingId: OnboardingId,
    agreementId: AgreementId,
    /** The marketplace event that told of it (each amendment event is its own execution). */
    eventId: z.string().min(1).max(128),
  }),
  z.object({
    episode: z.literal('renewal'),
    onboardingId: OnboardingId,
    agreementId: AgreementId,
    /** When the agreement ends: the Renewal task is due then. */
    endTime: Instant,
    context: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    episode: z.literal('advisory'),
    onboardingId: OnboardingId,
    agreementId: AgreementId,
    /** The advisory (AWS's id, else the Issued event's): each advisory is its own execution. */
    advisoryId: z.string().min(1).max(128),
    context: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    episode: z.literal('cancellation'),
    onboardingId: OnboardingId,
    agreementId: AgreementId,
    /** The request (`acr-…`): each request is its own execution (a rejected one may be followed by another). */
    requestId: z.string().min(1).max(64),
    context: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    episode: z.literal('grace'),
    onboardingId: OnboardingId,
    agreementId: AgreementId,
    /** When the grace period ends. */
    planEndsAt: Instant,
  }),
]);
export type LifecycleStart = z.infer<typeof LifecycleStart>;

/**
 * The execution name of an episode: one per agreement and episode (per event for `amend`), so a repeated event starts
 * nothing new. Step Functions takes 80 characters of [A-Za-z0-9-_]; an event id (a UUID) fits after the agreement id.
 */
export function episodeExecutionName(input: LifecycleStart): string {
  const own =
    input.episode === 'amend'
      ? input.eventId
      : input.episode === 'cancellation'
        ? input.requestId
        : input.episode === 'advisory'
          ? input.advisoryId
          : undefined;
  const key = own ? `-${own.replace(/[^A-Za-z0-9_-]/g, '-').slice(-36)}` : '';
  return `${input.episode}-${input.agreementId}`.slice(0, 80 - key.length) + key;
}

export const DEAL_STEP_STAGES = ['Renewal', 'AdvisoryReview', 'CancellationAnswer'] as const;

/** agreement-episode: the lifecycle workflow's task function. */
export const AgreementEpisodeInput = z.discriminatedUnion('action', [
  /** An amendment: the tenant's plan follows the agreement's entitlements as AWS tells them now. */
  z.object({
    action: z.literal('change-plan'),
    onboardingId: OnboardingId,
    agreementId: AgreementId,
    /** The amendment's event: each amend execution is its own call (Powertools idempotency keys on the payload). */
    eventId: z.string().min(1).max(128).optional(),
  }),
  /** The grace period is over: end the paid plan unless a later agreement carries it on. */
  z.object({
    action: z.literal('end-plan-if-due'),
    onboardingId: OnboardingId,
    agreementId: AgreementId,
    /**
     * The instant the workflow's Wait waited for: the Wait is the timer, so a function whose clock runs a little
     * behind it (or a local stack whose runtime clock was moved ahead) still finds the end due.
     */
    waitedUntil: Instant.optional(),
  }),
  /**
   * Renewal → draft-offer: one StartChangeSet creating and releasing the agreement-based replacement offer
   * (CreateReplacementOffer); the token is the agreement's and the attempt's, so a retried task starts it once.
   */
  z.object({
    action: z.literal('create-renewal-offer'),
    onboardingId: OnboardingId,
    agreementId: AgreementId,
    terms: AgreedTerms,
    attempt: z.number().int().min(1).max(100),
  }),
  /**
   * DescribeChangeSet of the renewal offer's change set. `check` is the poll's number (each poll its own call);
   * `lastCheck` says the polling ends here: a change set still running is then recorded as failed.
   */
  z.object({
    action: z.literal('check-renewal-offer'),
    onboardingId: OnboardingId,
    agreementId: AgreementId,
    changeSetId: z.string().min(1).max(255),
    check: z.number().int().min(1),
    lastCheck: z.boolean(),
  }),
  /** The renewal offer is released: record it on the agreement and mail the buyer the offer link. */
  z.object({
    action: z.literal('send-renewal-offer'),
    onboardingId: OnboardingId,
    agreementId: AgreementId,
    offerId: z.string().regex(/^offer-[0-9a-z]{10,20}$/, 'offerId must look like offer-<letters and digits>'),
    terms: AgreedTerms,
  }),
  /** No answer to a cancellation request came in time: read its status from AWS and apply it as its event would. */
  z.object({
    action: z.literal('refresh-cancellation'),
    onboardingId: OnboardingId,
    agreementId: AgreementId,
    /** The execution's own request: another request of the same agreement is not this one's answer. */
    requestId: z.string().min(1).max(64),
  }),
  /** A deal step ended (decided, resolved by the marketplace, timed out, failed): record it on the agreement. */
  z.object({
    action: z.literal('record-outcome'),
    onboardingId: OnboardingId,
    agreementId: AgreementId,
    stage: z.enum(DEAL_STEP_STAGES),
    decision: z.record(z.string(), z.unknown()).nullable(),
    reason: WorkflowReason.nullable(),
    /** The execution's name: one outcome per execution (a second request or advisory of an agreement has its own). */
    execution: z.string().min(1).max(80).optional(),
  }),
]);
export type AgreementEpisodeInput = z.infer<typeof AgreementEpisodeInput>;

export const AgreementEpisodeResult = z.object({
  outcome: z.enum([
    'ended',
    'kept',
    'not-due',
    'recorded',
    'changed',
    'unchanged',
    // the renewal offer: its change set started, still running, released, failed; the buyer mailed
    'started',
    'pending',
    'succeeded',
    'failed',
    'sent',
  ]),
  changeSetId: z.string().optional(),
  offerId: z.string().optional(),
  /** refresh-cancellation: the answer AWS reports for the request (as CancellationAnswer), when there is one. */
  answer: z.record(z.string(), z.unknown()).optional(),
  /** Why the renewal offer failed (shown in the Renewal step's context). */
  failure: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type AgreementEpisodeResult = z.infer<typeof AgreementEpisodeResult>;
