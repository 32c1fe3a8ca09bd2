/**
 * The people of the procedure in the browser, on the real local stack: staff signing in to the console, the buyer
 * on the AWS Marketplace simulator (offer page, Subscribe, "アカウントを設定") and on our pages. Steps before the
 * buyer may be driven headlessly with the stack's Procedure (inquiry, sales agreeing terms).
 */
import type { Page, Response } from 'playwright-core';
import { expect } from 'vitest';
import type { Procedure } from '../../../local/demo/procedure.js';
import { type BuyerIdentity, defaultTerms } from '../../../local/demo/scenarios.js';
import { STAFF_PASSWORDS } from '../../local/stack/harness.js';

/** Signs a staff member in through the console's sign-in page. */
export async function signIn(page: Page, webUrl: string, user: string): Promise<void> {
  const password = STAFF_PASSWORDS[user];
  if (!password) throw new Error(`no demo password for ${user}`);
  await page.goto(`${webUrl}/console`);
  expect(new URL(page.url()).pathname).toBe('/auth/login');
  await page.fill('#f-username', user);
  await page.fill('#f-password', password);
  await Promise.all([page.waitForURL(`${webUrl}/console**`), page.click('button:has-text("Sign in")')]);
}

/** Inquiry and agreed terms, headless; returns the onboarding waiting for the buyer and the offer e-mail's link. */
export async function offered(
  procedure: Procedure,
  buyer: BuyerIdentity,
): Promise<{ onboardingId: string; offerLink: string }> {
  const onboardingId = await procedure.inquiry({ ...buyer, plan: 'Business' });
  await procedure.waitForStage(onboardingId, 'Consultation');
  await procedure.agreeTerms('sales', onboardingId, defaultTerms());
  const offerLink = await procedure.offerLinkFromInbox(buyer.email, 60_000);
  await procedure.waitForStage(onboardingId, 'AwaitAcceptance');
  return { onboardingId, offerLink };
}

/** The buyer follows the offer e-mail's link as their AWS account and subscribes; lands on the agreement page. */
export async function subscribeOnMarketplace(
  page: Page,
  offerLink: string,
  awsAccountId: string,
  snapAs?: () => Promise<void>,
): Promise<void> {
  const link = new URL(offerLink);
  link.searchParams.set('account', awsAccountId);
  await page.goto(link.toString());
  expect(new URL(page.url()).pathname).toMatch(/^\/offers\/offer-/);
  expect(await page.textContent('body')).toContain('オファーの有効期限');
  await snapAs?.();
  await Promise.all([
    page.waitForURL(/\/agreements\/agmt-/),
    page.click('button:has-text("サブスクライブ")'),
  ]);
  expect(await page.textContent('body')).toContain('サブスクリプションが完了しました');
}

/** "アカウントを設定" on the agreement page: the simulator's real form POSTs the token to our fulfillment URL. */
export async function setUpAccount(page: Page, webUrl: string): Promise<Response> {
  const button = page.locator('form[action$="/marketplace/fulfillment"] button');
  expect(await button.textContent()).toContain('アカウントを設定');
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.url() === `${webUrl}/marketplace/fulfillment` && r.request().method() === 'POST',
    ),
    page.waitForURL(`${webUrl}/**`),
    button.click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/** What a forged or mangled marketplace link does: a cross-site form POST of a token to the fulfillment URL. */
export async function postToken(page: Page, webUrl: string, token: string): Promise<void> {
  await page.goto('about:blank');
  await page.setContent(
    `<form method="post" action="${webUrl}/marketplace/fulfillment">
       <input type="hidden" name="x-amzn-marketplace-token" value="${token}">
       <button>アカウントを設定</button></form>`,
  );
  await Promise.all([page.waitForURL(`${webUrl}/**`), page.click('button')]);
}

export async function heading(page: Page): Promise<string> {
  return ((await page.textContent('h1')) ?? '').trim();
}
