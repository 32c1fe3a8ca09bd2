/**
 * The private offer as one Marketplace Catalog change set (pure): AgreedTerms → the `ChangeSet` array of
 * StartChangeSet. Shapes follow the Catalog API reference "Work with private offers" (CreateOffer,
 * UpdateInformation, UpdateTargeting, UpdatePricingTerms, UpdateValidityTerms, UpdateLegalTerms,
 * UpdateAvailability, ReleaseOffer), for a SaaS contract product: a ConfigurableUpfrontPricingTerm with one rate
 * card whose selector is the contract duration (P<n>M), prices per dimension in USD.
 */
import { createHash } from 'node:crypto';
import type { AgreedTerms } from '../../workflows/contracts/callbacks.js';

export const OFFER_ENTITY_TYPE = 'Offer@1.0';
/** ChangeName of the CreateOffer change; later changes refer to the new offer through it. */
export const CREATE_OFFER_CHANGE_NAME = 'CreateOfferChange';
const NEW_OFFER_REF = `$${CREATE_OFFER_CHANGE_NAME}.Entity.Identifier`;
/** The current version of the Standard Contract for AWS Marketplace (SCMP). */
export const STANDARD_EULA_VERSION = '2022-07-14';

export interface CatalogChange {
  ChangeType: string;
  Entity: { Type: string; Identifier?: string };
  ChangeName?: string;
  DetailsDocument: Record<string, unknown>;
}

export interface OfferChangeSetInput {
  productId: string;
  buyerAwsAccountId: string;
  terms: AgreedTerms;
  onboardingId: string;
  company: string;
}

/** `YYYY-MM-DD` (UTC) of an ISO date-time, as AvailabilityEndDate expects. */
export function catalogDate(isoDateTime: string): string {
  const ms = Date.parse(isoDateTime);
  if (Number.isNaN(ms)) throw new RangeError(`not a date-time: ${JSON.stringify(isoDateTime)}`);
  return new Date(ms).toISOString().slice(0, 10);
}

export function contractDuration(months: number): string {
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`not a contract length: ${months}`);
  return `P${months}M`;
}

const onNewOffer = (changeType: string, details: Record<string, unknown>): CatalogChange => ({
  ChangeType: changeType,
  Entity: { Type: OFFER_ENTITY_TYPE, Identifier: NEW_OFFER_REF },
  DetailsDocument: details,
});

export function pricingTerms(terms: AgreedTerms): Record<string, unknown> {
  return {
    PricingModel: 'Contract',
    Terms: [
      {
        Type: 'ConfigurableUpfrontPricingTerm',
        CurrencyCode: terms.currency,
        RateCards: [
          {
            Selector: { Type: 'Duration', Value: contractDuration(terms.durationMonths) },
            RateCard: terms.dimensions.map((d) => ({ DimensionKey: d.key, Price: d.price })),
            Constraints: { MultipleDimensionSelection: 'Disallowed', QuantityConfiguration: 'Disallowed' },
          },
        ],
      },
    ],
  };
}

export function legalTerms(terms: AgreedTerms): Record<string, unknown> {
  const document = terms.eulaUrl
    ? { Type: 'CustomEula', Url: terms.eulaUrl }
    : { Type: 'StandardEula', Version: STANDARD_EULA_VERSION };
  return { Terms: [{ Type: 'LegalTerm', Documents: [document] }] };
}

/** Every change creating and releasing the private offer for one buyer account. */
export function buildCreateOfferChangeSet(input: OfferChangeSetInput): CatalogChange[] {
  const { terms } = input;
  const description =
    terms.offerDescription ??
    `Private offer ${terms.plan} for ${input.company} (onboarding ${input.onboardingId})`.slice(0, 255);
  return [
    {
      ChangeType: 'CreateOffer',
      Entity: { Type: OFFER_ENTITY_TYPE },
      ChangeName: CREATE_OFFER_CHANGE_NAME,
      DetailsDocument: { ProductId: input.productId },
    },
    onNewOffer('UpdateInformation', { Name: terms.offerName, Description: description }),
    onNewOffer('UpdateTargeting', { PositiveTargeting: { BuyerAccounts: [input.buyerAwsAccountId] } }),
    onNewOffer('UpdatePricingTerms', pricingTerms(terms)),
    onNewOffer('UpdateValidityTerms', {
      Terms: [{ Type: 'ValidityTerm', AgreementDuration: contractDuration(terms.durationMonths) }],
    }),
    onNewOffer('UpdateLegalTerms', legalTerms(terms)),
    onNewOffer('UpdateAvailability', { AvailabilityEndDate: catalogDate(terms.offerExpiresAt) }),
    onNewOffer('ReleaseOffer', {}),
  ];
}

/** ChangeName of the CreateReplacementOffer change; later changes refer to the new offer through it. */
export const REPLACEMENT_OFFER_CHANGE_NAME = 'CreateReplacementOfferChange';

export interface ReplacementOfferChangeSetInput {
  /** The ACTIVE agreement the offer replaces: its buyer is the offer's buyer (no UpdateTargeting). */
  agreementId: string;
  terms: AgreedTerms;
  company: string;
}

/**
 * An agreement-based replacement offer (the renewal offer of an ending agreement), as in AWS's code library:
 * CreateReplacementOffer naming the agreement, then the agreed terms on `$<ChangeName>.Entity.Identifier` and
 * ReleaseOffer. Accepting it gives a new agreement with intent REPLACE; the old one ends REPLACED.
 */
export function buildReplacementOfferChangeSet(input: ReplacementOfferChangeSetInput): CatalogChange[] {
  const { terms } = input;
  const on = (changeType: string, details: Record<string, unknown>): CatalogChange => ({
    ChangeType: changeType,
    Entity: { Type: OFFER_ENTITY_TYPE, Identifier: `$${REPLACEMENT_OFFER_CHANGE_NAME}.Entity.Identifier` },
    DetailsDocument: details,
  });
  const description =
    terms.offerDescription ??
    `Renewal offer ${terms.plan} for ${input.company} (agreement ${input.agreementId})`.slice(0, 255);
  return [
    {
      ChangeType: 'CreateReplacementOffer',
      Entity: { Type: OFFER_ENTITY_TYPE },
      ChangeName: REPLACEMENT_OFFER_CHANGE_NAME,
      DetailsDocument: { AgreementId: input.agreementId },
    },
    on('UpdateInformation', { Name: terms.offerName, Description: description }),
    on('UpdatePricingTerms', pricingTerms(terms)),
    on('UpdateValidityTerms', {
      Terms: [{ Type: 'ValidityTerm', AgreementDuration: contractDuration(terms.durationMonths) }],
    }),
    on('UpdateLegalTerms', legalTerms(terms)),
    on('UpdateAvailability', { AvailabilityEndDate: catalogDate(terms.offerExpiresAt) }),
    on('ReleaseOffer', {}),
  ];
}

/** OfferExpired → extend: move the released offer's expiry (UpdateAvailability on the existing offer). */
export function buildExtendOfferChangeSet(offerId: string, offerExpiresAt: string): CatalogChange[] {
  return [
    {
      ChangeType: 'UpdateAvailability',
      Entity: { Type: OFFER_ENTITY_TYPE, Identifier: offerId },
      DetailsDocument: { AvailabilityEndDate: catalogDate(offerExpiresAt) },
    },
  ];
}

/**
 * ClientRequestToken (≤ 36 printable ASCII characters): the same onboarding, purpose and attempt always give the
 * same token, so a retried StartChangeSet does not create a second offer; a new attempt gets a new token.
 */
export function clientRequestToken(
  onboardingId: string,
  purpose: 'create' | 'extend' | 'renewal',
  attempt: number,
): string {
  const h = createHash('sha256').update(`${onboardingId}#${purpose}#${attempt}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Offer ids as DescribeChangeSet/DescribeEntity return them may carry a revision suffix (`offer-abc@1`). */
export function bareOfferId(identifier: string): string {
  return identifier.split('@')[0] ?? identifier;
}
