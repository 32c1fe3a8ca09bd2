/**
 * Mails of the deal after the sale (issue 11): to sales and support when an agreement changes, is about to end or
 * ended, and to the buyer when their plan changed. Bilingual for staff (Japanese first); the buyer's in their language.
 */
import type { Locale } from '../../../workflows/contracts/inquiry.js';
import { type EmailContent, formatDateTime, link, mail } from './format.js';

export type DealNoticeKind = 'amended' | 'ending' | 'renewed' | 'plan-kept' | 'cancellation';

const DEAL_LABEL: Record<DealNoticeKind, { ja: string; en: string }> = {
  amended: { ja: '契約の変更', en: 'Agreement amended' },
  ending: { ja: '契約の終了が近づいています', en: 'Agreement ending' },
  renewed: { ja: '契約の更新', en: 'Agreement renewed' },
  'plan-kept': { ja: '契約の終了（後継の契約あり）', en: 'Agreement ended, continued by another' },
  cancellation: { ja: '契約のキャンセルリクエスト', en: 'Agreement cancellation request' },
};

export function dealNoticeEmail(c: {
  kind: DealNoticeKind;
  onboardingId: string;
  company: string;
  agreementId: string;
  consoleUrl: string;
  /** One line each in Japanese and English: what happened and what we did. */
  detail: { ja: string; en: string };
  /** The date someone must act by (the agreement's end for a renewal), if any. */
  dueAt?: string;
}): EmailContent {
  const label = DEAL_LABEL[c.kind];
  return mail(
    'ja',
    `[Deal] ${label.ja} / ${label.en}: ${c.company} (${c.agreementId})`,
    `${c.company} の契約 ${c.agreementId}: ${c.detail.ja}`,
    c.dueAt ? `期限: ${formatDateTime(c.dueAt, 'ja')}` : undefined,
    ['コンソール: ', link(c.consoleUrl)],
    '',
    `${c.company}, agreement ${c.agreementId}: ${c.detail.en}`,
    c.dueAt ? `Due: ${formatDateTime(c.dueAt, 'en')}` : undefined,
    ['Console: ', link(c.consoleUrl)],
  );
}

/** To the buyer: their plan now grants what the amended agreement says. */
export function planChangedEmail(c: {
  locale: Locale;
  company: string;
  tenantName: string;
  entitlements: Readonly<Record<string, number | string | boolean>>;
  signInUrl?: string;
}): EmailContent {
  const grants = Object.entries(c.entitlements)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
  return c.locale === 'ja'
    ? mail(
        'ja',
        'ご契約内容の変更を反映しました',
        `${c.company} ご担当者様`,
        '',
        `AWS Marketplace でのご契約の変更を、アカウント「${c.tenantName}」に反映しました。`,
        `ご契約内容: ${grants}`,
        c.signInUrl ? ['ログイン: ', link(c.signInUrl)] : undefined,
      )
    : mail(
        'en',
        'Your plan now follows your amended agreement',
        `Dear ${c.company},`,
        '',
        `The change to your AWS Marketplace agreement is now applied to your account "${c.tenantName}".`,
        `Your agreement: ${grants}`,
        c.signInUrl ? ['Sign in: ', link(c.signInUrl)] : undefined,
      );
}

/** To a buyer who subscribed but never clicked "アカウントを設定": where to click, in their language. */
export function buyerSetupReminderEmail(c: {
  locale: Locale;
  company: string;
  offerUrl?: string;
}): EmailContent {
  return c.locale === 'ja'
    ? mail(
        'ja',
        'アカウントの設定がまだ完了していません',
        `${c.company} ご担当者様`,
        '',
        'AWS Marketplace でのご購読ありがとうございます。サービスのご利用には、アカウントの設定が必要です。',
        'AWS Marketplace の契約の詳細ページで「アカウントを設定」を押してください。',
        c.offerUrl ? ['契約の詳細ページ: ', link(c.offerUrl, 'AWS Marketplace')] : undefined,
      )
    : mail(
        'en',
        'Your account is not set up yet',
        `Dear ${c.company},`,
        '',
        'Thank you for subscribing on AWS Marketplace. To start using the service, set up your account:',
        'on the agreement page in AWS Marketplace, choose "Set up your account".',
        c.offerUrl ? ['Agreement page: ', link(c.offerUrl, 'AWS Marketplace')] : undefined,
      );
}
