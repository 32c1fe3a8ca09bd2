/**
 * Issue 9, the built-in directory made complete: a buyer who finishes 7-1 is told how to sign in. The completion
 * mail carries a single-use, expiring link to set a password; the page refuses a short or mismatched password in
 * the buyer's language, an unknown, used or expired link with what to do; afterwards the same e-mail and password
 * sign in to 7-2 of the next purchase.
 */
import { describe, expect, it } from 'vitest';
import type { FakeWorkflow } from '../../local/in-memory/fake-workflow.js';
import { INVITATION_TTL_HOURS } from '../../tasks/domain/invitation.js';
import { Client, harness, offered } from './support/harness.js';

const arrive = (c: Client, token: string) =>
  c.request('/marketplace/fulfillment', {
    method: 'POST',
    body: new URLSearchParams({ 'x-amzn-marketplace-token': token }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://aws.amazon.com' },
  });

async function landed(flow: FakeWorkflow, c: Client, acct = '123456789012') {
  const id = await offered(flow, { awsAccountId: acct });
  await arrive(c, flow.subscribe(id, acct));
  await flow.idle();
  await c.follow();
  return id;
}

/** 7-1 to its end; answers the set-password link of the completion mail (path and query). */
async function registeredNewAccount() {
  const h = await harness();
  const c = new Client(h.app);
  await landed(h.flow, c);
  await c.post('/buyer/register', { accountName: 'Example Team', email: 'owner@example.co.jp' });
  const complete = await c.follow();
  await h.flow.idle();
  const mail = h.ports.mailer.tagged('completion')[0];
  const link = /https?:\/\/\S+(\/account\/set-password\?invite=[A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1];
  return { ...h, c, complete, mail, link: link ?? '' };
}

describe('the set-password invitation of 7-1 (built-in directory)', () => {
  it('the completion page and mail say how to sign in; the mail has a single-use link', async () => {
    // Prepare / Act
    const { complete, mail, link } = await registeredNewAccount();

    // Assess
    expect(complete.text).toContain('パスワード設定用のリンクをお送りします');
    expect(mail?.text).toContain('パスワードを、次のリンクから設定してください');
    expect(link).toMatch(/^\/account\/set-password\?invite=[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a short or mismatched password in the buyer language, then sets it once; 7-2 signs in with it', async () => {
    // Prepare
    const { app, flow, ports, link } = await registeredNewAccount();
    const c = new Client(app);
    const form = await c.get(link);

    // Act
    const short = await c.post('/account/set-password', {
      invite: link.split('=')[1] ?? '',
      password: 'short',
      confirm: 'short',
    });
    const mismatch = await c.post('/account/set-password', {
      invite: link.split('=')[1] ?? '',
      password: 'a-long-password-1',
      confirm: 'a-long-password-2',
    });
    const done = await c.post('/account/set-password', {
      invite: link.split('=')[1] ?? '',
      password: 'a-long-password-1',
      confirm: 'a-long-password-1',
    });
    const again = await c.get(link);

    // Assess
    expect(form.status).toBe(200);
    expect(form.text).toContain('パスワードの設定');
    expect(short.status).toBe(400);
    expect(short.text).toContain('パスワードは10文字以上で入力してください。');
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('確認用のパスワードが一致しません。');
    expect(done.status).toBe(303);
    expect(done.location).toBe('/account/password-set?lang=ja');
    expect((await c.get(done.location ?? '')).text).toContain('パスワードを設定しました');
    expect((await c.get('/account/password-set?lang=en')).text).toContain('Your password is set');
    expect(again.status).toBe(409);
    expect(again.text).toContain('このリンクは使用済みです');

    // the next purchase: 7-2 with the same e-mail and password
    const next = new Client(app);
    await landed(flow, next, '210987654321');
    await next.get('/buyer/login');
    const login = await next.post('/buyer/login', {
      email: 'owner@example.co.jp',
      password: 'a-long-password-1',
    });
    expect(login.location).toBe('/buyer/accounts');
    await flow.idle();
    expect((await next.follow()).text).toContain('Example Team');
    expect((await ports.accounts.findUserByEmail('owner@example.co.jp'))?.passwordHash).toBeTruthy();
  });

  it('an unknown link and an expired one say what to do, in English too', async () => {
    // Prepare
    const { app, ports, link } = await registeredNewAccount();
    const c = new Client(app);

    // Act
    const unknown = await c.get(`/account/set-password?invite=${'x'.repeat(43)}&lang=en`);
    ports.clock.advance(INVITATION_TTL_HOURS * 3_600_000 + 1_000);
    const expired = await c.get(`${link}&lang=en`);

    // Assess
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('This link is not valid');
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('A set-password link is valid for 72 hours');
  });
});
