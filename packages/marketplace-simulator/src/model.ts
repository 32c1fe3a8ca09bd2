/** The records the simulator keeps (see store.ts). Offer terms keep the Catalog API's PascalCase shapes. */

export interface ErrorDetail {
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

export type OfferTerm = { Type: string; Id: string } & Record<string, unknown>;

export interface OfferRecord {
  id: string;
  productId: string;
  name?: string;
  description?: string;
  preExistingAgreement?: { AcquisitionChannel: string; PricingModel: string };
  state: 'Draft' | 'Released';
  pricingModel?: string;
  terms: OfferTerm[];
  positiveTargeting?: { BuyerAccounts?: string[]; CountryCodes?: string[] };
  negativeTargeting?: { CountryCodes?: string[] };
  /** Instant (ISO) after which the offer can no longer be accepted. */
  availabilityEndDate?: string;
  revision: number;
  createdAt: string;
  lastModifiedDate: string;
  releasedAt?: string;
  /** An agreement-based replacement offer (CreateReplacementOffer): the agreement its acceptance replaces. */
  replacesAgreementId?: string;
}

export interface ChangeRecord {
  ChangeType: string;
  Entity: { Type: string; Identifier?: string };
  Details: string;
  DetailsDocument: Record<string, unknown>;
  ChangeName?: string;
  ErrorDetailList: ErrorDetail[];
}

export type ChangeSetStatus = 'PREPARING' | 'APPLYING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

export interface ChangeSetRecord {
  id: string;
  arn: string;
  name?: string;
  intent: 'APPLY' | 'VALIDATE';
  clientRequestToken: string;
  /** The request, normalised, to tell an idempotent retry from a token reused for another request. */
  fingerprint: string;
  startTime: string;
  endTime?: string;
  /** Epoch ms when the change set settles. */
  dueAt: number;
  status: ChangeSetStatus;
  failureCode?: 'CLIENT_ERROR' | 'SERVER_FAULT';
  failureDescription?: string;
  changes: ChangeRecord[];
  /** Entity ids of the offers referenced or created (created ones are only shown once SUCCEEDED). */
  entityIds: Array<string | undefined>;
  injectedFailure?: { changeIndex: number; errors: ErrorDetail[] };
}

export type AgreementStatus =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'EXPIRED'
  | 'TERMINATED'
  | 'ROLLED_BACK'
  | 'RENEWED'
  | 'REPLACED';

/** One accepted term, in the Agreement API's union shape (`{ legalTerm: {...} }`). */
export type AcceptedTerm = Record<string, Record<string, unknown>>;

export interface AgreementRecord {
  agreementId: string;
  offerId: string;
  productId: string;
  acceptorAccountId: string;
  proposerAccountId: string;
  status: AgreementStatus;
  acceptanceTime: string;
  startTime: string;
  /** Absent for agreements without an end (pay-as-you-go). */
  endTime?: string;
  acceptedTerms: AcceptedTerm[];
  estimatedCharges?: { currencyCode: string; agreementValue: string };
  licenseArn: string;
  customerIdentifier: string;
  /** The buyer is offered "アカウントを設定" (false once a subscription failed before it). */
  setupOffered: boolean;
  /** AWS renews the agreement by itself at its end (off unless set); who turned it off, when someone did. */
  autoRenewalEnabled?: boolean;
  autoRenewalDisabledBy?: 'ACCEPTOR' | 'PROPOSER';
}

export interface EntitlementValue {
  IntegerValue?: number;
  DoubleValue?: number;
  BooleanValue?: boolean;
  StringValue?: string;
}

export interface LicenseRecord {
  licenseArn: string;
  agreementId: string;
  accountId: string;
  customerIdentifier: string;
  productCode: string;
  status: 'ACTIVE' | 'DEPROVISIONED';
  entitlements: Array<{ dimension: string; value: EntitlementValue; expirationDate?: string }>;
}

export interface CustomerRecord {
  accountId: string;
  customerIdentifier: string;
}

export interface RegistrationTokenRecord {
  token: string;
  accountId: string;
  customerIdentifier: string;
  licenseArn: string;
  agreementId: string;
  productCode: string;
  issuedAt: string;
  expiresAt: string;
  redeemedAt?: string;
}

export interface NotificationRecord {
  id: string;
  seq: number;
  channel: 'eventbridge' | 'sns' | 'mail';
  createdAt: string;
  /** `recorded` when no endpoint is configured for the channel. */
  status: 'pending' | 'sent' | 'recorded';
  attempts: number;
  lastError?: string;
  /** eventbridge: { source, detailType, detail, resources, time }; sns: the SNS envelope; mail: a MailMessage. */
  payload: Record<string, unknown>;
}

export const CANCELLATION_REASON_CODES = [
  'INCORRECT_TERMS_ACCEPTED',
  'REPLACING_AGREEMENT',
  'TEST_AGREEMENT',
  'ALTERNATIVE_PROCUREMENT_CHANNEL',
  'PRODUCT_DISCONTINUED',
  'UNINTENDED_RENEWAL',
  'BUYER_DISSATISFACTION',
  'OTHER',
] as const;
export type CancellationReasonCode = (typeof CANCELLATION_REASON_CODES)[number];

export type CancellationRequestStatus =
  | 'PENDING_APPROVAL'
  | 'APPROVED'
  | 'REJECTED'
  | 'CANCELLED'
  | 'VALIDATION_FAILED';

/** A seller's request to cancel an agreement (SendAgreementCancellationRequest), answered by the buyer. */
export interface CancellationRequestRecord {
  /** `acr-…` */
  id: string;
  agreementId: string;
  reasonCode: CancellationReasonCode;
  description?: string;
  status: CancellationRequestStatus;
  /** Why it was rejected, withdrawn, failed validation or approved without an answer. */
  statusMessage?: string;
  createdAt: string;
  updatedAt: string;
  /** When it is approved if the buyer does not answer (7 days after it was sent). */
  autoApproveAt: string;
  clientToken?: string;
  /** The request, normalised, to tell an idempotent retry from a token reused for another request. */
  fingerprint: string;
}
