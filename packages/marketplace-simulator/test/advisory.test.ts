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
  it('Issued then Resolved in the shape AWS documents: when, the agreement, product and offer; no id, type nor description', async () => {
    // Prepare
    const started = await startSimulator();
    sim = started.sim;
    const offerId = await releasedOffer(started.clients.catalog, BUYER);
    const outcome = sim.admin.subscribe(offerId, BUYER);
    if (outcome.kind !== 'created') throw new Error('not created');
    const agreementId = outcome.agreement.agreementId;
    // Act
    const issued = sim.admin.notifyAdvisory(agreementId, 'issued', { at: '2026-07-02T14:28:00.250Z' });
    const resolved = sim.admin.notifyAdvisory(agreementId, 'resolved');
    await sim.admin.idle(5_000);
    // Assess
    const events = advisoryEvents(sim);
    expect(events.map((e) => e.detailType)).toEqual([
      'Purchase Agreement Advisory Issued - Manufacturer',
      'Purchase Agreement Advisory Resolved - Manufacturer',
    ]);
    expect(issued.at).toBe('2026-07-02T14:28:00Z');
    expect(events[0]?.detail).toMatchObject({
      agreement: { id: agreementId },
      product: { id: expect.stringMatching(/^prod-/) },
      offer: { id: offerId },
      acceptor: { accountId: BUYER },
      advisory: { issuedAt: '2026-07-02T14:28:00Z' },
    });
    expect(events[0]?.detail.agreement).toEqual({ id: agreementId });
    expect(events[0]?.detail.advisory).toEqual({ issuedAt: issued.at });
    expect(events[1]?.detail.advisory).toEqual({ resolvedAt: resolved.at });
    expect(resolved.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(sim.admin.state().agreements.find((a) => a.agreementId === agreementId)?.status).toBe('ACTIVE');
  });
});
