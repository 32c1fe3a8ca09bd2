/**
 * Support closes an onboarding while its offer waits for the buyer: the offer is expired at the marketplace and the
 * console's offer line says so, in the reader's language.
 */
import { describe, expect, it } from 'vitest';
import { Client, harness, offered } from './support/harness.js';

describe('console: closing while the offer waits for the buyer', () => {
  it('expires the offer at the marketplace and says so on the page (en, ja)', async () => {
    // Prepare: an offer out (the harness clock stands at 2025-03-01, the offer expires 2025-06-30)
    const { app, flow, ports } = await harness();
    const id = await offered(flow);
    const offerId = (await ports.onboardings.get(id))?.offer?.offerId ?? '';
    const c = new Client(app);
    await c.signIn('support');
    await c.get(`/console/onboardings/${id}`);

    // Act
    await c.post(`/console/onboardings/${id}/close`, { reason: 'Buyer chose another vendor' });
    await flow.idle();
    const en = await c.get(`/console/onboardings/${id}?lang=en`);
    const ja = await c.get(`/console/onboardings/${id}?lang=ja`);

    // Assess
    expect(offerId).toMatch(/^offer-/);
    expect(await ports.onboardings.get(id)).toMatchObject({
      stage: 'Closed',
      offerWithdrawal: { offerId, status: 'expired' },
    });
    expect(en.text).toContain(
      `Offer ${offerId} expired on AWS Marketplace: the buyer can no longer accept it`,
    );
    expect(ja.text).toContain(
      `オファー ${offerId} を AWS Marketplace で失効させました。購入者はもう承諾できません`,
    );
  });
});
