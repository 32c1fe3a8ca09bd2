/** E-mails to the buyer, in Japanese or English by the buyer's locale (pure). */
import type { Locale } from '../../../workflows/contracts/inquiry.js';
import type { Onboarding } from '../onboarding.js';
import { type EmailContent, formatDateTime, link, mail, unverifiedName } from './format.js';

export interface BuyerMailContext {
  locale: Locale;
  company: string;
  contactName: string;
  onboardingId: string;
  /** The IANA time zone the buyer reads dates in (defaultTimeZone of the locale when not known). */
  timeZone?: string;
}

/** Whom an onboarding's buyer e-mails address, in which language. */
export const buyerMailContext = (o: Pick<Onboarding, 'id' | 'locale' | 'inquiry'>): BuyerMailContext => ({
  locale: o.locale,
  company: o.inquiry.company,
  contactName: o.inquiry.contactName,
  onboardingId: o.id,
  ...(o.inquiry.timeZone ? { timeZone: o.inquiry.timeZone } : {}),
});

/** The salutation every buyer e-mail opens with, then a blank line. */
const greeting = (c: BuyerMailContext): string[] =>
  c.locale === 'ja' ? [c.company, `${c.contactName} 様`, ''] : [`Dear ${c.contactName} (${c.company}),`, ''];

/**
 * The first mail, sent to the address the inquiry form was given before anyone verified it: it carries nothing typed
 * into the form but the names and the plan, each bounded and never a link (unverifiedName), and not the message.
 */
export function acknowledgementEmail(given: BuyerMailContext & { plan: string }): EmailContent {
  const c = {
    ...given,
    company: unverifiedName(given.company),
    contactName: unverifiedName(given.contactName),
    plan: unverifiedName(given.plan),
  };
  if (c.locale === 'ja') {
    return mail(
      'ja',
      `【お問い合わせ受付】AWS Marketplace プライベートオファーのご相談 (${c.onboardingId})`,
      ...greeting(c),
      'AWS Marketplace 経由でのご契約についてお問い合わせいただき、ありがとうございます。',
      `ご希望のプラン「${c.plan}」について、担当者より契約内容のご相談のご連絡を差し上げます。`,
      '',
      `受付番号: ${c.onboardingId}`,
      '',
      'このメールは送信専用です。',
    );
  }
  return mail(
    'en',
    `We received your inquiry: AWS Marketplace private offer (${c.onboardingId})`,
    ...greeting(c),
    'Thank you for your interest in subscribing through AWS Marketplace.',
    `Our team will contact you shortly to agree on the terms of the "${c.plan}" plan.`,
    '',
    `Reference: ${c.onboardingId}`,
    '',
    'This is an automated message.',
  );
}

export function offerNoticeEmail(
  c: BuyerMailContext & {
    offerUrl: string;
    offerName: string;
    expiresAt: string;
    /** The expiry the buyer was told before, when this mail tells that the same offer was extended. */
    extendedFrom?: string;
  },
): EmailContent {
  const from = c.extendedFrom;
  if (c.locale === 'ja') {
    return mail(
      'ja',
      from
        ? `【プライベートオファーの有効期限を延長しました】${c.offerName}`
        : `【プライベートオファーのご案内】${c.offerName}`,
      ...greeting(c),
      ...(from
        ? [
            `AWS Marketplace のプライベートオファーの有効期限を延長しました（延長前: ${formatDateTime(from, 'ja', c.timeZone)}）。`,
            'オファーの内容とリンクは変わりません。以下のリンクから契約の詳細ページを開き、サブスクライブしてください。',
          ]
        : [
            'ご相談いただいた内容で AWS Marketplace のプライベートオファーを作成しました。',
            '以下のリンクから契約の詳細ページを開き、内容をご確認のうえサブスクライブしてください。',
          ]),
      '',
      link(c.offerUrl, 'AWS Marketplace で契約の詳細ページを開く'),
      '',
      `${from ? '新しい有効期限' : '有効期限'}: ${formatDateTime(c.expiresAt, 'ja', c.timeZone)}`,
      '',
      'サブスクライブ後に表示される「アカウントを設定」ボタンから、アカウントの設定にお進みください。',
      `受付番号: ${c.onboardingId}`,
    );
  }
  return mail(
    'en',
    from
      ? `Your AWS Marketplace private offer was extended: ${c.offerName}`
      : `Your AWS Marketplace private offer: ${c.offerName}`,
    ...greeting(c),
    ...(from
      ? [
          `We extended your AWS Marketplace private offer (it was to expire on ${formatDateTime(from, 'en', c.timeZone)}).`,
          'The offer and its link are unchanged. Open the contract details page with the link below and subscribe:',
        ]
      : [
          'We created the AWS Marketplace private offer with the terms we agreed on.',
          'Open the contract details page with the link below, review the terms and subscribe:',
        ]),
    '',
    link(c.offerUrl, 'Open the contract details page on AWS Marketplace'),
    '',
    `The offer ${from ? 'now expires' : 'expires'} on ${formatDateTime(c.expiresAt, 'en', c.timeZone)}.`,
    '',
    'After subscribing, choose "Set up your account" to continue with your account setup.',
    `Reference: ${c.onboardingId}`,
  );
}

/**
 * Renewal → draft-offer: the agreement-based offer that renews (replaces) the buyer's ending agreement, in the offer
 * notice's style. Accepting it continues the same account: no new setup.
 */
export function renewalOfferEmail(
  c: BuyerMailContext & { offerUrl: string; offerName: string; expiresAt: string; agreementId: string },
): EmailContent {
  if (c.locale === 'ja') {
    return mail(
      'ja',
      `【契約更新のご案内】${c.offerName}`,
      ...greeting(c),
      `ご契約（${c.agreementId}）の更新について、ご相談いただいた内容で AWS Marketplace のオファーを作成しました。`,
      '以下のリンクから契約の詳細ページを開き、内容をご確認のうえ承諾してください。',
      '',
      link(c.offerUrl, 'AWS Marketplace で契約の詳細ページを開く'),
      '',
      `有効期限: ${formatDateTime(c.expiresAt, 'ja', c.timeZone)}`,
      '',
      '承諾後は現在のアカウントをそのままご利用いただけます。改めてのアカウント設定は不要です。',
      `受付番号: ${c.onboardingId}`,
    );
  }
  return mail(
    'en',
    `Renew your AWS Marketplace agreement: ${c.offerName}`,
    ...greeting(c),
    `We created the AWS Marketplace offer renewing your agreement (${c.agreementId}) with the terms we agreed on.`,
    'Open the contract details page with the link below, review the terms and accept:',
    '',
    link(c.offerUrl, 'Open the contract details page on AWS Marketplace'),
    '',
    `The offer expires on ${formatDateTime(c.expiresAt, 'en', c.timeZone)}.`,
    '',
    'Once accepted, you keep using your current account: there is nothing to set up again.',
    `Reference: ${c.onboardingId}`,
  );
}

export function completionEmail(
  c: BuyerMailContext & {
    accountName: string;
    plan: string;
    /** 7-1 with the built-in directory: the single-use link to set the owner's password, and until when. */
    setPassword?: { url: string; expiresAt: string };
    /** Where the buyer signs in to the account (the vendor's tenant's sign-in URL), when there is no link above. */
    signInUrl?: string;
  },
): EmailContent {
  if (c.locale === 'ja') {
    return mail(
      'ja',
      `【ご契約完了】${c.plan} プランのご利用を開始しました`,
      ...greeting(c),
      'AWS Marketplace 経由でのご契約手続きが完了しました。',
      `アカウント「${c.accountName}」で ${c.plan} プランがご利用いただけます。`,
      '',
      ...(c.setPassword
        ? [
            'ログインに使うパスワードを、次のリンクから設定してください（1回限り有効、',
            `${formatDateTime(c.setPassword.expiresAt, 'ja', c.timeZone)} まで）。`,
            link(c.setPassword.url, 'パスワードを設定する'),
            '設定後は、ご登録のメールアドレスとこのパスワードでログインできます（次回 AWS Marketplace からご購入の際の',
            '「すでに登録済みでログインする方はこちら」でも同じです）。',
            '',
          ]
        : c.signInUrl
          ? [link(c.signInUrl, 'ログインはこちらから'), '']
          : []),
      `受付番号: ${c.onboardingId}`,
      'ご利用ありがとうございます。',
    );
  }
  return mail(
    'en',
    `Your ${c.plan} plan is active`,
    ...greeting(c),
    'Your subscription through AWS Marketplace is complete.',
    `The ${c.plan} plan is now active on the account "${c.accountName}".`,
    '',
    ...(c.setPassword
      ? [
          `Set the password you will sign in with at this link (single use, valid until ${formatDateTime(c.setPassword.expiresAt, 'en', c.timeZone)}):`,
          link(c.setPassword.url, 'Set your password'),
          'Then sign in with your e-mail address and this password (also under "Already registered? Log in here"',
          'when you next buy through AWS Marketplace).',
          '',
        ]
      : c.signInUrl
        ? [link(c.signInUrl, 'Sign in here'), '']
        : []),
    `Reference: ${c.onboardingId}`,
    'Thank you for choosing us.',
  );
}
