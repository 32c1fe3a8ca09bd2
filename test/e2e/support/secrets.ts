/**
 * What must never reach a browser: the workflow's task tokens (read from the execution history, where
 * `waitForTaskToken` tasks hand them to the open-human-task function) and, on our own pages, the marketplace
 * registration tokens (from the simulator's state). Checked against everything the browser received and sent.
 */

import type { MarketplaceSimulator } from '@marketplace-onboarding/marketplace-simulator';
import { expect } from 'vitest';
import type { Procedure } from '../../../local/demo/procedure.js';
import type { E2eBrowser } from './browser.js';

/** Every `taskToken` / `TaskToken` value inside a JSON value. */
function collectTokens(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) collectTokens(v, into);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (/^taskToken$/i.test(key) && typeof v === 'string') into.add(v);
      else collectTokens(v, into);
    }
  }
}

/** The task tokens the workflow handed out for these onboardings (TaskScheduled parameters). */
export async function taskTokens(procedure: Procedure, onboardingIds: readonly string[]): Promise<string[]> {
  const tokens = new Set<string>();
  for (const id of onboardingIds) {
    for (const event of await procedure.history(id)) {
      const parameters = event.taskScheduledEventDetails?.parameters;
      if (event.type === 'TaskScheduled' && parameters) collectTokens(JSON.parse(parameters), tokens);
    }
  }
  return [...tokens];
}

/** A token, or its first 32 characters (a truncated leak), found in the text. */
function leaked(text: string, token: string): boolean {
  return text.includes(token) || text.includes(token.slice(0, 32));
}

/**
 * No task token of these onboardings in any page, header, URL or form post the browser saw, nor in the SES inbox;
 * no marketplace registration token in a page of ours or in any URL. Returns how many task tokens were checked.
 */
export async function expectNoTokensLeaked(
  browser: E2eBrowser,
  context: { procedure: Procedure; marketplace: MarketplaceSimulator; webUrl: string; sesUrl: string },
  onboardingIds: readonly string[],
): Promise<number> {
  await browser.settled();
  const tokens = await taskTokens(context.procedure, onboardingIds);
  // each onboarding waited for a person at least once, so tokens were handed out (else this check proves nothing)
  expect(tokens.length).toBeGreaterThanOrEqual(onboardingIds.length);
  expect(browser.seen.length).toBeGreaterThan(0);
  const inbox = await (await fetch(`${context.sesUrl}/store`)).text();
  const found: string[] = [];
  for (const token of tokens) {
    for (const s of browser.seen) if (leaked(s.text, token)) found.push(`task token in ${s.what} ${s.url}`);
    if (leaked(inbox, token)) found.push('task token in the SES inbox');
  }
  const registrationTokens = context.marketplace.admin.state().registrationTokens.map((t) => t.token);
  for (const token of registrationTokens) {
    for (const s of browser.seen) {
      // the simulator's page holds it and the fulfillment POST carries it, as on AWS; our pages and URLs must not
      const ours = s.what !== 'request' && s.url.startsWith(context.webUrl);
      if (
        s.url.includes(token) ||
        s.url.includes(encodeURIComponent(token)) ||
        (ours && s.text.includes(token))
      )
        found.push(`marketplace token in ${s.what} ${s.url}`);
    }
  }
  expect(found, `leaked:\n${found.join('\n')}`).toEqual([]);
  return tokens.length;
}
