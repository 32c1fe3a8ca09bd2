/**
 * AWS's agreement codes in the reader's words: an agreement's status (DescribeAgreement, `Purchase Agreement Ended`)
 * and intent (`Purchase Agreement Created` / `Amended`). The deal view and the agreement's history say these words;
 * the code stays in the record (and in the page's data attributes). A code AWS adds later is shown as it is.
 */
import type { Locale } from '../../workflows/contracts/inquiry.js';

type Words = Readonly<Record<Locale, string>>;

export const AGREEMENT_STATUS_WORDS: Readonly<Record<string, Words>> = {
  ACTIVE: { en: 'Active', ja: '有効' },
  CANCELLED: { en: 'Cancelled', ja: 'キャンセル済み' },
  EXPIRED: { en: 'Expired', ja: '期間満了' },
  TERMINATED: { en: 'Terminated', ja: '解約済み' },
  RENEWED: { en: 'Renewed', ja: '更新済み' },
  REPLACED: { en: 'Replaced', ja: '置き換え済み' },
  SUPERSEDED: { en: 'Superseded', ja: '後続の契約に移行' },
  ROLLED_BACK: { en: 'Rolled back', ja: '取り消し' },
  ARCHIVED: { en: 'Archived', ja: 'アーカイブ済み' },
};

export const AGREEMENT_INTENT_WORDS: Readonly<Record<string, Words>> = {
  NEW: { en: 'New', ja: '新規' },
  RENEW: { en: 'Renewal', ja: '更新' },
  REPLACE: { en: 'Replacement', ja: '置き換え' },
  AMEND: { en: 'Amendment', ja: '変更' },
};

/** The word for an agreement's status or intent in the reader's language; an unknown code as it is. */
export function agreementWord(kind: 'status' | 'intent', code: string, locale: Locale): string {
  const table = kind === 'status' ? AGREEMENT_STATUS_WORDS : AGREEMENT_INTENT_WORDS;
  return table[code]?.[locale] ?? code;
}
