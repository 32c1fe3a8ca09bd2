/** AWS Marketplace Agreement API: DescribeAgreement (to find the offer and the acceptor of an agreement). */
import { DescribeAgreementCommand, MarketplaceAgreementClient } from '@aws-sdk/client-marketplace-agreement';
import type { AgreementLookup } from '../../ports/agreement-lookup.js';
import { MARKETPLACE_REGION, once } from './sdk-clients.js';

export class AwsAgreementLookup implements AgreementLookup {
  constructor(private readonly agreement: MarketplaceAgreementClient) {}

  async describeAgreement(agreementId: string) {
    try {
      const r = await this.agreement.send(new DescribeAgreementCommand({ agreementId }));
      return {
        agreementId: r.agreementId ?? agreementId,
        ...(r.status ? { status: r.status } : {}),
        ...(r.acceptor?.accountId ? { acceptorAccountId: r.acceptor.accountId } : {}),
        ...(r.proposalSummary?.offerId ? { offerId: r.proposalSummary.offerId } : {}),
        ...(r.startTime ? { startTime: r.startTime.toISOString() } : {}),
        ...(r.endTime ? { endTime: r.endTime.toISOString() } : {}),
      };
    } catch (err) {
      if (err instanceof Error && err.name === 'ResourceNotFoundException') return undefined;
      throw err;
    }
  }
}

export const agreementClient = once(() => new MarketplaceAgreementClient({ region: MARKETPLACE_REGION }));

export function agreementLookupFromEnv(): AwsAgreementLookup {
  return new AwsAgreementLookup(agreementClient());
}
