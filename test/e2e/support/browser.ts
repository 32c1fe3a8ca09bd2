/**
 * Debian's Chromium driven by playwright-core (no downloaded browsers), with a fresh profile per run, and a helper
 * that keeps a full-page screenshot of every page the tests visit (test-results/screenshots/, git-ignored).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

export interface Browser {
  readonly context: BrowserContext;
  /** Console errors and page errors (CSP violations show up here). */
  readonly problems: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
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
  const watch = (page: Page) => {
    // 4xx pages are answers the tests expect; a failing stylesheet, script or icon is not
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        problems.push(`${page.url()}: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.request().resourceType() !== 'document' && r.status() >= 400)
        problems.push(`${r.url()}: ${r.status()}`);
    });
    page.on('requestfailed', (r) => {
      if (r.resourceType() !== 'document') problems.push(`${r.url()}: ${r.failure()?.errorText}`);
    });
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
  };
  context.on('page', watch);
  for (const p of context.pages()) watch(p);
  return {
    context,
    problems,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A full-page screenshot named after the scenario and step. */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
