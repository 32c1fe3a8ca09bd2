/**
 * A cancelled agreement never keeps a paid plan: "Purchase Agreement Ended" (CANCELLED) for an onboarding whose
 * paid plan was activated ends that plan through the provisioning port, once however often the event is
 * delivered; a vendor that does not answer makes the event fail (delivered again), nothing recorded as ended.
 */
import { describe, expect, it } from 'vitest';
import { ProvisioningUnavailableError } from '../../../tasks/domain/errors.js';
import { agreementKey } from '../../../tasks/ports/provisioning.js';
import { handleMarketplaceEvent } from '../../../tasks/use-cases/marketplace-signals.js';
import { fixture } from '../fixtures.js';
import { completedWithPaidPlan, FIXTURE_AGREEMENT } from './helpers.js';

const AGREEMENT = FIXTURE_AGREEMENT;

describe('an ended agreement ends the paid plan at the vendor', () => {
  it('ends it once, however often the event is delivered, and tells support', async () => {
    // Prepare
    const { ports, accountId } = await completedWithPaidPlan();
    const calls: string[] = [];
    const endPaidPlan = ports.provisioning.endPaidPlan.bind(ports.provisioning);
    ports.provisioning.endPaidPlan = async (request, key) => {
      calls.push(key);
      return endPaidPlan(request, key);
    };
    expect((await ports.accounts.getAccount(accountId))?.plan).toBe('paid');

    // Act
    await handleMarketplaceEvent(ports, fixture('eventbridge-agreement-ended.json'));
    await handleMarketplaceEvent(ports, fixture('eventbridge-agreement-ended.json'));

    // Assess
    const account = await ports.accounts.getAccount(accountId);
    expect(account?.plan).toBe('free');
    expect(account?.endedPlan).toMatchObject({ action: 'end', reason: 'subscription-cancelled' });
    expect(calls).toEqual([
      agreementKey(AGREEMENT, 'paid-plan-ended'),
      agreementKey(AGREEMENT, 'paid-plan-ended'),
    ]);
    const alerts = ports.mailer.tagged('support-alert:subscription-failed');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toContain('was ended (now)');
  });

  it('a vendor that does not answer fails the event so it is delivered again; the plan is not marked ended', async () => {
    // Prepare
    const { ports, accountId } = await completedWithPaidPlan();
    ports.provisioning.endPaidPlan = async () => ({
      outcome: 'unavailable',
      reason: 'timeout',
      detail: 'no answer within 5000 ms',
    });

    // Act
    const failure = await handleMarketplaceEvent(ports, fixture('eventbridge-agreement-ended.json')).catch(
      (e: unknown) => e,
    );

    // Assess
    expect(failure).toBeInstanceOf(ProvisioningUnavailableError);
    expect((await ports.accounts.getAccount(accountId))?.plan).toBe('paid');
    expect(ports.mailer.tagged('support-alert:subscription-failed')).toHaveLength(0);
  });
});
