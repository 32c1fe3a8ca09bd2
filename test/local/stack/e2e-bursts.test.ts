/**
 * Bursts of one marketplace token (issue 10 item 2): 16 browsers post the same `x-amzn-marketplace-token` at once, as
 * a buyer double-clicking in several tabs or a retrying proxy would. On the real local stack (DynamoDB on dynalite,
 * optimistic versions): no 5xx, every answer sends the buyer on to their page, and the workflow moves once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBuyer, postMarketplaceToken, subscribedToken } from '../../../local/demo/scenarios.js';
import { E2E_TEST_TIMEOUT_MS, type StackHarness, startTestStack } from './harness.js';

let h: StackHarness;
beforeAll(async () => {
  h = await startTestStack();
}, 180_000);
afterAll(async () => {
  await h?.close();
});

const BURST = 16;

describe('a burst of one marketplace token', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it(`${BURST} posts at once: no 5xx, each sent on to registration, AccountSetup completed once`, async () => {
    // Prepare
    const { onboardingId, token } = await subscribedToken(h.procedure, newBuyer('Burst'));
    // Act
    const answers = await Promise.all(
      Array.from({ length: BURST }, () =>
        postMarketplaceToken(h.stack.urls.web, token, h.stack.urls.marketplace),
      ),
    );
    await h.procedure.waitForStage(onboardingId, 'Registration');
    // Assess
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(answers.map((a) => a.status)).toEqual(Array(BURST).fill(303));
    for (const a of answers) expect(a.location).toMatch(/^\/buyer\/register\?lang=ja$/);
    const path = await h.procedure.path(onboardingId);
    expect(path.filter((s) => s === 'AccountSetup')).toHaveLength(1);
    expect(path.filter((s) => s === 'Registration')).toHaveLength(1);
  });
});
