/**
 * A cancelled agreement never keeps a paid plan (issues 9 and 11): when the marketplace says the buyer's
 * agreement or license ended (cancelled, expired, deprovisioned, unsubscribed), the tenant's paid plan is ended
 * through the provisioning port, keyed by the agreement (`agr:<agreementId>:paid-plan-ended`) so a redelivered
 * event ends it once. A vendor that does not answer makes the signal fail, so it is delivered again (Lambda's
 * asynchronous retries, then the dead-letter queue); a refusal is told to support with the reason.
 * (Issue 11 adds the grace period and the renewal that cancels the end; this is the immediate end.)
 */

import type { MarketplaceSignal } from '../domain/marketplace-signals.js';
import type { Onboarding } from '../domain/onboarding.js';
import { said } from '../domain/timeline-texts.js';
import type { Ports } from '../ports/index.js';
import { agreementKey } from '../ports/provisioning.js';
import { provisioned } from './provisioning.js';
import { note, SYSTEM } from './shared.js';

/** Ends the paid plan the onboarding activated, if any; answers a line for support's mail (or undefined). */
export async function endPaidPlanAfterSignal(
  ports: Pick<Ports, 'provisioning' | 'onboardings' | 'clock' | 'config' | 'log'>,
  onboarding: Onboarding,
  s: MarketplaceSignal,
): Promise<string | undefined> {
  const paid = onboarding.paidPlan;
  if (!paid) return undefined;
  const agreementId = s.agreementId ?? onboarding.agreementId ?? onboarding.id;
  const outcome = await ports.provisioning.endPaidPlan(
    {
      tenantId: paid.accountId,
      action: 'end',
      reason: s.agreementStatus === 'EXPIRED' ? 'agreement-expired' : 'subscription-cancelled',
      marketplace: {
        productCode: onboarding.productCode ?? ports.config.productCode,
        customerAwsAccountId: onboarding.buyerAwsAccountId,
        agreementId,
        ...(onboarding.licenseArn ? { licenseArn: onboarding.licenseArn } : {}),
        ...(onboarding.offer ? { offerId: onboarding.offer.offerId } : {}),
      },
    },
    agreementKey(agreementId, 'paid-plan-ended'),
  );
  if (outcome.outcome === 'refused') {
    ports.log.warn('the vendor refused to end a paid plan', {
      onboardingId: onboarding.id,
      reason: outcome.reason,
    });
    return `The vendor's SaaS refused to end the paid plan ${paid.plan} on ${paid.accountId} (${outcome.reason}): end it by hand.`;
  }
  const { value: tenant, happenedNow } = provisioned('end-paid-plan', outcome); // unavailable throws (retried)
  if (happenedNow) {
    await note(
      ports,
      onboarding.id,
      SYSTEM('marketplace-signal'),
      onboarding.stage,
      'paid-plan-ended',
      said('paid-plan-ended', { plan: paid.plan, tenant: tenant.name, signal: s.kind }),
      { accountId: paid.accountId, plan: paid.plan, agreementId },
    );
  }
  return `The paid plan ${paid.plan} on ${tenant.name} was ended (${happenedNow ? 'now' : 'already'}).`;
}
