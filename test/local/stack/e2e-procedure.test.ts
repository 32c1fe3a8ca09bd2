/**
 * The whole procedure on the real local stack, through the same protocols AWS uses: the inquiry form, the console,
 * the marketplace simulator's buyer pages and events, the fulfillment POST, the registration pages; progress read
 * through the Step Functions API. No mock of the project's own code. The runtime runs on a driven clock: an offer's
 * expiry and a stage's timeout are reached by moving the clock past them, not by waiting. The task functions run
 * from their deployed bundles (the stack's --artifacts mode: esbuild output of the synthesized cloud assembly, each
 * in its own sandbox with its own environment), so a bundling defect fails here, not in AWS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../../local/demo/browser.js';
import {
  defaultTerms,
  existingAccountScenario,
  newAccountScenario,
  newBuyer,
  throughSetup,
} from '../../../local/demo/scenarios.js';
import { DEMO_BUYER_USER } from '../../../local/stack/seed.js';
import { awsPorts } from '../../../tasks/adapters/aws/index.js';
import * as uc from '../../../tasks/use-cases/index.js';
import { E2E_TEST_TIMEOUT_MS, type StackHarness, startTestStack, supportMailAbout } from './harness.js';

let h: StackHarness;
beforeAll(async () => {
  h = await startTestStack({}, { artifacts: true });
}, 300_000);
afterAll(async () => {
  await h?.close();
});

const EXISTING_USER = {
  email: DEMO_BUYER_USER.email,
  password: DEMO_BUYER_USER.password,
  accountId: DEMO_BUYER_USER.accounts[1]?.id ?? '',
};

const stateNames = (path: string[]) => new Set(path);

describe('both branches', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('7-1: a new account reaches SUCCEEDED with the paid plan active', async () => {
    // Act
    const result = await newAccountScenario(h.procedure);

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    const path = await h.procedure.path(result.onboardingId);
    expect(path).toEqual(
      expect.arrayContaining(['CreateAccount', 'ActivatePaidPlan', 'NotifyCompletion', 'Completed']),
    );
    expect(path).not.toContain('AccountSelection');
    // The functions ran from their bundles: each task of the branch (and the web app) had a sandbox of its own.
    const coldStarts = h.stack.artifacts?.coldStarts();
    for (const fn of [
      'record-inquiry',
      'create-offer',
      'create-account',
      'activate-paid-plan',
      'notify-completion',
      'web',
    ])
      expect(coldStarts?.get(fn), fn).toBe(1);
    // ... and called the services as their own roles, each call checked against the template (none refused).
    const evaluated = h.stack.iam?.evaluated ?? new Map();
    for (const fn of ['web', 'create-offer', 'create-account', 'activate-paid-plan', 'notify-completion']) {
      const logicalId = [...evaluated.keys()].find((id) => id.startsWith(`Functions${fn.replace(/-/g, '')}`));
      expect(logicalId && evaluated.get(logicalId), `calls of ${fn} checked`).toBeGreaterThan(0);
    }
    expect(h.stack.iam?.denials).toEqual([]);
    // Every task really ran (no handler answered with another's idempotency record): the record says Completed.
    const record = await uc.getOnboarding(awsPorts(), result.onboardingId);
    expect(record).toMatchObject({
      ok: true,
      onboarding: { stage: 'Completed', paidPlan: { accountId: expect.any(String) } },
    });
  });

  it('7-2: an existing user logs in, picks an account, and it reaches SUCCEEDED', async () => {
    const result = await existingAccountScenario(h.procedure, EXISTING_USER);
    expect(result.status).toBe('SUCCEEDED');
    const path = stateNames(await h.procedure.path(result.onboardingId));
    expect(path.has('AccountSelection')).toBe(true);
    expect(path.has('CreateAccount')).toBe(false);
    const accounts = await uc.listUserAccounts(awsPorts(), (await userId()) ?? '');
    expect(accounts.find((a) => a.id === EXISTING_USER.accountId)?.plan).toBe('paid');
  });
});

async function userId(): Promise<string | undefined> {
  return (await awsPorts().accounts.findUserByEmail(EXISTING_USER.email))?.id;
}

describe('side paths', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('a failed change set goes to sales, who enters a manual offer, and the flow continues', async () => {
    const buyer = newBuyer('FailedOffer');
    h.stack.marketplace.admin.failNextChangeSet();
    const onboardingId = await h.procedure.inquiry({ ...buyer, plan: 'Business' });
    await h.procedure.waitForStage(onboardingId, 'Consultation');
    await h.procedure.agreeTerms('sales', onboardingId, defaultTerms());
    await h.procedure.waitForStage(onboardingId, 'OfferFailed');
    // Sales fixes it: the same terms again through the API.
    await h.procedure.completeStage('sales', onboardingId, 'OfferFailed', 'retry', {});
    await h.procedure.waitForStage(onboardingId, 'AwaitAcceptance');
    const link = await h.procedure.offerLinkFromInbox(buyer.email);
    const browser = new Browser();
    const agreement = await h.procedure.subscribe(browser, link, buyer.awsAccountId);
    const page = await h.procedure.setUpAccount(browser, agreement);
    await h.procedure.registerNew(browser, page, 'FailedOffer 本番', buyer.email);
    expect((await h.procedure.waitForEnd(onboardingId)).status).toBe('SUCCEEDED');
    const path = await h.procedure.path(onboardingId);
    expect(path.filter((s) => s === 'CreateOffer')).toHaveLength(2);
  });

  it('an offer that expires unaccepted goes to sales, who extends it, and the buyer then subscribes', async () => {
    // Prepare: terms through the staff CLI path (the console's date field means end of day), an offer for 2 days
    const buyer = newBuyer('Expiry');
    const onboardingId = await h.procedure.inquiry({ ...buyer, plan: 'Business' });
    await h.procedure.waitForStage(onboardingId, 'Consultation');
    const expiresAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const terms = defaultTerms();
    const submitted = await uc.completeHumanStage(awsPorts(), {
      onboardingId,
      actor: { kind: 'staff', id: 'sales', role: 'sales' },
      stage: 'Consultation',
      payload: {
        actor: { kind: 'staff', id: 'sales', role: 'sales' },
        plan: terms.plan,
        offerName: terms.offerName,
        currency: 'USD',
        durationMonths: terms.durationMonths,
        dimensions: [...terms.dimensions],
        offerExpiresAt: expiresAt,
        offerCreation: 'automatic',
      },
    });
    expect(submitted).toMatchObject({ ok: true });
    await h.procedure.waitForStage(onboardingId, 'AwaitAcceptance');

    // Act: nobody accepts it until past its expiry (and the grace after it); sales extends it; the buyer subscribes
    const waited = await h.skipPastTimeout(onboardingId);
    await h.procedure.waitForStage(onboardingId, 'OfferExpired');
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await h.procedure.completeStage('sales', onboardingId, 'OfferExpired', 'extend', {
      offerExpiresAt: later,
    });
    await h.procedure.waitForStage(onboardingId, 'AwaitAcceptance');
    const link = await h.procedure.offerLinkFromInbox(buyer.email);
    const browser = new Browser();
    const agreement = await h.procedure.subscribe(browser, link, buyer.awsAccountId);
    const page = await h.procedure.setUpAccount(browser, agreement);
    await h.procedure.registerNew(browser, page, 'Expiry 本番', buyer.email);
    const end = await h.procedure.waitForEnd(onboardingId);

    // Assess: AwaitAcceptance waited for the offer's expiry, no less; the extension took the flow on to the end
    expect(waited).toBeGreaterThan(2 * 86_400 - 60);
    expect(end.status).toBe('SUCCEEDED');
    expect(await h.procedure.path(onboardingId)).toEqual(
      expect.arrayContaining(['OfferExpired', 'ExtendOffer']),
    );
  });

  it('the buyer arriving before the agreement event, and twice with the same token, advances the flow once', async () => {
    const buyer = newBuyer('OutOfOrder');
    const onboardingId = await h.procedure.inquiry({ ...buyer, plan: 'Business' });
    await h.procedure.waitForStage(onboardingId, 'Consultation');
    await h.procedure.agreeTerms('sales', onboardingId, defaultTerms());
    const link = await h.procedure.offerLinkFromInbox(buyer.email);
    await h.procedure.waitForStage(onboardingId, 'AwaitAcceptance');
    const { marketplace } = h.stack;
    marketplace.admin.pauseNotifications();
    try {
      const browser = new Browser();
      const agreement = await h.procedure.subscribe(browser, link, buyer.awsAccountId);
      // The same token posted twice (a double click, a replay): both answer, the workflow moves once.
      const again = await browser.get(agreement.url);
      const first = await browser.submit(again, { field: { name: 'x-amzn-marketplace-token' } });
      const replay = await browser.submit(again, { field: { name: 'x-amzn-marketplace-token' } });
      expect(first.url).toContain('/buyer/register');
      // The replay lands on the same page with a fresh session (what the buyer now sees).
      expect(replay.url).toContain('/buyer/register');
      await h.procedure.registerNew(browser, replay, 'OutOfOrder 本番', buyer.email);
    } finally {
      marketplace.admin.resumeNotifications();
    }
    expect((await h.procedure.waitForEnd(onboardingId)).status).toBe('SUCCEEDED');
    const path = await h.procedure.path(onboardingId);
    expect(path.filter((s) => s === 'AccountSetup')).toHaveLength(1);
    expect(path.filter((s) => s === 'Registration')).toHaveLength(1);
    expect(path.filter((s) => s === 'ActivatePaidPlan')).toHaveLength(1);
  });

  it('a subscription that fails stops the onboarding before activation, with the reason in the history', async () => {
    // Prepare
    const buyer = newBuyer('SubscribeFail');
    const onboardingId = await h.procedure.inquiry({ ...buyer, plan: 'Business' });
    await h.procedure.waitForStage(onboardingId, 'Consultation');
    await h.procedure.agreeTerms('sales', onboardingId, defaultTerms());
    const link = await h.procedure.offerLinkFromInbox(buyer.email);
    await h.procedure.waitForStage(onboardingId, 'AwaitAcceptance');

    // Act
    h.stack.marketplace.admin.failNextSubscription({ mode: 'after-setup' });
    const browser = new Browser();
    await h.procedure.subscribe(browser, link, buyer.awsAccountId);
    const end = await h.procedure.waitForEnd(onboardingId);

    // Assess
    expect(end.status).toBe('FAILED');
    expect(end.error).toBe('Onboarding.SubscriptionFailed');
    expect(JSON.parse(end.cause ?? '{}')).toMatchObject({ error: 'Onboarding.SubscriptionFailed' });
    const path = await h.procedure.path(onboardingId);
    expect(path).not.toContain('ActivatePaidPlan');
  });

  it('support closes an onboarding from the console with a reason', async () => {
    const buyer = newBuyer('Closed');
    const onboardingId = await h.procedure.inquiry({ ...buyer, plan: 'Business' });
    await h.procedure.waitForStage(onboardingId, 'Consultation');
    await h.procedure.closeOnboarding('support', onboardingId, 'The buyer chose another vendor.');
    const end = await h.procedure.waitForEnd(onboardingId);
    expect(end.status).toBe('FAILED');
    expect(end.error).toBe('Onboarding.Closed');
    expect(end.cause).toContain('The buyer chose another vendor.');
  });
});

describe('a human stage that times out', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('tells support, who re-opens it; the buyer then finishes and the onboarding succeeds', async () => {
    // Prepare
    const buyer = newBuyer('Timeout');
    const { onboardingId, browser } = await throughSetup(h.procedure, buyer);
    await h.procedure.waitForStage(onboardingId, 'Registration');

    // Act: the buyer leaves the registration page alone past its timeout; support re-opens it; the buyer registers
    await h.skipPastTimeout(onboardingId);
    await h.procedure.waitForStage(onboardingId, 'StageTimedOut');
    const mail = await supportMailAbout(h.stack.urls.ses, onboardingId);
    await h.procedure.completeStage('support', onboardingId, 'StageTimedOut', 'reopen', {
      note: 'Buyer asked for more time',
    });
    await h.procedure.waitForStage(onboardingId, 'Registration');
    const form = await browser.get(`${h.stack.urls.web}/buyer/register`);
    await h.procedure.registerNew(browser, form, 'Timeout 本番', buyer.email);
    const end = await h.procedure.waitForEnd(onboardingId);

    // Assess
    expect(mail).toContain('/console/onboardings/');
    expect(end.status).toBe('SUCCEEDED');
    const path = await h.procedure.path(onboardingId);
    expect(path.filter((s) => s === 'Registration')).toHaveLength(2);
    expect(path).toContain('StageTimedOut');
  });
});

describe('two onboardings through throughSetup share nothing', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('keeps each buyer on their own onboarding', async () => {
    const [a, b] = await Promise.all([
      throughSetup(h.procedure, newBuyer('A')),
      throughSetup(h.procedure, newBuyer('B')),
    ]);
    expect(a.onboardingId).not.toBe(b.onboardingId);
  });
});

describe('the mails of step 3', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('AWS\'s "You have a new Private Offer" and ours reach the inbox, both linking the offer', async () => {
    // Prepare
    const buyer = newBuyer('Mails');
    const root = `aws-root+${buyer.awsAccountId}@example.com`;
    const onboardingId = await h.procedure.inquiry({ ...buyer, plan: 'Business' });
    await h.procedure.waitForStage(onboardingId, 'Consultation');

    // Act
    await h.procedure.agreeTerms('sales', onboardingId, defaultTerms());
    await h.procedure.waitForStage(onboardingId, 'AwaitAcceptance');
    const ours = await h.procedure.offerLinkFromInbox(buyer.email);
    const awsAnchor = await h.procedure.linkFromInbox(
      root,
      "AWS's offer e-mail",
      /<a href="[^"]+"[^>]*>AWS Marketplace<\/a>/,
      30_000,
    );

    // Assess
    const offerId = /offer-[0-9a-z]+/.exec(ours)?.[0];
    const href = (/href="([^"]+)"/.exec(awsAnchor)?.[1] ?? '').replaceAll('&amp;', '&');
    expect(new URL(href).searchParams.get('offerId')).toBe(offerId);
    const store = (await (await fetch(`${h.stack.urls.ses}/store`)).json()) as {
      emails: { subject: string; destination: { to: string[] }; body: { html?: string; text?: string } }[];
    };
    const aws = store.emails.find((m) => m.destination.to.includes(root));
    expect(aws?.subject).toBe('You have a new Private Offer');
    expect(aws?.body.text).toContain(
      `A Marketplace Private Offer has been published for AWS account ${buyer.awsAccountId}. You have until `,
    );
    const mine = store.emails.filter((m) => m.destination.to.includes(buyer.email)).at(-1);
    expect(mine?.body.html).toMatch(new RegExp(`<a href="[^"]*${offerId}[^"]*"`));
    const page = await fetch(`${href}&account=${buyer.awsAccountId}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(offerId);
  });
});
