export interface ResolvedCustomer {
  customerAwsAccountId: string;
  productCode: string;
  licenseArn?: string;
  /** Not populated for new integrations; never used as the key. */
  customerIdentifier?: string;
}

export interface MarketplaceEntitlement {
  dimension: string;
  value?: number | string | boolean;
  expiresAt?: string;
  licenseArn?: string;
  customerAwsAccountId?: string;
}

/** Why ResolveCustomer refused; `throttled` and `unavailable` are worth trying again. */
export type FulfillmentFailure = 'invalid-token' | 'expired-token' | 'throttled' | 'unavailable';

export class FulfillmentError extends Error {
  override readonly name = 'FulfillmentError';
  constructor(
    readonly kind: FulfillmentFailure,
    message: string,
  ) {
    super(message);
    this.name = 'FulfillmentError';
  }
}

export interface MarketplaceFulfillment {
  /** Throws FulfillmentError. */
  resolveCustomer(registrationToken: string): Promise<ResolvedCustomer>;
  getEntitlements(query: {
    productCode: string;
    customerAwsAccountId?: string;
    licenseArn?: string;
  }): Promise<MarketplaceEntitlement[]>;
}
