/**
 * The deal's steps in a real browser (Debian Chromium via playwright-core) on the local stack, in Japanese and English,
 * on a 375 px phone and a 1440 px desktop (issue 11 item 2, issue 12's "who must act by when"): an agreement's Ending
 * notice opens sales' Renewal on the deal view, with who must act, since when and by when; a renewal offer drafted
 * with a blank name comes back on the deal view's own form, the sentence next to its field and the values kept; sales
 * records "not renewing" with a note, lands back on the deal view with its confirmation, and the deal view then shows
 * the step ended in the reader's language. Support reads the advisory it must review on its step and marks it
 * reviewed. Each step names its agreement (a link to its card) and what it is about; agreements show their status and
 * intent in words, not AWS's codes. Every page: a screenshot (test-results/screenshots/deal-*), nothing wider than a
 * phone's screen (the cancellation form opened too), no task token.
 */
import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccountScenario, newBuyer } from '../../local/demo/scenarios.js';
import { type StackHarness, startTestStack } from '../local/stack/harness.js';
import { type E2eBrowser, launch, snap } from './support/browser.js';
import { overflow } from './support/layout.js';
import { signIn } from './support/people.js';

let h: StackHarness;
let browser: E2eBrowser;

beforeAll(async () => {
  [h, browser] = await Promise.all([startTestStack(), launch()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const VIEWS = [
  { locale: 'ja', width: 375 },
  { locale: 'en', width: 1440 },
] as const;

const WORDS = {
  ja: {
    waits: '契約更新の対応',
    notRenewing: 'お客様は更新しません',
    ended: '対応の完了',
    deal: '契約の経過',
    offerName: 'オファー名を入力してください。',
    ends: '契約の終了',
    advisory: '確認するアドバイザリー',
    active: '有効',
    intentNew: '新規',
    completed: 'オンボーディング: 完了',
    renewalDone: '契約更新の対応を記録しました。',
    advisoryWaits: '「アドバイザリーの確認」はサポートの対応待ちです',
    advisoryIssued: '2026-12-01 03:04 UTC に AWS Marketplace から発行',
    advisoryDone: 'アドバイザリーの確認を記録しました。',
    stageBadge: '完了',
    complete: 'この後の契約の対応（契約更新、アドバイザリー、キャンセル）は「契約の経過」で行います。',
    subscription: '確認済み',
    notYours: 'あなたのロール（サポート）はこの段階の担当ではありません。',
  },
  en: {
    waits: 'Renewal waits for sales',
    notRenewing: 'the customer does not renew',
    ended: 'Deal step ended',
    deal: 'Deal',
    offerName: 'Offer name',
    ends: 'The agreement ends',
    advisory: 'Advisory to review',
    active: 'Active',
    intentNew: 'New',
    completed: 'onboarding: Completed',
    renewalDone: 'Your renewal decision was recorded.',
    advisoryWaits: 'Advisory review waits for support',
    advisoryIssued: 'issued by AWS Marketplace on 2026-12-01 03:04 UTC',
    advisoryDone: 'Your review of the advisory was recorded.',
    stageBadge: 'Completed',
    complete: 'What follows the sale (renewal, advisories, cancellation) is done on the deal view.',
    subscription: 'confirmed',
    notYours: 'Your role (support) does not act at this stage.',
  },
} as const;

/** The task tokens the renewal execution handed to open-human-task (from its history). */
async function renewalTokens(agreementId: string): Promise<string[]> {
  const machine = h.stack.lifecycleStateMachineArn ?? '';
  const executionArn = `${machine.replace(':stateMachine:', ':execution:')}:renewal-${agreementId}`;
  const { events = [] } = await h.procedure.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return events.flatMap((e) => {
    const p = e.taskScheduledEventDetails?.parameters;
    const token = p ? (JSON.parse(p) as { Payload?: { taskToken?: string } }).Payload?.taskToken : undefined;
    return token ? [token] : [];
  });
}

describe('the deal steps on the deal view', { timeout: 180_000 }, () => {
  for (const { locale, width } of VIEWS) {
    it(`Renewal: who must act by when, then sales records a decision (${locale}, ${width} px)`, async () => {
      // Prepare: a completed onboarding whose agreement is told it ends in 30 days
      const buyer = newBuyer(`更新${locale}`);
      const done = await newAccountScenario(h.procedure, buyer);
      const admin = h.stack.marketplace.admin;
      const agreement = admin.state().agreements.find((a) => a.acceptorAccountId === buyer.awsAccountId);
      if (!agreement) throw new Error('the scenario left no agreement');
      admin.notifyEnding(agreement.agreementId, 30);
      const ctx = await browser.person(locale);
      const page = await ctx.newPage();
      await page.setViewportSize({ width, height: width < 500 ? 800 : 900 });
      await signIn(page, h.stack.urls.web, 'sales');
      const dealUrl = `${h.stack.urls.web}/console/deal/${done.onboardingId}?lang=${locale}`;
      // Act: the onboarding's page first (where the deal view is reached from), then the deal view
      await page.goto(`${h.stack.urls.web}/console/onboardings/${done.onboardingId}?lang=${locale}`);
      await snap(browser, page, `deal-onboarding-page-${locale}-${width}`);
      const onboardingBadge = await page.locator('h1 .badge').textContent();
      const onboardingPage = (await page.locator('main').textContent()) ?? '';
      const toDeal = await page.locator(`main a[href="/console/deal/${done.onboardingId}"]`).count();
      const completedRow = await page.locator('ol.stepper li').last().textContent();
      let open = false;
      for (let i = 0; i < 60 && !open; i++) {
        await page.goto(dealUrl);
        open = (await page.locator('[data-deal-task="Renewal"] form').count()) > 0;
        if (!open) await new Promise((r) => setTimeout(r, 250));
      }
      await snap(browser, page, `deal-renewal-open-${locale}-${width}`);
      const waiting = await page.locator('[data-deal-task="Renewal"]').textContent();
      const facts = page.locator('[data-deal-task="Renewal"] [data-step-facts]');
      const factsText = (await facts.textContent()) ?? '';
      const agreementLink = await facts.locator(`a[href="#agreement-${agreement.agreementId}"]`).count();
      const badge = await page
        .locator(`#agreement-${agreement.agreementId} [data-status="ACTIVE"]`)
        .textContent();
      const intent = await page
        .locator(`#agreement-${agreement.agreementId} [data-intent="NEW"]`)
        .textContent();
      const summary = await page.locator('[data-deal-summary]').textContent();
      const wideWhileOpen = await overflow(page);
      await page.locator(`#agreement-${agreement.agreementId} details.cancellation summary`).click();
      const wideWithCancellation = await overflow(page);
      // the list: the deal's step beside the onboarding's stage, in the same column on a phone too
      await page.goto(`${h.stack.urls.web}/console?q=${done.onboardingId}&lang=${locale}`);
      await snap(browser, page, `deal-list-${locale}-${width}`);
      const stageBox = await page.locator('td span.badge').first().boundingBox();
      const stepBox = await page
        .locator(`td a.badge[data-deal-step="Renewal"][href="/console/deal/${done.onboardingId}"]`)
        .boundingBox();
      await page.goto(dealUrl);
      const html = await page.content();
      // a renewal offer drafted without its name: the deal view's own form says so, next to the field
      const draft = page.locator('[data-deal-task="Renewal"] form[data-renewal-offer]');
      await draft.locator('input[name="offerName"]').fill('');
      await draft.locator('input[name="dimensions.2.key"]').fill('Extra seats');
      await Promise.all([page.waitForLoadState('load'), draft.locator('button[type="submit"]').click()]);
      await snap(browser, page, `deal-renewal-draft-errors-${locale}-${width}`);
      const draftAgain = page.locator('[data-deal-task="Renewal"] form[data-renewal-offer]');
      const heading = await page.locator('h1').textContent();
      const nameError = await draftAgain.locator('#f-draft-offerName-err').textContent();
      const nameInvalid = await draftAgain.locator('#f-draft-offerName').getAttribute('aria-invalid');
      const keptKey = await draftAgain.locator('input[name="dimensions.2.key"]').inputValue();
      const wideWithErrors = await overflow(page);
      await page.locator('[data-deal-task="Renewal"] input[value="not-renewing"]').check();
      await page.fill('[data-deal-task="Renewal"] textarea[name="note"]', 'Budget / 予算の都合');
      await Promise.all([
        page.waitForURL(`${h.stack.urls.web}/console/deal/${done.onboardingId}`),
        page
          .locator('[data-deal-task="Renewal"] form:not([data-renewal-offer]) button[type="submit"]')
          .click(),
      ]);
      const landed = (await page.locator('main').textContent()) ?? '';
      let recorded = '';
      for (let i = 0; i < 60 && !recorded.includes('Budget'); i++) {
        await page.goto(dealUrl);
        recorded = (await page.locator('main').textContent()) ?? '';
        if (!recorded.includes('Budget')) await new Promise((r) => setTimeout(r, 250));
      }
      await snap(browser, page, `deal-renewal-done-${locale}-${width}`);
      // Assess
      expect(onboardingBadge?.trim()).toBe(WORDS[locale].stageBadge);
      expect(onboardingPage).toContain(WORDS[locale].complete);
      expect(onboardingPage).toContain(WORDS[locale].subscription);
      expect(toDeal).toBeGreaterThanOrEqual(2);
      expect(completedRow ?? '').not.toContain('agreement-ending');
      expect(open).toBe(true);
      expect(waiting ?? '').toContain(WORDS[locale].waits);
      expect(waiting ?? '').toContain(agreement.agreementId);
      expect(wideWhileOpen).toEqual([]);
      expect(wideWithCancellation).toEqual([]);
      expect(stepBox?.x).toBeGreaterThanOrEqual((stageBox?.x ?? Number.POSITIVE_INFINITY) - 1);
      expect(factsText).toContain(WORDS[locale].ends);
      expect(agreementLink).toBe(1);
      expect(badge?.trim()).toBe(WORDS[locale].active);
      expect(intent?.trim()).toBe(WORDS[locale].intentNew);
      expect(summary ?? '').toContain(WORDS[locale].completed);
      expect(landed).toContain(WORDS[locale].renewalDone);
      expect(heading ?? '').toContain(WORDS[locale].deal);
      expect(nameError ?? '').toContain(WORDS[locale].offerName);
      expect(nameInvalid).toBe('true');
      expect(keptKey).toBe('Extra seats');
      expect(wideWithErrors).toEqual([]);
      expect(await renewalTokens(agreement.agreementId)).not.toEqual([]);
      for (const token of await renewalTokens(agreement.agreementId)) expect(html).not.toContain(token);
      expect(recorded).toContain(WORDS[locale].notRenewing);
      expect(recorded).toContain(WORDS[locale].ended);
      expect(await page.locator('[data-deal-task]').count()).toBe(0);
      expect(await overflow(page)).toEqual([]);
    });
  }

  for (const { locale, width } of VIEWS) {
    it(`AdvisoryReview: support reads what to review and marks it reviewed, back on the deal view (${locale}, ${width} px)`, async () => {
      // Prepare: a completed onboarding whose agreement gets an advisory
      const buyer = newBuyer(`助言${locale}`);
      const done = await newAccountScenario(h.procedure, buyer);
      const admin = h.stack.marketplace.admin;
      const agreement = admin.state().agreements.find((a) => a.acceptorAccountId === buyer.awsAccountId);
      if (!agreement) throw new Error('the scenario left no agreement');
      admin.notifyAdvisory(agreement.agreementId, 'issued', { at: '2026-12-01T03:04:00Z' });
      admin.notifyEnding(agreement.agreementId, 30);
      const ctx = await browser.person(locale);
      const page = await ctx.newPage();
      await page.setViewportSize({ width, height: width < 500 ? 800 : 900 });
      await signIn(page, h.stack.urls.web, 'support');
      const dealUrl = `${h.stack.urls.web}/console/deal/${done.onboardingId}?lang=${locale}`;
      let open = false;
      for (let i = 0; i < 60 && !open; i++) {
        await page.goto(dealUrl);
        open =
          (await page.locator('[data-deal-task="AdvisoryReview"] form').count()) > 0 &&
          (await page.locator('[data-deal-task="Renewal"]').count()) > 0;
        if (!open) await new Promise((r) => setTimeout(r, 250));
      }
      await snap(browser, page, `deal-advisory-open-${locale}-${width}`);
      const step = (await page.locator('[data-deal-task="AdvisoryReview"]').textContent()) ?? '';
      const salesStep = page.locator('[data-deal-task="Renewal"]');
      const notYours = await salesStep.locator('[data-not-yours]').textContent();
      const salesForms = await salesStep.locator('form').count();
      const wide = await overflow(page);
      // Act
      await Promise.all([
        page.waitForURL(`${h.stack.urls.web}/console/deal/${done.onboardingId}`),
        page.locator('[data-deal-task="AdvisoryReview"] button[type="submit"]').click(),
      ]);
      await snap(browser, page, `deal-advisory-done-${locale}-${width}`);
      const landed = (await page.locator('main').textContent()) ?? '';
      // Assess
      expect(open).toBe(true);
      expect(step).toContain(WORDS[locale].advisoryWaits);
      expect(step).toContain(WORDS[locale].advisory);
      expect(step).toContain(WORDS[locale].advisoryIssued);
      expect(notYours ?? '').toBe(WORDS[locale].notYours);
      expect(salesForms).toBe(0);
      expect(wide).toEqual([]);
      expect(landed).toContain(WORDS[locale].advisoryDone);
      expect(await overflow(page)).toEqual([]);
    });
  }
});
