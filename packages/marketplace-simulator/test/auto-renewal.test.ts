import { afterEach, describe, expect, it } from 'vitest';
import type { MarketplaceSimulator, NotificationRecord } from '../src/index.js';
import { BUYER, releasedOffer, startSimulator } from './helpers.js';

let sim: MarketplaceSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const events = (s: MarketplaceSimulator, detailType: string) =>
  s.admin
    .notifications()
    .filter((n: NotificationRecord) => n.channel === 'eventbridge')
    .map((n) => n.payload as { detailType: string; detail: Record<string, unknown> })
    .filter((p) => p.detailType === detailType);

async function activeAgreement() {
  const started = await startSimulator();
  sim = started.sim;
  const offerId = await releasedOffer(started.clients.catalog, BUYER);
  const outcome = sim.admin.subscribe(offerId, BUYER);
  if (outcome.kind !== 'created') throw new Error('not created');
  return { sim, agreement: outcome.agreement, offerId };
}

describe('the automatic renewal in Ending and Amended, as AWS documents them', () => {
  it('Ending names autoRenewalEnabled, renewalSummary (lockout 30 days before the end), product and offer', async () => {
    // Prepare
    const { sim, agreement, offerId } = await activeAgreement();
    sim.admin.setAutoRenewal(agreement.agreementId, true);
    // Act
    sim.admin.notifyEnding(agreement.agreementId, 30);
    // Assess
    const [ending] = events(sim, 'Purchase Agreement Ending - Proposer');
    const end = Date.parse(agreement.endTime ?? '');
    expect(ending?.detail).toMatchObject({
      agreement: { id: agreement.agreementId, daysBeforeEndTime: 30, autoRenewalEnabled: true },
      renewalSummary: {
        lockoutStartTime: `${new Date(end - 30 * 86_400_000).toISOString().slice(0, 19)}Z`,
        disabledBy: null,
      },
      product: { id: agreement.productId, title: expect.any(String) },
      offer: { id: offerId },
      proposer: { name: expect.any(String) },
    });
  });

  it('the buyer turning it off is an Amended (AMEND) with autoRenewalEnabled false and disabledBy ACCEPTOR', async () => {
    // Prepare
    const { sim, agreement } = await activeAgreement();
    sim.admin.setAutoRenewal(agreement.agreementId, true);
    // Act
    sim.admin.setAutoRenewal(agreement.agreementId, false, 'ACCEPTOR');
    // Assess
    const amended = events(sim, 'Purchase Agreement Amended - Proposer');
    expect(amended).toHaveLength(2);
    expect(amended[1]?.detail).toMatchObject({
      agreement: { id: agreement.agreementId, intent: 'AMEND', autoRenewalEnabled: false },
      renewalSummary: { disabledBy: 'ACCEPTOR' },
      product: { id: agreement.productId },
    });
    expect(sim.admin.state().agreements.find((a) => a.agreementId === agreement.agreementId)).toMatchObject({
      autoRenewalEnabled: false,
      autoRenewalDisabledBy: 'ACCEPTOR',
    });
  });
});
