/**
 * The synchronous validations of the offer change types (AWS answers HTTP 422 when they fail), as documented
 * for each change type in "Work with private offers using the AWS Marketplace APIs".
 */
import { z } from 'zod';

export const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ILLEGAL = /[\\<>]/;

const isoDuration = z.string().regex(ISO_DURATION, 'must be an ISO 8601 duration such as P12M or P365D');
const date = z
  .string()
  .regex(DATE, 'must be formatted like "YYYY-MM-DD"')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'is not a calendar date');
const name = z
  .string()
  .min(1)
  .max(150)
  .refine((s) => !ILLEGAL.test(s), 'must not contain illegal characters (\\, <, >)');
const price = (decimals: number) =>
  z
    .string()
    .regex(
      new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`),
      `must be a non-negative decimal with up to ${decimals} decimal places, as a string`,
    );
const currency = z.enum(['USD', 'AUD', 'EUR', 'GBP', 'JPY']);
const dimensionKey = z.string().min(1).max(100);
const allowed = z.enum(['Allowed', 'Disallowed']);
const countryCodes = z
  .array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code'))
  .min(1)
  .max(244);

export const PRICING_TERM_TYPES = [
  'ConfigurableUpfrontPricingTerm',
  'UsageBasedPricingTerm',
  'FixedUpfrontPricingTerm',
  'FreeTrialPricingTerm',
  'RecurringPaymentTerm',
  'ByolPricingTerm',
] as const;

const pricingTerm = z.discriminatedUnion('Type', [
  z.strictObject({
    Type: z.literal('ConfigurableUpfrontPricingTerm'),
    CurrencyCode: currency,
    RateCards: z
      .array(
        z.strictObject({
          Selector: z.strictObject({ Type: z.literal('Duration'), Value: isoDuration }),
          RateCard: z
            .array(z.strictObject({ DimensionKey: dimensionKey, Price: price(3) }))
            .min(1)
            .max(800),
          Constraints: z.strictObject({
            MultipleDimensionSelection: allowed,
            QuantityConfiguration: allowed,
          }),
        }),
      )
      .min(1)
      .max(5),
  }),
  z.strictObject({
    Type: z.literal('UsageBasedPricingTerm'),
    CurrencyCode: z.literal('USD'),
    RateCards: z
      .array(
        z.strictObject({
          RateCard: z
            .array(z.strictObject({ DimensionKey: dimensionKey, Price: price(8) }))
            .min(1)
            .max(800),
        }),
      )
      .length(1),
  }),
  z.strictObject({
    Type: z.literal('FixedUpfrontPricingTerm'),
    CurrencyCode: currency,
    Price: price(3),
    Duration: isoDuration.optional(),
    Grants: z
      .array(z.strictObject({ DimensionKey: dimensionKey, MaxQuantity: z.number().int().positive() }))
      .min(1)
      .max(200),
  }),
  z.strictObject({
    Type: z.literal('FreeTrialPricingTerm'),
    Duration: isoDuration,
    Grants: z
      .array(
        z.strictObject({ DimensionKey: dimensionKey, MaxQuantity: z.number().int().positive().optional() }),
      )
      .min(1)
      .max(800),
  }),
  z.strictObject({
    Type: z.literal('RecurringPaymentTerm'),
    BillingPeriod: z.literal('Monthly'),
    CurrencyCode: z.literal('USD'),
    Price: price(3),
  }),
  z.strictObject({ Type: z.literal('ByolPricingTerm') }),
]);

export const detailsSchemas = {
  CreateOffer: z.strictObject({
    ProductId: z
      .string()
      .min(1)
      .max(50)
      .refine((s) => !ILLEGAL.test(s), 'must not contain illegal characters (\\, <, >)'),
    Name: name.optional(),
    OfferSetId: z.string().min(1).optional(),
  }),
  /** An agreement-based offer replacing an ACTIVE agreement; its buyer is the agreement's acceptor. */
  CreateReplacementOffer: z.strictObject({
    AgreementId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9-]+$/, 'must be an agreement id'),
    Name: name.optional(),
  }),
  UpdateInformation: z
    .strictObject({
      Name: name.optional(),
      Description: z.string().min(1).max(255).optional(),
      PreExistingAgreement: z
        .strictObject({
          AcquisitionChannel: z.enum(['AwsMarketplace', 'External']),
          PricingModel: z.enum(['Byol', 'Free', 'Usage', 'Contract']),
        })
        .nullable()
        .optional(),
    })
    .refine((d) => Object.keys(d).length > 0, 'at least one of Name, Description, PreExistingAgreement'),
  UpdateTargeting: z.strictObject({
    PositiveTargeting: z
      .strictObject({
        CountryCodes: countryCodes.optional(),
        BuyerAccounts: z
          .array(z.string().regex(/^\d{12}$/, 'AWS account IDs must be in valid format (12-digit number)'))
          .min(1)
          .max(26)
          .optional(),
      })
      .refine(
        (t) => t.CountryCodes !== undefined || t.BuyerAccounts !== undefined,
        'at least one targeting option',
      )
      .optional(),
    NegativeTargeting: z.strictObject({ CountryCodes: countryCodes }).optional(),
  }),
  UpdateSupportTerms: z.strictObject({
    Terms: z
      .array(
        z.strictObject({
          Type: z.literal('SupportTerm'),
          RefundPolicy: z
            .string()
            .min(1)
            .max(500)
            .refine((s) => s.trim() === s, 'cannot lead or end with spaces'),
        }),
      )
      .min(1),
  }),
  UpdateLegalTerms: z.strictObject({
    Terms: z
      .array(
        z.strictObject({
          Type: z.literal('LegalTerm'),
          Documents: z
            .array(
              z
                .strictObject({
                  Type: z.enum(['CustomEula', 'StandardEula']),
                  Url: z.url().optional(),
                  Version: z.string().optional(),
                })
                .refine((d) => d.Type !== 'CustomEula' || d.Url !== undefined, {
                  message: 'Url is required and must be a valid URL when Type is CustomEula',
                  path: ['Url'],
                })
                .refine(
                  (d) => d.Type !== 'StandardEula' || ['2019-04-24', '2022-07-14'].includes(d.Version ?? ''),
                  {
                    message: 'Version must be a valid StandardEula version: ["2019-04-24", "2022-07-14"]',
                    path: ['Version'],
                  },
                ),
            )
            .min(1),
        }),
      )
      .length(1),
  }),
  UpdatePricingTerms: z.strictObject({
    PricingModel: z.enum(['Byol', 'Free', 'Usage', 'Contract']),
    Terms: z.array(pricingTerm).min(1),
  }),
  UpdateValidityTerms: z.strictObject({
    Terms: z
      .array(
        z.strictObject({
          Type: z.literal('ValidityTerm'),
          AgreementDuration: isoDuration.optional(),
          AgreementStartDate: date.optional(),
          AgreementEndDate: date.optional(),
        }),
      )
      .min(1),
  }),
  UpdateAvailability: z.strictObject({ AvailabilityEndDate: date }),
  ReleaseOffer: z.strictObject({}),
} as const;

export type OfferChangeType = keyof typeof detailsSchemas;
export const OFFER_CHANGE_TYPES = Object.keys(detailsSchemas) as OfferChangeType[];

export type DetailsOf<T extends OfferChangeType> = z.output<(typeof detailsSchemas)[T]>;

/** `Terms[0].RateCards[1].Price` from a zod issue path. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
}
