/**
 * The web app in a real browser (Debian Chromium via playwright-core), served by Node (startWebServer).
 * STEPPING STONE: the app runs on tasks' in-memory ports moved by the small FakeWorkflow of test/web/support; these
 * scenarios must move onto the real local stack (local/stack.ts: runtime + dynalite + SES + marketplace simulator)
 * once it exists, with the marketplace simulator's "アカウントを設定" button instead of the hand-made POST below.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as uc from '../../tasks/use-cases/index.js';
import { usersFileAuth } from '../../web/auth/users-file.js';
import { parseWebConfig } from '../../web/config.js';
import { startWebServer, type WebServer } from '../../web/server.js';
import { offered, PASSWORD, SECRET, seedOnboarding, sharedUsersFile } from '../web/support/harness.js';
import { FakeWorkflow, TOKEN_MARK } from '../web/support/workflow.js';
import { type Browser, launch, snap } from './support/browser.js';

let flow: FakeWorkflow;
let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  flow = new FakeWorkflow();
  server = await startWebServer({
    port: 0,
    deps: {
      ports: flow.ports,
      staffAuth: usersFileAuth(await sharedUsersFile()),
      config: parseWebConfig({ sessionSecret: SECRET }),
    },
  });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** What AWS Marketplace does on "アカウントを設定": a cross-site form POST of the registration token. */
async function marketplaceSetUpAccount(page: Page, token: string, lands = `${server.url}/buyer/**`) {
  await page.goto('about:blank');
  await page.setContent(
    `<form method="post" action="${server.url}/marketplace/fulfillment">
       <input type="hidden" name="x-amzn-marketplace-token" value="${token}">
       <button>アカウントを設定</button></form>`,
  );
  await Promise.all([page.waitForURL(lands), page.click('text=アカウントを設定')]);
  await flow.idle();
}

async function signIn(page: Page, user: string) {
  await page.goto(`${server.url}/auth/login`);
  await page.fill('#f-username', user);
  await page.fill('#f-password', PASSWORD);
  await Promise.all([page.waitForURL(`${server.url}/console**`), page.click('button:has-text("Sign in")')]);
}

function noTokenIn(html: string) {
  expect(html).not.toContain(TOKEN_MARK);
}

describe('in the browser', () => {
  it('a buyer sends the inquiry form (Japanese)', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/inquiry`);
    await snap(page, 'inquiry-1-form-ja');
    await page.fill('#f-company', 'ブラウザ株式会社');
    await page.fill('#f-contactName', '山田 花子');
    await page.fill('#f-email', 'hanako@browser.example');
    await page.fill('#f-awsAccountId', '12345');
    await page.selectOption('#f-plan', 'Business');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('#f-awsAccountId-err')).toContain('12桁');
    await snap(page, 'inquiry-2-field-error');
    await page.fill('#f-awsAccountId', '444455556666');
    await Promise.all([page.waitForURL('**/inquiry/thanks**'), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).toBe('お問い合わせを受け付けました');
    await snap(page, 'inquiry-3-thanks');
    await page.click('text=English');
    expect(await page.textContent('h1')).toBe('Thank you, we received your inquiry');
    await page.close();
  });

  it('support completes the consultation from the console', async () => {
    const id = await seedOnboarding(flow, { company: 'Console Test KK' });
    const page = await browser.newPage();
    await page.goto(`${server.url}/console`);
    await snap(page, 'console-1-sign-in');
    await signIn(page, 'sue');
    await snap(page, 'console-2-list');
    await page.click('a:has-text("Consultation")'); // the stage filter
    await Promise.all([page.waitForURL(`**/console/onboardings/${id}`), page.click('text=Console Test KK')]);
    await snap(page, 'console-3-onboarding');
    await page.fill('#f-terms-offerName', 'Console Test — Business 12 months');
    await page.fill('#f-terms-dimensions-0-key', 'users');
    await page.fill('#f-terms-dimensions-0-price', 'twelve');
    await page.fill('#f-terms-offerExpiresAt', '2025-06-30');
    await page.click('button:has-text("Record the agreed terms")');
    await expect.poll(() => page.textContent('#f-terms-dimensions-0-price-err')).toContain('decimal amount');
    await snap(page, 'console-4-validation');
    // manual offer id shows only when "manual" is chosen (progressive enhancement)
    expect(await page.isVisible('#f-terms-manualOfferId')).toBe(false);
    await page.check('input[name=offerCreation][value=manual]');
    expect(await page.isVisible('#f-terms-manualOfferId')).toBe(true);
    await page.check('input[name=offerCreation][value=automatic]');
    await page.fill('#f-terms-dimensions-0-price', '1200.00');
    await Promise.all([
      page.waitForURL('**?done=Consultation'),
      page.click('button:has-text("Record the agreed terms")'),
    ]);
    await flow.idle();
    await page.reload();
    expect(await page.textContent('.notice.ok')).toContain('The agreed terms were recorded');
    expect(await page.textContent('ol.stepper')).toContain('Sue Support (support)');
    expect(await page.textContent('h1')).toContain('AwaitAcceptance');
    noTokenIn(await page.content());
    await snap(page, 'console-5-after-consultation');
    expect((await flow.ports.onboardings.get(id))?.terms?.actor).toMatchObject({
      id: 'sue',
      role: 'support',
    });
    await page.close();
  });

  it('a buyer completes 7-1: AWS Marketplace経由 新規登録', async () => {
    const id = await offered(flow, { company: 'New Buyer KK', awsAccountId: '777788889999' });
    const token = flow.subscribe(id, '777788889999');
    const page = await browser.newPage();
    await marketplaceSetUpAccount(page, token);
    expect(page.url()).toBe(`${server.url}/buyer/register?lang=ja`);
    expect(await page.textContent('h1')).toBe('AWS Marketplace経由 新規登録');
    expect(await page.content()).not.toContain(token);
    await snap(page, 'buyer71-1-register');
    await page.click('text=English');
    expect(await page.textContent('h1')).toBe('Sign up via AWS Marketplace');
    await page.click('text=日本語');
    await page.fill('#f-accountName', 'New Buyer Team');
    await page.fill('#f-email', 'owner@newbuyer.example');
    await Promise.all([page.waitForURL('**/buyer/complete'), page.click('button:has-text("登録する")')]);
    expect(await page.textContent('h1')).toBe('お手続きが完了しました');
    await snap(page, 'buyer71-2-complete');
    await flow.idle();
    expect((await flow.ports.onboardings.get(id))?.stage).toBe('Completed');
    // the same "アカウントを設定" again: setup is already complete
    await marketplaceSetUpAccount(
      page,
      flow.anotherToken(id, '777788889999'),
      `${server.url}/marketplace/fulfillment`,
    );
    expect(await page.textContent('h1')).toBe('セットアップは完了しています');
    await snap(page, 'buyer-already-complete');
    await page.close();
  });

  it('a buyer completes 7-2: login and 有料化を行うアカウントの選択', async () => {
    await uc.seedAccounts(flow.ports, [
      {
        email: 'existing@buyer.example',
        password: 'existing-pass-1',
        accounts: [
          { id: 'acct-existing-main', name: 'Existing Main' },
          { id: 'acct-existing-sub', name: 'Existing Sub' },
        ],
      },
    ]);
    const id = await offered(flow, { company: 'Existing Buyer KK', awsAccountId: '666677778888' });
    const page = await browser.newPage();
    await marketplaceSetUpAccount(page, flow.subscribe(id, '666677778888'));
    await Promise.all([
      page.waitForURL('**/buyer/login'),
      page.click('text=すでに登録済みでログインする方はこちら'),
    ]);
    await snap(page, 'buyer72-1-login');
    await page.fill('#f-email', 'existing@buyer.example');
    await page.fill('#f-password', 'wrong-password');
    await page.click('button:has-text("ログイン")');
    await expect.poll(() => page.textContent('.notice.bad')).toContain('正しくありません');
    await snap(page, 'buyer72-2-login-failed');
    await page.fill('#f-password', 'existing-pass-1');
    await Promise.all([page.waitForURL('**/buyer/accounts'), page.click('button:has-text("ログイン")')]);
    await flow.idle();
    expect(await page.textContent('h1')).toBe('有料化を行うアカウントの選択');
    expect(await page.locator('button:has-text("このアカウントで利用を開始する")').count()).toBe(2);
    await snap(page, 'buyer72-3-select-account');
    await Promise.all([
      page.waitForURL('**/buyer/complete'),
      page.locator('li', { hasText: 'Existing Sub' }).locator('button').click(),
    ]);
    await snap(page, 'buyer72-4-complete');
    await flow.idle();
    const o = await flow.ports.onboardings.get(id);
    expect(o?.accountId).toBe('acct-existing-sub');
    expect(o?.stage).toBe('Completed');
    await page.close();
  });

  it('shows clear pages for invalid, expired, throttled and not-yet-accepted tokens, and an expired session', async () => {
    const page = await browser.newPage();
    const post = async (token: string) => {
      await page.goto('about:blank');
      await page.setContent(
        `<form method="post" action="${server.url}/marketplace/fulfillment"><input type="hidden" name="x-amzn-marketplace-token" value="${token}"><button>go</button></form>`,
      );
      await Promise.all([page.waitForURL(`${server.url}/**`), page.click('button')]);
      return page.textContent('h1');
    };
    expect(await post('forged')).toBe('このリンクは無効です');
    await snap(page, 'buyer-invalid-token');
    flow.ports.fulfillment.issueToken('expired-e2e', 'expired-token');
    expect(await post('expired-e2e')).toBe('リンクの有効期限が切れています');
    await snap(page, 'buyer-expired-token');
    const id = await offered(flow, { awsAccountId: '313131313131' });
    const token = flow.subscribe(id, '313131313131');
    flow.ports.fulfillment.throttleNext = 4;
    expect(await post(token)).toBe('ただいま混み合っています');
    await snap(page, 'buyer-throttled');
    flow.ports.fulfillment.issueToken('early-e2e', {
      customerAwsAccountId: '313131313131',
      productCode: flow.ports.config.productCode,
      licenseArn: 'arn:aws:license-manager::1:license:l-early-e2e',
    });
    expect(await post('early-e2e')).toBe('オファーの承諾がまだ確認できません');
    await snap(page, 'buyer-not-accepted');
    await page.context().clearCookies();
    await page.goto(`${server.url}/buyer/register`);
    expect(await page.textContent('h1')).toBe('セッションの有効期限が切れました');
    await snap(page, 'buyer-session-expired');
    await page.close();
  });

  it('an auditor reads and exports a history, and cannot post', async () => {
    const id = await offered(flow, { company: 'Audited KK' });
    const page = await browser.newPage();
    await signIn(page, 'ann');
    await page.goto(`${server.url}/console/onboardings/${id}`);
    expect(await page.textContent('body')).toContain(
      'Read-only: your role (auditor) cannot change onboardings.',
    );
    expect(await page.locator('form[method=post][action^="/console"]').count()).toBe(0);
    await snap(page, 'audit-1-console-read-only');
    await page.goto(`${server.url}/audit`);
    await page.fill('#f-id', id);
    await Promise.all([page.waitForURL(`**/audit/onboardings/${id}`), page.click('button:has-text("Open")')]);
    expect(await page.textContent('h1')).toBe('History of Audited KK');
    await page.locator('details summary:has-text("output")').first().click();
    noTokenIn(await page.content());
    await snap(page, 'audit-2-timeline');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("CSV")')]);
    const text = readFileSync((await csv.path()) as string, 'utf8');
    expect(text.split('\r\n')[0]).toBe(
      'onboardingId,executionArn,eventId,timestamp,type,stage,actor,details',
    );
    expect(text).toContain(id);
    expect(text).not.toContain(TOKEN_MARK);
    await page.goto(`${server.url}/audit`);
    await page.fill('#f-from', '2025-03-01');
    await page.fill('#f-to', '2025-03-31');
    await page.selectOption('#f-format', 'json');
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.click('button:has-text("Download")'),
    ]);
    expect(json.suggestedFilename()).toBe('onboarding-histories-2025-03-01-to-2025-03-31.json');
    const rows = JSON.parse(readFileSync((await json.path()) as string, 'utf8')).rows as {
      onboardingId: string;
    }[];
    expect(rows.some((r) => r.onboardingId === id)).toBe(true);
    await snap(page, 'audit-3-export');
    // posting anyway (with the page's own cookies and a valid CSRF token) is refused and changes nothing
    await page.goto(`${server.url}/console/onboardings/${id}`);
    const csrf = await page.getAttribute('input[name=_csrf]', 'value');
    const before = flow.ports.callbacks.calls.length;
    const r = await page.request.post(`${server.url}/console/onboardings/${id}/close`, {
      form: { _csrf: csrf ?? '', reason: 'auditor tries' },
      headers: { origin: server.url },
    });
    expect(r.status()).toBe(403);
    expect(flow.ports.callbacks.calls.length).toBe(before);
    expect((await flow.ports.onboardings.get(id))?.stage).toBe('AwaitAcceptance');
    await page.close();
  });

  it('ran without a script error or CSP violation on any page', () => {
    expect(browser.problems).toEqual([]);
  });
});
