/**
 * Staff in a real browser (Debian Chromium via playwright-core) on the real local stack: sales completes the
 * consultation from the console (sign in, search, open, the agreed-terms form) and the workflow moves on to the offer;
 * an auditor reads the history timeline, exports it, and cannot change anything (no forms, forged POSTs refused).
 * Every page: screenshot, no task token, no console error or CSP violation.
 */
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBuyer } from '../../local/demo/scenarios.js';
import { type StackHarness, startTestStack } from '../local/stack/harness.js';
import { download, type E2eBrowser, launch, snap } from './support/browser.js';
import { heading, signIn } from './support/people.js';
import { expectNoTokensLeaked } from './support/secrets.js';

let h: StackHarness;
let browser: E2eBrowser;
let web: string;

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
    { procedure: h.procedure, marketplace: h.stack.marketplace, webUrl: web, sesUrl: h.stack.urls.ses },
    ids,
  );

/** Where the execution stands: its status and the last state it entered. */
async function standing(onboardingId: string) {
  const [end, path] = await Promise.all([
    h.procedure.sfn.send(
      new DescribeExecutionCommand({
        executionArn: h.procedure.executionArn(onboardingId),
      }),
    ),
    h.procedure.path(onboardingId),
  ]);
  return { status: end.status, state: path.at(-1), states: path.length };
}

const isoDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

const consulted = newBuyer('コンソール');
let consultedId = '';

describe('staff in the browser', () => {
  it('sales finds an onboarding, records the agreed terms, and the workflow creates and mails the offer', async () => {
    consultedId = await h.procedure.inquiry({ ...consulted, plan: 'Business' });
    await h.procedure.inquiry({ ...newBuyer('別の会社'), plan: 'Standard' }); // something else in the list
    await h.procedure.waitForStage(consultedId, 'Consultation');

    const ctx = await browser.person('en');
    const page = await ctx.newPage();
    const shot = (name: string) => snap(browser, page, `support-${name}`);
    await page.goto(`${web}/console`);
    expect(new URL(page.url()).pathname).toBe('/auth/login');
    await shot('01-sign-in');
    await signIn(page, web, 'sales');
    expect(await heading(page)).toBe('Onboardings');
    await shot('02-list');
    // the stage filter (with its count), then the search
    await Promise.all([
      page.waitForURL('**/console?stage=Consultation'),
      page.click('ul.stages a:has-text("Consultation")'),
    ]);
    expect(await page.textContent('ul.stages a[aria-current]')).toMatch(/Consultation: agree the terms\s+2/);
    expect(await page.locator('tbody tr').count()).toBe(2);

    // search by company
    await page.fill('#q', consulted.company);
    await Promise.all([
      page.waitForURL('**/console?stage=Consultation&q=**'),
      page.click('button:has-text("Search")'),
    ]);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(consulted.awsAccountId);
    await shot('03-search');
    await Promise.all([
      page.waitForURL(`${web}/console/onboardings/${consultedId}`),
      page.click(`a:has-text("${consulted.company}")`),
    ]);
    expect(await heading(page)).toContain('Consultation');
    await shot('04-onboarding');

    // closing without a reason: the field's message, no "Close this onboarding?" dialog first
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.click('button:has-text("Close with this reason")');
    await expect.poll(() => page.textContent('#f-close-onboarding-reason-err')).toBeTruthy();
    expect(dialogs).toEqual([]);
    expect((await standing(consultedId)).state).toBe('Consultation');
    // the agreed-terms form: a bad price first
    const offerName = `${consulted.company} — Business 12 months`;
    await page.fill('#f-terms-offerName', offerName);
    await page.fill('#f-terms-durationMonths', '12');
    await page.fill('#f-terms-offerExpiresAt', isoDay(30));
    await page.fill('#f-terms-dimensions-0-key', 'Users');
    await page.fill('#f-terms-dimensions-0-price', 'twelve');
    await page.click('button:has-text("Record the agreed terms")');
    await expect
      .poll(() => page.textContent('#f-terms-dimensions-0-price-err'))
      .toContain('Price must be an amount like 1200.00');
    await shot('05-validation');
    expect((await standing(consultedId)).state).toBe('Consultation');
    // the manual offer id shows only when "manual" is chosen (progressive enhancement)
    expect(await page.isVisible('#f-terms-manualOfferId')).toBe(false);
    await page.check('input[name=offerCreation][value=manual]');
    expect(await page.isVisible('#f-terms-manualOfferId')).toBe(true);
    await page.check('input[name=offerCreation][value=automatic]');
    await page.fill('#f-terms-dimensions-0-price', '12000.00');
    await Promise.all([
      page.waitForURL(`**/console/onboardings/${consultedId}`),
      page.click('button:has-text("Record the agreed terms")'),
    ]);
    expect(await page.textContent('.notice.ok')).toContain('The agreed terms were recorded');
    await shot('06-terms-recorded');

    // the workflow moves on: the offer is created on the marketplace, mailed to the buyer, and awaits acceptance
    await h.procedure.waitForStage(consultedId, 'AwaitAcceptance', 60_000);
    const link = await h.procedure.offerLinkFromInbox(consulted.email);
    const offer = h.stack.marketplace.admin.state().offers.find((o) => link.includes(o.id));
    expect(offer).toMatchObject({ name: offerName, state: 'Released' });
    expect(offer?.positiveTargeting?.BuyerAccounts).toEqual([consulted.awsAccountId]);
    await page.reload();
    expect(await heading(page)).toContain('AwaitAcceptance');
    expect(await page.textContent('dl.facts')).toContain(offer?.id ?? '?');
    expect(await page.textContent('ol.stepper')).toContain('Sales (demo) (sales)');
    await shot('07-awaiting-acceptance');

    await secrets([consultedId]);
    await ctx.close();
  });

  it('an auditor reads the history, exports it, and cannot post', async () => {
    expect(consultedId).toMatch(/^onb-/);
    const waiting = newBuyer('監査');
    const waitingId = await h.procedure.inquiry({ ...waiting, plan: 'Business' });
    await h.procedure.waitForStage(waitingId, 'Consultation');
    const before = {
      consulted: await standing(consultedId),
      waiting: await standing(waitingId),
    };
    expect(before.consulted).toMatchObject({ status: 'RUNNING', state: 'AwaitAcceptance' });
    expect(before.waiting).toMatchObject({ status: 'RUNNING', state: 'Consultation' });

    const ctx = await browser.person('en');
    const page = await ctx.newPage();
    const shot = (name: string) => snap(browser, page, `auditor-${name}`);
    await signIn(page, web, 'auditor');
    await shot('01-list');

    // the console shows no action forms to an auditor
    const readOnly = async (id: string) => {
      await page.goto(`${web}/console/onboardings/${id}`);
      expect(await page.textContent('body')).toContain(
        'Read-only: your role (auditor) cannot change onboardings.',
      );
      expect(await page.locator('form[method=post][action^="/console"]').count()).toBe(0);
    };
    await readOnly(waitingId);
    await shot('02-consultation-read-only');
    await readOnly(consultedId);
    await shot('03-offered-read-only');

    // forged POSTs with the page's own session cookie and a valid CSRF token: 403, nothing changes
    const forge = async (page: Page, path: string, form: Record<string, string>) => {
      const csrf = await page.getAttribute('input[name=_csrf]', 'value');
      expect(csrf).toBeTruthy();
      return page.request.post(`${web}${path}`, {
        form: { _csrf: csrf ?? '', ...form },
        headers: { origin: web },
        maxRedirects: 0,
      });
    };
    const close = await forge(page, `/console/onboardings/${consultedId}/close`, {
      action: 'close',
      reason: 'an auditor tries to close it',
    });
    expect(close.status()).toBe(403);
    expect(await close.text()).toContain('cannot change onboardings');
    const terms = await forge(page, `/console/onboardings/${waitingId}/stages/Consultation`, {
      action: 'terms',
      plan: 'Business',
      offerName: 'Forged by an auditor',
      durationMonths: '12',
      offerExpiresAt: isoDay(30),
      currency: 'USD',
      'dimensions.0.key': 'Users',
      'dimensions.0.price': '1.00',
      offerCreation: 'automatic',
    });
    expect(terms.status()).toBe(403);
    expect(await terms.text()).toContain('cannot change onboardings');

    // the audit timeline, input/output on demand
    await page.goto(`${web}/audit`);
    await shot('04-audit-home');
    // found by the company's name (not only by its exact id), then opened from the results
    await page.fill('#f-q', consulted.company);
    await Promise.all([page.waitForURL(`${web}/audit/open?q=**`), page.click('button:has-text("Find")')]);
    await shot('04b-audit-found');
    await Promise.all([
      page.waitForURL(`${web}/audit/onboardings/${consultedId}`),
      page.click(`a:has-text("${consultedId}")`),
    ]);
    expect(await heading(page)).toBe(`History of ${consulted.company}`);
    const timeline = (await page.textContent('main')) ?? '';
    expect(timeline).toContain('Sales (demo)');
    expect(timeline).toContain('TaskScheduled');
    const output = page.locator('details:has(summary:text-is("output"))').first();
    expect(await output.locator('pre').isVisible()).toBe(false);
    await output.locator('summary').click();
    expect(await output.locator('pre').isVisible()).toBe(true);
    const input = page.locator('details:has(summary:text-is("input"))').first();
    await input.locator('summary').click();
    expect(await input.locator('pre').textContent()).toContain(consultedId);
    await shot('05-timeline');

    // this onboarding's who-did-what as CSV (a BOM, plain columns), and its raw events
    const readable = await download(browser, page, () => page.click('a:has-text("Who did what (CSV)")'));
    expect(readable.name).toBe(`${consultedId}-timeline.csv`);
    expect(readable.text.startsWith('\uFEFFtime,stage,actor,action,summary\r\n')).toBe(true);
    expect(readable.text).toContain('Sales (demo) (sales),stage-completed');
    const csv = await download(browser, page, () => page.click('a:has-text("Execution events (CSV)")'));
    expect(csv.name).toBe(`${consultedId}-history.csv`);
    const [header, ...lines] = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(header).toBe('onboardingId,executionArn,eventId,timestamp,type,stage,actor,details');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.every((l) => l.startsWith(`${consultedId},`))).toBe(true);

    // every history of a date range, as CSV and JSON
    await page.goto(`${web}/audit`);
    await page.fill('#f-from', isoDay(-1));
    await page.fill('#f-to', isoDay(0));
    const rangeTimeline = await download(browser, page, () => page.click('button:has-text("Download")'));
    expect(rangeTimeline.name).toBe(`onboarding-timelines-${isoDay(-1)}-to-${isoDay(0)}.csv`);
    expect(rangeTimeline.text).toContain(`${consultedId},`);
    await page.selectOption('#f-format', 'csv');
    const rangeCsv = await download(browser, page, () => page.click('button:has-text("Download")'));
    expect(rangeCsv.name).toBe(`onboarding-histories-${isoDay(-1)}-to-${isoDay(0)}.csv`);
    expect(rangeCsv.text).toContain(`${consultedId},`);
    expect(rangeCsv.text).toContain(`${waitingId},`);
    await page.selectOption('#f-format', 'json');
    const rangeJson = await download(browser, page, () => page.click('button:has-text("Download")'));
    expect(rangeJson.name).toBe(`onboarding-histories-${isoDay(-1)}-to-${isoDay(0)}.json`);
    const rows = (JSON.parse(rangeJson.text) as { rows: { onboardingId: string; type: string }[] }).rows;
    expect(rows.filter((r) => r.onboardingId === consultedId).length).toBe(lines.length);
    expect(rows.some((r) => r.onboardingId === waitingId && r.type === 'ExecutionStarted')).toBe(true);
    await shot('06-export');

    // nothing the auditor did changed either onboarding: same state, no new step in the history
    expect(await standing(consultedId)).toEqual(before.consulted);
    expect(await standing(waitingId)).toEqual(before.waiting);
    await page.goto(`${web}/console/onboardings/${waitingId}`);
    expect(await heading(page)).toContain('Consultation');
    expect(await page.textContent('body')).not.toContain('Forged by an auditor');

    // the list refreshes itself without a reload (every 30 s): an inquiry that arrives meanwhile shows up
    await page.clock.install();
    await page.goto(`${web}/console`);
    const listed = await page.locator('#onboarding-list tbody tr').count();
    await page.evaluate('window.notReloaded = true');
    const arrived = await h.procedure.inquiry({ ...newBuyer('更新'), plan: 'Standard' });
    await h.procedure.waitForStage(arrived, 'Consultation');
    await page.clock.fastForward(31_000);
    await expect.poll(() => page.locator('#onboarding-list tbody tr').count()).toBe(listed + 1);
    expect(await page.locator('#onboarding-list').textContent()).toContain(arrived);
    expect(await page.evaluate('window.notReloaded')).toBe(true);

    // on a 375 px phone, in Japanese: nothing wider than the screen, "Sign out" inside the header bar
    await page.setViewportSize({ width: 375, height: 800 });
    for (const [path, name] of [
      ['/console?lang=ja', '07-phone-list-ja'],
      [`/console/onboardings/${consultedId}`, '08-phone-onboarding-ja'],
      [`/audit/onboardings/${consultedId}`, '09-phone-history-ja'],
      ['/console?lang=en', '10-phone-list-en'],
    ] as const) {
      await page.goto(`${web}${path}`);
      await shot(name);
      expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'), name).toBe(0);
      const header = await page.locator('header.top').boundingBox();
      const signOut = await page.locator('header.top button[type=submit]').boundingBox();
      expect(signOut && header && signOut.x + signOut.width <= header.x + header.width, name).toBe(true);
      expect(signOut && header && signOut.y + signOut.height <= header.y + header.height, name).toBe(true);
    }
    expect(await page.textContent('h1')).toBe('Onboardings');

    // the downloads were recorded too: no task token in them either
    await secrets([consultedId, waitingId]);
    await ctx.close();
  });

  it('met no console error or CSP violation on any page of this file', () => {
    expect(browser.seen.filter((s) => s.what === 'dom').length).toBeGreaterThanOrEqual(13);
    expect(browser.problems).toEqual([]);
  });

  it('would notice a CSP violation (the watcher works)', async () => {
    const ctx = await browser.person('en');
    const page = await ctx.newPage();
    await page.goto(`${web}/inquiry`);
    // an inline script added to the page: the CSP (script-src 'self') must block it and report it
    await page.evaluate(
      "const s = document.createElement('script'); s.textContent = 'window.injected = true'; document.body.append(s);",
    );
    await expect.poll(() => browser.problems.some((p) => p.includes('CSP violation: script-src'))).toBe(true);
    expect(await page.evaluate("'injected' in window")).toBe(false);
    browser.problems.splice(0);
    await ctx.close();
  });
});
