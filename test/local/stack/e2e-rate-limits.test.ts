/**
 * The public forms' per-client limits over real HTTP on the local stack (issue 10): the client is the socket's peer
 * address, so each demo browser (its own 127.1.x.y) counts apart. One e-mail address gets at most 3 inquiries an hour
 * whoever sends them; a buyer's sign-in is locked after 5 failures of one e-mail, even for the right password, with
 * 429, Retry-After and the words in the buyer's language. (The harness lifts only the per-address inquiry limit.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../../local/demo/browser.js';
import { newBuyer, throughSetup } from '../../../local/demo/scenarios.js';
import { DEMO_BUYER_USER } from '../../../local/stack/seed.js';
import { E2E_TEST_TIMEOUT_MS, type StackHarness, startTestStack } from './harness.js';

let h: StackHarness;
beforeAll(async () => {
  h = await startTestStack({}, { vendor: 'built-in' });
}, 180_000);
afterAll(async () => {
  await h?.close();
});

describe('per-client limits on the local stack', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('mails one e-mail address at most 3 inquiries, from 4 different browsers', async () => {
    // Prepare
    const inquiry = (i: number) => ({
      company: `Sender ${i} KK`,
      contactName: 'Rate Test',
      email: 'victim@example.com',
      // another account each time: the same account and e-mail again would be held as a possible duplicate
      awsAccountId: String(123456789012 + i),
      plan: 'Business',
      message: '',
      locale: 'en',
    });
    // Act
    const pages = [];
    for (let i = 0; i < 4; i++)
      pages.push(
        await new Browser({ acceptLanguage: 'en' }).postFormAt(
          `${h.stack.urls.web}/inquiry?lang=en`,
          inquiry(i),
        ),
      );
    // Assess
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200, 429]);
    expect(pages.slice(0, 3).every((p) => p.url.includes('/inquiry/thanks'))).toBe(true);
    expect(Number(pages[3]?.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(pages[3]?.text).toContain('We received many inquiries in a short time');
  });

  it("locks one e-mail's sign-in after 5 failures: the right password then gets 429 in Japanese", async () => {
    // Prepare
    const { browser } = await throughSetup(h.procedure, newBuyer('RateLogin'));
    const login = (password: string) =>
      browser.postFormAt(`${h.stack.urls.web}/buyer/login`, { email: DEMO_BUYER_USER.email, password });
    // Act
    const failures = [];
    for (let i = 0; i < 5; i++) failures.push((await login(`guess-${i}`)).status);
    const locked = await login(DEMO_BUYER_USER.password);
    // Assess
    expect(failures).toEqual([401, 401, 401, 401, 401]);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.text).toContain('ログインの失敗が続いたため');
  });
});
