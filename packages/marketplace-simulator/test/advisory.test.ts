import { afterEach, describe, expect, it } from 'vitest';
import type { MarketplaceSimulator, NotificationRecord } from '../src/index.js';
import { BUYER, releasedOffer, startSimulator } from './helpers.js';

let sim: MarketplaceSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const advisoryEvents = (s: MarketplaceSimulator) =>
  s.admin
    .notifications()
    .filter((n: NotificationRecord) => n.channel === 'eventbridge')
    .map((n) => n.payload as { detailType: string; detail: Record<string, unknown> })
    .filter((p) => p.detailType.startsWith('Purchase Agreement Advisory'));

describe('advisories on an agreement', () => {
  it('Issued then Resolved, naming the agreement and the advisory; the agreement itself stays ACTIVE', async () => {
    // Prepare
    const started = await startSimulator();
    sim = started.sim;
    const offerId = await releasedOffer(started.clients.catalog, BUYER);
    const outcome = sim.admin.subscribe(offerId, BUYER);
    if (outcome.kind !== 'created') throw new Error('not created');
    const agreementId = outcome.agreement.agreementId;
    // Act
    const { advisoryId } = sim.admin.notifyAdvisory(agreementId, 'issued', { description: 'Card declined' });
    sim.admin.notifyAdvisory(agreementId, 'resolved', { id: advisoryId });
    await sim.admin.idle(5_000);
    // Assess
    const events = advisoryEvents(sim);
    expect(events.map((e) => e.detailType)).toEqual([
      'Purchase Agreement Advisory Issued - Manufacturer',
      'Purchase Agreement Advisory Resolved - Manufacturer',
    ]);
    expect(events[0]?.detail).toMatchObject({
      agreement: { id: agreementId, status: 'ACTIVE' },
      advisory: { id: advisoryId, type: 'PAYMENT', description: 'Card declined' },
      acceptor: { accountId: BUYER },
    });
    expect(events[1]?.detail).toMatchObject({ advisory: { id: advisoryId } });
    expect(sim.admin.state().agreements.find((a) => a.agreementId === agreementId)?.status).toBe('ACTIVE');
  });
});
