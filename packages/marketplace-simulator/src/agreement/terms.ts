/**
 * From a released offer and the buyer's choices to an agreement: accepted terms (in the Agreement API's union
 * shape), start and end, estimated charges and the entitlements of the license.
 */
import { addDuration, endOfDay, startOfDay } from '../dates.js';
import type { AcceptedTerm, LicenseRecord, OfferRecord, OfferTerm } from '../model.js';

/** The buyer's choices on the offer page for a ConfigurableUpfrontPricingTerm. */
export interface Selection {
  /** The rate card's Selector.Value (contract duration), e.g. P12M; the first one when omitted. */
  readonly selector?: string;
  /** Units per dimension key; one unit of the first dimension when omitted. */
  readonly quantities?: Readonly<Record<string, number>>;
}

export class InvalidSelectionError extends Error {
  override readonly name = 'InvalidSelectionError';
}

export interface AgreementTerms {
  readonly acceptedTerms: AcceptedTerm[];
  readonly startTime: Date;
  readonly endTime?: Date;
  readonly estimatedCharges?: { currencyCode: string; agreementValue: string };
  readonly entitlements: LicenseRecord['entitlements'];
}

type Rate = { DimensionKey: string; Price: string };
type RateCard = {
  Selector: { Type: string; Value: string };
  RateCard: Rate[];
  Constraints: Record<string, string>;
};
type Grant = { DimensionKey: string; MaxQuantity?: number };

const seconds = (d: Date) => d.getTime() / 1000;
const find = (offer: OfferRecord, type: string): OfferTerm | undefined =>
  offer.terms.find((t) => t.Type === type);

export function agreementTerms(offer: OfferRecord, selection: Selection, acceptedAt: Date): AgreementTerms {
  const validity = find(offer, 'ValidityTerm');
  const startDate =
    typeof validity?.AgreementStartDate === 'string'
      ? new Date(startOfDay(validity.AgreementStartDate))
      : undefined;
  const startTime = startDate && startDate > acceptedAt ? startDate : acceptedAt;
  let endTime: Date | undefined;
  if (typeof validity?.AgreementEndDate === 'string') endTime = new Date(endOfDay(validity.AgreementEndDate));
  else if (typeof validity?.AgreementDuration === 'string')
    endTime = addDuration(startTime, validity.AgreementDuration);

  const accepted: AcceptedTerm[] = [];
  const entitlements: Array<{ dimension: string; quantity: number }> = [];
  let charges: { currencyCode: string; total: number } | undefined;

  for (const term of offer.terms) {
    const base = { type: term.Type, id: term.Id };
    switch (term.Type) {
      case 'LegalTerm':
        accepted.push({
          legalTerm: {
            ...base,
            documents: (term.Documents as Array<Record<string, string>>).map((d) => ({
              type: d.Type,
              ...(d.Url !== undefined && { url: d.Url }),
              ...(d.Version !== undefined && { version: d.Version }),
            })),
          },
        });
        break;
      case 'SupportTerm':
        accepted.push({ supportTerm: { ...base, refundPolicy: term.RefundPolicy } });
        break;
      case 'ValidityTerm':
        break; // added last, once the dates are known
      case 'ConfigurableUpfrontPricingTerm': {
        const cards = term.RateCards as RateCard[];
        const card =
          selection.selector === undefined
            ? cards[0]
            : cards.find((c) => c.Selector.Value === selection.selector);
        if (!card)
          throw new InvalidSelectionError(
            `契約期間 ${selection.selector} はこのオファーにありません (unknown contract duration)`,
          );
        const chosen = chooseQuantities(card, selection.quantities);
        const total = chosen.reduce(
          (sum, c) =>
            sum + c.quantity * Number(card.RateCard.find((r) => r.DimensionKey === c.dimension)?.Price ?? 0),
          0,
        );
        charges = { currencyCode: term.CurrencyCode as string, total: (charges?.total ?? 0) + total };
        entitlements.push(...chosen);
        endTime ??= addDuration(startTime, card.Selector.Value);
        accepted.push({
          configurableUpfrontPricingTerm: {
            ...base,
            currencyCode: term.CurrencyCode,
            rateCards: cards.map((c) => ({
              selector: { type: c.Selector.Type, value: c.Selector.Value },
              constraints: {
                multipleDimensionSelection: c.Constraints.MultipleDimensionSelection,
                quantityConfiguration: c.Constraints.QuantityConfiguration,
              },
              rateCard: c.RateCard.map((r) => ({ dimensionKey: r.DimensionKey, price: r.Price })),
            })),
            configuration: {
              selectorValue: card.Selector.Value,
              dimensions: chosen.map((c) => ({ dimensionKey: c.dimension, dimensionValue: c.quantity })),
            },
          },
        });
        break;
      }
      case 'UsageBasedPricingTerm':
        accepted.push({
          usageBasedPricingTerm: {
            ...base,
            currencyCode: term.CurrencyCode,
            rateCards: (term.RateCards as Array<{ RateCard: Rate[] }>).map((c) => ({
              rateCard: c.RateCard.map((r) => ({ dimensionKey: r.DimensionKey, price: r.Price })),
            })),
          },
        });
        break;
      case 'FixedUpfrontPricingTerm': {
        const grants = term.Grants as Grant[];
        entitlements.push(
          ...grants.map((g) => ({ dimension: g.DimensionKey, quantity: g.MaxQuantity ?? 1 })),
        );
        charges = {
          currencyCode: term.CurrencyCode as string,
          total: (charges?.total ?? 0) + Number(term.Price),
        };
        if (typeof term.Duration === 'string') endTime ??= addDuration(startTime, term.Duration);
        accepted.push({
          fixedUpfrontPricingTerm: {
            ...base,
            currencyCode: term.CurrencyCode,
            price: term.Price,
            ...(term.Duration !== undefined && { duration: term.Duration }),
            grants: grants.map((g) => ({
              dimensionKey: g.DimensionKey,
              ...(g.MaxQuantity !== undefined && { maxQuantity: g.MaxQuantity }),
            })),
          },
        });
        break;
      }
      case 'FreeTrialPricingTerm': {
        const grants = term.Grants as Grant[];
        entitlements.push(
          ...grants.map((g) => ({ dimension: g.DimensionKey, quantity: g.MaxQuantity ?? 1 })),
        );
        endTime ??= addDuration(startTime, term.Duration as string);
        accepted.push({
          freeTrialPricingTerm: {
            ...base,
            duration: term.Duration,
            grants: grants.map((g) => ({
              dimensionKey: g.DimensionKey,
              ...(g.MaxQuantity !== undefined && { maxQuantity: g.MaxQuantity }),
            })),
          },
        });
        break;
      }
      case 'RecurringPaymentTerm':
        accepted.push({
          recurringPaymentTerm: {
            ...base,
            currencyCode: term.CurrencyCode,
            billingPeriod: term.BillingPeriod,
            price: term.Price,
          },
        });
        break;
      case 'ByolPricingTerm':
        accepted.push({ byolPricingTerm: base });
        break;
      default:
        break;
    }
  }
  if (validity) {
    accepted.push({
      validityTerm: {
        type: 'ValidityTerm',
        id: validity.Id,
        ...(validity.AgreementDuration !== undefined && { agreementDuration: validity.AgreementDuration }),
        agreementStartDate: seconds(startTime),
        ...(endTime !== undefined && { agreementEndDate: seconds(endTime) }),
      },
    });
  }
  const expirationDate = endTime?.toISOString();
  return {
    acceptedTerms: accepted,
    startTime,
    ...(endTime !== undefined && { endTime }),
    ...(charges && {
      estimatedCharges: { currencyCode: charges.currencyCode, agreementValue: charges.total.toFixed(2) },
    }),
    entitlements: entitlements.map((e) => ({
      dimension: e.dimension,
      value: { IntegerValue: e.quantity },
      ...(expirationDate !== undefined && { expirationDate }),
    })),
  };
}

function chooseQuantities(
  card: RateCard,
  quantities: Selection['quantities'],
): Array<{ dimension: string; quantity: number }> {
  const keys = card.RateCard.map((r) => r.DimensionKey);
  const given = Object.entries(quantities ?? {}).filter(([, q]) => q > 0);
  const unknown = given.filter(([k]) => !keys.includes(k));
  if (unknown.length > 0)
    throw new InvalidSelectionError(
      `不明なディメンション (unknown dimension): ${unknown.map(([k]) => k).join(', ')}`,
    );
  const chosen = given.length > 0 ? given : [[keys[0] as string, 1] as [string, number]];
  for (const [, q] of chosen) {
    if (!Number.isInteger(q))
      throw new InvalidSelectionError('数量は整数で指定してください (quantities are whole numbers)');
  }
  if (card.Constraints.MultipleDimensionSelection === 'Disallowed' && chosen.length > 1) {
    throw new InvalidSelectionError('このオファーで選べるディメンションは1つです (select one dimension)');
  }
  const fixed = card.Constraints.QuantityConfiguration === 'Disallowed';
  return chosen.map(([dimension, quantity]) => ({ dimension, quantity: fixed ? 1 : quantity }));
}
