/**
 * Use cases re-run after a crash at any line converge (issue 10): the record catches up with what Step Functions
 * already holds, escalation and close recognise a record that already reached its end, a re-run NotifyCompletion
 * after the mail was sent succeeds without a second mail.
 */
import { describe, expect, it } from 'vitest';
import { CLAIM_STALE_MS } from '../../../tasks/domain/human-task.js';
import { closeOnboardingRecord } from '../../../tasks/use-cases/close-onboarding-record.js';
import { sendOfferNotice } from '../../../tasks/use-cases/offers.js';
import { resolveBuyerArrival } from '../../../tasks/use-cases/resolve-buyer-arrival.js';
import { notifyCompletion } from '../../../tasks/use-cases/saas-accounts.js';
import { opened, placeAt, recorded, setup } from './helpers.js';

describe('use cases re-run after a crash', () => {
  it('the record one step behind the workflow catches up: terms sent but not recorded, CreateOffer failed before it ran', async () => {
    // Prepare: SendTaskSuccess carried the terms and the process died before the record noted them (still at
    // Consultation); CreateOffer then failed before its use case ran (e.g. still marked in progress)
    const ports = setup();
    const id = await recorded(ports);
    await placeAt(ports, id, 'Consultation');

    // Act: the workflow takes the offer failure to sales
    const offerFailed = await opened(ports, id, 'OfferFailed');

    // Assess
    expect(offerFailed.completedAtOnce).toBe(false);
    expect((await ports.onboardings.get(id))?.stage).toBe('OfferFailed');
    expect((await ports.tasks.get(id, 'OfferFailed'))?.status).toBe('open');
  });

  it('the record one step behind catches up: AccountSetup completed by the buyer but not recorded, Registration opens', async () => {
    // Prepare
    const ports = setup();
    const id = await recorded(ports);
    await placeAt(ports, id, 'AwaitAcceptance');

    // Act
    await opened(ports, id, 'Registration');

    // Assess
    expect((await ports.onboardings.get(id))?.stage).toBe('Registration');
  });

  it('NotifyCompletion re-run after the mail was sent and the record completed succeeds without a second mail', async () => {
    // Prepare
    const ports = setup();
    const id = await recorded(ports);
    await placeAt(ports, id, 'ActivatePaidPlan', { accountId: 'acct-1' });
    const input = { onboardingId: id, accountId: 'acct-1' };
    const first = await notifyCompletion(ports, input);

    // Act
    const rerun = await notifyCompletion(ports, input);

    // Assess
    expect(rerun).toEqual(first);
    expect(ports.mailer.tagged('completion')).toHaveLength(1);
    expect(await ports.onboardings.get(id)).toMatchObject({ stage: 'Completed', status: 'completed' });
  });

  it('escalation and close keep a record that already reached its end (a step failed after completion)', async () => {
    // Prepare: the record is Completed; the workflow still escalated (the last task's result was lost) and ends
    const ports = setup();
    const id = await recorded(ports);
    await placeAt(ports, id, 'Completed', { status: 'completed' });

    // Act
    const escalation = await opened(ports, id, 'StageTimedOut', { timedOutStage: 'NotifyCompletion' });
    const closed = await closeOnboardingRecord(ports, {
      onboardingId: id,
      stage: 'NotifyCompletion',
      outcome: 'failed',
      error: 'States.TaskFailed',
    });

    // Assess
    expect(escalation.completedAtOnce).toBe(false);
    expect((await ports.tasks.get(id, 'StageTimedOut'))?.status).toBe('open');
    const record = await ports.onboardings.get(id);
    expect(record).toMatchObject({ stage: 'Completed', status: 'completed' });
    expect(record?.end).toBeUndefined();
    expect(closed.reason).toBe('States.TaskFailed');
    expect(ports.mailer.tagged('support-alert:failed')).toHaveLength(1);
  });

  it('a buyer arriving again completes AwaitAcceptance whose completion died while sending (a lapsed claim)', async () => {
    // Prepare: subscribed; the agreement signal claimed AwaitAcceptance and the process died before it sent anything
    const account = '845735284135';
    const licenseArn = 'arn:aws:license-manager::294406891311:license:l-9d01d15f86334a8894365cd7350556ff';
    const ports = setup();
    const id = await recorded(ports, { awsAccountId: account });
    await placeAt(ports, id, 'CreateOffer');
    await sendOfferNotice(ports, {
      onboardingId: id,
      offerId: 'offer-1234567890123',
      offerExpiresAt: '2025-06-30T06:00:00Z',
      source: 'api',
    });
    const { productCode } = ports.config;
    ports.fulfillment.issueToken('mp-token-1', { customerAwsAccountId: account, productCode, licenseArn });
    ports.fulfillment.entitle(productCode, {
      dimension: 'Users',
      value: 10,
      licenseArn,
      customerAwsAccountId: account,
    });
    const { token } = await opened(ports, id, 'AwaitAcceptance');
    const at = ports.clock.now().toISOString();
    expect(await ports.tasks.claim(id, 'AwaitAcceptance', token, at, at)).toBe(true);
    ports.clock.advance(CLAIM_STALE_MS + 1);

    // Act
    const arrival = await resolveBuyerArrival(ports, { registrationToken: 'mp-token-1' });

    // Assess
    expect(arrival).toMatchObject({ ok: true, onboardingId: id });
    expect(ports.callbacks.successes().map((s) => s.token)).toEqual([token]);
    expect((await ports.tasks.get(id, 'AwaitAcceptance'))?.status).toBe('completed');
  });
});
