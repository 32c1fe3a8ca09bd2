/**
 * The buyer in a real browser on a local stack started with `--vendor built-in` (the embedded directory, for vendors
 * without a SaaS of their own yet): 7-1 ends with the completion mail's single-use set-password link, and 7-2 signs
 * in on the built-in form (a wrong password refused in Japanese) and picks the account to upgrade.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBuyer } from '../../local/demo/scenarios.js';
import { DEMO_BUYER_USER } from '../../local/stack/seed.js';
import { awsPorts } from '../../tasks/adapters/aws/index.js';
import * as uc from '../../tasks/use-cases/index.js';
import { type StackHarness, startTestStack } from '../local/stack/harness.js';
import { type E2eBrowser, launch, snap } from './support/browser.js';
import { heading, offered, setUpAccount, subscribeOnMarketplace } from './support/people.js';
import { expectNoTokensLeaked } from './support/secrets.js';

let h: StackHarness;
let browser: E2eBrowser;
let web: string;

beforeAll(async () => {
  [h, browser] = await Promise.all([startTestStack({}, { vendor: 'built-in' }), launch()]);
  web = h.stack.urls.web;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const secrets = (ids: readonly string[]) =>
  expectNoTokensLeaked(
    browser,
    { procedure: h.procedure, marketplace: h.stack.marketplace, webUrl: web, sesUrl: h.stack.urls.ses },
    ids,
  );

describe('a buyer with the built-in directory', () => {
  it('7-1: the completion mail sets the password the buyer signs in with', async () => {
    const buyer = newBuyer('組込');
    const { onboardingId, offerLink } = await offered(h.procedure, buyer);
    const ctx = await browser.person('ja');
    const page = await ctx.newPage();
    const shot = (name: string) => snap(browser, page, `builtin71-${name}`);
    await subscribeOnMarketplace(page, offerLink, buyer.awsAccountId);
    expect((await setUpAccount(page, web)).status()).toBe(303);
    await page.fill('#f-accountName', `${buyer.company} 本番`);
    await page.fill('#f-email', buyer.email);
    await Promise.all([page.waitForURL(`${web}/buyer/complete`), page.click('button:has-text("登録する")')]);
    expect((await h.procedure.waitForEnd(onboardingId)).status).toBe('SUCCEEDED');
    expect(h.stack.urls.saas).toBeUndefined();

    const setPassword = await h.procedure.setPasswordLinkFromInbox(buyer.email, 30_000);
    await page.goto(setPassword);
    expect(await heading(page)).toBe('パスワードの設定');
    await page.fill('#f-password', 'browser-password-1');
    await page.fill('#f-confirm', 'browser-password-2');
    await page.click('button:has-text("設定する")');
    await expect.poll(() => page.textContent('#f-confirm-err')).toContain('一致しません');
    await shot('01-set-password-mismatch');
    await page.fill('#f-password', 'browser-password-1');
    await page.fill('#f-confirm', 'browser-password-1');
    await page.click('button:has-text("設定する")');
    await expect.poll(() => heading(page)).toBe('パスワードを設定しました');
    await shot('02-password-set');
    expect((await awsPorts().accounts.findUserByEmail(buyer.email))?.passwordHash).toBeTruthy();
    await secrets([onboardingId]);
    await ctx.close();
  });

  it('7-2: signs in on the built-in form and picks the account to upgrade', async () => {
    const buyer = newBuyer('組込既存');
    const { onboardingId, offerLink } = await offered(h.procedure, buyer);
    const ctx = await browser.person('ja');
    const page = await ctx.newPage();
    const shot = (name: string) => snap(browser, page, `builtin72-${name}`);
    await subscribeOnMarketplace(page, offerLink, buyer.awsAccountId);
    expect((await setUpAccount(page, web)).status()).toBe(303);
    await Promise.all([
      page.waitForURL(`${web}/buyer/login`),
      page.click('text=すでに登録済みでログインする方はこちら'),
    ]);
    expect(await heading(page)).toBe('AWS Marketplace経由 ログイン');
    await page.fill('#f-email', DEMO_BUYER_USER.email);
    await page.fill('#f-password', 'not-the-password');
    await page.click('button:has-text("ログイン")');
    await expect.poll(() => page.textContent('.notice.bad')).toContain('正しくありません');
    await shot('01-login-failed');
    await page.fill('#f-password', DEMO_BUYER_USER.password);
    await Promise.all([page.waitForURL(`${web}/buyer/accounts`), page.click('button:has-text("ログイン")')]);
    const chosen = DEMO_BUYER_USER.accounts[1];
    if (!chosen) throw new Error('the demo user needs two accounts');
    await Promise.all([
      page.waitForURL(`${web}/buyer/complete`),
      page.locator('li', { hasText: chosen.name }).locator('button').click(),
    ]);
    await shot('02-complete');
    expect((await h.procedure.waitForEnd(onboardingId)).status).toBe('SUCCEEDED');
    const user = await awsPorts().accounts.findUserByEmail(DEMO_BUYER_USER.email);
    const accounts = await uc.listUserAccounts(awsPorts(), user?.id ?? '');
    expect(accounts.find((a) => a.id === chosen.id)?.plan).toBe('paid');
    expect(accounts.find((a) => a.id !== chosen.id)?.plan).toBe('free');
    await secrets([onboardingId]);
    await ctx.close();
  });
});
