/**
 * The message catalogue for field errors (pure): every message a person reads about a field is a sentence in their
 * language naming the field's label. The contracts' own (English, developer) messages are never shown; the kind of
 * issue (validation.ts: required, too long, format, …) and the field name pick the sentence. Below web/ and cli/,
 * so both say the same thing.
 */
import type { Locale } from '../../workflows/contracts/index.js';
import type { FieldIssue, IssueKind } from './validation.js';

interface Label {
  readonly ja: string;
  readonly en: string;
  /** Chosen from a list rather than typed (Japanese says 選択 rather than 入力). */
  readonly choice?: true;
}

/**
 * The label of every field a person fills in, on any form (inquiry, buyer pages, set-password, console stage forms,
 * audit, staff sign-in), by the name the contracts and the forms give it. A dotted path (`dimensions.0.price`) is
 * labelled by its last name (`price`).
 */
export const FIELD_LABELS = {
  company: { ja: '会社名', en: 'Company' },
  contactName: { ja: 'ご担当者名', en: 'Contact name' },
  email: { ja: 'メールアドレス', en: 'E-mail address' },
  awsAccountId: { ja: 'AWS アカウント ID', en: 'AWS account ID' },
  customerAwsAccountId: { ja: 'AWS アカウント ID', en: 'AWS account ID' },
  plan: { ja: 'プラン', en: 'Plan', choice: true },
  message: { ja: 'ご相談内容', en: 'Message' },
  locale: { ja: '言語', en: 'Language', choice: true },
  timeZone: { ja: 'タイムゾーン', en: 'Time zone' },
  accountName: { ja: 'アカウント名', en: 'Account name' },
  accountId: { ja: 'アカウント', en: 'Account', choice: true },
  userId: { ja: 'ユーザー', en: 'User' },
  username: { ja: 'ユーザー名', en: 'User name' },
  password: { ja: 'パスワード', en: 'Password' },
  confirm: { ja: '確認用のパスワード', en: 'Password confirmation' },
  offerName: { ja: 'オファー名', en: 'Offer name' },
  offerDescription: { ja: 'オファーの説明', en: 'Offer description' },
  currency: { ja: '通貨', en: 'Currency', choice: true },
  durationMonths: { ja: '契約期間（月数）', en: 'Contract duration (months)' },
  dimensions: { ja: '価格のディメンション', en: 'Price dimensions' },
  key: { ja: 'ディメンションのキー', en: 'Dimension key' },
  price: { ja: '単価', en: 'Price' },
  offerExpiresAt: { ja: 'オファーの有効期限', en: 'Offer expiry' },
  eulaUrl: { ja: 'EULA の URL', en: 'EULA URL' },
  offerCreation: { ja: 'オファーの作成方法', en: 'Offer creation', choice: true },
  manualOfferId: { ja: '手動で作成したオファーの ID', en: 'Offer ID of the offer made by hand' },
  offerId: { ja: 'オファー ID', en: 'Offer ID' },
  notes: { ja: 'メモ', en: 'Notes' },
  note: { ja: 'メモ', en: 'Note' },
  reason: { ja: '理由', en: 'Reason' },
  reasonCode: { ja: '理由', en: 'Reason', choice: true },
  onboardingId: { ja: '受付番号', en: 'Reference' },
  id: { ja: '受付番号', en: 'Reference' },
  q: { ja: '検索語', en: 'Search' },
  from: { ja: '開始日', en: 'From' },
  to: { ja: '終了日', en: 'To' },
  format: { ja: '形式', en: 'Format', choice: true },
  action: { ja: '操作', en: 'Action', choice: true },
  stage: { ja: '段階', en: 'Stage', choice: true },
  /** A deal step's instance: named by the deal view's form address, not typed (complete-human-stage). */
  instance: { ja: '対応する手順', en: 'Deal step', choice: true },
} as const satisfies Record<string, Label>;

export type FieldName = keyof typeof FIELD_LABELS;

/** The field a (dotted) path names: its last segment that is not an index. */
export function fieldOf(path: string): string {
  const names = path.split('.').filter((s) => s !== '' && !/^\d+$/.test(s));
  return names.at(-1) ?? '';
}

const isField = (name: string): name is FieldName => Object.hasOwn(FIELD_LABELS, name);

export function fieldLabel(locale: Locale, path: string): string | undefined {
  const name = fieldOf(path);
  return isField(name) ? FIELD_LABELS[name][locale] : undefined;
}

type Sentence = (label: string, limit: string) => string;
type Sentences = Record<Locale, Sentence>;

const both = (ja: Sentence, en: Sentence): Sentences => ({ ja, en });

/** Sentences by kind of issue. */
const BY_KIND: Record<Exclude<IssueKind, 'format'>, Sentences> & { requiredChoice: Sentences } = {
  required: both(
    (l) => `${l}を入力してください。`,
    (l) => `${l} is required.`,
  ),
  requiredChoice: both(
    (l) => `${l}を選択してください。`,
    (l) => `${l} is required: choose one.`,
  ),
  too_long: both(
    (l, n) => `${l}は${n}文字以内で入力してください。`,
    (l, n) => `${l} must be at most ${n} characters.`,
  ),
  too_short: both(
    (l, n) => `${l}は${n}文字以上で入力してください。`,
    (l, n) => `${l} must be at least ${n} characters.`,
  ),
  too_small: both(
    (l, n) => `${l}は${n}以上にしてください。`,
    (l, n) => `${l} must be at least ${n}.`,
  ),
  too_big: both(
    (l, n) => `${l}は${n}以下にしてください。`,
    (l, n) => `${l} must be at most ${n}.`,
  ),
  too_few: both(
    (l, n) => `${l}を${n}件以上入力してください。`,
    (l, n) => `${l} needs at least ${n} entries.`,
  ),
  too_many: both(
    (l, n) => `${l}は${n}件までです。`,
    (l, n) => `${l} takes at most ${n} entries.`,
  ),
  one_of: both(
    (l) => `${l}は選択肢から選んでください。`,
    (l) => `${l} must be one of the options offered.`,
  ),
  not_future: both(
    (l) => `${l}には今より後の日時を指定してください。`,
    (l) => `${l} must be in the future.`,
  ),
  not_after: both(
    (l, d) => `${l}には現在の有効期限（${d}）より後の日付を指定してください。`,
    (l, d) => `${l} must be after the current expiry (${d}).`,
  ),
  too_late: both(
    (l, d) => `${l}には${d}までの日付を指定してください。`,
    (l, d) => `${l} must be on or before ${d}.`,
  ),
  mismatch: both(
    (l) => `${l}が一致しません。もう一度入力してください。`,
    (l) => `${l} does not match. Please type it again.`,
  ),
  order: both(
    (l) => `${l}は終了日より後にはできません。`,
    (l) => `${l} must not be after the end date.`,
  ),
  invalid: both(
    (l) => `${l}の内容を確認してください。`,
    (l) => `${l} is not valid. Please check it.`,
  ),
};

/** Sentences for a value in the wrong form: by field (patterns the contracts check), then by format. */
const FORMAT_BY_FIELD: Partial<Record<FieldName, Sentences>> = {
  awsAccountId: both(
    (l) => `${l}は12桁の数字で入力してください（例: 1234-5678-9012）。`,
    (l) => `${l} must be 12 digits, e.g. 1234-5678-9012.`,
  ),
  customerAwsAccountId: both(
    (l) => `${l}は12桁の数字で入力してください（例: 1234-5678-9012）。`,
    (l) => `${l} must be 12 digits, e.g. 1234-5678-9012.`,
  ),
  onboardingId: both(
    (l) => `${l}は onb- で始まる英小文字と数字です（例: onb-abcdefghij）。`,
    (l) => `${l} must look like onb-abcdefghij (onb- then lowercase letters and digits).`,
  ),
  id: both(
    (l) => `${l}は onb- で始まる英小文字と数字です（例: onb-abcdefghij）。`,
    (l) => `${l} must look like onb-abcdefghij (onb- then lowercase letters and digits).`,
  ),
  offerId: both(
    (l) => `${l}は offer- で始まる英小文字と数字です（例: offer-abcdefghij）。`,
    (l) => `${l} must look like offer-abcdefghij (offer- then lowercase letters and digits).`,
  ),
  manualOfferId: both(
    (l) => `${l}は offer- で始まる英小文字と数字です（例: offer-abcdefghij）。`,
    (l) => `${l} must look like offer-abcdefghij (offer- then lowercase letters and digits).`,
  ),
  price: both(
    (l) => `${l}は 1200.00 のような金額で入力してください（小数点以下3桁まで）。`,
    (l) => `${l} must be an amount like 1200.00 (at most 3 decimals).`,
  ),
  instance: both(
    (l) =>
      `このフォームの${l}が正しくありません。「契約の経過」の画面を開き直し、その手順のフォームから送ってください。`,
    (l) => `This form's ${l.toLowerCase()} is not valid. Reload the deal view and send the step's own form.`,
  ),
  key: both(
    (l) => `${l}は英数字と _ . - の100文字以内で入力してください。`,
    (l) => `${l} must be 1 to 100 letters, digits, _ . or -.`,
  ),
};

const FORMAT_BY_NAME: Record<string, Sentences> = {
  email: both(
    (l) => `${l}の形式が正しくありません（例: name@example.com）。`,
    (l) => `${l} must look like name@example.com.`,
  ),
  datetime: both(
    (l) => `${l}には日付と時刻を入力してください。`,
    (l) => `${l} must be a date and time.`,
  ),
  date: both(
    (l) => `${l}には日付を入力してください（例: 2027-01-31）。`,
    (l) => `${l} must be a date like 2027-01-31.`,
  ),
  url: both(
    (l) => `${l}は https:// で始まる URL で入力してください。`,
    (l) => `${l} must be a URL starting with https://.`,
  ),
  number: both(
    (l) => `${l}は数字で入力してください。`,
    (l) => `${l} must be a number.`,
  ),
  integer: both(
    (l) => `${l}は整数で入力してください。`,
    (l) => `${l} must be a whole number.`,
  ),
};

const FORMAT_ANY = both(
  (l) => `${l}の形式が正しくありません。`,
  (l) => `${l} is not in the expected form.`,
);

/** Said of the whole form (an issue without a field a person filled in). */
export const FORM_MESSAGE: Record<Locale, string> = {
  ja: '入力内容を確認してください。',
  en: 'Please check what you entered.',
};

/** Issues made by hand (without a kind) say what they are in their words. */
function kindOf(issue: FieldIssue): IssueKind {
  if (issue.kind && issue.kind !== 'invalid') return issue.kind;
  const m = issue.message;
  if (/must be in the future/.test(m)) return 'not_future';
  if (/do not match/.test(m)) return 'mismatch';
  if (/must not be after/.test(m)) return 'order';
  if (/is required/.test(m)) return 'required';
  return 'invalid';
}

/**
 * The sentence for one issue, in `locale`, naming the field's label. `value` is what was submitted for the field
 * (when known): a blank one is "required" whatever rule it failed first (a pattern, a date-time).
 */
export function fieldMessage(locale: Locale, issue: FieldIssue, value?: string): string {
  const name = fieldOf(issue.path);
  if (!isField(name)) return FORM_MESSAGE[locale];
  const label = FIELD_LABELS[name];
  const words = label[locale];
  let kind = kindOf(issue);
  if (value !== undefined && value.trim() === '' && kind !== 'mismatch') kind = 'required';
  const limit = issue.limit === undefined ? '' : String(issue.limit);
  if (kind === 'required' && 'choice' in label) return BY_KIND.requiredChoice[locale](words, limit);
  if (kind === 'format') {
    const sentences =
      FORMAT_BY_FIELD[name] ?? (issue.format ? FORMAT_BY_NAME[issue.format] : undefined) ?? FORMAT_ANY;
    return sentences[locale](words, limit);
  }
  return BY_KIND[kind][locale](words, limit);
}
