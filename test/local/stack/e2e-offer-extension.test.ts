/**
 * Sales extends the offer while the workflow waits for the buyer (issue 11 item 4, issue 12 item 5), end to end on the
 * local stack: the console's form → SendTaskFailure Onboarding.OfferExtended → ExtendOffer (UpdateAvailability at
 * the marketplace simulator) → the offer e-mail with the new expiry → AwaitAcceptance again, now timed by the new
 * expiry. The driven clock then passes the OLD expiry (and its grace): nothing expires; the buyer subscribes and the
 * onboarding completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../../local/demo/browser.js';
import { eventually } from '../../../local/demo/procedure.js';
import { defaultTerms, newBuyer } from '../../../local/demo/scenarios.js';
import { awsPorts } from '../../../tasks/adapters/aws/index.js';
import { formatDateTime } from '../../../tasks/domain/emails/format.js';
import * as uc from '../../../tasks/use-cases/index.js';
import { E2E_TEST_TIMEOUT_MS, type StackHarness, startTestStack } from './harness.js';

let h: StackHarness;
beforeAll(async () => {
  h = await startTestStack();
}, 180_000);
afterAll(async () => {
  await h?.close();
});

const DAY_S = 86_400;

/** The TimeoutSeconds of the task the onboarding waits on now (as the history records it). */
async function currentTimeout(onboardingId: string): Promise<number> {
  const scheduled = (await h.procedure.history(onboardingId))
    .filter((e) => e.type === 'TaskScheduled')
    .at(-1);
  const seconds = scheduled?.taskScheduledEventDetails?.timeoutInSeconds;
  if (seconds === undefined) throw new Error(`${onboardingId} waits on no task with a timeout`);
  return seconds;
}

/** The offer e-mails the SES inbox holds for `to`, oldest first. */
async function offerMails(to: string): Promise<string[]> {
  const store = (await (await fetch(`${h.stack.urls.ses}/store`)).json()) as {
    emails: { destination: { to: string[] }; subject: string; body: { text?: string } }[];
  };
  return store.emails
    .filter((m) => m.destination.to.includes(to) && /offer|オファー/i.test(m.subject))
    .map((m) => `${m.subject}\n${m.body.text ?? ''}`);
}

/** An onboarding whose offer (expiring in `days` days) waits for the buyer at AwaitAcceptance. */
async function waitingOffer(buyer: ReturnType<typeof newBuyer>, days: number): Promise<string> {
  const onboardingId = await h.procedure.inquiry({ ...buyer, plan: 'Business' });
  await h.procedure.waitForStage(onboardingId, 'Consultation');
  const sales = { kind: 'staff', id: 'sales', role: 'sales' } as const;
  const terms = defaultTerms();
  const submitted = await uc.completeHumanStage(awsPorts(), {
    onboardingId,
    actor: sales,
    stage: 'Consultation',
    payload: {
      actor: sales,
      plan: terms.plan,
      offerName: terms.offerName,
      currency: 'USD',
      durationMonths: terms.durationMonths,
      dimensions: [...terms.dimensions],
      offerExpiresAt: new Date(Date.now() + days * DAY_S * 1000).toISOString(),
      offerCreation: 'automatic',
    },
  });
  if (!submitted.ok) throw new Error(`terms refused: ${JSON.stringify(submitted)}`);
  await h.procedure.waitForStage(onboardingId, 'AwaitAcceptance');
  return onboardingId;
}

describe('extend the offer while waiting', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('sales extends it from the console; the old expiry passes without OfferExpired; the buyer subscribes; Completed', async () => {
    // Prepare: an offer that expires in 2 days, waiting for the buyer
    const buyer = newBuyer('Extend');
    const onboardingId = await waitingOffer(buyer, 2);
    const oldTimeout = await currentTimeout(onboardingId);
    const newDate = new Date(Date.now() + 6 * DAY_S * 1000).toISOString().slice(0, 10);

    // Act 1: sales extends the offer on the onboarding's console page
    const staff = await h.procedure.staff('sales');
    const page = await h.procedure.onboardingPage('sales', onboardingId);
    const extended = await staff.submit(page, { action: '/extend-offer' }, { offerExpiresAt: newDate });
    await eventually('the extension to reach the workflow', async () =>
      (await h.procedure.path(onboardingId)).includes('ExtendOffer') ? true : undefined,
    );
    await h.procedure.waitForStage(onboardingId, 'AwaitAcceptance');
    const newTimeout = await currentTimeout(onboardingId);
    const mails = await eventually('the offer e-mail with the new expiry', async () => {
      const all = await offerMails(buyer.email);
      return all.some((m) => m.includes(formatDateTime(`${newDate}T23:59:59Z`, 'ja', 'Asia/Tokyo')))
        ? all
        : undefined;
    });

    // Act 2: the driven clock passes the old expiry and its grace (not the new one)
    h.stack.clock?.advance((oldTimeout + 60) * 1000);
    await new Promise((r) => setTimeout(r, 1_500));
    const afterOldExpiry = await h.procedure.path(onboardingId);
    await h.procedure.waitForStage(onboardingId, 'AwaitAcceptance');

    // Act 3: the buyer subscribes and sets up the account
    const link = await h.procedure.offerLinkFromInbox(buyer.email);
    const browser = new Browser();
    const agreement = await h.procedure.subscribe(browser, link, buyer.awsAccountId);
    const setup = await h.procedure.setUpAccount(browser, agreement);
    await h.procedure.registerNew(browser, setup, 'Extend 本番', buyer.email);
    const end = await h.procedure.waitForEnd(onboardingId);

    // Assess
    expect(new URL(extended.url).pathname).toBe(`/console/onboardings/${onboardingId}`);
    expect(extended.text).toContain('The offer is being extended');
    expect(oldTimeout).toBeLessThan(2 * DAY_S + 2 * 3600);
    expect(newTimeout).toBeGreaterThan(5 * DAY_S);
    expect(mails.length).toBeGreaterThanOrEqual(2);
    expect(mails.filter((m) => /有効期限を延長しました|was extended/.test(m))).toHaveLength(1);
    expect(afterOldExpiry).not.toContain('OfferExpired');
    expect(end.status).toBe('SUCCEEDED');
    const path = await h.procedure.path(onboardingId);
    expect(path).not.toContain('OfferExpired');
    expect(path.filter((s) => s === 'AwaitAcceptance')).toHaveLength(2);
    expect(path).toEqual(expect.arrayContaining(['ExtendOffer', 'SendOfferNotice', 'Completed']));
    const timeline = await awsPorts().onboardings.timeline(onboardingId);
    const asked = timeline.find((e) => e.action === 'offer-extension-asked');
    expect(asked?.actor).toMatchObject({ kind: 'staff', id: 'sales', role: 'sales' });
    expect(asked?.detail).toMatchObject({ offerExpiresAt: `${newDate}T23:59:59Z` });
    const offer = h.stack.marketplace.admin.state().offers.find((o) => o.id === asked?.detail?.offerId);
    expect(offer?.availabilityEndDate?.slice(0, 10)).toBe(newDate);
  });

  it('an extension whose change set fails waits for the buyer again until the old expiry (not OfferFailed), sales told on the timeline', async () => {
    // Prepare
    const buyer = newBuyer('ExtendFail');
    const onboardingId = await waitingOffer(buyer, 10);
    const oldTimeout = await currentTimeout(onboardingId);
    h.stack.marketplace.admin.failNextChangeSet();
    const staff = await h.procedure.staff('sales');
    const page = await h.procedure.onboardingPage('sales', onboardingId);

    // Act
    await staff.submit(
      page,
      { action: '/extend-offer' },
      {
        offerExpiresAt: new Date(Date.now() + 20 * DAY_S * 1000).toISOString().slice(0, 10),
      },
    );
    const path = await eventually('waiting for the buyer again after the failed extension', async () => {
      const p = await h.procedure.path(onboardingId);
      return p.includes('ExtensionFailed') && p.at(-1) === 'AwaitAcceptance' ? p : undefined;
    });

    // Assess
    expect(path).not.toContain('OfferFailed');
    expect(path).toEqual(
      expect.arrayContaining(['AwaitAcceptance', 'ExtendOffer', 'CheckOffer', 'ExtensionFailed']),
    );
    expect(await awsPorts().tasks.get(onboardingId, 'OfferFailed')).toBeUndefined();
    // timed by the old expiry again (a few seconds later than the first time)
    expect(Math.abs((await currentTimeout(onboardingId)) - oldTimeout)).toBeLessThan(600);
    const timeline = await awsPorts().onboardings.timeline(onboardingId);
    expect(timeline.find((e) => e.action === 'offer-extension-failed')).toMatchObject({
      stage: 'AwaitAcceptance',
      text: { code: 'offer-extension-failed' },
    });
    expect((await awsPorts().onboardings.get(onboardingId))?.stage).toBe('AwaitAcceptance');
  });
});
