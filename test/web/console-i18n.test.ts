import { describe, expect, it } from 'vitest';
import { CONSOLE_WORDS } from '../../web/console/words.js';
import { numberedLabel } from '../../workflows/contracts/index.js';
import { Client, harness, offered, seedOnboarding, validTerms } from './support/harness.js';

describe('console words', () => {
  it('has every word in English and Japanese, none empty, the Japanese not left in English', () => {
    // Prepare
    const en = Object.entries(CONSOLE_WORDS.en);
    const ja = CONSOLE_WORDS.ja as Record<string, unknown>;

    // Act
    const missing = en.filter(([k]) => !(k in ja)).map(([k]) => k);
    const empty = Object.entries(ja).filter(([, v]) => typeof v === 'string' && v.trim() === '');
    // the same text in both is a forgotten translation, but for the switch link (each names the other language)
    const untranslated = en.filter(([k, v]) => typeof v === 'string' && ja[k] === v).map(([k]) => k);

    // Assess
    expect(missing).toEqual([]);
    expect(Object.keys(ja).sort()).toEqual(en.map(([k]) => k).sort());
    expect(empty).toEqual([]);
    expect(untranslated).toEqual([]);
  });
});

describe('console in Japanese and English', () => {
  it('switches the list, an onboarding and the audit view to Japanese and back, remembering the choice', async () => {
    // Prepare
    const h = await harness();
    const id = await seedOnboarding(h.flow, { company: '株式会社サンプル' });
    const c = new Client(h.app);
    await c.signIn('sales');

    // Act
    const english = await c.get('/console');
    const list = await c.get('/console?lang=ja');
    const detail = await c.get(`/console/onboardings/${id}`);
    const fragment = await c.get('/console/list?mine=1');
    const audit = await c.get('/audit');
    const history = await c.get(`/audit/onboardings/${id}`);
    const back = await c.get('/console?mine=1&lang=en');

    // Assess
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain('href="/console?lang=ja" hreflang="ja" lang="ja">日本語</a>');
    expect(list.text).toContain('<html lang="ja">');
    expect(list.text).toContain('<h1>オンボーディング一覧</h1>');
    expect(list.text).toContain('自分の対応待ち <span class="count">1</span>');
    expect(list.text).toContain(`${numberedLabel('Consultation', 'ja')} <span class="count">1</span>`);
    expect(list.text).toContain('<th>受付番号</th>');
    expect(list.text).toContain('>サインアウト</button>');
    expect(list.text).toContain('href="/console?lang=en" hreflang="en" lang="en">English</a>');
    expect(detail.text).toContain('<html lang="ja">');
    expect(detail.text).toContain('<h2>段階</h2>');
    expect(detail.text).toContain(`<a href="/console/deal/${id}">契約の経過</a>`);
    expect(detail.text).toContain(`<span>${numberedLabel('Inquiry', 'ja')}</span>`);
    expect(detail.text).toContain('営業の対応待ち');
    expect(fragment.text).toContain('<td data-label="対応者">営業</td>');
    expect(audit.text).toContain('オンボーディングの履歴を探す');
    expect(history.text).toContain('<h2>誰が何をしたか</h2>');
    expect(history.text).toContain('<h1>株式会社サンプル の履歴</h1>');
    expect(back.text).toContain('<html lang="en">');
    expect(back.text).toContain('Waiting for me <span class="count">1</span>');
  });

  it('shows the stage forms, their field messages, the notices and the confirmation in Japanese', async () => {
    // Prepare
    const h = await harness();
    const id = await seedOnboarding(h.flow);
    const c = new Client(h.app);
    await c.signIn('sales');

    // Act
    const page = await c.get(`/console/onboardings/${id}?lang=ja`);
    const refused = await c.post(`/console/onboardings/${id}/stages/Consultation`, validTerms({ plan: '' }));
    await c.get(`/console/onboardings/${id}`);
    await c.post(`/console/onboardings/${id}/stages/Consultation`, validTerms());
    const done = await c.follow();

    // Assess
    expect(page.text).toContain('<h3>合意した契約内容（手順 2：契約内容の相談）</h3>');
    expect(page.text).toContain('>合意した契約内容を記録する</button>');
    expect(page.text).toContain('<label for="f-terms-plan">プラン</label>');
    expect(page.text).toMatch(/「2 契約内容の相談」は営業の対応待ちです/);
    expect(refused.status).toBe(400);
    const message = /id="f-terms-plan-err">([^<]+)</.exec(refused.text)?.[1] ?? '';
    expect(message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    expect(message).not.toMatch(/required|must/);
    expect(done.text).toContain('合意した契約内容を記録しました。');
  });

  it("shows an offer's deadline in UTC and as the buyer's mail states it in the buyer's time zone", async () => {
    // Prepare: a Japanese buyer, the offer expiring at the end of 2025-06-30 UTC
    const h = await harness();
    const id = await offered(h.flow);
    const c = new Client(h.app);
    await c.signIn('sales');

    // Act
    const page = await c.get(`/console/onboardings/${id}?lang=en`);

    // Assess
    expect(page.text).toMatch(
      /expires 2025-06-30 23:59 UTC; the buyer&#39;s mail says 2025年6月30日 23:59 UTC（日本標準時では 2025年7月1日 8:59）/,
    );
  });

  it("refuses an auditor's change in the auditor's language, with a way back", async () => {
    // Prepare
    const h = await harness();
    const id = await seedOnboarding(h.flow);
    const auditor = new Client(h.app);
    await auditor.signIn('auditor');
    await auditor.get(`/console/onboardings/${id}?lang=ja`);

    // Act
    const refused = await auditor.post(`/console/onboardings/${id}/close`, { reason: 'x' });

    // Assess
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('<html lang="ja">');
    expect(refused.text).toContain(
      'あなたのロール（auditor）は閲覧のみで、オンボーディングを変更できません。',
    );
    expect(refused.text).toContain('<a href="/console">« オンボーディング一覧</a>');
  });
});
