/**
 * The deal after the sale, end to end on the local stack (issue 11): a completed onboarding's agreement is amended,
 * renewed and cancelled in the marketplace simulator; its events go through the local EventBridge to the
 * marketplace-events function, and the tenant at the sample SaaS follows: plan changed to the new quantities, kept
 * across the renewal, ended when the renewed agreement is cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccountScenario, newBuyer } from '../../../local/demo/scenarios.js';
import type { SampleSaas } from '../../../local/sample-saas/server.js';
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

/** Waits until `check` holds (events travel simulator → local bus → function asynchronously). */
async function until<T>(
  what: string,
  read: () => T | undefined,
  check: (v: T | undefined) => boolean,
): Promise<T | undefined> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    await h.stack.marketplace.admin.idle(5_000);
    const v = read();
    if (check(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the deal after the sale', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('amended, renewed, then cancelled: the tenant follows each step', async () => {
    // Prepare: a 7-1 onboarding completed with its paid plan
    const buyer = newBuyer('Deal');
    const done = await newAccountScenario(h.procedure, buyer);
    const admin = h.stack.marketplace.admin;
    const agreement = admin.state().agreements.find((a) => a.acceptorAccountId === buyer.awsAccountId);
    const license = admin.state().licenses.find((l) => l.licenseArn === agreement?.licenseArn);
    const dimension = license?.entitlements[0]?.dimension ?? 'Users';
    // a copy: the sample SaaS changes its tenant objects in place
    const tenant = () => structuredClone(vendor.store.tenantByName(`${buyer.company} 本番`));
    // Act 1: more seats
    admin.amendAgreement(agreement?.agreementId ?? '', { [dimension]: 25 });
    const amended = await until('the plan change', tenant, (t) => !!t?.plan?.includes(`${dimension} 25`));
    // Act 2: the renewal (Created RENEW, then Ended RENEWED for the old agreement)
    const renewal = admin.renewAgreement(agreement?.agreementId ?? '');
    const dealPage = async () =>
      (
        await (
          await h.procedure.staff('support')
        ).get(`${h.stack.urls.web}/console/deal/${done.onboardingId}`)
      ).text;
    await until(
      'the renewal in the deal view',
      () => undefined,
      () => true,
    );
    let deal = await dealPage();
    for (let i = 0; i < 100 && !deal.includes('Paid plan kept'); i++) {
      await new Promise((r) => setTimeout(r, 300));
      deal = await dealPage();
    }
    const afterRenewal = tenant();
    // Act 3: the buyer cancels the renewed agreement
    admin.endAgreement(renewal.agreementId, 'CANCELLED');
    const ended = await until('the plan end', tenant, (t) => t?.status === 'ended');
    // Assess
    expect(done.status).toBe('SUCCEEDED');
    expect(amended?.status).toBe('paid');
    expect(afterRenewal?.status).toBe('paid');
    expect(ended?.status).toBe('ended');
    // Amended and License Updated both ask for the change, with one idempotency key: the vendor changed it once
    const changes = vendor.seen.filter((s) => s.operation === 'change-plan');
    expect(new Set(changes.map((s) => s.key)).size).toBe(1);
    expect(ended?.history.filter((e) => e.what.startsWith('plan changed'))).toHaveLength(1);
    expect(deal).toContain(renewal.agreementId);
    expect(deal).toContain('Continued by the next agreement');
    expect(deal).toContain('Plan changed');
  });
});
