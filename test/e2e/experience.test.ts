/**
 * Issue 12 in a real browser (Debian Chromium via playwright-core) on the real local stack, in Japanese and English,
 * on a 375 px phone and a 1440 px desktop: the buyer asked about a second inquiry (and support seeing the mark), the
 * timeline in the reader's language, the empty-expiry message, the offer e-mail sent again while waiting; every page
 * of ours visited at 375 px without horizontal overflow. Every page: a screenshot (test-results/screenshots/exp-*),
 * no task token, no console error or CSP violation.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBuyer } from '../../local/demo/scenarios.js';
import { numberedLabel } from '../../workflows/contracts/index.js';
import { type StackHarness, startTestStack } from '../local/stack/harness.js';
import { type E2eBrowser, launch, snap } from './support/browser.js';
import { overflow } from './support/layout.js';
import { heading, offered, setUpAccount, signIn, subscribeOnMarketplace } from './support/people.js';
import { expectNoTokensLeaked } from './support/secrets.js';

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

type Locale = 'ja' | 'en';
const VIEWS = [
  { locale: 'ja', width: 375 },
  { locale: 'en', width: 1440 },
  { locale: 'en', width: 375 },
  { locale: 'ja', width: 1440 },
] as const satisfies readonly { locale: Locale; width: number }[];

/** A person in `locale` on a screen `width` px wide. */
async function person(locale: Locale, width: number): Promise<Page> {
  const ctx = await browser.person(locale);
  const page = await ctx.newPage();
  await page.setViewportSize({ width, height: width < 500 ? 800 : 900 });
  return page;
}

/** Screenshot, and at a phone's width: nothing wider than the screen. */
async function look(page: Page, name: string, width: number): Promise<void> {
  await snap(browser, page, `exp-${name}-${width}`);
  if (width <= 375) expect(await overflow(page), `${name} at ${width}px: ${page.url()}`).toEqual([]);
}

/** The staff sign-in, then the console in `locale` (the choice is remembered in a cookie). */
async function staff(user: string, locale: Locale, width: number): Promise<Page> {
  const page = await person(locale, width);
  await signIn(page, web, user);
  await page.goto(`${web}/console?lang=${locale}`);
  return page;
}

async function fillInquiry(page: Page, buyer: ReturnType<typeof newBuyer>, company = buyer.company) {
  await page.fill('#f-company', company);
  await page.fill('#f-contactName', buyer.contactName);
  await page.fill('#f-email', buyer.email);
  await page.fill('#f-awsAccountId', buyer.awsAccountId);
  await page.selectOption('#f-plan', 'Business');
  await page.fill('#f-message', 'Private offer, please / プライベートオファーを希望します');
}

const inbox = async (): Promise<
  { destination: { to: string[] }; subject: string; body: { text?: string } }[]
> => ((await (await fetch(`${h.stack.urls.ses}/store`)).json()) as { emails: [] }).emails;

describe('the buyer sending the same inquiry twice', () => {
  for (const { locale, width } of VIEWS) {
    it(`is asked first, confirms, and support sees the mark (${locale}, ${width} px)`, async () => {
      // Prepare: one inquiry went through
      const buyer = newBuyer(`重複${locale}`);
      const page = await person(locale, width);
      const shot = (step: string) => look(page, `duplicate-${locale}-${step}`, width);
      await page.goto(`${web}/inquiry?lang=${locale}`);
      await shot('01-inquiry');
      await fillInquiry(page, buyer);
      await Promise.all([page.waitForURL('**/inquiry/thanks**'), page.click('button[type=submit]')]);
      const firstId = new URL(page.url()).searchParams.get('ref') ?? '';
      expect(firstId).toMatch(/^onb-/);
      await shot('02-thanks');

      // Act: back to the form and the same account and e-mail again
      await page.goBack();
      await page.goto(`${web}/inquiry?lang=${locale}`);
      await fillInquiry(page, buyer, `${buyer.company} (2)`);
      await page.click('button[type=submit]');
      await page.waitForSelector('input[name=confirmDuplicate]');
      const question = (await page.textContent('main')) ?? '';
      // a question, not an error: the question's own look (the accent, not the error red), its box inside it
      const asked = await page.evaluate<{
        role: string;
        border: string;
        background: string;
        box: boolean;
        alerts: number;
      }>(`(() => {
        const q = document.querySelector('[data-duplicate-question]');
        const s = q ? getComputedStyle(q) : undefined;
        return {
          role: q ? q.getAttribute('role') : '',
          border: s ? s.borderLeftColor : '',
          background: s ? s.backgroundColor : '',
          box: !!(q && q.querySelector('input[name=confirmDuplicate]')),
          alerts: document.querySelectorAll('.notice.bad, [role=alert], [aria-invalid=true]').length,
        };
      })()`);
      await shot('03-question');
      expect(await page.inputValue('#f-company')).toBe(`${buyer.company} (2)`);
      await page.check('input[name=confirmDuplicate]');
      await Promise.all([page.waitForURL('**/inquiry/thanks**'), page.click('button[type=submit]')]);
      const secondId = new URL(page.url()).searchParams.get('ref') ?? '';
      await shot('04-thanks-confirmed');
      onboardings.push(firstId, secondId);
      await h.procedure.waitForStage(secondId, 'Consultation');
      const support = await staff('support', locale, width);
      await support.goto(`${web}/console/onboardings/${secondId}`);
      await look(support, `duplicate-${locale}-05-console-marked`, width);
      const mark = support.locator(`a[data-duplicate-of="${firstId}"]`);
      const markText = (await support.locator('.notice.warn').first().textContent()) ?? '';

      // Assess
      expect(question).toContain(
        locale === 'ja'
          ? 'このメールアドレスと AWS アカウント ID のお問い合わせは受付済み'
          : 'We already have an inquiry from this e-mail address for this AWS account',
      );
      expect(question).not.toContain(firstId); // which onboarding it matched stays unsaid to the buyer
      expect(asked).toEqual({
        role: 'status',
        border: 'rgb(31, 95, 191)', // --accent
        background: 'rgb(238, 243, 251)',
        box: true,
        alerts: 0,
      });
      expect(secondId).toMatch(/^onb-/);
      expect(secondId).not.toBe(firstId);
      expect(await mark.count()).toBe(1);
      expect(markText).toContain(locale === 'ja' ? '重複の可能性があります' : 'Possible duplicate of');
      await Promise.all([support.waitForURL(`**/console/onboardings/${firstId}`), mark.click()]);
      expect(await heading(support)).toContain(buyer.company);
    });
  }
});

describe('staff reading and acting in their language', () => {
  for (const { locale, width } of VIEWS) {
    it(`reads the console and audit timelines in ${locale} (${width} px)`, async () => {
      // Prepare: an onboarding whose terms sales agreed (the workflow created and mailed the offer)
      const buyer = newBuyer(`時系列${locale}`);
      const { onboardingId } = await offered(h.procedure, buyer);
      onboardings.push(onboardingId);
      const page = await staff('sales', locale, width);

      // Act
      await page.goto(`${web}/console/onboardings/${onboardingId}`);
      await look(page, `timeline-${locale}-01-console`, width);
      const stepper = (await page.textContent('ol.stepper')) ?? '';
      await page.goto(`${web}/audit/onboardings/${onboardingId}`);
      await look(page, `timeline-${locale}-02-audit`, width);
      const activity = (await page.locator('table.timeline').first().textContent()) ?? '';

      // Assess
      if (locale === 'ja') {
        expect(stepper).toContain(`${buyer.company} からのお問い合わせ`);
        expect(activity).toContain(`${numberedLabel('Consultation', 'ja')}が完了しました`);
        expect(activity).toMatch(/オファー offer-[a-z0-9]+ が公開されました/);
        expect(activity).toContain('を購入者に送りました');
        expect(activity).toContain('（営業）');
        // the action codes (badges such as stage-completed) stay as they are; the sentences are Japanese
        expect(`${stepper} ${activity}`).not.toMatch(
          /Inquiry from|\scompleted|is released|sent to the buyer/,
        );
      } else {
        expect(stepper).toContain(`Inquiry from ${buyer.company}`);
        expect(activity).toContain(`${numberedLabel('Consultation', 'en')} completed`);
        expect(activity).toMatch(/Offer offer-[a-z0-9]+ is released/);
        expect(activity).not.toMatch(/からのお問い合わせ|が完了しました/);
      }
    });

    it(`is told an empty offer expiry is required, on its field, in ${locale} (${width} px)`, async () => {
      // Prepare
      const buyer = newBuyer(`期限${locale}`);
      const onboardingId = await h.procedure.inquiry({ ...buyer, plan: 'Business' });
      onboardings.push(onboardingId);
      await h.procedure.waitForStage(onboardingId, 'Consultation');
      const page = await staff('sales', locale, width);
      await page.goto(`${web}/console/onboardings/${onboardingId}`);
      await page.fill('#f-terms-offerName', `${buyer.company} Business`);
      await page.fill('#f-terms-dimensions-0-key', 'Users');
      await page.fill('#f-terms-dimensions-0-price', '1200.00');
      await page.fill('#f-terms-offerExpiresAt', '');

      // Act
      await Promise.all([
        page.waitForLoadState('load'),
        page.click('form[action$="/stages/Consultation"] button[type=submit]'),
      ]);
      await page.waitForSelector('#f-terms-offerExpiresAt-err');
      await look(page, `expiry-${locale}-01-required`, width);
      const message = (await page.textContent('#f-terms-offerExpiresAt-err')) ?? '';

      // Assess
      expect(message).toBe(
        locale === 'ja' ? 'オファーの有効期限を入力してください。' : 'Offer expiry is required.',
      );
      expect(await page.textContent('body')).not.toMatch(/must be a date|日付と時刻を入力/);
      expect(await page.inputValue('#f-terms-offerName')).toBe(`${buyer.company} Business`);
    });

    it(`sends the offer e-mail again while the buyer has not subscribed, in ${locale} (${width} px)`, async () => {
      // Prepare
      const buyer = newBuyer(`再送${locale}`);
      const { onboardingId } = await offered(h.procedure, buyer);
      onboardings.push(onboardingId);
      const toBuyer = async () => (await inbox()).filter((m) => m.destination.to.includes(buyer.email));
      const before = await toBuyer();
      const page = await staff('sales', locale, width);
      await page.goto(`${web}/console/onboardings/${onboardingId}`);
      await look(page, `resend-${locale}-01-waiting`, width);
      const button = page.locator(`form[action$="/resend-offer"] button`);

      // Act
      await Promise.all([page.waitForURL(`**/console/onboardings/${onboardingId}`), button.click()]);
      await look(page, `resend-${locale}-02-sent`, width);
      const banner = (await page.locator('.notice.ok').textContent()) ?? '';
      const last = (await page.locator('form[action$="/resend-offer"] .muted').textContent()) ?? '';
      await expect.poll(async () => (await toBuyer()).length, { timeout: 10_000 }).toBe(before.length + 1);
      const after = await toBuyer();

      // Assess
      expect(await button.textContent()).toBe(
        locale === 'ja' ? 'オファーのご案内メールを再送する' : 'Send the offer e-mail again',
      );
      expect(banner).toContain(
        locale === 'ja'
          ? 'オファーのご案内メールを購入者に再送しました。'
          : 'The offer e-mail was sent to the buyer again.',
      );
      expect(last).toContain(locale === 'ja' ? '（営業）' : '(sales)');
      const offerMails = before.filter((m) => /offer-[0-9a-z]+/.test(m.body.text ?? ''));
      expect(after.at(-1)?.subject).toBe(offerMails.at(-1)?.subject);
      expect(after.at(-1)?.body.text).toBe(offerMails.at(-1)?.body.text);
      await h.procedure.waitForStage(onboardingId, 'AwaitAcceptance', 5_000);
    });
  }
});

describe('the deal view after the buyer subscribed', () => {
  for (const { locale, width } of VIEWS.slice(0, 2)) {
    it(`names each episode in ${locale} (${width} px)`, async () => {
      // Prepare: the buyer subscribes on the marketplace; its events reach the deal
      const buyer = newBuyer(`契約${locale}`);
      const { onboardingId, offerLink } = await offered(h.procedure, buyer);
      onboardings.push(onboardingId);
      const buyerPage = await person('ja', 1440);
      await subscribeOnMarketplace(buyerPage, offerLink, buyer.awsAccountId);
      const page = await staff('sales', locale, width);

      // Act
      await expect
        .poll(
          async () => {
            await page.goto(`${web}/console/deal/${onboardingId}`);
            return page.locator('td[data-kind]').count();
          },
          { timeout: 30_000, interval: 500 },
        )
        .toBeGreaterThan(0);
      await look(page, `deal-${locale}-01-episodes`, width);
      const what = (await page.locator('td[data-kind] + td').allTextContents()).join(' | ');

      // Assess
      expect(what).toMatch(locale === 'ja' ? /契約が作成されました（新規）/ : /Agreement created \(new\)/);
      if (locale === 'ja') expect(what).not.toMatch(/Agreement |License /);
    });
  }
});

describe('the buyer on a 375 px phone', () => {
  for (const locale of ['ja', 'en'] as const) {
    it(`meets the marketplace, registration and completion pages without sideways scrolling (${locale})`, async () => {
      // Prepare
      const buyer = newBuyer(`電話${locale}`);
      const { onboardingId, offerLink } = await offered(h.procedure, buyer);
      onboardings.push(onboardingId);
      const page = await person(locale, 375);
      const wide: string[] = [];
      const check = async (name: string) => {
        await snap(browser, page, `exp-buyer-${locale}-${name}-375`);
        const sticking = await overflow(page);
        if (sticking.length) wide.push(`${name} (${page.url()}): ${sticking.join('; ')}`);
      };

      // Act: the offer and agreement pages on the marketplace, then ours
      await subscribeOnMarketplace(page, offerLink, buyer.awsAccountId, () => check('01-marketplace-offer'));
      await check('02-marketplace-agreement');
      expect((await setUpAccount(page, web)).status()).toBe(303);
      if (locale === 'en') await page.click('text=English');
      await check('03-register');
      await page.click('button[type=submit]');
      await page.waitForSelector('#f-accountName-err');
      const required = (await page.textContent('#f-accountName-err')) ?? '';
      await check('04-register-required');
      await page.fill('#f-accountName', `${buyer.company} 本番`);
      await page.fill('#f-email', buyer.email);
      await Promise.all([page.waitForURL(`${web}/buyer/complete**`), page.click('button[type=submit]')]);
      await check('05-complete');

      // Assess
      expect(required).toBe(
        locale === 'ja' ? 'アカウント名を入力してください。' : 'Account name is required.',
      );
      expect(new URL(page.url()).pathname).toBe('/buyer/complete');
      expect(wide).toEqual([]);
    });
  }
});

describe('every page of ours on a 375 px phone', () => {
  for (const locale of ['ja', 'en'] as const) {
    it(`holds without sideways scrolling (${locale})`, async () => {
      // Prepare: onboardings at several stages exist (earlier tests); one more for the deal view
      const id = onboardings[0] ?? (await h.procedure.inquiry({ ...newBuyer('一覧'), plan: 'Business' }));
      const pub = await person(locale, 375);
      const sales = await staff('sales', locale, 375);
      const auditor = await staff('auditor', locale, 375);
      const pages: [Page, string, string][] = [
        [pub, 'inquiry', `/inquiry?lang=${locale}`],
        [pub, 'login', `/auth/login?lang=${locale}`],
        [pub, 'not-found', `/nowhere?lang=${locale}`],
        [pub, 'set-password-bad', `/account/set-password?invite=nope&lang=${locale}`],
        [sales, 'console-list', '/console'],
        [sales, 'console-list-overdue', '/console?overdue=1'],
        [sales, 'console-detail', `/console/onboardings/${id}`],
        [sales, 'console-deal', `/console/deal/${id}`],
        [sales, 'console-not-found', '/console/onboardings/onb-doesnotexist00'],
        [auditor, 'audit-home', '/audit'],
        [auditor, 'audit-find', `/audit/open?q=${encodeURIComponent('株式会社')}`],
        [auditor, 'audit-history', `/audit/onboardings/${id}`],
        [auditor, 'console-read-only', `/console/onboardings/${id}`],
      ];

      // Act
      const wide: string[] = [];
      for (const [page, name, path] of pages) {
        await page.goto(`${web}${path}`);
        await snap(browser, page, `exp-pages-${locale}-${name}-375`);
        const sticking = await overflow(page);
        if (sticking.length) wide.push(`${name} (${path}): ${sticking.join('; ')}`);
      }

      // Assess
      expect(wide).toEqual([]);
    });
  }

  it('leaked no task token and logged no browser problem in any of it', async () => {
    expect(
      await expectNoTokensLeaked(
        browser,
        { procedure: h.procedure, marketplace: h.stack.marketplace, webUrl: web, sesUrl: h.stack.urls.ses },
        onboardings,
      ),
    ).toBeGreaterThan(0);
    expect(browser.problems).toEqual([]);
  });
});
