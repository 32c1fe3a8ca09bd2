/**
 * What the buyer does on AWS Marketplace: accept (subscribe to) a private offer, which creates the agreement
 * and the license and notifies the seller; get a registration token for "アカウントを設定"; end the agreement.
 */
import { agreementTerms, type Selection } from '../agreement/terms.js';
import { isExpired, isTargetedTo } from '../catalog/offer-view.js';
import type { SimulatorContext, SubscriptionFailureMode } from '../core.js';
import { newAgreementId, newCustomerIdentifier, newLicenseArn, newRegistrationToken } from '../ids.js';
import type {
  AgreementRecord,
  AgreementStatus,
  CustomerRecord,
  LicenseRecord,
  OfferRecord,
  RegistrationTokenRecord,
} from '../model.js';
import { agreementCreatedDetail, agreementEndedDetail, licenseDetail } from '../notify/agreement-events.js';
import { subscriptionMessage } from '../notify/sns.js';

export type BuyerErrorCode = 'NOT_FOUND' | 'NOT_TARGETED' | 'EXPIRED' | 'INVALID_SELECTION' | 'NOT_ACTIVE';

export class BuyerError extends Error {
  override readonly name = 'BuyerError';
  constructor(
    readonly code: BuyerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type SubscribeOutcome =
  | { readonly kind: 'created' | 'existing'; readonly agreement: AgreementRecord }
  | { readonly kind: 'failed'; readonly mode: SubscriptionFailureMode; readonly agreement?: AgreementRecord };

/** A released offer the given account may see (throws BuyerError otherwise). */
export function offerForBuyer(ctx: SimulatorContext, offerId: string, accountId: string): OfferRecord {
  const offer = ctx.store.get<OfferRecord>('offer', offerId);
  if (offer?.state !== 'Released') throw new BuyerError('NOT_FOUND', `Offer ${offerId} was not found.`);
  if (!isTargetedTo(offer, accountId)) {
    throw new BuyerError('NOT_TARGETED', `Offer ${offerId} is not available to AWS account ${accountId}.`);
  }
  return offer;
}

export function activeAgreementFor(
  ctx: SimulatorContext,
  offerId: string,
  accountId: string,
): AgreementRecord | undefined {
  return ctx.store.find<AgreementRecord>(
    'agreement',
    (a) => a.offerId === offerId && a.acceptorAccountId === accountId && a.status === 'ACTIVE',
  );
}

function customerFor(ctx: SimulatorContext, accountId: string): CustomerRecord {
  const existing = ctx.store.get<CustomerRecord>('customer', accountId);
  if (existing) return existing;
  const created = { accountId, customerIdentifier: newCustomerIdentifier() };
  ctx.store.put('customer', accountId, created);
  return created;
}

export function subscribe(
  ctx: SimulatorContext,
  offerId: string,
  accountId: string,
  selection: Selection = {},
): SubscribeOutcome {
  const { store, config } = ctx;
  const offer = offerForBuyer(ctx, offerId, accountId);
  const existing = activeAgreementFor(ctx, offerId, accountId);
  if (existing) return { kind: 'existing', agreement: existing };
  const now = ctx.now();
  if (isExpired(offer, now)) throw new BuyerError('EXPIRED', `Offer ${offerId} has expired.`);
  const terms = agreementTerms(offer, selection, now);
  const freeTrial = offer.terms.some((t) => t.Type === 'FreeTrialPricingTerm');
  const replaced = offer.replacesAgreementId
    ? store.get<AgreementRecord>('agreement', offer.replacesAgreementId)
    : undefined;
  if (offer.replacesAgreementId && replaced?.status !== 'ACTIVE') {
    throw new BuyerError(
      'NOT_ACTIVE',
      `Offer ${offerId} replaces agreement ${offer.replacesAgreementId}, which is no longer active.`,
    );
  }

  return store.transaction(() => {
    const customer = customerFor(ctx, accountId);
    const failure = ctx.switches.subscriptionFailures.shift();
    const snsFields = {
      customerIdentifier: customer.customerIdentifier,
      productCode: config.productCode,
      offerId,
      freeTrial,
    };
    if (failure?.mode === 'before-setup') {
      ctx.notify.sns('subscribe-fail', subscriptionMessage('subscribe-fail', snsFields));
      return { kind: 'failed', mode: 'before-setup' } as const;
    }
    if (replaced) return replaceAgreement(ctx, replaced, offer, terms, now);
    const agreement: AgreementRecord = {
      agreementId: newAgreementId(),
      offerId,
      productId: offer.productId,
      acceptorAccountId: accountId,
      proposerAccountId: config.sellerAccountId,
      status: failure ? 'ROLLED_BACK' : 'ACTIVE',
      acceptanceTime: now.toISOString(),
      startTime: terms.startTime.toISOString(),
      ...(terms.endTime !== undefined && { endTime: terms.endTime.toISOString() }),
      acceptedTerms: terms.acceptedTerms,
      ...(terms.estimatedCharges && { estimatedCharges: terms.estimatedCharges }),
      licenseArn: newLicenseArn(),
      customerIdentifier: customer.customerIdentifier,
      setupOffered: true,
    };
    const license: LicenseRecord = {
      licenseArn: agreement.licenseArn,
      agreementId: agreement.agreementId,
      accountId,
      customerIdentifier: customer.customerIdentifier,
      productCode: config.productCode,
      status: failure ? 'DEPROVISIONED' : 'ACTIVE',
      entitlements: failure ? [] : terms.entitlements,
    };
    store.put('agreement', agreement.agreementId, agreement);
    store.put('license', license.licenseArn, license);
    if (failure) {
      // The buyer already got "アカウントを設定"; the payment then fails: no agreement events, subscribe-fail.
      ctx.notify.sns('subscribe-fail', subscriptionMessage('subscribe-fail', snsFields));
      return { kind: 'failed', mode: 'after-setup', agreement } as const;
    }
    ctx.notify.agreementEvent(
      'Purchase Agreement Created - Proposer',
      agreementCreatedDetail(agreement),
      agreement.agreementId,
    );
    if (config.manufacturerAgreementEvents) {
      ctx.notify.agreementEvent(
        'Purchase Agreement Created - Manufacturer',
        agreementCreatedDetail(agreement),
        agreement.agreementId,
      );
    }
    ctx.notify.agreementEvent(
      'License Updated - Manufacturer',
      licenseDetail(agreement, { code: config.productCode, id: config.productId }),
      agreement.agreementId,
    );
    ctx.notify.sns('subscribe-success', subscriptionMessage('subscribe-success', snsFields));
    ctx.log.info('agreement created', { agreementId: agreement.agreementId, offerId, accountId });
    return { kind: 'created', agreement } as const;
  });
}

/**
 * The buyer accepts an agreement-based replacement offer: a new ACTIVE agreement (intent REPLACE; it names the previous
 * one only with `previousAgreementIdOnReplace`, as AWS documents that for RENEW) on the same license and customer;
 * the old agreement ends REPLACED. Events as AWS sends them: Created (REPLACE), License Updated (the new
 * entitlements), Ended (REPLACED) for the old one. No SNS `subscribe-success`: AWS's
 * `aws-mp-subscription-notification` topic tells a buyer subscribing to or unsubscribing from the product, and this
 * buyer stays subscribed (same customer, same license); a contract's renewal or upgrade is told on the
 * `aws-mp-entitlement-notification` topic (`entitlement-updated`), which this simulator does not model
 * (https://docs.aws.amazon.com/marketplace/latest/userguide/saas-notification.html).
 */
function replaceAgreement(
  ctx: SimulatorContext,
  old: AgreementRecord,
  offer: OfferRecord,
  terms: ReturnType<typeof agreementTerms>,
  now: Date,
): SubscribeOutcome {
  const { store, config } = ctx;
  const agreement: AgreementRecord = {
    ...old,
    agreementId: newAgreementId(),
    offerId: offer.id,
    status: 'ACTIVE',
    acceptanceTime: now.toISOString(),
    startTime: terms.startTime.toISOString(),
    acceptedTerms: terms.acceptedTerms,
    setupOffered: false,
  };
  if (terms.endTime !== undefined) agreement.endTime = terms.endTime.toISOString();
  else delete agreement.endTime;
  if (terms.estimatedCharges) agreement.estimatedCharges = terms.estimatedCharges;
  else delete agreement.estimatedCharges;
  const ended: AgreementRecord = { ...old, status: 'REPLACED', endTime: now.toISOString() };
  store.put('agreement', agreement.agreementId, agreement);
  store.put('agreement', old.agreementId, ended);
  const license = store.get<LicenseRecord>('license', old.licenseArn);
  if (license) {
    store.put('license', license.licenseArn, {
      ...license,
      agreementId: agreement.agreementId,
      status: 'ACTIVE',
      entitlements: terms.entitlements,
    });
  }
  const created = agreementCreatedDetail(agreement);
  Object.assign(created.agreement as Record<string, unknown>, {
    intent: 'REPLACE',
    ...(config.previousAgreementIdOnReplace ? { previousAgreementId: old.agreementId } : {}),
  });
  ctx.notify.agreementEvent('Purchase Agreement Created - Proposer', created, agreement.agreementId);
  ctx.notify.agreementEvent(
    'License Updated - Manufacturer',
    licenseDetail(agreement, { code: config.productCode, id: config.productId }),
    agreement.agreementId,
  );
  ctx.notify.agreementEvent(
    'Purchase Agreement Ended - Proposer',
    agreementEndedDetail(ended),
    old.agreementId,
  );
  ctx.log.info('agreement replaced', { from: old.agreementId, to: agreement.agreementId, offerId: offer.id });
  return { kind: 'created', agreement };
}

/** A fresh registration token for the agreement's "アカウントを設定" (x-amzn-marketplace-token). */
export function issueRegistrationToken(ctx: SimulatorContext, agreementId: string): RegistrationTokenRecord {
  const agreement = ctx.store.get<AgreementRecord>('agreement', agreementId);
  if (!agreement) throw new BuyerError('NOT_FOUND', `Agreement ${agreementId} was not found.`);
  if (!agreement.setupOffered)
    throw new BuyerError('NOT_ACTIVE', `Agreement ${agreementId} offers no account setup.`);
  const now = ctx.now();
  const record: RegistrationTokenRecord = {
    token: newRegistrationToken(),
    accountId: agreement.acceptorAccountId,
    customerIdentifier: agreement.customerIdentifier,
    licenseArn: agreement.licenseArn,
    agreementId,
    productCode: ctx.config.productCode,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ctx.config.tokenTtlSeconds * 1000).toISOString(),
  };
  ctx.store.put('registrationToken', record.token, record);
  return record;
}

/** Ends an ACTIVE agreement (the buyer cancels, or it expires/is terminated) and deprovisions its license. */
export function endAgreement(
  ctx: SimulatorContext,
  agreementId: string,
  status: Exclude<AgreementStatus, 'ACTIVE'> = 'CANCELLED',
  /** When it ended (an agreement expiring at its end); now by default. */
  endTime: string = ctx.now().toISOString(),
): AgreementRecord {
  const { store, config } = ctx;
  const agreement = store.get<AgreementRecord>('agreement', agreementId);
  if (!agreement) throw new BuyerError('NOT_FOUND', `Agreement ${agreementId} was not found.`);
  if (agreement.status !== 'ACTIVE')
    throw new BuyerError('NOT_ACTIVE', `Agreement ${agreementId} is already ${agreement.status}.`);
  return store.transaction(() => {
    const ended: AgreementRecord = { ...agreement, status, endTime };
    store.put('agreement', agreementId, ended);
    const license = store.get<LicenseRecord>('license', agreement.licenseArn);
    if (license) store.put('license', license.licenseArn, { ...license, status: 'DEPROVISIONED' });
    const snsFields = {
      customerIdentifier: agreement.customerIdentifier,
      productCode: config.productCode,
      offerId: agreement.offerId,
      freeTrial: false,
    };
    ctx.notify.sns('unsubscribe-pending', subscriptionMessage('unsubscribe-pending', snsFields));
    ctx.notify.agreementEvent(
      'Purchase Agreement Ended - Proposer',
      agreementEndedDetail(ended),
      agreementId,
    );
    if (config.manufacturerAgreementEvents) {
      ctx.notify.agreementEvent(
        'Purchase Agreement Ended - Manufacturer',
        agreementEndedDetail(ended),
        agreementId,
      );
    }
    ctx.notify.agreementEvent(
      'License Deprovisioned - Manufacturer',
      licenseDetail(ended, { code: config.productCode, id: config.productId }),
      agreementId,
    );
    ctx.notify.sns('unsubscribe-success', subscriptionMessage('unsubscribe-success', snsFields));
    ctx.log.info('agreement ended', { agreementId, status });
    return ended;
  });
}
