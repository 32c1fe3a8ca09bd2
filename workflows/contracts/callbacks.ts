/**
 * Callback contracts: what resumes each human stage (SendTaskSuccess output), validated before anything is sent
 * to Step Functions. Each carries `actor`. Messages name the field so a form can show them next to it. Which stage
 * takes which contract is in the stage registry (stage-registry.ts, `callback`).
 */
import * as z from 'zod';
import { Actor, BuyerActor, StaffActor, SystemActor } from './actor.js';
import { awsAccountIdField, Email, lineField } from './inquiry.js';

/** An AWS Marketplace offer id; `field` is the name the messages use. */
export const offerIdField = (field: string) =>
  z
    .string({ message: `${field} is required` })
    .regex(/^offer-[0-9a-z]{10,20}$/, `${field} must look like offer-<lowercase letters and digits>`);
export const OfferId = offerIdField('offerId');

const IsoDateTime = (field: string) =>
  z.iso.datetime({ offset: true, message: `${field} must be an ISO-8601 date-time` });

export const PriceDimension = z.object({
  key: z
    .string({ message: 'dimensions[].key is required' })
    .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'dimensions[].key must be 1-100 letters, digits, _ . -'),
  price: z
    .string({ message: 'dimensions[].price is required' })
    .regex(/^\d{1,9}(\.\d{1,3})?$/, 'dimensions[].price must be a decimal amount like 1200.00'),
});

/** Why an onboarding is closed, in words (kept on the record, shown in the console, mailed to support). */
const CloseReason = z.string({ message: 'reason is required' }).trim().min(1, 'reason is required').max(2000);

/** Closing an onboarding at any human stage: sent as SendTaskFailure(error Onboarding.Closed, cause = this JSON). */
export const CloseRequest = z.object({ actor: Actor, reason: CloseReason });
export type CloseRequest = z.infer<typeof CloseRequest>;

/** The `close` action of a staff decision (OfferFailed, OfferExpired, StageTimedOut). */
export const CloseDecision = z.object({ action: z.literal('close'), actor: StaffActor, reason: CloseReason });

/** Consultation: the plan and terms agreed with the buyer. */
export const AgreedTerms = z
  .object({
    actor: StaffActor,
    plan: lineField('plan', 100),
    offerName: lineField('offerName', 150),
    offerDescription: z
      .string()
      .trim()
      .max(255, 'offerDescription must be at most 255 characters')
      .optional(),
    currency: z.literal('USD', { message: 'currency must be USD' }),
    durationMonths: z
      .number({ message: 'durationMonths must be a number' })
      .int('durationMonths must be a whole number')
      .min(1, 'durationMonths must be at least 1')
      .max(60, 'durationMonths must be at most 60'),
    // AWS Marketplace takes at most 200 contract dimensions in one offer (Catalog API service quotas)
    dimensions: z
      .array(PriceDimension, { message: 'dimensions is required' })
      .min(1, 'dimensions needs at least one entry')
      .max(200, 'dimensions takes at most 200 entries'),
    offerExpiresAt: IsoDateTime('offerExpiresAt'),
    // https only: the buyer opens it from the offer page (no javascript:, data: or plain http)
    eulaUrl: z
      .url({ protocol: /^https$/, message: 'eulaUrl must be an https URL' })
      .max(2048)
      .optional(),
    offerCreation: z.enum(['automatic', 'manual'], { message: 'offerCreation must be automatic or manual' }),
    manualOfferId: offerIdField('manualOfferId').optional(),
    notes: z.string().trim().max(4000).optional(),
  })
  .refine((t) => t.offerCreation !== 'manual' || t.manualOfferId !== undefined, {
    message: 'manualOfferId is required when offerCreation is manual',
    path: ['manualOfferId'],
  });
export type AgreedTerms = z.infer<typeof AgreedTerms>;

/** OfferFailed: the change set failed; sales retries with amended terms, enters an offer made by hand, or closes. */
export const OfferFailureDecision = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('retry'), actor: StaffActor, terms: AgreedTerms }),
    z.object({ action: z.literal('manual'), actor: StaffActor, offerId: OfferId }),
    CloseDecision,
  ],
  { message: 'action must be retry, manual or close' },
);
export type OfferFailureDecision = z.infer<typeof OfferFailureDecision>;

/** OfferExpired: the offer passed its expiry unaccepted; sales extends it, re-creates it, or closes. */
export const OfferExpiredDecision = z.discriminatedUnion(
  'action',
  [
    z.object({
      action: z.literal('extend'),
      actor: StaffActor,
      offerExpiresAt: IsoDateTime('offerExpiresAt'),
    }),
    z.object({ action: z.literal('recreate'), actor: StaffActor, terms: AgreedTerms }),
    CloseDecision,
  ],
  { message: 'action must be extend, recreate or close' },
);
export type OfferExpiredDecision = z.infer<typeof OfferExpiredDecision>;

/**
 * AwaitAcceptance, while the buyer has not subscribed: sales extends the offer. Sent as SendTaskFailure
 * `Onboarding.OfferExtended` with this as the cause (JSON); the workflow moves the offer's expiry and waits again.
 */
export const OfferExtension = z.object({
  actor: StaffActor,
  offerExpiresAt: IsoDateTime('offerExpiresAt'),
});
export type OfferExtension = z.infer<typeof OfferExtension>;

/** AwaitAcceptance: the buyer accepted the offer (agreement event, SNS subscribe-success, or arrival at setup). */
export const AcceptanceSignal = z.object({
  actor: z.union([SystemActor, BuyerActor]),
  source: z.enum(['agreement-event', 'subscribe-success', 'buyer-arrival'], {
    message: 'source must be agreement-event, subscribe-success or buyer-arrival',
  }),
  customerAwsAccountId: awsAccountIdField('customerAwsAccountId'),
  agreementId: z.string().min(1).optional(),
  licenseArn: z.string().startsWith('arn:', 'licenseArn must be an ARN').optional(),
  acceptedAt: IsoDateTime('acceptedAt'),
});
export type AcceptanceSignal = z.infer<typeof AcceptanceSignal>;

/** AccountSetup: the buyer's x-amzn-marketplace-token was resolved and the entitlement checked. */
export const FulfillmentResolved = z.object({
  actor: BuyerActor,
  customerAwsAccountId: awsAccountIdField('customerAwsAccountId'),
  licenseArn: z.string().startsWith('arn:', 'licenseArn must be an ARN'),
  productCode: z.string().min(1, 'productCode is required'),
  customerIdentifier: z.string().optional(),
  entitlements: z
    .array(
      z.object({
        dimension: z.string(),
        value: z.union([z.number(), z.string(), z.boolean()]).optional(),
        expiresAt: IsoDateTime('entitlements[].expiresAt').optional(),
      }),
    )
    .min(1, 'entitlements needs at least one entry'),
  resolvedAt: IsoDateTime('resolvedAt'),
});
export type FulfillmentResolved = z.infer<typeof FulfillmentResolved>;

/** 7-1's form: the account name and the owner's e-mail ("AWS Marketplace経由 新規登録"). */
export const NewAccountFields = z.object({ accountName: lineField('accountName', 100), email: Email });

/** Registration: 7-1 new account, or 7-2 an existing user who logged in. */
export const BuyerRegistration = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('new'),
      actor: BuyerActor,
      ...NewAccountFields.shape,
    }),
    z.object({
      kind: z.literal('existing'),
      actor: BuyerActor,
      /** The built-in directory's user id, or the `sub` of the vendor's OpenID provider (with `issuer`). */
      userId: z.string({ message: 'userId is required' }).min(1, 'userId is required').max(255),
      /** The vendor's OpenID issuer, when the buyer signed in there (7-2 through OIDC). */
      issuer: z.url().max(2048).optional(),
      /** The signed-in user's e-mail (from the ID token), passed to the vendor when the paid plan is activated. */
      email: Email.optional(),
    }),
  ],
  { message: 'kind must be new or existing' },
);
export type BuyerRegistration = z.infer<typeof BuyerRegistration>;

/** AccountSelection: 7-2, the account to upgrade ("このアカウントで利用を開始する"). */
export const AccountSelectionChoice = z.object({
  actor: BuyerActor,
  accountId: z
    .string({ message: 'accountId is required' })
    .min(1, 'accountId is required')
    .max(255, 'accountId must be at most 255 characters'),
});
export type AccountSelectionChoice = z.infer<typeof AccountSelectionChoice>;

/** StageTimedOut: support re-opens the stage that timed out, or closes. */
export const TimedOutDecision = z.discriminatedUnion(
  'action',
  [
    z.object({
      action: z.literal('reopen'),
      actor: StaffActor,
      note: z.string().trim().max(2000).optional(),
    }),
    CloseDecision,
  ],
  { message: 'action must be reopen or close' },
);
export type TimedOutDecision = z.infer<typeof TimedOutDecision>;

/** A staff note on a deal decision (optional; shown on the deal view). */
const DealNote = z.string().trim().max(2000, 'note must be at most 2000 characters').optional();

/**
 * Renewal (the deal after the sale): sales' answer to an agreement nearing its end, or the marketplace's own answer,
 * a RENEW or REPLACE agreement created for the customer (then the actor is the signal).
 */
export const RenewalDecision = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('offer-sent'), actor: StaffActor, note: DealNote }),
    z.object({ action: z.literal('not-renewing'), actor: StaffActor, note: DealNote }),
    /**
     * Sales drafts an agreement-based replacement offer with the agreed terms (the Consultation's form): the workflow
     * creates and releases it (CreateReplacementOffer), mails the buyer and opens Renewal again until the buyer's
     * REPLACE agreement completes it. The expiry must be in the future (checked when the decision is submitted).
     */
    z.object({ action: z.literal('draft-offer'), actor: StaffActor, terms: AgreedTerms }),
    z.object({
      action: z.literal('renewed'),
      actor: Actor,
      agreementId: z.string({ message: 'agreementId is required' }).trim().min(1).max(64),
    }),
  ],
  { message: 'action must be offer-sent, not-renewing, draft-offer or renewed' },
);
export type RenewalDecision = z.infer<typeof RenewalDecision>;

/**
 * AdvisoryReview: support's review of a marketplace advisory on an agreement, or AWS's `Resolved` (the actor is the
 * signal). Nothing is revoked automatically either way.
 */
export const AdvisoryDecision = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('reviewed'), actor: StaffActor, note: DealNote }),
    z.object({ action: z.literal('resolved'), actor: Actor }),
  ],
  { message: 'action must be reviewed or resolved' },
);
export type AdvisoryDecision = z.infer<typeof AdvisoryDecision>;

/**
 * CancellationAnswer: the buyer's answer to a seller's cancellation request, as AWS tells it (the request's event, or
 * its status read when no event came): approved (also after 7 days unanswered), rejected, withdrawn by sales
 * (CANCELLED), or refused by AWS (VALIDATION_FAILED). The actor is the signal.
 */
export const CancellationAnswer = z.object({
  action: z.literal('answered'),
  actor: Actor,
  requestId: z.string({ message: 'requestId is required' }).trim().min(1).max(64),
  status: z.enum(['APPROVED', 'REJECTED', 'CANCELLED', 'VALIDATION_FAILED'], {
    message: 'status must be APPROVED, REJECTED, CANCELLED or VALIDATION_FAILED',
  }),
});
export type CancellationAnswer = z.infer<typeof CancellationAnswer>;
