/**
 * Extending the offer from the console while the buyer has not subscribed (issue 11 item 4, issue 12 item 5): the
 * form on the onboarding's page, its date checked on the field in the reader's language, who extended recorded.
 */
import { describe, expect, it } from 'vitest';
import { TOKEN_MARK } from '../../local/in-memory/fake-workflow.js';
import { Client, harness, offered } from './support/harness.js';

describe('extend the offer while waiting for the buyer', () => {
  it('sales extends it: the workflow moves the expiry, the buyer is mailed, the page says who and when', async () => {
    // Prepare
    const { app, flow, ports } = await harness();
    const id = await offered(flow);
    const c = new Client(app);
    await c.signIn('sales');
    const page = await c.get(`/console/onboardings/${id}?lang=en`);

    // Act
    const sent = await c.post(`/console/onboardings/${id}/extend-offer`, { offerExpiresAt: '2025-08-31' });
    await flow.idle();
    const after = await c.follow();
    const again = await c.get(`/console/onboardings/${id}?lang=ja`);

    // Assess
    expect(page.text).toContain('Extend the offer');
    expect(page.text).toContain(`action="/console/onboardings/${id}/extend-offer"`);
    expect(page.text).toContain(
      'The offer expires June 30, 2025 at 11:59 PM UTC (July 1, 2025 at 8:59 AM Japan Standard Time).',
    );
    expect(sent.status).toBe(303);
    expect(after.text).toContain('The offer is being extended');
    const o = await ports.onboardings.get(id);
    expect(o?.stage).toBe('AwaitAcceptance');
    expect(o?.offer?.expiresAt).toBe('2025-08-31T23:59:59Z');
    expect(ports.mailer.tagged('offer-notice').at(-1)?.text).toContain('2025年9月1日 8:59');
    expect(again.text).toContain('オファーの有効期限を延長');
    expect(again.text).toMatch(/前回の延長: 2025-06-30 → 2025-08-31（[^、]+、Sam Sales（営業）/);
    for (const text of [page.text, after.text, again.text]) expect(text).not.toContain(TOKEN_MARK);
  });

  it.each([
    ['en', '2025-06-01', 'Offer expiry must be after the current expiry (2025-06-30).'],
    [
      'ja',
      '2025-06-01',
      'オファーの有効期限には現在の有効期限（2025-06-30）より後の日付を指定してください。',
    ],
    ['en', '2025-01-31', 'Offer expiry must be in the future.'],
    ['ja', '', 'オファーの有効期限を入力してください。'],
    ['en', '2027-01-31', 'Offer expiry must be on or before 2026-02-27.'],
  ])('%s: %s is refused on its field with a sentence', async (lang, date, sentence) => {
    // Prepare
    const { app, flow, ports } = await harness();
    const id = await offered(flow);
    const c = new Client(app);
    await c.signIn('sales');
    await c.get(`/console/onboardings/${id}?lang=${lang}`);
    const calls = ports.callbacks.calls.length;

    // Act
    const r = await c.post(`/console/onboardings/${id}/extend-offer`, { offerExpiresAt: date });

    // Assess
    expect(r.status).toBe(400);
    expect(r.text).toContain(sentence);
    expect(r.text).toContain('aria-invalid="true" aria-describedby="f-extend-offer-offerExpiresAt-err"');
    expect(ports.callbacks.calls.length).toBe(calls);
  });

  it('support sees no extension form and is refused; the workflow is not touched', async () => {
    // Prepare
    const { app, flow, ports } = await harness();
    const id = await offered(flow);
    const c = new Client(app);
    await c.signIn('support');
    const page = await c.get(`/console/onboardings/${id}?lang=en`);
    const calls = ports.callbacks.calls.length;

    // Act
    const r = await c.post(`/console/onboardings/${id}/extend-offer`, { offerExpiresAt: '2025-08-31' });

    // Assess
    expect(page.text).not.toContain('/extend-offer"');
    expect(r.status).toBe(403);
    expect(ports.callbacks.calls.length).toBe(calls);
  });
});
