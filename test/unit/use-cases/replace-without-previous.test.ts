/**
 * A REPLACE agreement that names no previous agreement (AWS documents `previousAgreementId` only for RENEW): the
 * agreement it replaces is found through the replacement offer we sent for it, or as the customer's only live
 * agreement; then the old → new link, sales' Renewal step and the "continued by" entry and mail happen as with the id.
 * With two live agreements and no offer of ours nothing is guessed.
 */
import { describe, expect, it } from 'vitest';
import { runAgreementEpisode } from '../../../tasks/use-cases/deal-episodes.js';
import { handleMarketplaceEvent } from '../../../tasks/use-cases/marketplace-signals.js';
import { openHumanTask } from '../../../tasks/use-cases/open-human-task.js';
import { fixture } from '../fixtures.js';
import { completedWithPaidPlan, FIXTURE_ACCEPTOR, FIXTURE_AGREEMENT, terms } from './helpers.js';

const AGREEMENT = FIXTURE_AGREEMENT;
const REPLACEMENT = 'agmt-replacement00000000003';
const OTHER = 'agmt-otherliveagreement00004';
const REPLACEMENT_OFFER = 'offer-replacement001';
const END = '2026-06-30T00:00:00.000Z';

let seq = 0;
function event(detailType: string, agreement: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  seq += 1;
  return {
    version: '0',
    id: `evt-replace-${seq}`,
    'detail-type': detailType,
    source: 'aws.agreement-marketplace',
    time: '2025-03-01T00:00:00Z',
    detail: { agreement, acceptor: { accountId: FIXTURE_ACCEPTOR }, ...extra },
  };
}
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
