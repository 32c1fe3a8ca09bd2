import { describe, expect, it } from 'vitest';
import { actorOf } from '../../../tasks/domain/audit.js';
import {
  handleMarketplaceEvent,
  handleMarketplaceSignal,
  handleSnsSubscriptionMessage,
} from '../../../tasks/use-cases/marketplace-signals.js';
import { sendOfferNotice } from '../../../tasks/use-cases/offers.js';
import { fixture } from '../fixtures.js';
import { opened, placeAt, recorded, setup } from './helpers.js';

const ACCEPTOR = '845735284135';
const OFFER = 'offer-1234567890123';

/** An onboarding of the documented acceptor whose offer notice was sent. */
async function offerSent() {
  const ports = setup();
  const id = await recorded(ports, { awsAccountId: ACCEPTOR });
  await placeAt(ports, id, 'CreateOffer');
  await sendOfferNotice(ports, {
    onboardingId: id,
    offerId: OFFER,
    offerExpiresAt: '2025-06-30T06:00:00Z',
    source: 'api',
  });
  return { ports, id };
}

const sns = (name: string) => {
  const record = fixture<{ Records: { Sns: { MessageId: string; Timestamp: string; Message: string } }[] }>(
    name,
  ).Records[0];
  if (!record) throw new Error('fixture without a record');
  return { messageId: record.Sns.MessageId, timestamp: record.Sns.Timestamp, message: record.Sns.Message };
};

describe('handleMarketplaceEvent', () => {
  it('Purchase Agreement Created resumes AwaitAcceptance with the agreement', async () => {
    const { ports, id } = await offerSent();
    const { token } = await opened(ports, id, 'AwaitAcceptance');

    const r = await handleMarketplaceEvent(ports, fixture('eventbridge-agreement-created.json'));

    expect(r).toEqual({ ok: true, outcome: 'advanced', kind: 'agreement-created', onboardingId: id });
    expect(ports.callbacks.successes()).toEqual([
      {
        kind: 'success',
        token,
        output: {
          actor: { kind: 'system', id: 'marketplace-agreement-event' },
          source: 'agreement-event',
          customerAwsAccountId: ACCEPTOR,
          agreementId: 'agmt-4mwg1nevbokzw95eca5797ixs',
          acceptedAt: '2024-08-30T21:36:03Z',
        },
      },
    ]);
    expect(await ports.onboardings.get(id)).toMatchObject({
      subscription: 'confirmed',
      agreementId: 'agmt-4mwg1nevbokzw95eca5797ixs',
    });
  });

  it('a duplicated event advances once and is recorded once', async () => {
    const { ports, id } = await offerSent();
    await opened(ports, id, 'AwaitAcceptance');
    const event = fixture('eventbridge-agreement-created.json');

    await handleMarketplaceEvent(ports, event);
    const again = await handleMarketplaceEvent(ports, event);

    expect(again).toMatchObject({ ok: true, outcome: 'duplicate' });
    expect(ports.callbacks.successes()).toHaveLength(1);
    expect(
      (await ports.onboardings.timeline(id)).filter((e) => e.action === 'signal-agreement-created'),
    ).toHaveLength(1);
  });

  it('an agreement that arrives before AwaitAcceptance opens is stored and completes it at once', async () => {
    const { ports, id } = await offerSent();

    const early = await handleMarketplaceEvent(ports, fixture('eventbridge-agreement-created.json'));
    const { completedAtOnce } = await opened(ports, id, 'AwaitAcceptance');

    expect(early).toMatchObject({ outcome: 'recorded' });
    expect(completedAtOnce).toBe(true);
    expect(ports.callbacks.successes()).toHaveLength(1);
  });

  it('License Updated (documented ARN without arn:) confirms the subscription and links the license', async () => {
    const { ports, id } = await offerSent();

    const r = await handleMarketplaceEvent(ports, fixture('eventbridge-license-updated.json'));

    expect(r).toMatchObject({ ok: true, onboardingId: id });
    const o = await ports.onboardings.get(id);
    expect(o?.licenseArn).toBe(
      'arn:aws:license-manager:us-east-1:123456789012:l-e52ca6f38bf84d0fafb8802ca15ac11x',
    );
    expect(o?.subscription).toBe('confirmed');
    expect(await ports.onboardings.findByRef('license', 'l-e52ca6f38bf84d0fafb8802ca15ac11x')).toBe(id);
  });

  it('Purchase Agreement Ended stops the buyer stage with Onboarding.SubscriptionFailed and tells support', async () => {
    const { ports, id } = await offerSent();
    await handleMarketplaceEvent(ports, fixture('eventbridge-agreement-created.json'));
    await placeAt(ports, id, 'AccountSetup');
    const { token } = await opened(ports, id, 'Registration');

    const r = await handleMarketplaceEvent(ports, fixture('eventbridge-agreement-ended.json'));

    expect(r).toMatchObject({ ok: true, outcome: 'advanced', kind: 'agreement-ended' });
    const failure = ports.callbacks.failures()[0];
    expect(failure).toMatchObject({ token, error: 'Onboarding.SubscriptionFailed' });
    expect(JSON.parse(failure?.kind === 'failure' ? failure.cause : '{}')).toMatchObject({
      source: 'agreement-ended',
      reason: 'agreement-ended (CANCELLED)',
    });
    expect((await ports.onboardings.get(id))?.subscription).toBe('ended');
    expect(ports.mailer.tagged('support-alert:subscription-failed')).toHaveLength(1);
  });

  it('still stops the workflow when the support alert cannot be sent', async () => {
    const { ports, id } = await offerSent();
    const { token } = await opened(ports, id, 'AwaitAcceptance');
    ports.mailer.failNext = 5;

    const r = await handleMarketplaceEvent(ports, fixture('eventbridge-agreement-ended.json'));

    expect(r).toMatchObject({ ok: true, outcome: 'advanced' });
    expect(ports.callbacks.failures()).toMatchObject([{ token, error: 'Onboarding.SubscriptionFailed' }]);
  });

  it('a deprovisioned license found through the license link also ends the subscription', async () => {
    const { ports, id } = await offerSent();
    await handleMarketplaceEvent(ports, fixture('eventbridge-license-updated.json'));

    await handleMarketplaceEvent(ports, fixture('eventbridge-license-deprovisioned.json'));

    expect((await ports.onboardings.get(id))?.subscription).toBe('ended');
    expect((await ports.facts.get(id, 'subscription-failed'))?.kind).toBe('subscription-failed');
  });

  it('alerts support once about a signal no onboarding matches', async () => {
    const ports = setup();
    const event = fixture('eventbridge-agreement-created.json');

    const r = await handleMarketplaceEvent(ports, event);
    await handleMarketplaceEvent(ports, event);

    expect(r).toEqual({ ok: true, outcome: 'unmatched', kind: 'agreement-created' });
    expect(ports.mailer.tagged('support-alert:unmatched-signal')).toHaveLength(1);
  });

  it('finds the onboarding through DescribeAgreement when the event names no known offer', async () => {
    const ports = setup();
    const id = await recorded(ports, { awsAccountId: '111122223333' });
    await placeAt(ports, id, 'CreateOffer');
    await sendOfferNotice(ports, {
      onboardingId: id,
      offerId: 'offer-zzzzzzzzzzzz',
      offerExpiresAt: '2025-06-30T06:00:00Z',
      source: 'manual',
    });
    ports.agreements.add({
      agreementId: 'agmt-4mwg1nevbokzw95eca5797ixs',
      offerId: 'offer-zzzzzzzzzzzz',
      acceptorAccountId: '111122223333',
    });
    const event = fixture<{ detail: Record<string, unknown> }>('eventbridge-agreement-created.json');
    event.detail.offer = null;
    event.detail.acceptor = null;

    const r = await handleMarketplaceEvent(ports, event);

    expect(r).toMatchObject({ ok: true, onboardingId: id });
  });

  it('names the bad field of a malformed event', async () => {
    const ports = setup();
    const event = fixture<Record<string, unknown>>('eventbridge-agreement-created.json');
    event['detail-type'] = 'Something Else';

    const r = await handleMarketplaceEvent(ports, event);

    expect(r).toMatchObject({ ok: false, error: 'invalid-input', issues: [{ path: 'detail-type' }] });
  });
});

describe('handleSnsSubscriptionMessage', () => {
  it('subscribe-success resumes AwaitAcceptance (found by offer-identifier)', async () => {
    const { ports, id } = await offerSent();
    await opened(ports, id, 'AwaitAcceptance');

    const r = await handleSnsSubscriptionMessage(ports, sns('sns-subscribe-success.json'));

    expect(r).toMatchObject({ ok: true, outcome: 'advanced', kind: 'subscribe-success', onboardingId: id });
    expect(ports.callbacks.successes()[0]?.output).toMatchObject({
      source: 'subscribe-success',
      customerAwsAccountId: ACCEPTOR,
    });
    expect(await ports.onboardings.findByRef('customer', 'X01EXAMPLEX')).toBe(id);
  });

  it('subscribe-fail stops AwaitAcceptance with Onboarding.SubscriptionFailed', async () => {
    const { ports, id } = await offerSent();
    const { token } = await opened(ports, id, 'AwaitAcceptance');

    await handleSnsSubscriptionMessage(ports, sns('sns-subscribe-fail.json'));

    expect(ports.callbacks.failures()).toMatchObject([{ token, error: 'Onboarding.SubscriptionFailed' }]);
    expect((await ports.onboardings.get(id))?.subscription).toBe('failed');
  });

  it('the failure names who acted (the signal, as the system), whether the stage was waiting or opened later', async () => {
    const { ports, id } = await offerSent();
    const { token } = await opened(ports, id, 'AwaitAcceptance');
    await handleSnsSubscriptionMessage(ports, sns('sns-subscribe-fail.json'));
    const later = await opened(ports, id, 'AccountSetup'); // opened after the fact: stopped at once

    const [waiting, opening] = ports.callbacks.failures();
    const causeOf = (f: typeof waiting) => JSON.parse(f?.kind === 'failure' ? f.cause : '{}');

    expect(waiting).toMatchObject({ token });
    expect(opening).toMatchObject({ token: later.token, error: 'Onboarding.SubscriptionFailed' });
    for (const f of [waiting, opening]) {
      expect(causeOf(f)).toMatchObject({
        actor: { kind: 'system', id: 'marketplace-subscribe-fail' },
        source: 'subscribe-fail',
        reason: 'subscribe-fail',
      });
    }
    expect(actorOf({ cause: waiting?.kind === 'failure' ? waiting.cause : '' })).toBe(
      'system:marketplace-subscribe-fail',
    );
  });

  it('a payload built from a signal is checked against the stage contract before anything is sent', async () => {
    const { ports, id } = await offerSent();
    await opened(ports, id, 'AwaitAcceptance');

    const sent = handleMarketplaceSignal(ports, {
      origin: 'eventbridge',
      eventId: 'e-1',
      kind: 'agreement-created',
      at: 'yesterday', // not an ISO date-time: acceptedAt would break AcceptanceSignal
      agreementId: 'agmt-1',
      customerAwsAccountId: ACCEPTOR,
    });

    await expect(sent).rejects.toThrow('AwaitAcceptance callback: invalid input: acceptedAt');
    expect(ports.callbacks.calls).toHaveLength(0);
    expect((await ports.tasks.get(id, 'AwaitAcceptance'))?.status).toBe('open');
  });

  it('unsubscribe-pending (no offer id) is found by customer identifier and only noted', async () => {
    const { ports, id } = await offerSent();
    await handleSnsSubscriptionMessage(ports, sns('sns-subscribe-success.json'));
    const http = fixture<{ MessageId: string; Timestamp: string; Message: string }>(
      'sns-http-unsubscribe-pending.json',
    );

    const r = await handleSnsSubscriptionMessage(ports, {
      messageId: http.MessageId,
      timestamp: http.Timestamp,
      message: http.Message,
    });

    expect(r).toMatchObject({ ok: true, outcome: 'recorded', kind: 'unsubscribe-pending', onboardingId: id });
    expect((await ports.onboardings.get(id))?.subscription).toBe('confirmed');
  });

  it('refuses a message that is not JSON or has an unknown action', async () => {
    const ports = setup();
    expect(
      await handleSnsSubscriptionMessage(ports, { messageId: 'm', timestamp: 't', message: 'not json' }),
    ).toMatchObject({
      ok: false,
      issues: [{ path: 'Message' }],
    });
    expect(
      await handleSnsSubscriptionMessage(ports, {
        messageId: 'm',
        timestamp: 't',
        message: { action: 'entitlement-updated' },
      }),
    ).toMatchObject({
      ok: false,
      issues: [{ path: 'action' }],
    });
  });
});
