/**
 * Posts that meet deal steps: a deal step's form names its instance (a malformed one is refused in the reader's
 * language); closing a completed onboarding whose deal steps wait is refused, naming them, in ja and en.
 */
import { describe, expect, it } from 'vitest';
import { Client, harness, openDealStep, seedOnboarding } from './support/harness.js';

describe('a deal-step post with a malformed instance', () => {
  it('is refused with a ja/en sentence naming the step, and completes nothing', async () => {
    // Prepare
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow, { company: 'Bad Instance KK' });
    const token = 'token-never-shown-instance';
    await openDealStep(ports, id, {
      stage: 'AdvisoryReview',
      token,
      context: { agreementId: 'agmt-advis0000000000000000009', advisoryId: 'adv-1' },
      instance: 'advisory-agmt-advis0000000000000000009-adv-1',
    });
    const support = new Client(app);
    await support.signIn('support');
    await support.get(`/console/deal/${id}`);
    const bad = `/console/onboardings/${id}/stages/AdvisoryReview?instance=${encodeURIComponent('no such/step')}`;
    // Act
    const en = await support.post(bad, { action: 'reviewed', note: 'x' });
    const ja = await support.post(`${bad}&lang=ja`, { action: 'reviewed', note: 'x' });
    // Assess
    expect(en.status).toBe(400);
    expect(en.text).toContain(
      // (the page escapes the apostrophes)
      'This form&#39;s deal step is not valid. Reload the deal view and send the step&#39;s own form.',
    );
    expect(ja.status).toBe(400);
    expect(ja.text).toContain(
      'このフォームの対応する手順が正しくありません。「契約の経過」の画面を開き直し、その手順のフォームから送ってください。',
    );
    for (const page of [en.text, ja.text]) expect(page).not.toContain('instance must');
    const steps = (await ports.tasks.list(id)).filter((t) => t.stage === 'AdvisoryReview');
    expect(steps.map((t) => t.status)).toEqual(['open']);
    expect(ports.callbacks.successes()).toEqual([]);
  });
});

describe('closing a completed onboarding whose deal steps wait', () => {
  it('is refused in ja and en, naming the steps and the deal view, and ends none of them', async () => {
    // Prepare
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow, { company: 'Close Completed KK' });
    const o = await ports.onboardings.get(id);
    if (!o) throw new Error('not seeded');
    await ports.onboardings.save({ ...o, stage: 'Completed', status: 'completed' });
    for (const own of await ports.tasks.list(id))
      await ports.tasks.finish(id, own.stage, own.taskToken, {
        status: 'completed',
        at: o.updatedAt,
        outcome: 'done',
      });
    const token = 'token-never-shown-renewal';
    await openDealStep(ports, id, {
      stage: 'Renewal',
      token,
      context: { agreementId: 'agmt-renew0000000000000000009' },
      instance: 'renewal-agmt-renew0000000000000000009',
    });
    const support = new Client(app);
    await support.signIn('support');
    await support.get(`/console/onboardings/${id}`);
    // Act
    const en = await support.post(`/console/onboardings/${id}/close`, { reason: 'customer left' });
    const ja = await support.post(`/console/onboardings/${id}/close?lang=ja`, { reason: 'customer left' });
    // Assess
    expect(en.status).toBe(409);
    expect(en.text).toContain(
      'The onboarding has completed, so it cannot be closed; the deal steps waiting (Renewal) are answered on the deal view.',
    );
    expect(ja.status).toBe(409);
    expect(ja.text).toContain('このオンボーディングは完了しているため終了できません。');
    expect(ja.text).toContain('は「契約の経過」の画面で対応してください。');
    expect(ports.callbacks.calls).toHaveLength(0);
    expect((await ports.tasks.list(id)).find((t) => t.stage === 'Renewal')?.status).toBe('open');
  });
});
