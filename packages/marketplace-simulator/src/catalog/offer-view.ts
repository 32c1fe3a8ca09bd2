/** How an offer reads from outside: DescribeEntity details, expiry, who it is targeted to. */
import type { OfferRecord } from '../model.js';

export const OFFER_ENTITY_TYPE = 'Offer@1.0';
export const PRODUCT_ENTITY_TYPE = 'SaaSProduct@1.0';

export const offerArn = (region: string, sellerAccountId: string, offerId: string) =>
  `arn:aws:aws-marketplace:${region}:${sellerAccountId}:AWSMarketplace/Offer/${offerId}`;

export function isExpired(offer: OfferRecord, now: Date): boolean {
  return offer.availabilityEndDate !== undefined && now.getTime() > Date.parse(offer.availabilityEndDate);
}

export function isTargetedTo(offer: OfferRecord, accountId: string): boolean {
  return offer.positiveTargeting?.BuyerAccounts?.includes(accountId) ?? false;
}

/** The `DetailsDocument` of DescribeEntity for an offer. */
export function offerDetails(offer: OfferRecord): Record<string, unknown> {
  const rules: Array<Record<string, unknown>> = [];
  if (offer.positiveTargeting || offer.negativeTargeting) {
    rules.push({
      Type: 'TargetingRule',
      ...(offer.positiveTargeting && { PositiveTargeting: offer.positiveTargeting }),
      ...(offer.negativeTargeting && { NegativeTargeting: offer.negativeTargeting }),
    });
  }
  if (offer.availabilityEndDate)
    rules.push({ Type: 'AvailabilityRule', AvailabilityEndDate: offer.availabilityEndDate });
  return {
    Id: offer.id,
    State: offer.state,
    ...(offer.name !== undefined && { Name: offer.name }),
    ...(offer.description !== undefined && { Description: offer.description }),
    ...(offer.preExistingAgreement !== undefined && { PreExistingAgreement: offer.preExistingAgreement }),
    ProductId: offer.productId,
    Terms: offer.terms,
    Rules: rules,
  };
}
