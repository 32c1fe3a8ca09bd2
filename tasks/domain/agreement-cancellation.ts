/**
 * A seller's cancellation request (issue 11 item 2): sales asks AWS Marketplace to cancel a buyer's agreement with a
 * reason code from AWS's list and a note; the buyer approves or rejects it within 7 days (no answer approves it);
 * sales may withdraw it while it waits. Pure: the inputs as zod schemas, the state kept on the agreement record, and
 * the statuses AWS reports (SendAgreementCancellationRequest, the `Agreement Cancellation Request … - Proposer`
 * events).
 */
import * as z from 'zod';
import type { Actor } from '../../workflows/contracts/actor.js';

/** AWS's reason codes (AgreementCancellationRequestReasonCode), in the order the console offers them. */
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

/** Each reason code in words (the console's select, the deal's episodes, the mails). */
export const REASON_LABELS: Record<CancellationReasonCode, { readonly ja: string; readonly en: string }> = {
  INCORRECT_TERMS_ACCEPTED: { ja: '誤った条件で契約された', en: 'Incorrect terms accepted' },
  REPLACING_AGREEMENT: { ja: '別の契約に置き換える', en: 'Replacing the agreement' },
  TEST_AGREEMENT: { ja: 'テスト用の契約', en: 'Test agreement' },
  ALTERNATIVE_PROCUREMENT_CHANNEL: { ja: '別の経路で購入された', en: 'Bought through another channel' },
  PRODUCT_DISCONTINUED: { ja: '製品の提供終了', en: 'Product discontinued' },
  UNINTENDED_RENEWAL: { ja: '意図しない更新', en: 'Unintended renewal' },
  BUYER_DISSATISFACTION: { ja: '購入者のご不満', en: 'Buyer dissatisfaction' },
  OTHER: { ja: 'その他', en: 'Other' },
};

export const CANCELLATION_STATUSES = [
  'PENDING_APPROVAL',
  'APPROVED',
  'REJECTED',
  'CANCELLED',
  'VALIDATION_FAILED',
] as const;
export type CancellationStatus = (typeof CANCELLATION_STATUSES)[number];

/** AWS's clientToken: letters, digits and hyphens, 1-64 (a form carries one, so a double submit sends once). */
export const CLIENT_TOKEN = /^[a-zA-Z0-9-]{1,64}$/;

const onboardingId = z.string().regex(/^onb-[a-z0-9]{6,40}$/, 'onboardingId must look like onb-…');
const agreementId = z.string().regex(/^[A-Za-z0-9_/-]{1,64}$/, 'agreementId must match [A-Za-z0-9_/-]{1,64}');
/** Blank means none; otherwise 1-2000 characters (AWS's limit on the description and the withdrawal reason). */
const text = z
  .string()
  .trim()
  .max(2000)
  .optional()
  .transform((v) => (v ? v : undefined));

export const RequestCancellationInput = z.object({
  onboardingId,
  agreementId,
  reasonCode: z.enum(CANCELLATION_REASON_CODES, { message: 'reasonCode must be one of AWS’s reason codes' }),
  note: text,
  clientToken: z.string().regex(CLIENT_TOKEN, 'clientToken must be 1-64 letters, digits or hyphens'),
});
export type RequestCancellationInput = z.input<typeof RequestCancellationInput>;

export const WithdrawCancellationInput = z.object({
  onboardingId,
  agreementId,
  reason: text,
});
export type WithdrawCancellationInput = z.input<typeof WithdrawCancellationInput>;

/** The cancellation request an agreement record keeps (the latest one: a second waits for the first's answer). */
export interface AgreementCancellation {
  readonly requestId: string;
  readonly status: CancellationStatus;
  readonly reasonCode: CancellationReasonCode;
  readonly note?: string;
  /** The buyer's reason for rejecting, the seller's for withdrawing, AWS's for a failed validation. */
  readonly statusMessage?: string;
  /** The clientToken it was sent with (a form submitted again finds it and sends nothing). */
  readonly clientToken?: string;
  /** Who asked for it (absent when it was sent elsewhere, e.g. the AWS Marketplace Management Portal). */
  readonly requestedBy?: Actor;
  readonly requestedAt: string;
  readonly updatedAt: string;
}

export const isPending = (c: AgreementCancellation | undefined): boolean => c?.status === 'PENDING_APPROVAL';

/** The request after AWS reported a status: the answer moves it on, a stale or repeated report changes nothing. */
export function withStatus(
  c: AgreementCancellation,
  status: CancellationStatus,
  at: string,
  statusMessage?: string,
): AgreementCancellation {
  if (c.status === status || (c.status !== 'PENDING_APPROVAL' && status === 'PENDING_APPROVAL')) return c;
  return { ...c, status, ...(statusMessage ? { statusMessage } : {}), updatedAt: at };
}
