/**
 * A human stage that times out on the real local stack: support is told by e-mail and re-opens the stage or closes
 * the onboarding from the console. The stack runs with a 4-second Registration timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../local/demo/procedure.js';
import { newBuyer, throughSetup } from '../../../local/demo/scenarios.js';
import { E2E_TEST_TIMEOUT_MS, type StackHarness, startTestStack } from './harness.js';

let h: StackHarness;
beforeAll(async () => {
  h = await startTestStack({ stageTimeoutSeconds: { Registration: 4 } });
}, 180_000);
afterAll(async () => {
  await h?.close();
});

async function supportMailAbout(onboardingId: string): Promise<string> {
  return eventually(`a support e-mail about ${onboardingId} timing out`, async () => {
    const store = (await (await fetch(`${h.stack.urls.ses}/store`)).json()) as {
      emails: { destination: { to: string[] }; subject: string; body: { text?: string } }[];
    };
    const mail = store.emails.find(
      (m) =>
        m.subject.includes(onboardingId) &&
        /StageTimedOut|期限切れ|timed out/i.test(`${m.subject} ${m.body.text}`),
    );
    return mail ? `${mail.subject}\n${mail.body.text ?? ''}` : undefined;
  });
}

describe('a human stage that times out', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('tells support, who re-opens it; the buyer then finishes and the onboarding succeeds', async () => {
    const buyer = newBuyer('Timeout');
    const { onboardingId, browser } = await throughSetup(h.procedure, buyer);
    // The buyer leaves the registration page alone: Registration times out after 4 s.
    await h.procedure.waitForStage(onboardingId, 'StageTimedOut', 30_000);
    const mail = await supportMailAbout(onboardingId);
    expect(mail).toContain('/console/onboardings/');
    await h.procedure.completeStage('support', onboardingId, 'StageTimedOut', 'reopen', {
      note: 'Buyer asked for more time',
    });
    await h.procedure.waitForStage(onboardingId, 'Registration');
    const form = await browser.get(`${h.stack.urls.web}/buyer/register`);
    await h.procedure.registerNew(browser, form, 'Timeout 本番', buyer.email);
    expect((await h.procedure.waitForEnd(onboardingId)).status).toBe('SUCCEEDED');
    const path = await h.procedure.path(onboardingId);
    expect(path.filter((s) => s === 'Registration')).toHaveLength(2);
    expect(path).toContain('StageTimedOut');
  });

  it('tells support, who closes it; the end carries the reason', async () => {
    const { onboardingId } = await throughSetup(h.procedure, newBuyer('TimeoutClose'));
    await h.procedure.waitForStage(onboardingId, 'StageTimedOut', 30_000);
    await h.procedure.completeStage('support', onboardingId, 'StageTimedOut', 'close', {
      reason: 'No answer from the buyer after two reminders',
    });
    const end = await h.procedure.waitForEnd(onboardingId);
    expect(end.status).toBe('FAILED');
    expect(end.error).toBe('Onboarding.Closed');
    expect(end.cause).toContain('No answer from the buyer');
  });
});
