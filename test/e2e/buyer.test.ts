/**
 * The buyer in a real browser (Debian Chromium via playwright-core) on the real local stack (startTestStack: the
 * synthesized workflow on our Step Functions runtime, dynalite, SES, the AWS Marketplace simulator, the web app):
 * the inquiry form, the offer page on the simulator, Subscribe, "アカウントを設定" (the simulator's own form POST of
 * x-amzn-marketplace-token to our fulfillment URL), then 7-1 or 7-2 to completion, and the error pages.
 * Progress is read through the Step Functions API. Every page: screenshot, no task token, no console error or CSP
 * violation.
 */
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBuyer } from '../../local/demo/scenarios.js';
import { DEMO_BUYER_USER } from '../../local/stack/seed.js';
import { awsPorts } from '../../tasks/adapters/aws/index.js';
import * as uc from '../../tasks/use-cases/index.js';
import { RESOLVE_ATTEMPTS } from '../../tasks/use-cases/resolve-buyer-arrival.js';
import { type StackHarness, startTestStack } from '../local/stack/harness.js';
import { type E2eBrowser, launch, snap } from './support/browser.js';
import { heading, offered, postToken, setUpAccount, subscribeOnMarketplace } from './support/people.js';
import { expectNoTokensLeaked, taskTokens } from './support/secrets.js';

let h: StackHarness;
let browser: E2eBrowser;
let web: string;
const onboardings: string[] = [];

beforeAll(async () => {
  [h, browser] = await Promise.all([startTestStack(), launch()]);
  web = h.stack.urls.web;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const secrets = (ids: readonly string[]) =>
  expectNoTokensLeaked(
    browser,
    {
      procedure: h.procedure,
      marketplace: h.stack.marketplace,
      webUrl: web,
      sesUrl: h.stack.urls.ses,
    },
    ids,
  );

async function buyerPage(ctx: BrowserContext) {
  return ctx.newPage();
}

describe('a buyer in the browser', () => {
  it('sends the inquiry form, subscribes on AWS Marketplace and completes 7-1 (AWS Marketplace経由 新規登録)', async () => {
    const buyer = newBuyer('ブラウザ');
    const ctx = await browser.person('ja');
    const page = await buyerPage(ctx);
    const shot = (name: string) => snap(browser, page, `buyer71-${name}`);

    // step 1: the inquiry form, with a field error first
    await page.goto(`${web}/inquiry`);
    expect(await heading(page)).toContain('お問い合わせ');
    await shot('01-inquiry');
    await page.fill('#f-company', buyer.company);
    await page.fill('#f-contactName', buyer.contactName);
    await page.fill('#f-email', buyer.email);
    await page.fill('#f-awsAccountId', '12345');
    await page.selectOption('#f-plan', 'Business');
    await page.fill('#f-message', 'プライベートオファーを希望します');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('#f-awsAccountId-err')).toContain('12桁');
    await shot('02-inquiry-field-error');
    await page.fill('#f-awsAccountId', buyer.awsAccountId);
    await Promise.all([page.waitForURL('**/inquiry/thanks**'), page.click('button[type=submit]')]);
    expect(await heading(page)).toBe('お問い合わせを受け付けました');
    const onboardingId = new URL(page.url()).searchParams.get('ref') ?? '';
    expect(onboardingId).toMatch(/^onb-/);
    onboardings.push(onboardingId);
    await shot('03-inquiry-thanks');
    await page.click('text=English');
    expect(await heading(page)).toBe('Thank you, we received your inquiry');
    await page.click('text=日本語');
    expect(await heading(page)).toBe('お問い合わせを受け付けました');

    // steps 2-5 headless: sales agrees the terms, the workflow creates the offer and mails the link
    await h.procedure.waitForStage(onboardingId, 'Consultation');
    await h.procedure.agreeTerms('sales', onboardingId, {
      plan: 'Business',
      offerName: 'ブラウザ Business 12 months',
      durationMonths: 12,
      offerExpiresOn: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      dimensions: [{ key: 'Users', price: '9800.00' }],
    });
    const offerLink = await h.procedure.offerLinkFromInbox(buyer.email, 60_000);
    await h.procedure.waitForStage(onboardingId, 'AwaitAcceptance');

    // step 6: the offer page on AWS Marketplace, Subscribe, "アカウントを設定"
    await subscribeOnMarketplace(page, offerLink, buyer.awsAccountId, () => shot('04-marketplace-offer'));
    expect(await page.textContent('body')).toContain('ブラウザ Business 12 months');
    const agreementUrl = page.url();
    await shot('05-marketplace-agreement');
    expect((await setUpAccount(page, web)).status()).toBe(303);
    expect(page.url()).toBe(`${web}/buyer/register?lang=ja`);
    expect(await heading(page)).toBe('AWS Marketplace経由 新規登録');
    await shot('06-register');
    await page.click('text=English');
    expect(await heading(page)).toBe('Sign up via AWS Marketplace');
    await shot('07-register-en');
    await page.click('text=日本語');
    expect(await heading(page)).toBe('AWS Marketplace経由 新規登録');

    // step 7-1: the account name and e-mail; an empty name is refused first
    await page.fill('#f-email', buyer.email);
    await page.click('button:has-text("登録する")');
    await expect.poll(() => page.locator('#f-accountName-err').count()).toBe(1);
    await shot('08-register-field-error');
    // no wait for the workflow to open Registration: the buyer goes on at browser speed, as a person would (a buyer
    // faster than the workflow would see "ただいま処理中です"; tasks is to store such early submissions as facts)
    await page.fill('#f-accountName', `${buyer.company} 本番`);
    await page.fill('#f-email', buyer.email);
    await Promise.all([page.waitForURL(`${web}/buyer/complete`), page.click('button:has-text("登録する")')]);
    expect(await heading(page)).toBe('お手続きが完了しました');
    await shot('09-complete');

    const end = await h.procedure.waitForEnd(onboardingId);
    expect(end.status).toBe('SUCCEEDED');
    const path = await h.procedure.path(onboardingId);
    expect(path).toEqual(expect.arrayContaining(['Registration', 'CreateAccount', 'ActivatePaidPlan']));
    expect(path).not.toContain('AccountSelection');

    // the same "アカウントを設定" again (a fresh token on reload): the setup is already complete
    await page.goto(agreementUrl);
    expect((await setUpAccount(page, web)).status()).toBe(409);
    expect(await heading(page)).toBe('セットアップは完了しています');
    await shot('10-already-complete');
    expect((await h.procedure.path(onboardingId)).filter((s) => s === 'AccountSetup')).toHaveLength(1);

    // the vendor's SaaS invited the new owner: its link sets the password, and the SaaS shows the paid plan
    const invitation = await h.procedure.vendorInvitationLinkFromInbox(buyer.email, 30_000);
    await page.goto(invitation);
    expect(await heading(page)).toBe('パスワードの設定');
    await shot('11-vendor-set-password');
    await page.fill('#password', 'browser-password-1');
    await Promise.all([
      page.waitForURL(/\/app\?lang=ja$/),
      page.click('button:has-text("設定してログイン")'),
    ]);
    expect(await heading(page)).toBe('あなたのアカウント');
    await expect
      .poll(() =>
        page
          .locator('section.tenant', { hasText: `${buyer.company} 本番` })
          .locator('[data-status]')
          .textContent(),
      )
      .toMatch(/^有料プラン \(.+\)$/);
    await shot('12-vendor-saas-paid-plan');
    // the completion mail says where to sign in (the vendor's tenant page)
    const completion = await h.procedure.linkFromInbox(
      buyer.email,
      'the sign-in link of the completion e-mail',
      /https?:\/\/[^\s"'<>]*\/app(?=\s|$)/m,
      30_000,
    );
    expect(new URL(completion).origin).toBe(h.stack.urls.saas);

    await secrets([onboardingId]);
    await ctx.close();
  });

  it('completes 7-2: logs in as an existing user and picks 有料化を行うアカウントの選択', async () => {
    const buyer = newBuyer('既存');
    const { onboardingId, offerLink } = await offered(h.procedure, buyer);
    onboardings.push(onboardingId);
    const ctx = await browser.person('ja');
    const page = await buyerPage(ctx);
    const shot = (name: string) => snap(browser, page, `buyer72-${name}`);

    await subscribeOnMarketplace(page, offerLink, buyer.awsAccountId, () => shot('01-marketplace-offer'));
    await shot('02-marketplace-agreement');
    expect((await setUpAccount(page, web)).status()).toBe(303);
    expect(await heading(page)).toBe('AWS Marketplace経由 新規登録');
    await shot('03-register');
    // "すでに登録済みでログインする方はこちら" goes to the vendor's own sign-in (its OpenID provider), in Japanese
    const saas = h.stack.urls.saas as string;
    await Promise.all([
      page.waitForURL(`${saas}/interaction/**`),
      page.click('text=すでに登録済みでログインする方はこちら'),
    ]);
    expect(await heading(page)).toBe('Example SaaS にログイン');
    await shot('04-vendor-sign-in');

    await page.fill('#email', DEMO_BUYER_USER.email);
    await page.fill('#password', 'not-the-password');
    await page.click('button:has-text("ログイン")');
    await expect.poll(() => page.textContent('.bad')).toContain('メールアドレスまたはパスワードが違います');
    await shot('05-vendor-sign-in-failed');
    await page.fill('#password', DEMO_BUYER_USER.password);
    await Promise.all([page.waitForURL(`${web}/buyer/accounts`), page.click('button:has-text("ログイン")')]);
    expect(await heading(page)).toBe('有料化を行うアカウントの選択');
    const choices = page.locator('button:has-text("このアカウントで利用を開始する")');
    expect(await choices.count()).toBe(DEMO_BUYER_USER.accounts.length);
    await shot('06-select-account');

    const chosen = DEMO_BUYER_USER.accounts[1];
    if (!chosen) throw new Error('the demo user needs two accounts');
    await Promise.all([
      page.waitForURL(`${web}/buyer/complete`),
      page.locator('li', { hasText: chosen.name }).locator('button').click(),
    ]);
    expect(await heading(page)).toBe('お手続きが完了しました');
    await shot('07-complete');

    const end = await h.procedure.waitForEnd(onboardingId);
    expect(end.status).toBe('SUCCEEDED');
    const path = await h.procedure.path(onboardingId);
    expect(path).toContain('AccountSelection');
    expect(path).not.toContain('CreateAccount');
    // the user the vendor's ID token named, recorded with its issuer
    expect(await uc.getOnboarding(awsPorts(), onboardingId)).toMatchObject({
      ok: true,
      onboarding: { registration: { kind: 'existing', issuer: saas, email: DEMO_BUYER_USER.email } },
    });
    // the vendor's SaaS shows the chosen tenant on the paid plan, the other one still free
    await page.goto(`${saas}/app`);
    await page.fill('#email', DEMO_BUYER_USER.email);
    await page.fill('#password', DEMO_BUYER_USER.password);
    await Promise.all([page.waitForURL(/\/app\?lang=ja$/), page.click('button:has-text("ログイン")')]);
    const status = (name: string) =>
      page.locator('section.tenant', { hasText: name }).locator('[data-status]').getAttribute('data-status');
    expect(await status(chosen.name)).toBe('paid');
    expect(await status(DEMO_BUYER_USER.accounts[0]?.name ?? '')).toBe('free');
    await shot('08-vendor-saas-paid-plan');

    await secrets([onboardingId]);
    await ctx.close();
  });

  it('sees clear pages for an invalid, an expired and a throttled token, a completed setup and an expired session', async () => {
    const buyer = newBuyer('エラー');
    const { onboardingId, offerLink } = await offered(h.procedure, buyer);
    onboardings.push(onboardingId);
    const ctx = await browser.person('ja');
    const page = await buyerPage(ctx);
    const shot = (name: string) => snap(browser, page, `buyer-error-${name}`);
    const admin = h.stack.marketplace.admin;

    // a token AWS Marketplace never issued
    await postToken(page, web, 'Zm9yZ2VkLXRva2Vu');
    expect(await heading(page)).toBe('このリンクは無効です');
    await shot('01-invalid-token');

    await subscribeOnMarketplace(page, offerLink, buyer.awsAccountId);
    const agreementUrl = page.url();

    // the token on the page expired before the buyer clicked
    expect(admin.expireAllRegistrationTokens()).toBeGreaterThan(0);
    expect((await setUpAccount(page, web)).status()).toBe(400);
    expect(await heading(page)).toBe('リンクの有効期限が切れています');
    await shot('02-expired-token');

    // ResolveCustomer throttled on every attempt the app makes
    await page.goto(agreementUrl); // a fresh token, as a reload gives
    admin.throttleResolveCustomer(RESOLVE_ATTEMPTS);
    const throttled = await setUpAccount(page, web);
    expect(throttled.status()).toBe(429);
    expect(throttled.headers()['retry-after']).toBe('5');
    expect(await heading(page)).toBe('ただいま混み合っています');
    await shot('03-throttled');

    // none of this moved the workflow: it still waits at AccountSetup (opened by the agreement event)
    await h.procedure.waitForStage(onboardingId, 'AccountSetup');
    expect(await h.procedure.path(onboardingId)).not.toContain('Registration');

    // trying again later works, and the buyer finishes
    await page.goto(agreementUrl);
    expect((await setUpAccount(page, web)).status()).toBe(303);
    expect(await heading(page)).toBe('AWS Marketplace経由 新規登録');
    await page.fill('#f-accountName', 'エラー 本番');
    await page.fill('#f-email', buyer.email);
    await Promise.all([page.waitForURL(`${web}/buyer/complete`), page.click('button:has-text("登録する")')]);
    expect((await h.procedure.waitForEnd(onboardingId)).status).toBe('SUCCEEDED');

    // the setup again after completion
    await page.goto(agreementUrl);
    expect((await setUpAccount(page, web)).status()).toBe(409);
    expect(await heading(page)).toBe('セットアップは完了しています');
    await shot('04-already-complete');

    // no buyer session at all (cookies cleared, a bookmark): the page says where it opens (an ended one says so)
    await ctx.clearCookies();
    await page.goto(`${web}/buyer/register`);
    expect(await heading(page)).toBe('このページは AWS Marketplace から開きます');
    await shot('05-no-session');

    await secrets([onboardingId]);
    await ctx.close();
  });

  it('sees "not accepted yet" when the subscription did not go through, and the onboarding stops', async () => {
    const buyer = newBuyer('未承諾');
    const { onboardingId, offerLink } = await offered(h.procedure, buyer);
    onboardings.push(onboardingId);
    const ctx = await browser.person('ja');
    const page = await buyerPage(ctx);
    // the buyer gets "アカウントを設定", but the payment fails: no entitlement, SNS subscribe-fail
    h.stack.marketplace.admin.failNextSubscription({ mode: 'after-setup' });
    await subscribeOnMarketplace(page, offerLink, buyer.awsAccountId);
    expect((await setUpAccount(page, web)).status()).toBe(409);
    expect(await heading(page)).toBe('オファーの承諾がまだ確認できません');
    await snap(browser, page, 'buyer-error-06-not-accepted');
    const end = await h.procedure.waitForEnd(onboardingId);
    expect(end.status).toBe('FAILED');
    expect(end.error).toBe('Onboarding.SubscriptionFailed');
    await secrets([onboardingId]);
    await ctx.close();
  });

  it('met no task token, console error or CSP violation on any page of this file', async () => {
    expect(onboardings.length).toBe(4);
    expect(await secrets(onboardings)).toBeGreaterThanOrEqual(onboardings.length * 2);
    expect(browser.problems).toEqual([]);
  });

  it('would notice a leaked task token, even a truncated one', async () => {
    const [token] = await taskTokens(h.procedure, onboardings.slice(0, 1));
    expect(token?.length).toBeGreaterThan(40);
    browser.seen.push({ url: `${web}/planted`, what: 'dom', text: `<p>${token?.slice(0, 40)}</p>` });
    try {
      await expect(secrets(onboardings)).rejects.toThrow(/task token in dom .*\/planted/);
    } finally {
      browser.seen.pop();
    }
  });
});
