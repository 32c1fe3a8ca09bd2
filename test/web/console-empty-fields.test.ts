import { describe, expect, it } from 'vitest';
import { Client, changes, harness, offered, seedOnboarding, validTerms } from './support/harness.js';

describe('console forms: an empty field reads "required", in the reader\'s language', () => {
  it('says the expiry is required, not that it must be a date, for new terms and for an extension (en and ja)', async () => {
    // Prepare
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow);
    const expired = await offered(flow);
    await flow.timeOut(expired, 'AwaitAcceptance');
    const c = new Client(app);
    await c.signIn('sales');
    await c.get(`/console/onboardings/${id}`);
    const before = changes(ports);

    // Act
    const terms = await c.post(
      `/console/onboardings/${id}/stages/Consultation`,
      validTerms({ offerExpiresAt: '' }),
    );
    await c.get(`/console/onboardings/${expired}?lang=ja`);
    const extension = await c.post(`/console/onboardings/${expired}/stages/OfferExpired`, {
      action: 'extend',
      offerExpiresAt: '',
    });
    const retry = await c.post(`/console/onboardings/${expired}/stages/OfferExpired`, {
      ...validTerms({ offerExpiresAt: ' ', offerName: '' }),
      action: 'recreate',
    });

    // Assess
    expect(terms.status).toBe(400);
    expect(terms.text).toContain('Offer expiry is required.');
    expect(terms.text).not.toContain('must be a date');
    expect(extension.status).toBe(400);
    expect(extension.text).toContain('オファーの有効期限を入力してください。');
    expect(retry.status).toBe(400);
    expect(retry.text).toContain('オファーの有効期限を入力してください。');
    expect(retry.text).toContain('オファー名を入力してください。');
    expect(retry.text).not.toContain('日付と時刻を入力');
    expect(changes(ports)).toBe(before);
  });

  it('says a blank offer id and a blank price are required, not that they are in the wrong form', async () => {
    // Prepare
    const { app, flow, ports } = await harness();
    const c = new Client(app);
    await c.signIn('sales');
    const id = await seedOnboarding(flow);
    const failed = await seedOnboarding(flow);
    flow.failNextOffer('Dimension key Users is not defined in the product');
    await c.get(`/console/onboardings/${failed}`);
    await c.post(`/console/onboardings/${failed}/stages/Consultation`, validTerms());
    await flow.idle();
    await c.get(`/console/onboardings/${id}`);
    const before = changes(ports);

    // Act
    const terms = await c.post(
      `/console/onboardings/${id}/stages/Consultation`,
      validTerms({ 'dimensions.0.price': '  ', offerExpiresAt: '2025-09-30' }),
    );
    await c.get(`/console/onboardings/${failed}`);
    const manual = await c.post(`/console/onboardings/${failed}/stages/OfferFailed`, {
      action: 'manual',
      offerId: '   ',
    });

    // Assess
    expect(manual.status).toBe(400);
    expect(manual.text).toContain('id="f-manual-offerId-err">Offer ID is required.');
    expect(terms.status).toBe(400);
    expect(terms.text).toContain('Price is required.');
    expect(terms.text).not.toContain('must be an amount');
    expect(changes(ports)).toBe(before);
  });
});

describe("audit export form: every field message in the reader's language", () => {
  it('names an unknown format in Japanese on a Japanese page', async () => {
    // Prepare
    const { app } = await harness();
    const c = new Client(app);
    await c.signIn('auditor');

    // Act
    const ja = await c.get('/audit/export?from=2025-03-01&to=2025-03-01&format=xml&lang=ja');

    // Assess
    expect(ja.status).toBe(400);
    expect(ja.text).toContain('形式は選択肢から選んでください。');
    expect(ja.text).not.toContain('Format must be one of');
  });
});
