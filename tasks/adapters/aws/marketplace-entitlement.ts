/** Entitlement Service GetEntitlements, filtered by license ARN (or buyer account id); expired ones dropped. */
import {
  GetEntitlementsCommand,
  MarketplaceEntitlementServiceClient,
} from '@aws-sdk/client-marketplace-entitlement-service';
import type { MarketplaceEntitlement } from '../../ports/marketplace-fulfillment.js';
import { MARKETPLACE_REGION, once } from './sdk-clients.js';

export const entitlementClient = once(
  () => new MarketplaceEntitlementServiceClient({ region: MARKETPLACE_REGION }),
);

export class EntitlementReader {
  constructor(private readonly entitlement: MarketplaceEntitlementServiceClient) {}

  async getEntitlements(query: {
    productCode: string;
    customerAwsAccountId?: string;
    licenseArn?: string;
  }): Promise<MarketplaceEntitlement[]> {
    const Filter = query.licenseArn
      ? { LICENSE_ARN: [query.licenseArn] }
      : query.customerAwsAccountId
        ? { CUSTOMER_AWS_ACCOUNT_ID: [query.customerAwsAccountId] }
        : undefined;
    const out: MarketplaceEntitlement[] = [];
    let NextToken: string | undefined;
    do {
      const r = await this.entitlement.send(
        new GetEntitlementsCommand({
          ProductCode: query.productCode,
          ...(Filter ? { Filter } : {}),
          NextToken,
        }),
      );
      for (const e of r.Entitlements ?? []) {
        const v = e.Value;
        const value = v?.IntegerValue ?? v?.DoubleValue ?? v?.BooleanValue ?? v?.StringValue;
        out.push({
          dimension: e.Dimension ?? '',
          ...(value !== undefined ? { value } : {}),
          ...(e.ExpirationDate ? { expiresAt: e.ExpirationDate.toISOString() } : {}),
          ...(e.LicenseArn ? { licenseArn: e.LicenseArn } : {}),
          ...(e.CustomerAWSAccountId ? { customerAwsAccountId: e.CustomerAWSAccountId } : {}),
        });
      }
      NextToken = r.NextToken;
    } while (NextToken);
    const now = Date.now();
    return out.filter((e) => !e.expiresAt || Date.parse(e.expiresAt) > now);
  }
}
