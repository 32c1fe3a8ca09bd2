/**
 * A REPLACE agreement that names no previous agreement (AWS documents `previousAgreementId` only for RENEW): the
 * agreement it replaces is found through the replacement offer we sent for it, or as the customer's only live
 * agreement; then the old → new link, sales' Renewal step and the "continued by" entry and mail happen as with the id.
 * With two live agreements and no offer of ours nothing is guessed. An unsubscribe or License Deprovisioned of the
 * replaced agreement (AWS documents neither on a replacement) is recorded, and fails nothing.
 */
import { describe, expect, it } from 'vitest';
import { runAgreementEpisode } from '../../../tasks/use-cases/deal-episodes.js';
import {
  handleMarketplaceEvent,
  handleSnsSubscriptionMessage,
} from '../../../tasks/use-cases/marketplace-signals.js';
import { openHumanTask } from '../../../tasks/use-cases/open-human-task.js';
import { fixture } from '../fixtures.js';
import {
  agreementEvents,
  completedWithPaidPlan,
  FIXTURE_ACCEPTOR,
  FIXTURE_AGREEMENT,
  placeAt,
  recorded,
  terms,
} from './helpers.js';

const AGREEMENT = FIXTURE_AGREEMENT;
const REPLACEMENT = 'agmt-replacement00000000003';
const OTHER = 'agmt-otherliveagreement00004';
const REPLACEMENT_OFFER = 'offer-replacement001';
const END = '2026-06-30T00:00:00.000Z';

const event = agreementEvents('replace');
/** Created REPLACE as AWS documents the generic shape: no previousAgreementId. */
const replaceCreated = (offerId: string) =>
  event(
    'Purchase Agreement Created - Proposer',
    { id: REPLACEMENT, intent: 'REPLACE', status: 'ACTIVE', startTime: '2025-03-01T00:00:00Z' },
    { offer: { id: offerId } },
  );

async function withRenewalOpen() {
  const done = await completedWithPaidPlan();
  const { ports, id } = done;
  await handleMarketplaceEvent(ports, fixture('eventbridge-agreement-created.json'));
  ports.callbacks.waiting('token-renewal-replace');
  await openHumanTask(ports, {
    onboardingId: id,
    stage: 'Renewal',
    taskToken: 'token-renewal-replace',
    dueAt: END,
    context: { agreementId: AGREEMENT, endTime: END },
  });
  return done;
}

describe('Created REPLACE without previousAgreementId', () => {
  it('is linked through the replacement offer we sent: old → new, Renewal completed, continued-by and sales mail', async () => {
    // Prepare
    const { ports, id } = await withRenewalOpen();
    // a second live agreement of the customer: the fallback alone could not choose
    await handleMarketplaceEvent(
      ports,
      event('Purchase Agreement Created - Proposer', { id: OTHER, intent: 'NEW', status: 'ACTIVE' }),
    );
    await runAgreementEpisode(ports, {
      action: 'send-renewal-offer',
      onboardingId: id,
      agreementId: AGREEMENT,
      offerId: REPLACEMENT_OFFER,
      terms: terms(),
    });
    // Act
    await handleMarketplaceEvent(ports, replaceCreated(REPLACEMENT_OFFER));
    // Assess
    const old = await ports.agreementRecords.get(id, AGREEMENT);
    const next = await ports.agreementRecords.get(id, REPLACEMENT);
    expect(old?.nextAgreementId).toBe(REPLACEMENT);
    expect(old?.episodes.filter((e) => e.kind === 'renewed-by').map((e) => e.text)).toEqual([
      { code: 'continued-by', params: { next: REPLACEMENT, intent: 'REPLACE' } },
    ]);
    expect(next?.previousAgreementId).toBe(AGREEMENT);
    expect((await ports.agreementRecords.get(id, OTHER))?.nextAgreementId).toBeUndefined();
    expect(ports.callbacks.successes()).toEqual([
      expect.objectContaining({
        token: 'token-renewal-replace',
        output: expect.objectContaining({ action: 'renewed', agreementId: REPLACEMENT }),
      }),
    ]);
    const mails = ports.mailer.tagged('deal:renewed');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain(`replacement of ${AGREEMENT}`);
  });

  it('reaches its onboarding by the replacement offer even when the customer has a newer live onboarding', async () => {
    // Prepare
    const { ports, id } = await withRenewalOpen();
    const newer = await recorded(ports, { awsAccountId: FIXTURE_ACCEPTOR });
    await placeAt(ports, newer, 'AwaitAcceptance', {
      offer: { offerId: 'offer-newerdeal00001', expiresAt: END, source: 'api', url: 'https://example.com/o' },
    });
    await runAgreementEpisode(ports, {
      action: 'send-renewal-offer',
      onboardingId: id,
      agreementId: AGREEMENT,
      offerId: REPLACEMENT_OFFER,
      terms: terms(),
    });
    // Act
    const result = await handleMarketplaceEvent(ports, replaceCreated(REPLACEMENT_OFFER));
    // Assess
    expect(result).toMatchObject({ ok: true, onboardingId: id });
    expect((await ports.agreementRecords.get(id, AGREEMENT))?.nextAgreementId).toBe(REPLACEMENT);
    expect(await ports.agreementRecords.get(newer, REPLACEMENT)).toBeUndefined();
  });

  it('without an offer of ours, the customer’s only live agreement is the replaced one; a redelivery links once', async () => {
    // Prepare
    const { ports, id } = await withRenewalOpen();
    const created = replaceCreated('offer-notours00000001');
    // Act
    await handleMarketplaceEvent(ports, created);
    await handleMarketplaceEvent(ports, created);
    // Assess
    expect((await ports.agreementRecords.get(id, AGREEMENT))?.nextAgreementId).toBe(REPLACEMENT);
    expect((await ports.agreementRecords.get(id, REPLACEMENT))?.previousAgreementId).toBe(AGREEMENT);
    expect(ports.callbacks.successes().map((c) => c.token)).toEqual(['token-renewal-replace']);
    expect(ports.mailer.tagged('deal:renewed')).toHaveLength(1);
  });

  it('with two live agreements and no offer of ours, nothing is guessed', async () => {
    // Prepare
    const { ports, id } = await withRenewalOpen();
    await handleMarketplaceEvent(
      ports,
      event('Purchase Agreement Created - Proposer', { id: OTHER, intent: 'NEW', status: 'ACTIVE' }),
    );
    // Act
    await handleMarketplaceEvent(ports, replaceCreated('offer-notours00000001'));
    // Assess
    expect((await ports.agreementRecords.get(id, AGREEMENT))?.nextAgreementId).toBeUndefined();
    expect((await ports.agreementRecords.get(id, REPLACEMENT))?.previousAgreementId).toBeUndefined();
    expect(ports.callbacks.successes()).toEqual([]);
    expect((await ports.tasks.get(id, 'Renewal'))?.status).toBe('open');
  });
});

const unsubscribe = (ports: Awaited<ReturnType<typeof completedWithPaidPlan>>['ports'], messageId: string) =>
  handleSnsSubscriptionMessage(ports, {
    messageId,
    timestamp: ports.clock.now().toISOString(),
    message: { action: 'unsubscribe-success', 'customer-identifier': 'X01EXAMPLEX', 'product-code': 'prod' },
  });
const continuedEntries = async (
  ports: Awaited<ReturnType<typeof completedWithPaidPlan>>['ports'],
  id: string,
) => (await ports.onboardings.timeline(id)).filter((e) => e.text?.code === 'end-of-continued-agreement');

describe('an end signal of the replaced agreement', () => {
  it('License Deprovisioned of the replaced agreement: recorded, the subscription and the paid plan go on', async () => {
    // Prepare
    const { ports, id, accountId } = await withRenewalOpen();
    await handleMarketplaceEvent(
      ports,
      event('Purchase Agreement Created - Proposer', {
        id: REPLACEMENT,
        intent: 'REPLACE',
        status: 'ACTIVE',
        previousAgreementId: AGREEMENT,
      }),
    );
    // Act
    await handleMarketplaceEvent(ports, event('License Deprovisioned - Manufacturer', { id: AGREEMENT }));
    // Assess
    expect((await ports.onboardings.get(id))?.subscription).toBe('confirmed');
    expect((await ports.accounts.getAccount(accountId))?.plan).toBe('paid');
    const entries = await continuedEntries(ports, id);
    expect(entries.map((e) => e.text?.params)).toEqual([
      { kind: 'license-deprovisioned', agreement: AGREEMENT, next: REPLACEMENT },
    ]);
    expect(ports.mailer.tagged('support-alert:subscription-failed')).toHaveLength(0);
  });

  it('unsubscribe-success while our replacement offer is out: recorded once, nothing fails; without one it ends', async () => {
    // Prepare
    const pending = await withRenewalOpen();
    await pending.ports.onboardings.linkRef('customer', 'X01EXAMPLEX', pending.id);
    await runAgreementEpisode(pending.ports, {
      action: 'send-renewal-offer',
      onboardingId: pending.id,
      agreementId: AGREEMENT,
      offerId: REPLACEMENT_OFFER,
      terms: terms(),
    });
    const plain = await withRenewalOpen();
    await plain.ports.onboardings.linkRef('customer', 'X01EXAMPLEX', plain.id);
    // Act
    await unsubscribe(pending.ports, 'sns-unsub-1');
    await unsubscribe(pending.ports, 'sns-unsub-1');
    await unsubscribe(plain.ports, 'sns-unsub-2');
    // Assess
    expect((await pending.ports.onboardings.get(pending.id))?.subscription).toBe('confirmed');
    expect((await continuedEntries(pending.ports, pending.id)).map((e) => e.text?.params)).toEqual([
      { kind: 'unsubscribe-success', agreement: AGREEMENT },
    ]);
    expect((await pending.ports.tasks.get(pending.id, 'Renewal'))?.status).toBe('open');
    expect((await plain.ports.onboardings.get(plain.id))?.subscription).toBe('ended');
    expect(await continuedEntries(plain.ports, plain.id)).toEqual([]);
  });
});
