import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { FIELD_LABELS, fieldLabel, fieldMessage, fieldOf } from '../../tasks/domain/field-messages.js';
import { type IssueKind, issuesOf } from '../../tasks/domain/validation.js';
import { NewPassword } from '../../tasks/use-cases/invitations.js';
import { issuesToErrors } from '../../web/forms/errors.js';
import {
  AccountSelectionChoice,
  AgreedTerms,
  CloseRequest,
  Inquiry,
  NewAccountFields,
  OfferExpiredDecision,
  OfferFailureDecision,
  PriceDimension,
  TimedOutDecision,
} from '../../workflows/contracts/index.js';

const WEB = path.resolve(__dirname, '../../web');
const LOCALES = ['ja', 'en'] as const;
const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });

/** The names of the fields the web forms show (field, select, textarea), `${i}` rows as 0. */
function formFieldNames(): string[] {
  const names = new Set<string>();
  for (const file of sources(WEB)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(?:field|select|textarea)\(\{[\s\S]{0,300}?\bname: ['`]([^'`]+)['`]/g)) {
      names.add(fieldOf((m[1] as string).replace(/\$\{[^}]*\}/g, '0')));
    }
  }
  return [...names];
}

/** The keys a person fills in of the contracts the forms submit (not who acted nor which action). */
function contractFieldNames(): string[] {
  const objects: z.ZodObject[] = [
    Inquiry,
    AgreedTerms as unknown as z.ZodObject,
    PriceDimension,
    CloseRequest,
    NewAccountFields,
    AccountSelectionChoice,
    NewPassword as unknown as z.ZodObject,
    ...(OfferFailureDecision.options as unknown as z.ZodObject[]),
    ...(OfferExpiredDecision.options as unknown as z.ZodObject[]),
    ...(TimedOutDecision.options as unknown as z.ZodObject[]),
  ];
  return objects.flatMap((o) => Object.keys(o.shape)).filter((k) => k !== 'actor' && k !== 'terms');
}

describe('the message catalogue', () => {
  it('has a label in Japanese and English for every field of every form and contract', () => {
    // Prepare
    const fields = [...new Set([...formFieldNames(), ...contractFieldNames()])];

    // Act
    const missing = fields.flatMap((name) =>
      LOCALES.filter((l) => !fieldLabel(l, name)).map((l) => `${name} (${l})`),
    );

    // Assess
    expect(fields.length).toBeGreaterThan(25); // the scan found the forms (else this proves nothing)
    expect(fields).toEqual(expect.arrayContaining(['company', 'awsAccountId', 'password', 'offerExpiresAt']));
    expect(missing).toEqual([]);
  });

  it('labels Japanese in Japanese and English without Japanese', () => {
    // Act
    const wrong = Object.entries(FIELD_LABELS).filter(
      ([, l]) => !JAPANESE.test(l.ja) || JAPANESE.test(l.en) || l.en.trim() === '',
    );

    // Assess
    expect(wrong).toEqual([]);
  });

  it('says every kind of issue as a sentence naming the label, in both languages', () => {
    // Prepare
    const kinds: IssueKind[] = [
      'required',
      'too_long',
      'too_short',
      'too_small',
      'too_big',
      'too_few',
      'too_many',
      'format',
      'one_of',
      'not_future',
      'mismatch',
      'order',
      'invalid',
    ];

    // Act
    const said = kinds.flatMap((kind) =>
      LOCALES.map((locale) => ({
        locale,
        kind,
        text: fieldMessage(locale, { path: 'offerName', message: 'offerName is wrong', kind, limit: 7 }),
      })),
    );

    // Assess
    for (const { locale, kind, text } of said) {
      expect(text, `${kind} ${locale}`).toContain(FIELD_LABELS.offerName[locale]);
      expect(text, `${kind} ${locale}`).not.toContain('offerName');
      expect(text, `${kind} ${locale}`).toMatch(locale === 'ja' ? /。$/ : /\.$/);
      expect(JAPANESE.test(text), `${kind} ${locale}`).toBe(locale === 'ja');
    }
  });
});

describe('form errors from the contracts', () => {
  const inquiryIssues = () => {
    const parsed = Inquiry.safeParse({
      company: '  ',
      contactName: '',
      email: 'not-an-email',
      awsAccountId: '12345',
      plan: '',
    });
    return issuesOf(parsed.error as z.ZodError);
  };

  it('are Japanese sentences on Japanese pages, without the contract words', () => {
    // Act
    const errors = issuesToErrors(inquiryIssues(), { locale: 'ja' });

    // Assess
    expect(errors).toEqual({
      company: '会社名を入力してください。',
      contactName: 'ご担当者名を入力してください。',
      email: 'メールアドレスの形式が正しくありません（例: name@example.com）。',
      awsAccountId: 'AWS アカウント IDは12桁の数字で入力してください（例: 1234-5678-9012）。',
      plan: 'プランを選択してください。',
    });
  });

  it('are English sentences on English pages', () => {
    // Act
    const errors = issuesToErrors(inquiryIssues(), { locale: 'en' });

    // Assess
    expect(errors.contactName).toBe('Contact name is required.');
    expect(errors.awsAccountId).toBe('AWS account ID must be 12 digits, e.g. 1234-5678-9012.');
  });

  it('read "required" for a blank field whatever rule it failed first (an empty date, an empty id)', () => {
    // Prepare
    const terms = AgreedTerms.safeParse({ offerExpiresAt: '', plan: 'Pro' });
    const issues = issuesOf(terms.error as z.ZodError);

    // Act
    const withValues = issuesToErrors(issues, { locale: 'en', values: { offerExpiresAt: '' } });
    const typed = issuesToErrors(issues, { locale: 'en', values: { offerExpiresAt: 'tomorrow' } });

    // Assess
    expect(withValues.offerExpiresAt).toBe('Offer expiry is required.');
    expect(typed.offerExpiresAt).toBe('Offer expiry must be a date and time.');
  });

  it("say the Japanese login page's missing password in Japanese", () => {
    // Prepare
    const issues = [{ path: 'password', message: 'password is required', kind: 'required' as const }];

    // Act
    const errors = issuesToErrors(issues, { locale: 'ja', values: { password: '' } });

    // Assess
    expect(errors.password).toBe('パスワードを入力してください。');
  });

  it('word the issues use cases make by hand (future expiry, date order, passwords)', () => {
    // Prepare
    const mismatch = NewPassword.safeParse({ password: 'long-enough-1', confirm: 'other' });

    // Act
    const errors = issuesToErrors(
      [
        { path: 'terms.offerExpiresAt', message: 'offerExpiresAt must be in the future' },
        { path: 'from', message: 'from must not be after to' },
        ...issuesOf(mismatch.error as z.ZodError),
      ],
      { locale: 'ja', stripPrefix: 'terms' },
    );

    // Assess
    expect(errors).toEqual({
      offerExpiresAt: 'オファーの有効期限には今より後の日時を指定してください。',
      from: '開始日は終了日より後にはできません。',
      confirm: '確認用のパスワードが一致しません。もう一度入力してください。',
    });
  });
});
