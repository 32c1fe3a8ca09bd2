/**
 * The agreement's life after the subscription, as the seller's EventBridge sees it: an amendment (new quantities on
 * the same agreement: `Purchase Agreement Amended - Proposer` with intent AMEND, then `License Updated -
 * Manufacturer`), a renewal (a new agreement with intent RENEW naming the previous one, on the same license, then
 * `Purchase Agreement Ended - Proposer` RENEWED for the old one) and the `Ending` notices AWS sends 180, 120, 90, 60
 * and 30 days before an agreement's end. The buyer's own cancellation is `endAgreement` (buyer/subscriptions.ts).
 */
import { randomUUID } from 'node:crypto';
import type { SimulatorContext } from '../core.js';
import { addDuration, isoSeconds } from '../dates.js';
import { newAgreementId } from '../ids.js';
import type { AgreementRecord, EntitlementValue, LicenseRecord } from '../model.js';
import {
  agreementCreatedDetail,
  agreementEndedDetail,
  licenseDetail,
  renewalFields,
} from '../notify/agreement-events.js';

export class LifecycleError extends Error {
  override readonly name = 'LifecycleError';
}

function activeAgreement(ctx: SimulatorContext, agreementId: string): AgreementRecord {
  const a = ctx.store.get<AgreementRecord>('agreement', agreementId);
  if (!a) throw new LifecycleError(`Agreement ${agreementId} was not found.`);
  if (a.status !== 'ACTIVE') throw new LifecycleError(`Agreement ${agreementId} is ${a.status}, not ACTIVE.`);
  return a;
}

export const ENDING_DAYS = [180, 120, 90, 60, 30] as const;

/** New quantities on the agreement's license (dimension key → units); the other dimensions stay. */
export function amendAgreement(
  ctx: SimulatorContext,
  agreementId: string,
  quantities: Readonly<Record<string, number>>,
): AgreementRecord {
  const agreement = activeAgreement(ctx, agreementId);
  const license = ctx.store.get<LicenseRecord>('license', agreement.licenseArn);
  if (!license) throw new LifecycleError(`Agreement ${agreementId} has no license.`);
  const value = (n: number): EntitlementValue => ({ IntegerValue: n });
  const kept = license.entitlements.filter((e) => !(e.dimension in quantities));
  const added = Object.entries(quantities).map(([dimension, n]) => ({ dimension, value: value(n) }));
  ctx.store.transaction(() => {
    ctx.store.put('license', license.licenseArn, { ...license, entitlements: [...kept, ...added] });
    ctx.notify.agreementEvent(
      'Purchase Agreement Amended - Proposer',
      amendedDetail(ctx, agreement),
      agreementId,
    );
    ctx.notify.agreementEvent(
      'License Updated - Manufacturer',
      licenseDetail(agreement, { code: ctx.config.productCode, id: ctx.config.productId }),
      agreementId,
    );
  });
  ctx.log.info('agreement amended', { agreementId, quantities });
  return agreement;
}

/** `Purchase Agreement Amended - Proposer`: the Created detail with intent AMEND and the automatic renewal. */
function amendedDetail(ctx: SimulatorContext, agreement: AgreementRecord): Record<string, unknown> {
  const detail = agreementCreatedDetail(agreement);
  const renewal = renewalFields(agreement, { title: ctx.config.productTitle });
  Object.assign(detail.agreement as Record<string, unknown>, {
    intent: 'AMEND',
    autoRenewalEnabled: renewal.autoRenewalEnabled,
  });
  return { ...detail, ...renewal.extra };
}

/**
 * The buyer (ACCEPTOR) or the seller (PROPOSER) turns the agreement's automatic renewal on or off: AWS processes it
 * as an amendment (`Purchase Agreement Amended - Proposer` with `autoRenewalEnabled` and `renewalSummary.disabledBy`).
 */
export function setAutoRenewal(
  ctx: SimulatorContext,
  agreementId: string,
  enabled: boolean,
  by: 'ACCEPTOR' | 'PROPOSER' = 'ACCEPTOR',
): AgreementRecord {
  const agreement = activeAgreement(ctx, agreementId);
  const changed: AgreementRecord = { ...agreement, autoRenewalEnabled: enabled };
  if (enabled) delete changed.autoRenewalDisabledBy;
  else changed.autoRenewalDisabledBy = by;
  ctx.store.transaction(() => {
    ctx.store.put('agreement', agreementId, changed);
    ctx.notify.agreementEvent(
      'Purchase Agreement Amended - Proposer',
      amendedDetail(ctx, changed),
      agreementId,
    );
  });
  ctx.log.info('agreement auto-renewal changed', { agreementId, enabled, by });
  return changed;
}

/** The renewal: a new ACTIVE agreement (intent RENEW) on the same license; the old one ends RENEWED. */
export function renewAgreement(
  ctx: SimulatorContext,
  agreementId: string,
  options: { duration?: string } = {},
): AgreementRecord {
  const old = activeAgreement(ctx, agreementId);
  const now = ctx.now();
  const start = old.endTime && new Date(old.endTime) > now ? new Date(old.endTime) : now;
  const renewed: AgreementRecord = {
    ...old,
    agreementId: newAgreementId(),
    status: 'ACTIVE',
    acceptanceTime: now.toISOString(),
    startTime: start.toISOString(),
    endTime: addDuration(start, options.duration ?? 'P12M').toISOString(),
  };
  ctx.store.transaction(() => {
    ctx.store.put('agreement', renewed.agreementId, renewed);
    ctx.store.put('agreement', old.agreementId, { ...old, status: 'RENEWED', endTime: now.toISOString() });
    const license = ctx.store.get<LicenseRecord>('license', old.licenseArn);
    if (license)
      ctx.store.put('license', license.licenseArn, { ...license, agreementId: renewed.agreementId });
    const created = agreementCreatedDetail(renewed);
    Object.assign(created.agreement as Record<string, unknown>, {
      intent: 'RENEW',
      previousAgreementId: old.agreementId,
    });
    ctx.notify.agreementEvent('Purchase Agreement Created - Proposer', created, renewed.agreementId);
    ctx.notify.agreementEvent(
      'Purchase Agreement Ended - Proposer',
      agreementEndedDetail({ ...old, status: 'RENEWED' }),
      old.agreementId,
    );
  });
  ctx.log.info('agreement renewed', { from: old.agreementId, to: renewed.agreementId });
  return renewed;
}

/** The notice AWS sends `days` (180, 120, 90, 60 or 30) before the agreement's end. */
export function notifyEnding(ctx: SimulatorContext, agreementId: string, days: number): AgreementRecord {
  const agreement = activeAgreement(ctx, agreementId);
  if (!(ENDING_DAYS as readonly number[]).includes(days))
    throw new LifecycleError(`days must be one of ${ENDING_DAYS.join(', ')}`);
  if (!agreement.endTime) throw new LifecycleError(`Agreement ${agreementId} has no end.`);
  const renewal = renewalFields(agreement, { title: ctx.config.productTitle });
  ctx.notify.agreementEvent(
    'Purchase Agreement Ending - Proposer',
    {
      requestId: randomUUID(),
      catalog: 'AWSMarketplace',
      agreement: {
        id: agreementId,
        startTime: agreement.startTime,
        endTime: agreement.endTime,
        status: agreement.status,
        daysBeforeEndTime: days,
        autoRenewalEnabled: renewal.autoRenewalEnabled,
      },
      ...renewal.extra,
      acceptor: { accountId: agreement.acceptorAccountId },
      proposer: { name: ctx.config.sellerName, accountId: agreement.proposerAccountId },
      offer: { id: agreement.offerId },
    },
    agreementId,
  );
  return agreement;
}

/**
 * An advisory on the agreement (`Purchase Agreement Advisory Issued - Manufacturer`) or its resolution (`… Resolved
 * - Manufacturer`), in the shape AWS documents: the agreement, product, offer and parties, and `advisory` saying only
 * when (`{ issuedAt }` or `{ resolvedAt }`, to the second); no id, type nor description. The agreement stays as it is.
 */
export function notifyAdvisory(
  ctx: SimulatorContext,
  agreementId: string,
  what: 'issued' | 'resolved',
  options: { at?: string } = {},
): { at: string } {
  const agreement = activeAgreement(ctx, agreementId);
  const at = isoSeconds(options.at ? new Date(options.at) : ctx.now());
  ctx.notify.agreementEvent(
    what === 'issued'
      ? 'Purchase Agreement Advisory Issued - Manufacturer'
      : 'Purchase Agreement Advisory Resolved - Manufacturer',
    {
      requestId: randomUUID(),
      catalog: 'AWSMarketplace',
      agreement: { id: agreementId },
      product: { id: ctx.config.productId },
      acceptor: { accountId: agreement.acceptorAccountId },
      proposer: { accountId: agreement.proposerAccountId },
      offer: { id: agreement.offerId },
      advisory: what === 'issued' ? { issuedAt: at } : { resolvedAt: at },
    },
    agreementId,
  );
  return { at };
}
