/** The deal view: every agreement of an onboarding's customer with its episodes, readable by every staff role. */
import { describe, expect, it } from 'vitest';
import { newAgreement, withEpisode } from '../../tasks/domain/agreement.js';
import { runAgreementEpisode } from '../../tasks/use-cases/deal-episodes.js';
import { Client, harness, openDealStep, seedOnboarding } from './support/harness.js';

describe('deal view', () => {
  it('shows each agreement with its episodes to an auditor, and 404 for an unknown onboarding', async () => {
    // Prepare
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow, { company: 'Deal View KK' });
    const first = withEpisode(
      newAgreement(
        { agreementId: 'agmt-first000000000000000001', onboardingId: id, tenantId: 'tnt-1' },
        '2026-01-01T00:00:00Z',
      ),
      { at: '2026-01-01T00:00:00Z', kind: 'created', summary: 'Agreement created (NEW)', eventId: 'e1' },
      { nextAgreementId: 'agmt-second00000000000000001', status: 'RENEWED' },
    );
    await ports.agreementRecords.save(first);
    const c = new Client(app);
    await c.signIn('auditor');
    // Act
    const page = await c.get(`/console/deal/${id}`);
    const missing = await c.get('/console/deal/onb-doesnotexist00');
    // Assess
    expect(page.status).toBe(200);
    expect(page.text).toContain('Deal View KK');
    expect(page.text).toContain('agmt-first000000000000000001');
    expect(page.text).toContain('Agreement created (NEW)'); // an older entry in English: as it was stored
    expect(page.text).toContain('href="#agreement-agmt-second00000000000000001"');
    expect(missing.status).toBe(404);
    const ja = await c.get(`/console/deal/${id}?lang=ja`);
    expect(ja.text).toContain('契約の経過');
    expect(ja.text).toContain('次の契約');
    expect(ja.text).toContain('契約の成立');
  });

  it('sends a visitor without a staff session to sign in', async () => {
    // Prepare
    const { app, flow } = await harness();
    const id = await seedOnboarding(flow);
    // Act
    const r = await app.request(`/console/deal/${id}`, { redirect: 'manual' });
    // Assess
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toMatch(/^\/auth\/login/);
  });
});

describe('deal steps on the console pages', () => {
  it('a Renewal waiting shows on the onboarding page (who, by when, a link to the deal view) and its form on the deal view for sales only', async () => {
    // Prepare
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow, { company: 'Renewal KK' });
    await ports.tasks.put({
      onboardingId: id,
      stage: 'Renewal',
      taskToken: 'token-never-shown-0001',
      status: 'open',
      assignee: 'sales',
      openedAt: '2026-01-01T00:00:00Z',
      dueAt: '2026-12-31T00:00:00Z',
      context: { agreementId: 'agmt-renew0000000000000000001' },
      openCount: 1,
    });
    const sales = new Client(app);
    await sales.signIn('sales');
    const auditor = new Client(app);
    await auditor.signIn('auditor');
    // Act
    const onboardingPage = await sales.get(`/console/onboardings/${id}`);
    const dealForSales = await sales.get(`/console/deal/${id}`);
    const dealForAuditor = await auditor.get(`/console/deal/${id}`);
    // Assess
    expect(onboardingPage.text).toContain('Renewal waits for sales');
    expect(onboardingPage.text).toContain('2026-12-31 00:00 UTC');
    expect(onboardingPage.text).toContain(`href="/console/deal/${id}"`);
    expect(dealForSales.text).toContain(`action="/console/onboardings/${id}/stages/Renewal"`);
    expect(dealForSales.text).toContain('agmt-renew0000000000000000001');
    expect(dealForAuditor.text).toContain('Renewal waits for sales');
    expect(dealForAuditor.text).not.toContain('/stages/Renewal"');
    for (const page of [onboardingPage, dealForSales, dealForAuditor])
      expect(page.text).not.toContain('token-never-shown-0001');
  });
});

describe('deal steps: who reads a step without its form is told why', () => {
  it('auditors read that they only read, in their language; a step the buyer answers needs no such word', async () => {
    // Prepare: sales' Renewal and the buyer's answer to a cancellation request, both waiting
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow, { company: 'Who Acts KK' });
    const step = (stage: 'Renewal' | 'CancellationAnswer', assignee: 'sales' | 'buyer', n: number) =>
      ports.tasks.put({
        onboardingId: id,
        stage,
        taskToken: `token-never-shown-01${n}`,
        status: 'open',
        assignee,
        openedAt: '2026-01-01T00:00:00Z',
        dueAt: '2026-12-31T00:00:00Z',
        context: {
          agreementId: 'agmt-whoacts000000000000000001',
          requestId: 'acr-whoacts00000000000000001',
          reasonCode: 'TEST_AGREEMENT',
        },
        openCount: 1,
      });
    await step('Renewal', 'sales', 1);
    await step('CancellationAnswer', 'buyer', 2);
    const auditor = new Client(app);
    await auditor.signIn('auditor');
    const sales = new Client(app);
    await sales.signIn('sales');
    // Act
    const ja = await auditor.get(`/console/deal/${id}?lang=ja`);
    const en = await sales.get(`/console/deal/${id}?lang=en`);
    // Assess
    const section = (text: string, stage: string) =>
      new RegExp(`<section class="card" data-deal-task="${stage}">[\\s\\S]*?</section>`).exec(text)?.[0] ??
      '';
    expect(section(ja.text, 'Renewal')).toContain(
      '<p class="muted" data-not-yours>閲覧のみ：あなたのロール（auditor）ではオンボーディングを変更できません。</p>',
    );
    expect(section(ja.text, 'CancellationAnswer')).not.toContain('data-not-yours');
    expect(section(en.text, 'Renewal')).not.toContain('data-not-yours');
    expect(section(en.text, 'CancellationAnswer')).not.toContain('data-not-yours');
    // the request and its reason in words, not AWS's code
    expect(section(en.text, 'CancellationAnswer')).toContain(
      'acr-whoacts00000000000000001 (reason: Test agreement)',
    );
    expect(section(ja.text, 'CancellationAnswer')).toContain(
      'acr-whoacts00000000000000001（理由: テスト用の契約）',
    );
  });
});

describe('deal steps on the work list', () => {
  it("a Renewal waiting is in sales' list of what waits for them, due, with its stage linking to the deal view; ended, it leaves", async () => {
    // Prepare
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow, { company: 'Renewal List KK' });
    const token = 'token-never-shown-0002';
    await openDealStep(ports, id, {
      stage: 'Renewal',
      token,
      context: { agreementId: 'agmt-renew0000000000000000002' },
    });
    const sales = new Client(app);
    await sales.signIn('sales');
    // Act
    const mine = await sales.get('/console?mine=1');
    await runAgreementEpisode(ports, {
      action: 'record-outcome',
      onboardingId: id,
      agreementId: 'agmt-renew0000000000000000002',
      stage: 'Renewal',
      decision: { action: 'not-renewing', actor: { kind: 'staff', id: 'u-sales', role: 'sales' } },
      reason: null,
    });
    const after = await sales.get('/console?mine=1');
    // Assess
    expect(mine.text).toContain('Renewal List KK');
    expect(mine.text).toContain(`href="/console/deal/${id}">Renewal</a>`);
    expect(mine.text).toContain('2026-12-31 00:00 UTC');
    // the onboarding's own Consultation still waits for sales (its own row); the Renewal's row left
    expect(after.text).not.toContain(`href="/console/deal/${id}">Renewal</a>`);
    expect(mine.text).not.toContain(token);
  });
});

describe('two deal steps of one stage at once', () => {
  it("each waiting advisory has its own form on the deal view, and support's post completes the one it names", async () => {
    // Prepare
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow, { company: 'Two Advisories KK' });
    const agreementId = 'agmt-advis0000000000000000001';
    for (const advisoryId of ['adv-1', 'adv-2']) {
      const token = `token-never-shown-${advisoryId}`;
      await openDealStep(ports, id, {
        stage: 'AdvisoryReview',
        token,
        context: { agreementId, advisoryId },
        instance: `advisory-${agreementId}-${advisoryId}`,
      });
    }
    const support = new Client(app);
    await support.signIn('support');
    const page = await support.get(`/console/deal/${id}`);
    const second = `/console/onboardings/${id}/stages/AdvisoryReview?instance=advisory-${agreementId}-adv-2`;
    // Act
    await support.post(second, { action: 'reviewed', note: 'second one' });
    // Assess
    expect(page.text).toContain(
      `action="/console/onboardings/${id}/stages/AdvisoryReview?instance=advisory-${agreementId}-adv-1"`,
    );
    expect(page.text).toContain(`action="${second}"`);
    expect(ports.callbacks.successes().map((c) => c.token)).toEqual(['token-never-shown-adv-2']);
    const tasks = (await ports.tasks.list(id)).filter((t) => t.stage === 'AdvisoryReview');
    expect(tasks.map((t) => [t.context?.advisoryId, t.status])).toEqual([
      ['adv-1', 'open'],
      ['adv-2', 'completed'],
    ]);
    expect(page.text).not.toContain('token-never-shown');
  });
});
