import { describe, expect, it } from 'vitest';
import {
  buildCreateOfferChangeSet,
  buildExtendOfferChangeSet,
  buildReplacementOfferChangeSet,
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

describe('agreement-based replacement offer change set (the renewal offer)', () => {
  it('replaces the agreement, sets the agreed terms on the new offer and releases it, without targeting', () => {
    // Act
    const changes = buildReplacementOfferChangeSet({
      agreementId: 'agmt-4mwg1nevbokzw95eca5797ixs',
      terms: terms({ offerName: 'Renewal 2027' }),
      company: 'Example KK',
    });
    // Assess
    expect(changes.map((c) => c.ChangeType)).toEqual([
      'CreateReplacementOffer',
      'UpdateInformation',
      'UpdatePricingTerms',
      'UpdateValidityTerms',
      'UpdateLegalTerms',
      'UpdateAvailability',
      'ReleaseOffer',
    ]);
    expect(changes[0]).toEqual({
      ChangeType: 'CreateReplacementOffer',
      Entity: { Type: 'Offer@1.0' },
      ChangeName: 'CreateReplacementOfferChange',
      DetailsDocument: { AgreementId: 'agmt-4mwg1nevbokzw95eca5797ixs' },
    });
    for (const c of changes.slice(1)) {
      expect(c.Entity).toEqual({
        Type: 'Offer@1.0',
        Identifier: '$CreateReplacementOfferChange.Entity.Identifier',
      });
    }
    expect(changes[1]?.DetailsDocument).toMatchObject({ Name: 'Renewal 2027' });
  });

  it('gives each agreement and attempt its own request token', () => {
    // Act
    const first = clientRequestToken('agmt-a', 'renewal', 1);
    // Assess
    expect(clientRequestToken('agmt-a', 'renewal', 1)).toBe(first);
    expect(clientRequestToken('agmt-a', 'renewal', 2)).not.toBe(first);
    expect(clientRequestToken('agmt-b', 'renewal', 1)).not.toBe(first);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
