/** The activity log and the deal's episodes read in the reader's language (issue 12): console, audit, CSV, deal view. */
import { describe, expect, it } from 'vitest';
import { newAgreement, withEpisode } from '../../tasks/domain/agreement.js';
import { kept, said } from '../../tasks/domain/timeline-texts.js';
import { numberedLabel } from '../../workflows/contracts/index.js';
import { Client, harness, seedOnboarding, validTerms } from './support/harness.js';

describe("timeline in the reader's language", () => {
  it('shows the console stepper, the audit timeline and its CSV in Japanese on Japanese pages, in English on English ones', async () => {
    // Prepare
    const { app, flow } = await harness();
    const id = await seedOnboarding(flow, { company: '株式会社タイムライン' });
    const sam = new Client(app);
    await sam.signIn('sales');
    await sam.get(`/console/onboardings/${id}`);
    await sam.post(`/console/onboardings/${id}/stages/Consultation`, validTerms());
    await flow.idle();
    const auditor = new Client(app);
    await auditor.signIn('auditor');

    // Act
    const consoleJa = await sam.get(`/console/onboardings/${id}?lang=ja`);
    const auditJa = await auditor.get(`/audit/onboardings/${id}?lang=ja`);
    const csvJa = await auditor.get(`/audit/onboardings/${id}/timeline.csv`);
    const auditEn = await auditor.get(`/audit/onboardings/${id}?lang=en`);
    const csvEn = await auditor.get(`/audit/onboardings/${id}/timeline.csv`);

    // Assess
    expect(consoleJa.text).toContain('株式会社タイムライン からのお問い合わせ — 購入者 taro@example.co.jp');
    expect(consoleJa.text).not.toContain('Inquiry from');
    expect(auditJa.text).toContain(
      `<div>${numberedLabel('Consultation', 'ja')}が完了しました <span class="badge">stage-completed</span>`,
    );
    expect(auditJa.text).toContain('Sam Sales（営業）');
    expect(auditJa.text).toMatch(/オファー offer-[a-z0-9]+ が公開されました/);
    expect(auditJa.text).not.toMatch(/Inquiry from|completed by|is released|sent to the buyer/);
    expect(csvJa.text).toContain(
      `,${numberedLabel('Consultation', 'ja')},Sam Sales（営業）,stage-completed,${numberedLabel('Consultation', 'ja')}が完了しました`,
    );
    expect(csvJa.text).toMatch(/を購入者に送りました/);
    expect(auditEn.text).toContain('Inquiry from 株式会社タイムライン');
    expect(auditEn.text).toContain(`${numberedLabel('Consultation', 'en')} completed`);
    expect(csvEn.text).toMatch(/sent to the buyer/);
    expect(csvEn.text).not.toMatch(/を購入者に送りました/);
  });

  it("shows the deal view's episodes in Japanese, those kept with a code and older English-only ones alike", async () => {
    // Prepare
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow, { company: 'Deal KK' });
    const older = withEpisode(
      newAgreement({ agreementId: 'agmt-lang0000000000000000001', onboardingId: id }, '2026-01-01T00:00:00Z'),
      { at: '2026-01-01T00:00:00Z', kind: 'created', summary: 'Agreement created (NEW)', eventId: 'e1' },
    );
    const both = withEpisode(older, {
      at: '2026-02-01T00:00:00Z',
      kind: 'ending',
      ...kept(said('agreement-ending', { days: 30, endTime: '2026-03-03T00:00:00Z' })),
      eventId: 'e2',
    });
    await ports.agreementRecords.save(both);
    const c = new Client(app);
    await c.signIn('auditor');

    // Act
    const ja = await c.get(`/console/deal/${id}?lang=ja`);
    const en = await c.get(`/console/deal/${id}?lang=en`);

    // Assess
    expect(ja.text).toContain('契約が作成されました（新規）');
    expect(ja.text).toContain('契約はあと 30 日で終了します（2026-03-03 00:00 UTC）');
    expect(ja.text).not.toContain('Agreement ');
    expect(en.text).toContain('Agreement created (NEW)'); // an older entry in English: as it was stored
    expect(en.text).toContain('Agreement ends in 30 days (2026-03-03 00:00 UTC)');
  });
});

describe("an ended onboarding in the reader's language", () => {
  it('says where and why it ended in Japanese, in its facts and its timeline', async () => {
    // Prepare
    const { app, flow } = await harness();
    const id = await seedOnboarding(flow);
    const support = new Client(app);
    await support.signIn('support');
    await support.get(`/console/onboardings/${id}`);
    await support.post(`/console/onboardings/${id}/close`, { reason: '重複のため' });
    await flow.idle();

    // Act
    const ja = await support.get(`/console/onboardings/${id}?lang=ja`);
    const audit = await support.get(`/audit/onboardings/${id}?lang=ja`);

    // Assess
    expect(ja.text).toMatch(
      new RegExp(
        `<dt>終了</dt><dd>[^<]*、${numberedLabel('Consultation', 'ja')}で終了: 重複のため（[a-z-]+）</dd>`,
      ),
    );
    expect(audit.text).toContain(`${numberedLabel('Consultation', 'ja')}で終了しました: 重複のため`);
    expect(ja.text).not.toMatch(/ at Consultation:/);
  });
});
