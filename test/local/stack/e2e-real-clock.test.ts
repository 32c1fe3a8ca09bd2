/**
 * The local stack on the runtime's real clock (the other stack tests drive theirs): a human stage that times out
 * after 4 real seconds, with its offer published through real polling Waits on the way. Support is told by e-mail
 * and closes the onboarding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBuyer, throughSetup } from '../../../local/demo/scenarios.js';
import { E2E_TEST_TIMEOUT_MS, type StackHarness, startTestStack, supportMailAbout } from './harness.js';

let h: StackHarness;
beforeAll(async () => {
  h = await startTestStack({ stageTimeoutSeconds: { Registration: 4 } }, { clock: 'real' });
}, 180_000);
afterAll(async () => {
  await h?.close();
});

describe('a human stage that times out on the real clock', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('tells support, who closes it; the end carries the reason', async () => {
    // Prepare
    const { onboardingId } = await throughSetup(h.procedure, newBuyer('TimeoutClose'));

    // Act: the buyer leaves the registration page alone; Registration times out after 4 s
    await h.procedure.waitForStage(onboardingId, 'StageTimedOut', 30_000);
    const mail = await supportMailAbout(h.stack.urls.ses, onboardingId);
    await h.procedure.completeStage('support', onboardingId, 'StageTimedOut', 'close', {
      reason: 'No answer from the buyer after two reminders',
    });
    const end = await h.procedure.waitForEnd(onboardingId);

    // Assess
    expect(h.stack.clock).toBeUndefined();
    expect(mail).toContain('/console/onboardings/');
    expect(end.status).toBe('FAILED');
    expect(end.error).toBe('Onboarding.Closed');
    expect(end.cause).toContain('No answer from the buyer');
    const path = await h.procedure.path(onboardingId);
    expect(path.filter((s) => s === 'WaitForOffer').length).toBeGreaterThan(0);
  });
});
