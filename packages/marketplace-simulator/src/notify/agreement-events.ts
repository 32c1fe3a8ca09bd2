/**
 * The `detail` of the EventBridge events AWS Marketplace sends a seller (source `aws.agreement-marketplace`),
 * shaped after the documented examples and the events AWS really emits: agreement events carry no product nor
 * license; license events carry both; `Ended` carries no offer.
 */
import { randomUUID } from 'node:crypto';
import type { AgreementRecord } from '../model.js';

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
