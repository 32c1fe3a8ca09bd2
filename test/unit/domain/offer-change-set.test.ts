import { describe, expect, it } from 'vitest';
import {
  buildCreateOfferChangeSet,
  buildExtendOfferChangeSet,
  catalogDate,
  clientRequestToken,
  STANDARD_EULA_VERSION,
} from '../../../tasks/domain/offer-change-set.js';
import { terms } from '../use-cases/helpers.js';

const input = (overrides = {}) => ({
  productId: 'prod-exampleproduct1',
  buyerAwsAccountId: '123456789012',
  terms: terms(overrides),
  onboardingId: 'onb-abcdefghij',
  company: 'Example KK',
});

describe('private offer change set', () => {
  it('creates, completes and releases the offer in one change set, in order', () => {
    const changes = buildCreateOfferChangeSet(input());
    expect(changes.map((c) => c.ChangeType)).toEqual([
      'CreateOffer',
      'UpdateInformation',
      'UpdateTargeting',
      'UpdatePricingTerms',
      'UpdateValidityTerms',
      'UpdateLegalTerms',
      'UpdateAvailability',
      'ReleaseOffer',
    ]);
    expect(changes[0]).toEqual({
      ChangeType: 'CreateOffer',
      Entity: { Type: 'Offer@1.0' },
      ChangeName: 'CreateOfferChange',
      DetailsDocument: { ProductId: 'prod-exampleproduct1' },
    });
    for (const c of changes.slice(1)) {
      expect(c.Entity).toEqual({ Type: 'Offer@1.0', Identifier: '$CreateOfferChange.Entity.Identifier' });
    }
  });

  it('targets the buyer account and prices the SaaS contract in USD for P<n>M', () => {
    const byType = Object.fromEntries(
      buildCreateOfferChangeSet(input({ durationMonths: 24 })).map((c) => [c.ChangeType, c.DetailsDocument]),
    );
    expect(byType.UpdateTargeting).toEqual({ PositiveTargeting: { BuyerAccounts: ['123456789012'] } });
    expect(byType.UpdatePricingTerms).toEqual({
      PricingModel: 'Contract',
      Terms: [
        {
          Type: 'ConfigurableUpfrontPricingTerm',
          CurrencyCode: 'USD',
          RateCards: [
            {
              Selector: { Type: 'Duration', Value: 'P24M' },
              RateCard: [
                { DimensionKey: 'Users', Price: '1200.00' },
                { DimensionKey: 'Storage', Price: '300.50' },
              ],
              Constraints: { MultipleDimensionSelection: 'Disallowed', QuantityConfiguration: 'Disallowed' },
            },
          ],
        },
      ],
    });
    expect(byType.UpdateValidityTerms).toEqual({
      Terms: [{ Type: 'ValidityTerm', AgreementDuration: 'P24M' }],
    });
    expect(byType.UpdateInformation).toMatchObject({ Name: 'Enterprise annual' });
    expect(String((byType.UpdateInformation as { Description: string }).Description)).toContain(
      'onb-abcdefghij',
    );
    expect(byType.ReleaseOffer).toEqual({});
  });

  it('uses the standard contract unless a custom EULA URL is agreed', () => {
    const legal = (o = {}) =>
      buildCreateOfferChangeSet(input(o)).find((c) => c.ChangeType === 'UpdateLegalTerms')?.DetailsDocument;
    expect(legal()).toEqual({
      Terms: [{ Type: 'LegalTerm', Documents: [{ Type: 'StandardEula', Version: STANDARD_EULA_VERSION }] }],
    });
    expect(legal({ eulaUrl: 'https://s3.amazonaws.com/bucket/eula.pdf' })).toEqual({
      Terms: [
        {
          Type: 'LegalTerm',
          Documents: [{ Type: 'CustomEula', Url: 'https://s3.amazonaws.com/bucket/eula.pdf' }],
        },
      ],
    });
  });

  it('expires the offer on the UTC date of the agreed expiry', () => {
    // 2025-06-30T15:00+09:00 is 06:00 UTC the same day; 2025-07-01T08:00+09:00 is still June 30 in UTC
    expect(catalogDate('2025-06-30T15:00:00+09:00')).toBe('2025-06-30');
    expect(catalogDate('2025-07-01T08:00:00+09:00')).toBe('2025-06-30');
    const availability = buildCreateOfferChangeSet(input()).find(
      (c) => c.ChangeType === 'UpdateAvailability',
    );
    expect(availability?.DetailsDocument).toEqual({ AvailabilityEndDate: '2025-06-30' });
    expect(() => catalogDate('tomorrow')).toThrow('not a date-time: "tomorrow"');
  });

  it('extends an existing offer with UpdateAvailability on it', () => {
    expect(buildExtendOfferChangeSet('offer-abcdefghij12', '2025-09-30T00:00:00Z')).toEqual([
      {
        ChangeType: 'UpdateAvailability',
        Entity: { Type: 'Offer@1.0', Identifier: 'offer-abcdefghij12' },
        DetailsDocument: { AvailabilityEndDate: '2025-09-30' },
      },
    ]);
  });

  it('derives the ClientRequestToken from onboarding, purpose and attempt', () => {
    const a = clientRequestToken('onb-abcdefghij', 'create', 1);
    expect(a).toBe(clientRequestToken('onb-abcdefghij', 'create', 1));
    expect(a).not.toBe(clientRequestToken('onb-abcdefghij', 'create', 2));
    expect(a).not.toBe(clientRequestToken('onb-abcdefghij', 'extend', 1));
    expect(a).not.toBe(clientRequestToken('onb-abcdefghik', 'create', 1));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(a.length).toBeLessThanOrEqual(36);
  });
});
