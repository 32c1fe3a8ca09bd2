/**
 * The deal view's cancellation request (issue 11 item 2): sales sends it from a live agreement's form (once, even
 * when the form is sent twice), reads who sent it and until when it waits, withdraws it; errors read as sentences in
 * the reader's language; auditors see no form; no task token in the page.
 */
import { describe, expect, it } from 'vitest';
import { newAgreement, withEpisode } from '../../tasks/domain/agreement.js';
import { Client, harness, seedOnboarding } from './support/harness.js';

const AGREEMENT = 'agmt-cancel0000000000000000001';

async function withLiveAgreement() {
  const h = await harness();
  const id = await seedOnboarding(h.flow, { company: 'Cancel KK' });
  await h.ports.agreementRecords.save(
    withEpisode(
      newAgreement({ agreementId: AGREEMENT, onboardingId: id, tenantId: 'tnt-1' }, '2026-01-01T00:00:00Z'),
      { at: '2026-01-01T00:00:00Z', kind: 'created', summary: 'Agreement created (NEW)', eventId: 'e1' },
    ),
  );
  return { ...h, id, path: `/console/deal/${id}` };
}

describe('deal view: cancellation request', () => {
  it('sales sends it once (the same form twice), sees who sent it and withdraws it', async () => {
    // Prepare
    const { app, ports, path } = await withLiveAgreement();
    const c = new Client(app);
    await c.signIn('sales');
    const page = await c.get(path);
    const clientToken = /name="clientToken" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const form = { reasonCode: 'TEST_AGREEMENT', note: 'Trial bought by mistake', clientToken };
    // Act
    const sent = await c.post(`${path}/agreements/${AGREEMENT}/cancellation`, form);
    const after = await c.follow();
    const again = await c.post(`${path}/agreements/${AGREEMENT}/cancellation`, form, { csrf: c.csrf() });
    const pending = await c.get(path);
    const withdrawn = await c.post(`${path}/agreements/${AGREEMENT}/cancellation/withdraw`, { reason: '' });
    const end = await c.follow();
    // Assess
    expect(page.text).toContain('Send the cancellation request');
    expect(page.text).toContain('<option value="UNINTENDED_RENEWAL">Unintended renewal</option>');
    expect(sent.status).toBe(303);
    expect(after.text).toContain('The cancellation request was sent.');
    expect(again.status).toBe(303);
    expect(ports.cancellations.calls.send).toBe(1);
    expect(pending.text).toMatch(/Cancellation request acr-\S+, sent by Sam Sales \(sales\)/);
    expect(pending.text).toContain('Withdraw the request');
    expect(pending.text).not.toContain('Send the cancellation request');
    expect(withdrawn.status).toBe(303);
    expect(end.text).toContain('The cancellation request was withdrawn.');
    expect(end.text).toContain('Cancellation request withdrawn by Sam Sales (sales)');
    expect(end.text).not.toMatch(/taskToken|task_token/i);
  });

  it('says what is wrong in the reader’s language: no reason chosen, a request already waiting', async () => {
    // Prepare
    const { app, path } = await withLiveAgreement();
    const c = new Client(app);
    await c.signIn('sales');
    await c.get(`${path}?lang=ja`);
    // Act
    const blank = await c.post(`${path}/agreements/${AGREEMENT}/cancellation`, {
      reasonCode: '',
      note: '',
      clientToken: 'tok-1',
    });
    const badToken = await c.post(`${path}/agreements/${AGREEMENT}/cancellation`, {
      reasonCode: 'OTHER',
      clientToken: 'not a token!',
    });
    await c.post(`${path}/agreements/${AGREEMENT}/cancellation`, {
      reasonCode: 'OTHER',
      clientToken: 'tok-2',
    });
    await c.get(path);
    const second = await c.post(`${path}/agreements/${AGREEMENT}/cancellation`, {
      reasonCode: 'OTHER',
      clientToken: 'tok-3',
    });
    // Assess
    expect(blank.status).toBe(400);
    expect(badToken.status).toBe(400);
    expect(badToken.text).toContain('<p class="err">入力内容を確認してください。</p>');
    expect(blank.text).toContain('理由を選択してください。');
    expect(second.status).toBe(409);
    expect(second.text).toContain('すでにキャンセル依頼が購入者の回答を待っています。');
  });

  it('shows no form to an auditor, and refuses a post from one', async () => {
    // Prepare
    const { app, path } = await withLiveAgreement();
    const c = new Client(app);
    await c.signIn('auditor');
    // Act
    const page = await c.get(path);
    const post = await c.post(`${path}/agreements/${AGREEMENT}/cancellation`, {
      reasonCode: 'OTHER',
      clientToken: 'tok-a',
    });
    // Assess
    expect(page.text).not.toContain('Send the cancellation request');
    expect(post.status).toBe(403);
  });
});
