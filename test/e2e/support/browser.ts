/**
 * Debian's Chromium driven by playwright-core (no downloaded browsers). One browser per test file; each person in a
 * scenario (a buyer, a support engineer, an auditor) gets a fresh context with its own cookies. The browser records
 * everything the tests later check: every document it received (URL, headers, body), every URL it requested,
 * console errors, page errors, CSP violations and failed sub-resources. `snap` keeps a full-page screenshot of a
 * page (test-results/screenshots/, git-ignored) and records its rendered DOM as well.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Download, type Page } from 'playwright-core';

export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

/** Something the browser received or sent, as text to search for secrets. */
export interface Seen {
  readonly url: string;
  readonly what: 'request' | 'document' | 'dom' | 'download';
  readonly text: string;
}

export interface E2eBrowser {
  /** Console errors, page errors, CSP violations, failed sub-resources: must stay empty. */
  readonly problems: string[];
  readonly seen: Seen[];
  /** A fresh context (own cookies and storage) for one person of the scenario. */
  person(locale?: 'ja' | 'en'): Promise<BrowserContext>;
  /** Waits for the document bodies still being read. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Reports every CSP violation to the console, where the watcher below collects it (injected over CDP, so CSP-exempt). */
const CSP_REPORTER = `document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' on ' + e.documentURI);
});`;

export async function launch(): Promise<E2eBrowser> {
  // launch() gives Chromium a fresh temporary --user-data-dir of its own and removes it on close
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const problems: string[] = [];
  const seen: Seen[] = [];
  const reading = new Set<Promise<void>>();

  const watch = (page: Page) => {
    // Chromium logs "Failed to load resource" for documents answered 4xx; those pages are the expected answers.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        problems.push(`${page.url()}: console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${page.url()}: page error: ${e.message}`));
    page.on('request', (r) => {
      seen.push({ url: r.url(), what: 'request', text: `${r.url()}\n${r.postData() ?? ''}` });
    });
    page.on('requestfailed', (r) => {
      if (r.resourceType() !== 'document') problems.push(`${r.url()}: ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
      if (r.request().resourceType() !== 'document') {
        if (r.status() >= 400) problems.push(`${r.url()}: HTTP ${r.status()}`);
        return;
      }
      const read = (async () => {
        const headers = JSON.stringify(await r.allHeaders().catch(() => ({})));
        const body = r.status() >= 300 && r.status() < 400 ? '' : await r.text().catch(() => '');
        seen.push({ url: r.url(), what: 'document', text: `${headers}\n${body}` });
      })();
      reading.add(read);
      void read.finally(() => reading.delete(read));
    });
  };

  return {
    problems,
    seen,
    person: async (locale = 'ja') => {
      const context = await browser.newContext({
        acceptDownloads: true,
        locale: locale === 'ja' ? 'ja-JP' : 'en-US',
      });
      await context.addInitScript(CSP_REPORTER);
      context.on('page', watch);
      return context;
    },
    settled: async () => {
      while (reading.size > 0) await Promise.all([...reading]);
    },
    close: () => browser.close(),
  };
}

/** A full-page screenshot named after the scenario and step; the rendered page is recorded for the checks. */
export async function snap(browser: E2eBrowser, page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.waitForLoadState('load');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  browser.seen.push({ url: page.url(), what: 'dom', text: `${page.url()}\n${await page.content()}` });
}

/** Clicks something that downloads a file; returns the file's name and text (also recorded for the checks). */
export async function download(
  browser: E2eBrowser,
  page: Page,
  click: () => Promise<void>,
): Promise<{ name: string; text: string }> {
  const [file]: [Download, unknown] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await file.path();
  const text = readFileSync(path, 'utf8');
  browser.seen.push({ url: file.url(), what: 'download', text });
  return { name: file.suggestedFilename(), text };
}
