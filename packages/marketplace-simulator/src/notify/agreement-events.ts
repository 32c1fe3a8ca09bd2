/**
 * The `detail` of the EventBridge events AWS Marketplace sends a seller (source `aws.agreement-marketplace`),
 * shaped after the documented examples and the events AWS really emits: agreement events carry no product nor
 * license; license events carry both; `Ended` carries no offer.
 */
import { randomUUID } from 'node:crypto';
import { isoSeconds } from '../dates.js';
import type { AgreementRecord, CancellationRequestRecord } from '../model.js';

export const AGREEMENT_EVENT_SOURCE = 'aws.agreement-marketplace';

export const agreementResource = (agreementId: string) =>
  `arn:aws:aws-marketplace::aws:agreement:${agreementId}`;

/** The open end AWS writes for agreements without one. */
const NO_END = '9999-01-01T00:00:00Z';

const parties = (a: AgreementRecord) => ({
  acceptor: { accountId: a.acceptorAccountId },
  proposer: { accountId: a.proposerAccountId },
});

export function agreementCreatedDetail(a: AgreementRecord): Record<string, unknown> {
  return {
    requestId: randomUUID(),
    catalog: 'AWSMarketplace',
    agreement: {
      id: a.agreementId,
      intent: 'NEW',
      status: a.status,
      acceptanceTime: a.acceptanceTime,
      startTime: a.startTime,
      endTime: a.endTime ?? NO_END,
    },
    resaleAuthorization: { id: null },
    ...parties(a),
    offer: { id: a.offerId },
  };
}

export function agreementEndedDetail(a: AgreementRecord): Record<string, unknown> {
  return {
    requestId: randomUUID(),
    catalog: 'AWSMarketplace',
    agreement: { id: a.agreementId, status: a.status },
    resaleAuthorization: { id: null },
    ...parties(a),
  };
}

export function licenseDetail(
  a: AgreementRecord,
  product: { code: string; id: string },
): Record<string, unknown> {
  return {
    requestId: randomUUID(),
    catalog: 'AWSMarketplace',
    agreement: { id: a.agreementId },
    product: { code: product.code, id: product.id },
    license: { arn: a.licenseArn },
    ...parties(a),
    offer: { id: a.offerId },
  };
}

/**
 * `Agreement Cancellation Request <Status> - Proposer`: the shape the Seller Guide documents for these events (the
 * agreement with its acceptor, product and offer, as the seller receives it; the buyer's `- Acceptor` variant names
 * the proposer instead); the request with its reason and status; times to the second).
 */
export function cancellationRequestDetail(
  a: AgreementRecord,
  r: CancellationRequestRecord,
): Record<string, unknown> {
  return {
    requestId: randomUUID(),
    catalog: 'AWSMarketplace',
    agreement: {
      id: a.agreementId,
      acceptorId: a.acceptorAccountId,
      productId: a.productId,
      offerId: a.offerId,
    },
    agreementCancellationRequest: {
      id: r.id,
      reasonCode: r.reasonCode,
      reasonMessage: r.description ?? '',
      statusCode: r.status,
      statusMessage: r.statusMessage ?? '',
      createdAt: isoSeconds(new Date(r.createdAt)),
      updatedAt: isoSeconds(new Date(r.updatedAt)),
    },
  };
}

/** AWS's lockout: 30 days before the end the automatic renewal can no longer be stopped (the documented example). */
const LOCKOUT_DAYS = 30;

/**
 * What `Ending` and `Amended` add about the automatic renewal, as documented: `agreement.autoRenewalEnabled`,
 * `renewalSummary { lockoutStartTime, disabledBy }` and the product.
 */
export function renewalFields(
  a: AgreementRecord,
  product: { title: string },
): { autoRenewalEnabled: boolean; extra: Record<string, unknown> } {
  const end = a.endTime ? Date.parse(a.endTime) : Number.NaN;
  const lockout = Number.isNaN(end) ? null : isoSeconds(new Date(end - LOCKOUT_DAYS * 86_400_000));
  return {
    autoRenewalEnabled: a.autoRenewalEnabled ?? false,
    extra: {
      renewalSummary: { lockoutStartTime: lockout, disabledBy: a.autoRenewalDisabledBy ?? null },
      product: { id: a.productId, title: product.title },
    },
  };
}
