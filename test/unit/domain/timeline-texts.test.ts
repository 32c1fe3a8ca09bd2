import { describe, expect, it } from 'vitest';
import { AGREEMENT_INTENT_WORDS, AGREEMENT_STATUS_WORDS } from '../../../tasks/domain/agreement-words.js';
import { entry, entryText, timelineCsv } from '../../../tasks/domain/timeline.js';
import {
  kept,
  readable,
  readLegacy,
  type Said,
  said,
  say,
  TIMELINE_TEXTS,
} from '../../../tasks/domain/timeline-texts.js';
import { numberedLabel } from '../../../workflows/contracts/index.js';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
/** Parameters that answer any name with a placeholder naming it: every sentence can be rendered without knowing its keys. */
const anyParams = new Proxy({} as Record<string, string>, {
  get: (_, key) => (typeof key === 'string' ? `‹${key}›` : undefined),
});
const SAM = { kind: 'staff', id: 'sam', role: 'sales', name: 'Sam Sales' } as const;

describe('timeline and episode texts: one catalogue, ja and en', () => {
  it('has every code in both languages: the Japanese is Japanese, no placeholder left unfilled', () => {
    // Prepare
    const codes = Object.keys(TIMELINE_TEXTS);

    // Act
    const rendered = codes.map((code) => {
      const text: Said = { code, params: anyParams };
      return { code, ja: say(text, 'ja') ?? '', en: say(text, 'en') ?? '' };
    });

    // Assess
    expect(codes.length).toBeGreaterThan(30);
    const problems = rendered.filter(
      (r) =>
        r.ja.trim() === '' ||
        r.en.trim() === '' ||
        !JAPANESE.test(r.ja) ||
        r.ja === r.en ||
        /undefined|\$\{/.test(r.ja + r.en),
    );
    expect(problems).toEqual([]);
  });

  it('keeps the code and parameters with an entry, its English as the stored summary, and reads it in either language', () => {
    // Prepare
    const text = said('stage-completed', { stage: 'Consultation' });

    // Act
    const e = entry('onb-abcdefghij', '2025-03-01T09:00:00Z', SAM, 'Consultation', 'stage-completed', text);

    // Assess
    expect(e.text).toEqual({ code: 'stage-completed', params: { stage: 'Consultation' } });
    expect(e.summary).toBe(`${numberedLabel('Consultation', 'en')} completed`);
    expect(entryText(e, 'ja')).toBe(`${numberedLabel('Consultation', 'ja')}が完了しました`);
    expect(entryText(e, 'en')).toBe(e.summary);
  });

  it('leaves out parameters not given (optional ones) and says an unknown code in its stored English', () => {
    // Prepare
    const created = said('agreement-created', { intent: 'NEW', previous: undefined });
    const unknown = {
      summary: 'Something a newer version wrote',
      text: { code: 'from-the-future', params: {} },
    };

    // Act
    const stored = kept(created);

    // Assess
    expect(stored.text.params).toEqual({ intent: 'NEW' });
    expect(stored.summary).toBe('Agreement created (new)');
    expect(say(created, 'ja')).toBe('契約が作成されました（新規）');
    expect(readable(unknown, 'x', 'ja')).toBe('Something a newer version wrote');
  });

  it('reads older entries that have only their English sentence: in Japanese when recognised, as stored otherwise', () => {
    // Prepare: sentences as earlier versions stored them, by action (timeline) or kind (episodes)
    const old: [string, string, string][] = [
      ['inquiry-recorded', 'Inquiry from 株式会社サンプル', '株式会社サンプル からのお問い合わせ'],
      [
        'stage-completed',
        'Consultation completed by staff sam',
        `${numberedLabel('Consultation', 'ja')}が完了しました`,
      ],
      [
        'stage-opened',
        'Consultation waiting for sales',
        `${numberedLabel('Consultation', 'ja')}: 営業の対応待ち`,
      ],
      [
        'offer-notified',
        'Offer offer-abc123 (api) sent to the buyer',
        'オファー offer-abc123（API で作成）を購入者に送りました',
      ],
      [
        'closed',
        'Closed at OfferFailed: no budget',
        `${numberedLabel('OfferFailed', 'ja')}で終了しました: no budget`,
      ],
      [
        'signal-agreement-created',
        'Marketplace: agreement-created',
        'マーケットプレイスからの通知: agreement-created',
      ],
      ['completed', 'Onboarding completed', 'オンボーディングが完了しました'],
      ['created', 'Agreement created (RENEW of agmt-1)', '契約が作成されました（更新、agmt-1 から）'],
      [
        'ending',
        'Agreement ends in 30 days (2026-01-31 00:00 UTC)',
        '契約はあと 30 日で終了します（2026-01-31 00:00 UTC）',
      ],
      [
        'late',
        'Agreement amended: arrived after the agreement ended, nothing changed',
        '契約が変更されました: 契約の終了後に届いたため、何も変更していません',
      ],
      ['plan-kept', 'The paid plan continues under agmt-2', '有料プランは agmt-2 で続きます'],
    ];

    // Act
    const ja = old.map(([key, summary]) => readable({ summary }, key, 'ja'));
    const en = old.map(([key, summary]) => readable({ summary }, key, 'en'));
    const unrecognised = readable({ summary: 'Hand-written note' }, 'stage-completed', 'ja');

    // Assess
    expect(ja).toEqual(old.map(([, , expected]) => expected));
    expect(en).toEqual(old.map(([, summary]) => summary));
    expect(unrecognised).toBe('Hand-written note');
    expect(readLegacy('nothing-like-it', 'Inquiry from X')).toBeUndefined();
  });

  it("exports the readable timeline in the reader's language: stage label, actor and summary", () => {
    // Prepare
    const entries = [
      entry(
        'onb-abcdefghij',
        '2025-03-01T09:00:00Z',
        SAM,
        'Consultation',
        'stage-completed',
        said('stage-completed', { stage: 'Consultation' }),
      ),
      {
        ...entry(
          'onb-abcdefghij',
          '2025-03-01T09:01:00Z',
          { kind: 'system', id: 'record-inquiry' } as const,
          'Inquiry',
          'inquiry-recorded',
          'Inquiry from Old KK',
        ),
      },
    ];

    // Act
    const csv = timelineCsv(entries, { locale: 'ja' });

    // Assess
    const lines = csv.split('\r\n');
    expect(lines[1]).toBe(
      `2025-03-01T09:00:00Z,${numberedLabel('Consultation', 'ja')},Sam Sales（営業）,stage-completed,${numberedLabel('Consultation', 'ja')}が完了しました`,
    );
    expect(lines[2]).toBe(
      `2025-03-01T09:01:00Z,${numberedLabel('Inquiry', 'ja')},システム（record-inquiry）,inquiry-recorded,Old KK からのお問い合わせ`,
    );
  });

  it("says an agreement's status and intent in words, never AWS's code, in both languages", () => {
    // Prepare
    const texts = [
      ...Object.keys(AGREEMENT_INTENT_WORDS).map((intent) => ({
        code: intent,
        text: said('agreement-created', { intent }),
      })),
      ...Object.keys(AGREEMENT_INTENT_WORDS).map((intent) => ({
        code: intent,
        text: said('continued-by', { next: 'agmt-2', intent }),
      })),
      ...Object.keys(AGREEMENT_STATUS_WORDS).map((status) => ({
        code: status,
        text: said('agreement-ended', { status }),
      })),
    ];

    // Act
    const read = texts.map(({ code, text }) => ({ code, ja: say(text, 'ja'), en: say(text, 'en') }));

    // Assess
    for (const { code, ja, en } of read) {
      expect(ja, code).not.toContain(code);
      expect(en, code).not.toContain(code);
    }
    expect(read[0]).toMatchObject({ ja: '契約が作成されました（新規）', en: 'Agreement created (new)' });
    expect(say(said('plan-continues', {}), 'ja')).toBe('有料プランは次の契約で続きます');
  });
});
