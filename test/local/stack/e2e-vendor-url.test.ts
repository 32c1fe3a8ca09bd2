/**
 * `npm start -- --vendor-url <url>`: the local stack calls the vendor's own provisioning API (here a sample SaaS
 * started apart, as a vendor's receiver in development would run), signed with the secret the local Secrets Manager
 * generated, and 7-1 provisions the tenant there; the sign-in stays built-in.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccountScenario, newBuyer } from '../../../local/demo/scenarios.js';
import { sampleSaas } from '../sample-saas/support.js';
import { E2E_TEST_TIMEOUT_MS, type StackHarness, startTestStack } from './harness.js';

let h: StackHarness;
let vendor: Awaited<ReturnType<typeof sampleSaas>>;
beforeAll(async () => {
  vendor = await sampleSaas();
  h = await startTestStack({}, { vendorUrl: vendor.saas.provisioningUrl });
  // the vendor configures its receiver with the secret the stack generated (in AWS: the ProvisioningSecretArn output)
  const kept = JSON.parse(readFileSync(path.join(h.dataDir, 'secrets', 'secrets.json'), 'utf8')) as Record<
    string,
    { value: string }
  >;
  const signing = Object.entries(kept).find(([arn]) => arn.includes('ProvisioningSigningSecret'))?.[1].value;
  if (!signing) throw new Error('no signing secret kept by the local Secrets Manager');
  vendor.rotate(signing);
}, 180_000);
afterAll(async () => {
  await h?.close();
  await vendor?.saas.close();
});

describe('--vendor-url', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it("7-1 creates the tenant at the vendor's own API, which sees signed requests and activates the paid plan", async () => {
    // Prepare
    const buyer = newBuyer('VendorUrl');
    // Act
    const result = await newAccountScenario(h.procedure, buyer);
    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(vendor.saas.store.tenantByName(`${buyer.company} 本番`)).toMatchObject({ status: 'paid' });
    expect(vendor.saas.seen.every((s) => s.status !== 401)).toBe(true);
    expect(vendor.invitations.map((i) => i.email)).toEqual([buyer.email]);
    expect(h.stack.urls.saas).toBeUndefined();
  });
});
