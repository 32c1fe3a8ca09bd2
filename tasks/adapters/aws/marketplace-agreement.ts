/**
 * AWS Marketplace Agreement API: DescribeAgreement (to find the offer and the acceptor of an agreement) and
 * SearchAgreements (the reconciliation's list of the seller's agreements for the product).
 */
import {
  type AgreementViewSummary,
  DescribeAgreementCommand,
  MarketplaceAgreementClient,
  SearchAgreementsCommand,
} from '@aws-sdk/client-marketplace-agreement';
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

  searchAgreements(query: { productId: string; nextToken?: string }) {
    return searchAgreementsPage(this.agreement, query);
  }
}

const infoOf = (a: AgreementViewSummary) => ({
  agreementId: a.agreementId ?? '',
  ...(a.status ? { status: a.status } : {}),
  ...(a.acceptor?.accountId ? { acceptorAccountId: a.acceptor.accountId } : {}),
  ...(a.proposalSummary?.offerId ? { offerId: a.proposalSummary.offerId } : {}),
  ...(a.startTime ? { startTime: a.startTime.toISOString() } : {}),
  ...(a.endTime ? { endTime: a.endTime.toISOString() } : {}),
});

export async function searchAgreementsPage(
  client: MarketplaceAgreementClient,
  query: { productId: string; nextToken?: string },
) {
  const r = await client.send(
    new SearchAgreementsCommand({
      catalog: 'AWSMarketplace',
      filters: [
        { name: 'PartyType', values: ['Proposer'] },
        { name: 'AgreementType', values: ['PurchaseAgreement'] },
        { name: 'ResourceIdentifier', values: [query.productId] },
      ],
      maxResults: 50,
      ...(query.nextToken ? { nextToken: query.nextToken } : {}),
    }),
  );
  return {
    items: (r.agreementViewSummaries ?? []).filter((a) => a.agreementId).map(infoOf),
    ...(r.nextToken ? { nextToken: r.nextToken } : {}),
  };
}

export const agreementClient = once(() => new MarketplaceAgreementClient({ region: MARKETPLACE_REGION }));

export function agreementLookupFromEnv(): AwsAgreementLookup {
  return new AwsAgreementLookup(agreementClient());
}
