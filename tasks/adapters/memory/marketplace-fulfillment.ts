import {
  FulfillmentError,
  type FulfillmentFailure,
  type MarketplaceEntitlement,
  type MarketplaceFulfillment,
  type ResolvedCustomer,
} from '../../ports/marketplace-fulfillment.js';
import { clone } from './cursor.js';

/**
 * Metering ResolveCustomer + Entitlement GetEntitlements in memory. Register tokens with `issueToken`, entitlements
 * with `entitle`; `throttleNext` makes the next N ResolveCustomer calls throttle.
 */
export class MemoryMarketplaceFulfillment implements MarketplaceFulfillment {
  private readonly tokens = new Map<string, ResolvedCustomer | FulfillmentFailure>();
  private readonly entitlements: (MarketplaceEntitlement & { productCode: string })[] = [];
  throttleNext = 0;
  resolveCalls = 0;

  issueToken(token: string, customer: ResolvedCustomer | FulfillmentFailure) {
    this.tokens.set(token, clone(customer));
  }

  entitle(productCode: string, entitlement: MarketplaceEntitlement) {
    this.entitlements.push({ ...clone(entitlement), productCode });
  }

  async resolveCustomer(registrationToken: string) {
    this.resolveCalls += 1;
    if (this.throttleNext > 0) {
      this.throttleNext -= 1;
      throw new FulfillmentError('throttled', 'Rate exceeded');
    }
    const found = this.tokens.get(registrationToken);
    if (found === undefined)
      throw new FulfillmentError('invalid-token', 'the registration token is not valid');
    if (typeof found === 'string') throw new FulfillmentError(found, `${found} (injected)`);
    return clone(found);
  }

  async getEntitlements(query: { productCode: string; customerAwsAccountId?: string; licenseArn?: string }) {
    return this.entitlements
      .filter(
        (e) =>
          e.productCode === query.productCode &&
          (!query.customerAwsAccountId || e.customerAwsAccountId === query.customerAwsAccountId) &&
          (!query.licenseArn || e.licenseArn === query.licenseArn),
      )
      .map(({ productCode: _p, ...e }) => clone(e));
  }
}
