/**
 * Support closes an onboarding while its private offer waits for the buyer (issue 12): the close-onboarding function
 * (its deployed bundle, signing as its own role) expires the offer at the marketplace simulator through the Catalog
 * API, so the buyer's offer page says it can no longer be accepted and a subscribe is refused; the console says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../../local/demo/browser.js';
import { eventually } from '../../../local/demo/procedure.js';
import { defaultTerms, newBuyer } from '../../../local/demo/scenarios.js';
import { E2E_TEST_TIMEOUT_MS, type StackHarness, startTestStack } from './harness.js';

let h: StackHarness;
beforeAll(async () => {
  h = await startTestStack({}, { artifacts: true });
}, 300_000);
afterAll(async () => {
  await h?.close();
});

describe('closing while the offer waits for the buyer', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('offer out → support closes → the buyer can no longer accept it', async () => {
    // Prepare: the offer is out and the buyer could accept it
    const buyer = newBuyer('Withdrawn');
    const onboardingId = await h.procedure.inquiry({ ...buyer, plan: 'Business' });
    await h.procedure.waitForStage(onboardingId, 'Consultation');
    await h.procedure.agreeTerms('sales', onboardingId, defaultTerms());
    const link = await h.procedure.offerLinkFromInbox(buyer.email);
    await h.procedure.waitForStage(onboardingId, 'AwaitAcceptance');
    const offerUrl = new URL(link);
    offerUrl.searchParams.set('account', buyer.awsAccountId);
    const browser = new Browser();
    const before = await browser.fetchPage(offerUrl.toString());
    const subscribeForm = before.document.querySelector('form[action$="/subscribe"]');
    const subscribeUrl = new URL(subscribeForm?.getAttribute('action') ?? '', before.url).toString();
    const button = (page: typeof before) => page.document.querySelector('button[type=submit]') !== null;

    // Act
    await h.procedure.closeOnboarding('support', onboardingId, 'The buyer chose another vendor.');
    const end = await h.procedure.waitForEnd(onboardingId);
    const after = await browser.fetchPage(offerUrl.toString());
    const subscribe = await browser.fetchPage(subscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ account: buyer.awsAccountId }).toString(),
    });
    const consoleText = await eventually('the withdrawal on the console page', async () => {
      const page = await h.procedure.onboardingPage('support', onboardingId);
      return page.text.includes('expired on AWS Marketplace') ? page.text : undefined;
    });

    // Assess
    expect(before.status).toBe(200);
    expect(button(before)).toBe(true);
    expect(end.error).toBe('Onboarding.Closed');
    expect(after.status).toBe(410);
    expect(after.text).toContain('This offer has expired');
    expect(button(after)).toBe(false);
    expect(subscribe.status).toBeGreaterThanOrEqual(400);
    expect(subscribe.text).toContain('This offer has expired');
    expect(
      h.stack.marketplace.admin.state().agreements.filter((a) => a.acceptorAccountId === buyer.awsAccountId),
    ).toEqual([]);
    expect(consoleText).toMatch(
      /Offer offer-\S+ expired on AWS Marketplace: the buyer can no longer accept it/,
    );
  });
});
