/**
 * ResolveCustomer (Metering) and GetEntitlements (Entitlement Service). The customer is keyed by
 * CustomerAWSAccountId + LicenseArn; CustomerIdentifier is kept only when present.
 */
import {
  GetEntitlementsCommand,
  type MarketplaceEntitlementServiceClient,
} from '@aws-sdk/client-marketplace-entitlement-service';
import {
  type MarketplaceMeteringClient,
  ResolveCustomerCommand,
  type ResolveCustomerCommandOutput,
} from '@aws-sdk/client-marketplace-metering';
import {
  FulfillmentError,
  type FulfillmentFailure,
  type MarketplaceEntitlement,
  type MarketplaceFulfillment,
} from '../../ports/marketplace-fulfillment.js';

const FAILURES: Record<string, FulfillmentFailure> = {
  InvalidTokenException: 'invalid-token',
  ExpiredTokenException: 'expired-token',
  ThrottlingException: 'throttled',
  InternalServiceErrorException: 'unavailable',
  DisabledApiException: 'unavailable',
};

export class AwsMarketplaceFulfillment implements MarketplaceFulfillment {
  constructor(
    private readonly metering: MarketplaceMeteringClient,
    private readonly entitlement: MarketplaceEntitlementServiceClient,
  ) {}

  async resolveCustomer(registrationToken: string) {
    let r: ResolveCustomerCommandOutput;
    try {
      r = await this.metering.send(new ResolveCustomerCommand({ RegistrationToken: registrationToken }));
    } catch (err) {
      const kind = err instanceof Error ? FAILURES[err.name] : undefined;
      // the message of these errors never contains the token
      if (kind) throw new FulfillmentError(kind, (err as Error).name);
      throw err;
    }
    if (!r.CustomerAWSAccountId || !r.ProductCode) {
      throw new Error('ResolveCustomer returned no CustomerAWSAccountId/ProductCode');
    }
    return {
      customerAwsAccountId: r.CustomerAWSAccountId,
      productCode: r.ProductCode,
      ...(r.LicenseArn ? { licenseArn: r.LicenseArn } : {}),
      ...(r.CustomerIdentifier ? { customerIdentifier: r.CustomerIdentifier } : {}),
    };
  }

  async getEntitlements(query: { productCode: string; customerAwsAccountId?: string; licenseArn?: string }) {
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
    // an expired entitlement does not count
    const now = Date.now();
    return out.filter((e) => !e.expiresAt || Date.parse(e.expiresAt) > now);
  }
}
