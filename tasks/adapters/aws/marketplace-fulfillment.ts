/**
 * The MarketplaceFulfillment port from its two halves: ResolveCustomer (Metering) and GetEntitlements
 * (Entitlement Service). A function that has only one of the two IAM permissions gets only that half.
 */
import type { MarketplaceEntitlementServiceClient } from '@aws-sdk/client-marketplace-entitlement-service';
import type { MarketplaceMeteringClient } from '@aws-sdk/client-marketplace-metering';
import type { MarketplaceFulfillment } from '../../ports/marketplace-fulfillment.js';
import { EntitlementReader } from './marketplace-entitlement.js';
import { MeteringCustomerResolver } from './marketplace-metering.js';

export function fulfillmentFrom(parts: {
  resolver?: Pick<MarketplaceFulfillment, 'resolveCustomer'>;
  reader?: Pick<MarketplaceFulfillment, 'getEntitlements'>;
}): MarketplaceFulfillment {
  return {
    resolveCustomer: (token) => {
      if (!parts.resolver) throw new Error('ResolveCustomer is not available in this function');
      return parts.resolver.resolveCustomer(token);
    },
    getEntitlements: (query) => {
      if (!parts.reader) throw new Error('GetEntitlements is not available in this function');
      return parts.reader.getEntitlements(query);
    },
  };
}

export class AwsMarketplaceFulfillment implements MarketplaceFulfillment {
  private readonly resolver: MeteringCustomerResolver;
  private readonly reader: EntitlementReader;

  constructor(metering: MarketplaceMeteringClient, entitlement: MarketplaceEntitlementServiceClient) {
    this.resolver = new MeteringCustomerResolver(metering);
    this.reader = new EntitlementReader(entitlement);
  }

  resolveCustomer(registrationToken: string) {
    return this.resolver.resolveCustomer(registrationToken);
  }

  getEntitlements(query: { productCode: string; customerAwsAccountId?: string; licenseArn?: string }) {
    return this.reader.getEntitlements(query);
  }
}
