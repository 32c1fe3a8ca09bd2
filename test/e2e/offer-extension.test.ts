/**
 * Extending the offer while waiting for the buyer (issue 11 item 4, issue 12 item 5) in a real browser (Debian
 * Chromium via playwright-core) on the real local stack, in Japanese and English, on a 375 px phone and a 1440 px
 * desktop: the form on the onboarding's page, a date not after the current expiry refused on its field in the reader's
 * language, a later date accepted, and the page then showing the new expiry and who extended it. Screenshots:
 * test-results/screenshots/ext-*. No task token anywhere, no browser problem, nothing wider than a phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../local/demo/procedure.js';
import { newBuyer } from '../../local/demo/scenarios.js';
import { type StackHarness, startTestStack } from '../local/stack/harness.js';
import { type E2eBrowser, launch, snap } from './support/browser.js';
import { overflow } from './support/layout.js';
import { offered, signIn } from './support/people.js';
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
  { locale: 'en', width: 375 },
  { locale: 'en', width: 1440 },
] as const satisfies readonly { locale: Locale; width: number }[];

const WORDS = {
  ja: {
    title: 'オファーの有効期限を延長',
    notAfter: /^オファーの有効期限には現在の有効期限（\d{4}-\d{2}-\d{2}）より後の日付を指定してください。$/,
    done: 'オファーの有効期限を延長しています',
    last: /前回の延長: \d{4}-\d{2}-\d{2} → (\d{4}-\d{2}-\d{2})（.+、.+（営業）/,
  },
  en: {
    title: 'Extend the offer',
    notAfter: /^Offer expiry must be after the current expiry \(\d{4}-\d{2}-\d{2}\)\.$/,
    done: 'The offer is being extended',
    last: /Last extended from \d{4}-\d{2}-\d{2} to (\d{4}-\d{2}-\d{2}) on .+ by .+ \(sales\)\./,
  },
} as const;

describe('sales extends the offer while waiting for the buyer', () => {
  for (const { locale, width } of VIEWS) {
    it(`on the onboarding's page, in ${locale} (${width} px)`, async () => {
      // Prepare: an offer out (30 days), waiting for the buyer; sales signed in, in `locale`, at `width`
      const buyer = newBuyer(`延長${locale}${width}`);
      const { onboardingId } = await offered(h.procedure, buyer);
      onboardings.push(onboardingId);
      const ctx = await browser.person(locale);
      const page = await ctx.newPage();
      await page.setViewportSize({ width, height: width < 500 ? 800 : 900 });
      await signIn(page, web, 'sales');
      await page.goto(`${web}/console/onboardings/${onboardingId}?lang=${locale}`);
      const w = WORDS[locale];
      const form = 'form[data-form="extend-offer"]';
      await page.locator(form).scrollIntoViewIfNeeded();
      await snap(browser, page, `ext-${locale}-${width}-01-form`);
      const formWidth = await overflow(page);
      const later = new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10);

      // Act 1: a date not after the current expiry
      await page.fill('#f-extend-offer-offerExpiresAt', new Date().toISOString().slice(0, 10));
      await Promise.all([page.waitForLoadState('load'), page.click(`${form} button[type=submit]`)]);
      await page.waitForSelector('#f-extend-offer-offerExpiresAt-err');
      await page.locator(form).scrollIntoViewIfNeeded();
      await snap(browser, page, `ext-${locale}-${width}-02-refused`);
      const refused = (await page.textContent('#f-extend-offer-offerExpiresAt-err')) ?? '';

      // Act 2: a later date
      await page.fill('#f-extend-offer-offerExpiresAt', later);
      await Promise.all([page.waitForLoadState('load'), page.click(`${form} button[type=submit]`)]);
      const done = (await page.textContent('main')) ?? '';
      await snap(browser, page, `ext-${locale}-${width}-03-done`);
      // the workflow moves the expiry and waits again: the page then says who extended it, to what
      const last = await eventually('the page to show the extension', async () => {
        await page.goto(`${web}/console/onboardings/${onboardingId}?lang=${locale}`);
        const text =
          (await page
            .locator(form)
            .textContent()
            .catch(() => '')) ?? '';
        return w.last.test(text) ? text : undefined;
      });
      await page.locator(form).scrollIntoViewIfNeeded();
      await snap(browser, page, `ext-${locale}-${width}-04-extended`);

      // Assess
      expect(refused).toMatch(w.notAfter);
      expect(done).toContain(w.done);
      expect(last.match(w.last)?.[1]).toBe(later);
      expect(await page.textContent(`${form} h3`)).toBe(w.title);
      if (width <= 375) {
        expect(formWidth).toEqual([]);
        expect(await overflow(page)).toEqual([]);
      }
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
