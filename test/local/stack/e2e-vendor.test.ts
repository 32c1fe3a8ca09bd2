/**
 * The vendor's SaaS misbehaving, end to end on the local stack with the sample SaaS (its switches): a refused account
 * name comes back to the buyer, who fixes it; a vendor down past the retries sends the onboarding to support, who
 * re-opens it once the vendor is back; a vendor slower than the timeout shows the buyer a page to try again; and the
 * replays of one idempotency key (the buyer's page, then the CreateAccount task) create one tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../../local/demo/browser.js';
import { newBuyer, throughSetup } from '../../../local/demo/scenarios.js';
import type { SampleSaas } from '../../../local/sample-saas/server.js';
import { DEMO_BUYER_USER } from '../../../local/stack/seed.js';
import { E2E_TEST_TIMEOUT_MS, type StackHarness, startTestStack } from './harness.js';

let h: StackHarness;
let vendor: SampleSaas;
beforeAll(async () => {
  h = await startTestStack();
  if (!h.stack.vendor) throw new Error('the test stack runs without the sample SaaS');
  vendor = h.stack.vendor;
}, 180_000);
afterAll(async () => {
  await h?.close();
});

/** Moves the driven clock on (past the longest retry wait) until the onboarding waits at `stage`. */
async function driveUntil(onboardingId: string, stage: string) {
  for (let i = 0; i < 40; i++) {
    const recent = await h.procedure.recentEvents(onboardingId, 5);
    if (recent.some((e) => e.stateEnteredEventDetails?.name === stage)) return;
    h.stack.clock?.advance(130_000);
    await new Promise((r) => setTimeout(r, 150));
  }
  await h.procedure.waitForStage(onboardingId, stage);
}

describe('the vendor SaaS misbehaving', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('refuses the account name: the buyer sees why on the form, fixes it, and one tenant is created', async () => {
    // Prepare
    const buyer = newBuyer('Refused');
    const { onboardingId, browser, page } = await throughSetup(h.procedure, buyer);
    vendor.switches.set('create', { refuse: { code: 'tenant-name-taken', field: 'name', times: 1 } });
    // Act
    const refused = await h.procedure
      .registerNew(browser, page, 'Taken 本番', buyer.email)
      .catch((e: unknown) => e);
    const form = await browser.get(`${h.stack.urls.web}/buyer/register`);
    await h.procedure.registerNew(browser, form, 'Refused 本番', buyer.email);
    const end = await h.procedure.waitForEnd(onboardingId);
    // Assess
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(409);
    expect((refused as HttpError).body).toContain('このアカウント名はすでに使われています。');
    expect(end.status).toBe('SUCCEEDED');
    const creates = vendor.seen.filter(
      (s) => s.operation === 'create' && s.key === `onb:${onboardingId}:CreateAccount`,
    );
    expect(creates.map((s) => s.status)).toEqual([409, 201, 201]); // refused, created at the page, replayed by the task
    expect(vendor.store.tenantByName('Refused 本番')?.status).toBe('paid');
    expect(vendor.store.tenantByName('Taken 本番')).toBeUndefined();
  });

  it('is down past the retries: support is told, re-opens once it is back, and the paid plan is activated once', async () => {
    // Prepare
    const buyer = newBuyer('Down');
    const { onboardingId, browser } = await throughSetup(h.procedure, buyer);
    const chosen = DEMO_BUYER_USER.accounts[0]?.id ?? '';
    vendor.switches.set('activate-paid-plan', { fail: { times: 1_000 } });
    // Act
    await h.procedure.loginAndSelect(browser, DEMO_BUYER_USER.email, DEMO_BUYER_USER.password, chosen);
    await driveUntil(onboardingId, 'StageTimedOut');
    vendor.switches.delete('activate-paid-plan');
    await h.procedure.completeStage('support', onboardingId, 'StageTimedOut', 'reopen', {
      note: 'vendor is back',
    });
    const end = await h.procedure.waitForEnd(onboardingId);
    // Assess
    expect(end.status).toBe('SUCCEEDED');
    const calls = vendor.seen.filter((s) => s.key === `onb:${onboardingId}:ActivatePaidPlan`);
    expect(calls.filter((s) => s.status === 503).length).toBeGreaterThanOrEqual(7); // the call and its 6 retries
    expect(calls.filter((s) => s.status === 200)).toHaveLength(1);
    expect(vendor.store.tenant(chosen)?.status).toBe('paid');
    const path = await h.procedure.path(onboardingId);
    expect(path).toEqual(expect.arrayContaining(['ActivatePaidPlan', 'StageTimedOut', 'Completed']));
  });

  it('is slower than the timeout when listing tenants: the buyer is asked to try again, then the list works', async () => {
    // Prepare
    const buyer = newBuyer('Slow');
    const { onboardingId, browser } = await throughSetup(h.procedure, buyer);
    vendor.switches.set('list-for-user', { delayMs: 6_000 });
    const login = await browser.get(`${h.stack.urls.web}/buyer/login`);
    // Act
    const slow = await browser
      .submit(
        login,
        { action: /\/login$/ },
        { email: DEMO_BUYER_USER.email, password: DEMO_BUYER_USER.password },
      )
      .catch((e: unknown) => e);
    vendor.switches.delete('list-for-user');
    const list = await browser.get(`${h.stack.urls.web}/buyer/accounts`);
    // Assess
    expect(slow).toBeInstanceOf(HttpError);
    expect((slow as HttpError).status).toBe(503);
    expect((slow as HttpError).body).toContain('サービスに接続できません');
    expect(list.text).toContain(DEMO_BUYER_USER.accounts[1]?.name ?? '?');
    expect((await h.procedure.path(onboardingId)).at(-1)).toBe('AccountSelection');
  });
});
