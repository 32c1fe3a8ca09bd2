/**
 * The asynchronous part of a change set: each change is checked against the offer as it stands (AWS reports
 * these problems in the change's ErrorDetailList and the change set FAILS) and, when all pass, applied.
 */
import type { SimulatorConfig } from '../config.js';
import { endOfDay, startOfDay } from '../dates.js';
import { newTermId } from '../ids.js';
import type { AgreementRecord, ErrorDetail, OfferRecord, OfferTerm } from '../model.js';
import {
  type DetailsOf,
  detailsSchemas,
  type OfferChangeType,
  PRICING_TERM_TYPES,
} from './details-schemas.js';
import { isExpired } from './offer-view.js';

export interface ApplyContext {
  readonly now: Date;
  readonly config: SimulatorConfig;
  readonly newOfferId: () => string;
  /** The agreement a CreateReplacementOffer names, as it stands when the change set is applied. */
  readonly agreement: (agreementId: string) => AgreementRecord | undefined;
}

export type ApplyResult = { readonly offer: OfferRecord } | { readonly errors: ErrorDetail[] };

const err = (ErrorCode: string, ErrorMessage: string): ErrorDetail => ({ ErrorCode, ErrorMessage });
const AFTER_RELEASE = "The requested change can't be performed after the offer is released.";
const AFTER_EXPIRY = "The requested change can't be performed after the offer is expired.";

export function applyChange(
  type: OfferChangeType,
  offer: OfferRecord | undefined,
  rawDetails: unknown,
  ctx: ApplyContext,
): ApplyResult {
  if (type === 'CreateOffer') return createOffer(detailsSchemas.CreateOffer.parse(rawDetails), ctx);
  if (type === 'CreateReplacementOffer')
    return createReplacementOffer(detailsSchemas.CreateReplacementOffer.parse(rawDetails), ctx);
  if (offer === undefined) return { errors: [err('ENTITY_NOT_FOUND', 'The offer does not exist.')] };
  const next: OfferRecord = structuredClone(offer);
  const errors = UPDATERS[type](next, rawDetails, ctx);
  return errors.length > 0 ? { errors } : { offer: next };
}

function createOffer(d: DetailsOf<'CreateOffer'>, ctx: ApplyContext): ApplyResult {
  if (d.OfferSetId !== undefined) {
    return { errors: [err('INCOMPATIBLE_PRODUCT', "OfferSetId isn't supported in offers for the product.")] };
  }
  const now = ctx.now.toISOString();
  return {
    offer: {
      id: ctx.newOfferId(),
      productId: d.ProductId,
      ...(d.Name !== undefined && { name: d.Name }),
      state: 'Draft',
      terms: [],
      revision: 1,
      createdAt: now,
      lastModifiedDate: now,
    },
  };
}

/**
 * An agreement-based offer: it replaces an ACTIVE agreement, so it is for that agreement's buyer only (no
 * UpdateTargeting needed) and its acceptance ends the agreement REPLACED (buyer/subscriptions.ts).
 */
function createReplacementOffer(d: DetailsOf<'CreateReplacementOffer'>, ctx: ApplyContext): ApplyResult {
  const agreement = ctx.agreement(d.AgreementId);
  if (agreement === undefined) {
    return { errors: [err('AGREEMENT_NOT_FOUND', `Agreement ${d.AgreementId} was not found.`)] };
  }
  if (agreement.status !== 'ACTIVE') {
    return {
      errors: [
        err(
          'INCOMPATIBLE_AGREEMENT',
          `Agreement ${d.AgreementId} is ${agreement.status}: only an ACTIVE agreement can be replaced.`,
        ),
      ],
    };
  }
  const now = ctx.now.toISOString();
  return {
    offer: {
      id: ctx.newOfferId(),
      productId: agreement.productId,
      ...(d.Name !== undefined && { name: d.Name }),
      state: 'Draft',
      terms: [],
      positiveTargeting: { BuyerAccounts: [agreement.acceptorAccountId] },
      replacesAgreementId: agreement.agreementId,
      revision: 1,
      createdAt: now,
      lastModifiedDate: now,
    },
  };
}

type Updater = (offer: OfferRecord, details: unknown, ctx: ApplyContext) => ErrorDetail[];

const replaceTerms = (
  offer: OfferRecord,
  types: readonly string[],
  terms: Array<Record<string, unknown>>,
) => {
  offer.terms = [
    ...offer.terms.filter((t) => !types.includes(t.Type)),
    ...terms.map((t) => ({ ...t, Id: newTermId() }) as OfferTerm),
  ];
};

const UPDATERS: Record<Exclude<OfferChangeType, 'CreateOffer' | 'CreateReplacementOffer'>, Updater> = {
  UpdateInformation(offer, raw) {
    const d = detailsSchemas.UpdateInformation.parse(raw);
    if (offer.state === 'Released' && d.PreExistingAgreement !== undefined) {
      return [
        err(
          'INCOMPATIBLE_PRE_EXISTING_AGREEMENT',
          "PreExistingAgreement can't be changed after the offer is released.",
        ),
      ];
    }
    if (d.Name !== undefined) offer.name = d.Name;
    if (d.Description !== undefined) offer.description = d.Description;
    if (d.PreExistingAgreement === null) delete offer.preExistingAgreement;
    else if (d.PreExistingAgreement !== undefined) offer.preExistingAgreement = d.PreExistingAgreement;
    return [];
  },

  UpdateTargeting(offer, raw, ctx) {
    const d = detailsSchemas.UpdateTargeting.parse(raw);
    if (offer.replacesAgreementId !== undefined) {
      return [
        err(
          'INCOMPATIBLE_TARGETING',
          "A replacement offer's buyer is its agreement's; targeting can't be changed.",
        ),
      ];
    }
    if (isExpired(offer, ctx.now)) return [err('INCOMPATIBLE_TARGETING', AFTER_EXPIRY)];
    const positive = d.PositiveTargeting?.CountryCodes ?? [];
    const overlap = (d.NegativeTargeting?.CountryCodes ?? []).filter((c) => positive.includes(c));
    if (overlap.length > 0) {
      return [err('INVALID_TARGETING', 'Use either negative or positive targeting on the same attribute.')];
    }
    const before = new Set(offer.positiveTargeting?.BuyerAccounts ?? []);
    const after = new Set(d.PositiveTargeting?.BuyerAccounts ?? []);
    if (offer.state === 'Released') {
      if ([...after].some((a) => !before.has(a))) {
        return [err('INCOMPATIBLE_TARGETING', "BuyerAccounts can't be added after the offer is released.")];
      }
      if ([...before].some((a) => !after.has(a))) {
        return [err('INCOMPATIBLE_TARGETING', "BuyerAccounts can't be removed after the offer is released.")];
      }
    }
    const own = [...after].filter((a) => a === ctx.config.sellerAccountId);
    if (own.length > 0) {
      return [
        err('INVALID_BUYER_ACCOUNTS', `Provide valid buyer accounts. Invalid accounts: [${own.join(', ')}].`),
      ];
    }
    if (d.PositiveTargeting) {
      offer.positiveTargeting = {
        ...(d.PositiveTargeting.CountryCodes && { CountryCodes: d.PositiveTargeting.CountryCodes }),
        ...(d.PositiveTargeting.BuyerAccounts && { BuyerAccounts: [...after] }),
      };
    } else delete offer.positiveTargeting;
    if (d.NegativeTargeting) offer.negativeTargeting = d.NegativeTargeting;
    else delete offer.negativeTargeting;
    return [];
  },

  UpdateSupportTerms(offer, raw, ctx) {
    const d = detailsSchemas.UpdateSupportTerms.parse(raw);
    const blocked = lifecycleBlock(offer, ctx, 'INCOMPATIBLE_TERMS');
    if (blocked) return [blocked];
    replaceTerms(offer, ['SupportTerm'], d.Terms);
    return [];
  },

  UpdateLegalTerms(offer, raw, ctx) {
    const d = detailsSchemas.UpdateLegalTerms.parse(raw);
    const blocked = lifecycleBlock(offer, ctx, 'INCOMPATIBLE_TERMS');
    if (blocked) return [blocked];
    replaceTerms(offer, ['LegalTerm'], d.Terms);
    return [];
  },

  UpdatePricingTerms(offer, raw, ctx) {
    const d = detailsSchemas.UpdatePricingTerms.parse(raw);
    const blocked = lifecycleBlock(offer, ctx, 'INCOMPATIBLE_TERMS');
    if (blocked) return [blocked];
    const errors = pricingErrors(d, ctx.config);
    if (errors.length > 0) return errors;
    replaceTerms(offer, PRICING_TERM_TYPES, d.Terms);
    offer.pricingModel = d.PricingModel;
    return [];
  },

  UpdateValidityTerms(offer, raw, ctx) {
    const d = detailsSchemas.UpdateValidityTerms.parse(raw);
    if (isExpired(offer, ctx.now)) return [err('INCOMPATIBLE_TERMS', AFTER_EXPIRY)];
    const [term] = d.Terms;
    if (d.Terms.length > 1 || term === undefined) {
      return [err('DUPLICATE_TERM_TYPES', 'Provide a unique list of term types.')];
    }
    if (term.AgreementDuration !== undefined && term.AgreementEndDate !== undefined) {
      return [
        err(
          'INVALID_AGREEMENT_TIME_INTERVAL',
          "ValidityTerm with both AgreementDuration and AgreementEndDate isn't supported.",
        ),
      ];
    }
    if (
      term.AgreementStartDate !== undefined &&
      term.AgreementDuration === undefined &&
      term.AgreementEndDate === undefined
    ) {
      return [
        err('INVALID_AGREEMENT_TIME_INTERVAL', "ValidityTerm with only AgreementStartDate isn't supported."),
      ];
    }
    if (
      term.AgreementEndDate !== undefined &&
      Date.parse(endOfDay(term.AgreementEndDate)) <= ctx.now.getTime()
    ) {
      return [err('INVALID_AGREEMENT_END_DATE', 'Provide a future AgreementEndDate.')];
    }
    if (
      term.AgreementStartDate !== undefined &&
      term.AgreementEndDate !== undefined &&
      Date.parse(startOfDay(term.AgreementStartDate)) >= Date.parse(endOfDay(term.AgreementEndDate))
    ) {
      return [
        err(
          'INVALID_AGREEMENT_START_DATE',
          'Provide an AgreementStartDate that is before the AgreementEndDate.',
        ),
      ];
    }
    const current = offer.terms.find((t) => t.Type === 'ValidityTerm');
    if (offer.state === 'Released' && current) {
      if (current.AgreementEndDate !== term.AgreementEndDate) {
        return [
          err(
            'INCOMPATIBLE_AGREEMENT_END_DATE',
            "AgreementEndDate can't be updated after the offer is released.",
          ),
        ];
      }
      if (current.AgreementStartDate !== term.AgreementStartDate) {
        return [
          err(
            'INCOMPATIBLE_AGREEMENT_START_DATE',
            "AgreementStartDate can't be updated after the offer is released.",
          ),
        ];
      }
    }
    replaceTerms(offer, ['ValidityTerm'], d.Terms);
    return [];
  },

  UpdateAvailability(offer, raw, ctx) {
    const d = detailsSchemas.UpdateAvailability.parse(raw);
    const end = endOfDay(d.AvailabilityEndDate);
    if (offer.state !== 'Released' && Date.parse(end) <= ctx.now.getTime()) {
      return [err('INVALID_AVAILABILITY_END_DATE', 'Provide a future AvailabilityEndDate.')];
    }
    const agreementEnd = offer.terms.find((t) => t.Type === 'ValidityTerm')?.AgreementEndDate;
    if (typeof agreementEnd === 'string' && Date.parse(end) > Date.parse(endOfDay(agreementEnd))) {
      return [
        err(
          'INVALID_AVAILABILITY_END_DATE',
          'Provide an AvailabilityEndDate that is before AgreementEndDate.',
        ),
      ];
    }
    offer.availabilityEndDate = end;
    return [];
  },

  ReleaseOffer(offer, raw, ctx) {
    detailsSchemas.ReleaseOffer.parse(raw);
    if (offer.state === 'Released') {
      return [
        err('INVALID_UPDATE_REQUEST', "The requested change can't be performed after the offer is released."),
      ];
    }
    const errors: ErrorDetail[] = [];
    if (offer.name === undefined) errors.push(err('MISSING_NAME', 'Set Name before releasing the offer.'));
    if (!offer.positiveTargeting?.BuyerAccounts?.length) {
      errors.push(
        err(
          'MISSING_BUYER_ACCOUNTS',
          'All offers for the product must be private. Provide PositiveTargeting with BuyersAccounts.',
        ),
      );
    }
    if (offer.availabilityEndDate === undefined) {
      errors.push(err('MISSING_AVAILABILITY_END_DATE', 'Provide an AvailabilityEndDate for private offer.'));
    } else if (isExpired(offer, ctx.now)) {
      errors.push(err('INVALID_AVAILABILITY_END_DATE', 'Provide a future AvailabilityEndDate.'));
    }
    if (!offer.terms.some((t) => (PRICING_TERM_TYPES as readonly string[]).includes(t.Type))) {
      errors.push(
        err('MISSING_MANDATORY_TERMS', `Provide at least one of [${PRICING_TERM_TYPES.join(', ')}].`),
      );
    }
    if (!offer.terms.some((t) => t.Type === 'LegalTerm')) {
      errors.push(err('MISSING_MANDATORY_TERMS', 'Add [LegalTerm] to the offer.'));
    }
    if (errors.length > 0) return errors;
    offer.state = 'Released';
    offer.releasedAt = ctx.now.toISOString();
    return [];
  },
};

function lifecycleBlock(offer: OfferRecord, ctx: ApplyContext, code: string): ErrorDetail | undefined {
  if (offer.state === 'Released') return err(code, AFTER_RELEASE);
  if (isExpired(offer, ctx.now)) return err(code, AFTER_EXPIRY);
  return undefined;
}

const TERMS_BY_MODEL: Record<string, readonly string[]> = {
  Contract: [
    'ConfigurableUpfrontPricingTerm',
    'UsageBasedPricingTerm',
    'FixedUpfrontPricingTerm',
    'FreeTrialPricingTerm',
  ],
  Usage: [
    'UsageBasedPricingTerm',
    'ConfigurableUpfrontPricingTerm',
    'FreeTrialPricingTerm',
    'RecurringPaymentTerm',
  ],
  Free: ['UsageBasedPricingTerm', 'ConfigurableUpfrontPricingTerm'],
  Byol: ['ByolPricingTerm', 'FixedUpfrontPricingTerm'],
};

function pricingErrors(d: DetailsOf<'UpdatePricingTerms'>, config: SimulatorConfig): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const types = d.Terms.map((t) => t.Type);
  if (new Set(types).size !== types.length)
    errors.push(err('DUPLICATE_TERM_TYPES', 'Provide a unique list of term types.'));
  const incompatible = types.filter((t) => !(TERMS_BY_MODEL[d.PricingModel] ?? []).includes(t));
  if (incompatible.length > 0) {
    errors.push(
      err(
        'INCOMPATIBLE_TERMS',
        `The following terms aren't compatible with the PricingModel: [${incompatible.join(', ')}].`,
      ),
    );
  }
  if (d.PricingModel === 'Byol' && !types.includes('ByolPricingTerm')) {
    errors.push(err('MISSING_MANDATORY_TERMS', 'Provide a ByolPricingTerm when using Byol pricing model.'));
  }
  const currencies = new Set(d.Terms.flatMap((t) => ('CurrencyCode' in t ? [t.CurrencyCode] : [])));
  if (currencies.size > 1) {
    errors.push(
      err('INVALID_CURRENCY_CODE', 'Provide the same CurrencyCode across all pricing and payment terms.'),
    );
  }
  const known = config.dimensions?.map((dim) => dim.key);
  for (const term of d.Terms) {
    const cards = 'RateCards' in term ? term.RateCards.map((c) => c.RateCard.map((r) => r.DimensionKey)) : [];
    const grants = 'Grants' in term ? [term.Grants.map((g) => g.DimensionKey)] : [];
    for (const keys of [...cards, ...grants]) {
      const dup = keys.filter((k, i) => keys.indexOf(k) !== i);
      if (dup.length > 0) {
        errors.push(
          err(
            'DUPLICATE_DIMENSION_KEYS',
            `Provide ${cards.length ? 'RateCard' : 'Grants'} with a unique list of dimension keys in [${term.Type}].`,
          ),
        );
      }
      const unknown = known === undefined ? [] : keys.filter((k) => !known.includes(k));
      if (unknown.length > 0) {
        errors.push(
          err('INCOMPATIBLE_PRODUCT', `Use existing, available dimensions in the product in [${term.Type}].`),
        );
      }
    }
    if (term.Type === 'ConfigurableUpfrontPricingTerm') {
      const selectors = term.RateCards.map((c) => c.Selector.Value);
      if (new Set(selectors).size !== selectors.length) {
        errors.push(
          err('DUPLICATE_SELECTORS', 'Provide a unique list of Selectors in ConfigurableUpfrontPricingTerm.'),
        );
      }
      if (
        term.RateCards.some(
          (c) => c.Constraints.MultipleDimensionSelection !== c.Constraints.QuantityConfiguration,
        )
      ) {
        errors.push(
          err(
            'INCOMPATIBLE_RATE_CARD_CONSTRAINTS',
            'Set both MultipleDimensionSelection and QuantityConfiguration to the same value (Allowed or Disallowed) in ConfigurableUpfrontPricingTerm.',
          ),
        );
      }
    }
  }
  if (d.PricingModel === 'Free') {
    const prices = d.Terms.flatMap((t) => [
      ...('Price' in t ? [t.Price] : []),
      ...('RateCards' in t ? t.RateCards.flatMap((c) => c.RateCard.map((r) => r.Price)) : []),
    ]);
    if (prices.some((p) => Number(p) !== 0)) {
      errors.push(
        err(
          'INCOMPATIBLE_RATES',
          'Set all charge amounts and prices to zero (0) when using Free pricing model.',
        ),
      );
    }
  }
  return errors;
}
