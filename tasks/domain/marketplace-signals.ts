/**
 * AWS Marketplace signals as they arrive (AWS Marketplace Seller Guide: "Amazon EventBridge events" for agreements
 * and licenses; "Amazon SNS notifications for SaaS products" for the older subscription topic), parsed with zod and
 * normalized into one `MarketplaceSignal`. Lenient where the documented samples are inconsistent: the License
 * events' ARN may lack the `arn:` prefix, their offer id may lack the `offer-` prefix, optional fields may be null.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';

export const MARKETPLACE_EVENT_SOURCE = 'aws.agreement-marketplace';

export const MARKETPLACE_DETAIL_TYPES = {
  'Purchase Agreement Created - Proposer': 'agreement-created',
  'Purchase Agreement Ended - Proposer': 'agreement-ended',
  'Purchase Agreement Amended - Proposer': 'agreement-amended',
  'Purchase Agreement Ending - Proposer': 'agreement-ending',
  'License Updated - Manufacturer': 'license-updated',
  'License Deprovisioned - Manufacturer': 'license-deprovisioned',
  // a seller's cancellation request (tasks/use-cases/agreement-cancellation.ts) and the buyer's answer
  'Agreement Cancellation Request Pending Approval - Proposer': 'cancellation-pending',
  'Agreement Cancellation Request Approved - Proposer': 'cancellation-approved',
  'Agreement Cancellation Request Rejected - Proposer': 'cancellation-rejected',
  'Agreement Cancellation Request Cancelled - Proposer': 'cancellation-cancelled',
  'Agreement Cancellation Request Validation Failed - Proposer': 'cancellation-failed',
  // AWS's advisory on an agreement and its resolution: support reviews it, nothing is revoked (the lifecycle
  // workflow's AdvisoryReview). AWS's documented detail says only when: `advisory: { issuedAt }` / `{ resolvedAt }`
  // (no id, type nor description), with the agreement, product and offer ids; id/type/description are still read.
  'Purchase Agreement Advisory Issued - Manufacturer': 'advisory-issued',
  'Purchase Agreement Advisory Resolved - Manufacturer': 'advisory-resolved',
} as const;

/** The signals of a seller's cancellation request. */
export const CANCELLATION_SIGNALS = [
  'cancellation-pending',
  'cancellation-approved',
  'cancellation-rejected',
  'cancellation-cancelled',
  'cancellation-failed',
] as const;
export type CancellationSignalKind = (typeof CANCELLATION_SIGNALS)[number];
export const isCancellationSignal = (kind: SignalKind): kind is CancellationSignalKind =>
  (CANCELLATION_SIGNALS as readonly string[]).includes(kind);

export const SNS_ACTIONS = [
  'subscribe-success',
  'subscribe-fail',
  'unsubscribe-pending',
  'unsubscribe-success',
] as const;

export type SignalKind =
  | (typeof MARKETPLACE_DETAIL_TYPES)[keyof typeof MARKETPLACE_DETAIL_TYPES]
  | (typeof SNS_ACTIONS)[number];

export interface MarketplaceSignal {
  origin: 'eventbridge' | 'sns';
  /** EventBridge event id / SNS MessageId: a duplicate delivery has the same one. */
  eventId: string;
  kind: SignalKind;
  at: string;
  offerId?: string;
  agreementId?: string;
  agreementStatus?: string;
  /** NEW, RENEW, REPLACE (Created), AMEND (Amended). */
  intent?: string;
  /** The agreement a RENEW or REPLACE follows. */
  previousAgreementId?: string;
  startTime?: string;
  endTime?: string;
  /** `Ending`: how many days before the agreement's end (180, 120, 90, 60, 30). */
  daysBeforeEnd?: number;
  /** `Ending` / `Amended`: whether the agreement renews by itself (`agreement.autoRenewalEnabled`). */
  autoRenewalEnabled?: boolean;
  /** `renewalSummary.lockoutStartTime`: after it, the automatic renewal can no longer be stopped. */
  lockoutStartTime?: string;
  /** `renewalSummary.disabledBy`: who turned the automatic renewal off (ACCEPTOR: the buyer, PROPOSER: the seller). */
  autoRenewalDisabledBy?: string;
  customerAwsAccountId?: string;
  licenseArn?: string;
  productCode?: string;
  customerIdentifier?: string;
  /**
   * An advisory's events: when it was issued / resolved (AWS's documented shape), and its id, type and description
   * when a detail gives them. Without an id, Issued is known by its issuedAt and Resolved is paired with the
   * agreement's oldest open advisory (tasks/use-cases/advisory-pairing.ts).
   */
  advisory?: { id?: string; type?: string; description?: string; issuedAt?: string; resolvedAt?: string };
  /** A cancellation request's events: the request (`acr-…`), its status, reason code and messages. */
  cancellationRequest?: {
    id: string;
    status?: string;
    reasonCode?: string;
    reasonMessage?: string;
    statusMessage?: string;
  };
}

const idObject = z.object({ id: z.string().min(1) }).nullish();
const nullishString = z.string().nullish();

export const MarketplaceEventDetail = z.object({
  requestId: nullishString,
  catalog: nullishString,
  agreement: z.object({
    id: z.string({ message: 'detail.agreement.id is required' }).min(1),
    intent: nullishString,
    status: nullishString,
    acceptanceTime: nullishString,
    startTime: nullishString,
    endTime: nullishString,
    previousAgreementId: nullishString,
    daysBeforeEndTime: z.number().int().nullish(),
    autoRenewalEnabled: z.boolean().nullish(),
    // the cancellation request events name the agreement's offer and product inside it
    offerId: nullishString,
    productId: nullishString,
    // the seller's cancellation request events name the buyer here (acceptorId); the buyer's `- Acceptor` ones the seller
    acceptorId: nullishString,
    proposerId: nullishString,
  }),
  daysBeforeEndTime: z.number().int().nullish(),
  renewalSummary: z.object({ lockoutStartTime: nullishString, disabledBy: nullishString }).nullish(),
  acceptor: z.object({ accountId: z.string().min(1) }).nullish(),
  proposer: z.object({ accountId: z.string().min(1) }).nullish(),
  offer: idObject,
  product: z.object({ code: nullishString, id: nullishString }).nullish(),
  license: z.object({ arn: z.string().min(1) }).nullish(),
  resaleAuthorization: z.object({ id: nullishString }).nullish(),
  advisory: z
    .object({
      id: nullishString,
      type: nullishString,
      description: nullishString,
      message: nullishString,
      issuedAt: nullishString,
      resolvedAt: nullishString,
    })
    .nullish(),
  agreementCancellationRequest: z
    .object({
      id: z.string({ message: 'detail.agreementCancellationRequest.id is required' }).min(1),
      reasonCode: nullishString,
      reasonMessage: nullishString,
      statusCode: nullishString,
      statusMessage: nullishString,
    })
    .nullish(),
});

export const MarketplaceEvent = z.object({
  version: z.string().optional(),
  id: z.string({ message: 'id is required' }).min(1),
  'detail-type': z.enum(Object.keys(MARKETPLACE_DETAIL_TYPES) as [keyof typeof MARKETPLACE_DETAIL_TYPES], {
    message: `detail-type must be one of: ${Object.keys(MARKETPLACE_DETAIL_TYPES).join(', ')}`,
  }),
  source: z.literal(MARKETPLACE_EVENT_SOURCE, { message: `source must be ${MARKETPLACE_EVENT_SOURCE}` }),
  account: z.string().optional(),
  time: z
    .string({ message: 'time is required' })
    .refine(
      (t) => /^\d{4}-\d{2}-\d{2}T/.test(t) && !Number.isNaN(Date.parse(t)),
      'time must be an ISO 8601 date-time',
    ),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: MarketplaceEventDetail,
});
export type MarketplaceEvent = z.infer<typeof MarketplaceEvent>;

/** The message of the `aws-mp-subscription-notification` topic (SNS `Message`, a JSON string). */
export const SnsSubscriptionMessage = z.object({
  action: z.enum(SNS_ACTIONS, { message: `action must be one of: ${SNS_ACTIONS.join(', ')}` }),
  'customer-identifier': nullishString,
  'customer-aws-account-id': nullishString,
  'product-code': nullishString,
  'offer-identifier': nullishString,
  isFreeTrialTermPresent: z.union([z.boolean(), z.string()]).nullish(),
});
export type SnsSubscriptionMessage = z.infer<typeof SnsSubscriptionMessage>;

/** `aws:license-manager:...` → `arn:aws:license-manager:...` */
export function normalizeLicenseArn(arn: string | null | undefined): string | undefined {
  if (!arn) return undefined;
  return arn.startsWith('arn:') ? arn : `arn:${arn}`;
}

/** The license id (`l-…`) compares equal across ARN spellings. */
export function licenseKey(arn: string): string {
  const m = /l-[0-9a-z]+/i.exec(arn);
  return (m ? m[0] : arn).toLowerCase();
}

/** Offer id candidates to look up (as given, and with the `offer-` prefix when missing). */
export function offerIdCandidates(offerId: string | undefined): string[] {
  if (!offerId) return [];
  return offerId.startsWith('offer-') ? [offerId] : [offerId, `offer-${offerId}`];
}

const ACCOUNT_ID = /^\d{12}$/;
/** AWS writes `9999-01-01T00:00:00Z` for agreements without an end: that is no end. */
const isoTime = (t: string | null | undefined): boolean =>
  !!t && !Number.isNaN(Date.parse(t)) && !t.startsWith('9999-');

export function signalFromEvent(event: MarketplaceEvent): MarketplaceSignal {
  const d = event.detail;
  const acceptor = d.acceptor?.accountId ?? d.agreement.acceptorId;
  const licenseArn = normalizeLicenseArn(d.license?.arn);
  return {
    origin: 'eventbridge',
    eventId: event.id,
    kind: MARKETPLACE_DETAIL_TYPES[event['detail-type']],
    at: event.time,
    agreementId: d.agreement.id,
    ...(d.agreement.status ? { agreementStatus: d.agreement.status } : {}),
    ...(d.agreement.intent ? { intent: d.agreement.intent } : {}),
    ...(d.agreement.previousAgreementId ? { previousAgreementId: d.agreement.previousAgreementId } : {}),
    ...(isoTime(d.agreement.startTime) ? { startTime: d.agreement.startTime as string } : {}),
    ...(isoTime(d.agreement.endTime) ? { endTime: d.agreement.endTime as string } : {}),
    ...(typeof (d.agreement.daysBeforeEndTime ?? d.daysBeforeEndTime) === 'number'
      ? { daysBeforeEnd: (d.agreement.daysBeforeEndTime ?? d.daysBeforeEndTime) as number }
      : {}),
    ...(typeof d.agreement.autoRenewalEnabled === 'boolean'
      ? { autoRenewalEnabled: d.agreement.autoRenewalEnabled }
      : {}),
    ...(isoTime(d.renewalSummary?.lockoutStartTime)
      ? { lockoutStartTime: d.renewalSummary?.lockoutStartTime as string }
      : {}),
    ...(d.renewalSummary?.disabledBy ? { autoRenewalDisabledBy: d.renewalSummary.disabledBy } : {}),
    ...(d.offer?.id ? { offerId: d.offer.id } : d.agreement.offerId ? { offerId: d.agreement.offerId } : {}),
    ...(d.advisory
      ? {
          advisory: {
            ...(d.advisory.id ? { id: d.advisory.id } : {}),
            ...(d.advisory.type ? { type: d.advisory.type } : {}),
            ...((d.advisory.description ?? d.advisory.message)
              ? { description: (d.advisory.description ?? d.advisory.message ?? '').slice(0, 1000) }
              : {}),
            ...(isoTime(d.advisory.issuedAt) ? { issuedAt: d.advisory.issuedAt as string } : {}),
            ...(isoTime(d.advisory.resolvedAt) ? { resolvedAt: d.advisory.resolvedAt as string } : {}),
          },
        }
      : {}),
    ...(d.agreementCancellationRequest
      ? {
          cancellationRequest: {
            id: d.agreementCancellationRequest.id,
            ...(d.agreementCancellationRequest.statusCode
              ? { status: d.agreementCancellationRequest.statusCode }
              : {}),
            ...(d.agreementCancellationRequest.reasonCode
              ? { reasonCode: d.agreementCancellationRequest.reasonCode }
              : {}),
            ...(d.agreementCancellationRequest.reasonMessage
              ? { reasonMessage: d.agreementCancellationRequest.reasonMessage }
              : {}),
            ...(d.agreementCancellationRequest.statusMessage
              ? { statusMessage: d.agreementCancellationRequest.statusMessage }
              : {}),
          },
        }
      : {}),
    ...(acceptor && ACCOUNT_ID.test(acceptor) ? { customerAwsAccountId: acceptor } : {}),
    ...(licenseArn ? { licenseArn } : {}),
    ...(d.product?.code ? { productCode: d.product.code } : {}),
  };
}

export function signalFromSns(
  messageId: string,
  timestamp: string,
  message: SnsSubscriptionMessage,
): MarketplaceSignal {
  const account = message['customer-aws-account-id'];
  return {
    origin: 'sns',
    eventId: messageId,
    kind: message.action,
    at: timestamp,
    ...(message['offer-identifier'] ? { offerId: message['offer-identifier'] } : {}),
    ...(account && ACCOUNT_ID.test(account) ? { customerAwsAccountId: account } : {}),
    ...(message['product-code'] ? { productCode: message['product-code'] } : {}),
    ...(message['customer-identifier'] ? { customerIdentifier: message['customer-identifier'].trim() } : {}),
  };
}

/** Agreement end statuses that are not the buyer leaving (the agreement continues in another form). */
const NON_FAILING_END = new Set(['RENEWED', 'REPLACED', 'SUPERSEDED']);

export type SignalEffect = 'confirms' | 'ends' | 'fails' | 'informs' | 'amends';

export function effectOf(signal: MarketplaceSignal): SignalEffect {
  switch (signal.kind) {
    case 'agreement-created':
      return signal.agreementStatus && signal.agreementStatus !== 'ACTIVE' ? 'informs' : 'confirms';
    case 'agreement-amended':
      return 'amends';
    case 'agreement-ending':
      return 'informs';
    case 'license-updated':
    case 'subscribe-success':
      return 'confirms';
    case 'subscribe-fail':
      return 'fails';
    case 'agreement-ended':
      return signal.agreementStatus && NON_FAILING_END.has(signal.agreementStatus) ? 'informs' : 'ends';
    case 'license-deprovisioned':
    case 'unsubscribe-success':
      return 'ends';
    case 'unsubscribe-pending':
      return 'informs';
    // the answer to a seller's cancellation request: applied by its own use case; an approval's end of the agreement
    // comes as the agreement's own Ended event
    case 'cancellation-pending':
    case 'cancellation-approved':
    case 'cancellation-rejected':
    case 'cancellation-cancelled':
    case 'cancellation-failed':
      return 'informs';
    // an advisory revokes nothing: support reviews it (the lifecycle workflow's AdvisoryReview)
    case 'advisory-issued':
    case 'advisory-resolved':
      return 'informs';
  }
}

export function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
