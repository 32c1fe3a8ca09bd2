/**
 * Texts of the public pages (inquiry form, buyer pages) in Japanese (default) and English. The staff console is in
 * English. The language comes from `?lang=`, then the `lang` cookie, then Japanese.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Locale } from '../workflows/contracts/index.js';

const ja = {
  'site.name': 'マーケットプレイス オンボーディング',
  'lang.switch': 'English',
  'inquiry.title': 'お問い合わせ（AWS Marketplace プライベートオファー）',
  'inquiry.lead':
    '有料プランのご利用について、以下の内容でサポートへお問い合わせください。担当者よりご連絡します。',
  'inquiry.company': '会社名',
  'inquiry.contactName': 'ご担当者名',
  'inquiry.email': 'メールアドレス',
  'inquiry.awsAccountId': 'AWS アカウント ID（12桁）',
  'inquiry.plan': 'ご希望のプラン',
  'inquiry.message': 'ご相談内容',
  'inquiry.submit': '送信する',
  'inquiry.done.title': 'お問い合わせを受け付けました',
  'inquiry.done.body': '担当者より契約内容のご相談のためご連絡いたします。受付番号：',
  'inquiry.invalid': '入力内容を確認してください。',
  'field.optional': '任意',
  'buyer.register.title': 'AWS Marketplace経由 新規登録',
  'buyer.register.lead': 'ご契約ありがとうございます。サービスのアカウントを作成します。',
  'buyer.register.accountName': 'アカウント名',
  'buyer.register.email': 'メールアドレス',
  'buyer.register.submit': '登録する',
  'buyer.register.toLogin': 'すでに登録済みでログインする方はこちら',
  'buyer.login.title': 'AWS Marketplace経由 ログイン',
  'buyer.login.lead': '登録済みのメールアドレスとパスワードでログインしてください。',
  'buyer.login.email': 'メールアドレス',
  'buyer.login.password': 'パスワード',
  'buyer.login.submit': 'ログイン',
  'buyer.login.bad': 'メールアドレスまたはパスワードが正しくありません。',
  'buyer.login.toRegister': '新規登録に戻る',
  'buyer.select.title': '有料化を行うアカウントの選択',
  'buyer.select.lead': '有料プランを開始するアカウントを選択してください。',
  'buyer.select.submit': 'このアカウントで利用を開始する',
  'buyer.select.none': 'このユーザーが所属するアカウントはありません。',
  'buyer.select.notYours': '選択したアカウントはこのユーザーのものではありません。',
  'buyer.done.title': 'お手続きが完了しました',
  'buyer.done.body': '有料プランの有効化を進めています。完了するとメールでお知らせします。',
  'buyer.done.signIn':
    'ご契約完了のメールで、サービスへのログイン方法をご案内します（新規登録の方には、パスワード設定用のリンクをお送りします）。',
  'account.setPassword.title': 'パスワードの設定',
  'account.setPassword.lead': 'ログインに使うパスワードを設定してください（10文字以上）。',
  'account.setPassword.password': 'パスワード',
  'account.setPassword.confirm': '確認用のパスワード',
  'account.setPassword.submit': '設定する',
  'account.setPassword.done.title': 'パスワードを設定しました',
  'account.setPassword.done.body':
    'ご登録のメールアドレスとこのパスワードでログインできます。次回 AWS Marketplace からご購入の際は「すでに登録済みでログインする方はこちら」からログインしてください。',
  'account.setPassword.invalid.title': 'このリンクは無効です',
  'account.setPassword.invalid.body':
    'メールのリンクが途中で切れていないか確認してください。解決しない場合はサポートへご連絡ください。',
  'account.setPassword.expired.title': 'リンクの有効期限が切れています',
  'account.setPassword.expired.body':
    'パスワード設定のリンクは72時間有効です。サポートへご連絡いただければ、新しいリンクをお送りします。',
  'account.setPassword.used.title': 'このリンクは使用済みです',
  'account.setPassword.used.body':
    'パスワードはすでに設定されています。ご登録のメールアドレスとパスワードでログインしてください。',
  'buyer.error.invalid.title': 'このリンクは無効です',
  'buyer.error.invalid.body':
    'AWS Marketplace からの登録情報を確認できませんでした。AWS Marketplace のサブスクリプション画面から「アカウントを設定」をもう一度押してください。',
  'buyer.error.expired.title': 'リンクの有効期限が切れています',
  'buyer.error.expired.body':
    'AWS Marketplace のサブスクリプション画面から「アカウントを設定」をもう一度押してください。',
  'buyer.error.throttled.title': 'ただいま混み合っています',
  'buyer.error.throttled.body':
    'しばらく待ってから、AWS Marketplace の「アカウントを設定」をもう一度押してください。',
  'buyer.error.notAccepted.title': 'オファーの承諾がまだ確認できません',
  'buyer.error.notAccepted.body':
    'プライベートオファーのサブスクライブが完了していないか、まだ反映されていません。数分後にもう一度お試しいただくか、サポートへご連絡ください。',
  'buyer.error.completed.title': 'セットアップは完了しています',
  'buyer.error.completed.body': 'このご契約のアカウント設定はすでに完了しています。',
  'buyer.error.session.title': 'セッションの有効期限が切れました',
  'buyer.error.session.body':
    'お手数ですが、AWS Marketplace のサブスクリプション画面から「アカウントを設定」をもう一度押してください。',
  'buyer.error.moved.title': 'この手続きは現在の状態では行えません',
  'buyer.error.moved.body': 'お手続きの状態が変わりました。サポートへご連絡ください。',
  'buyer.error.tryAgain': 'もう一度お試しください',
  'buyer.error.busy.title': 'ただいま処理中です',
  'buyer.error.busy.body': '前の手続きを反映しています。数秒後にもう一度お試しください。',
  'buyer.error.processing.title': 'まだ処理中です',
  'buyer.error.processing.body':
    'お手続きを処理しています。まだ完了していない可能性があります。しばらくしてからもう一度お試しください。',
  'buyer.error.noOnboarding.title': 'お申し込みが見つかりません',
  'buyer.error.noOnboarding.body':
    'このAWSアカウントのお問い合わせ・オファーが見つかりませんでした。お手数ですがサポートへご連絡ください。',
  'buyer.register.emailInUse':
    'このメールアドレスはすでに登録されています。「すでに登録済みでログインする方はこちら」からログインしてください。',
  'buyer.select.free': '無料プラン',
  'buyer.select.paid': '有料プラン',
  // the vendor's SaaS refused the new account (tasks/ports/provisioning.ts REFUSAL_REASONS the buyer can fix)
  'provisioning.refused.tenant-name-taken':
    'このアカウント名はすでに使われています。別の名前を入力してください。',
  'provisioning.refused.tenant-name-invalid':
    'このアカウント名は使用できません。別の名前を入力してください。',
  'provisioning.refused.email-invalid':
    'このメールアドレスは使用できません。別のメールアドレスを入力してください。',
  'provisioning.refused.email-in-use':
    'このメールアドレスはすでに登録されています。「すでに登録済みでログインする方はこちら」からログインしてください。',
  'provisioning.refused.tenant-not-found':
    'このアカウントが見つかりません。別のアカウントを選択してください。',
  'provisioning.refused.not-permitted':
    'このアカウントを有料化する権限がありません。別のアカウントを選択してください。',
  'provisioning.refused.tenant-not-eligible':
    'このアカウントは有料化できません。別のアカウントを選択してください。',
  'provisioning.unavailable.title': 'サービスに接続できません',
  'provisioning.unavailable.body':
    'サービス側が応答していません。何も変更されていません。しばらくしてからもう一度お試しください。',
  'inquiry.rateLimited':
    '短時間に多くのお問い合わせを受け付けたため、いまは送信できません。{minutes}分ほどしてからもう一度お送りください。入力内容は残っています。',
  'inquiry.duplicate':
    'このメールアドレスと AWS アカウント ID のお問い合わせは受付済みで、担当者が対応中です。担当者からのご連絡をお待ちください。別のご相談として送る場合は、下の確認にチェックを入れてもう一度送信してください。',
  'inquiry.duplicateConfirm': '受付済みのものとは別のご相談として送信します',
  'buyer.login.lockedOut':
    'ログインの失敗が続いたため、ログインを一時的に止めています。{minutes}分ほどしてからもう一度お試しください。パスワードがわからない場合はサポートにお問い合わせください。',
  'buyer.oidc.lead': 'ご利用中のサービスのアカウントでログインします。',
  'buyer.oidc.expired.title': 'ログインをやり直してください',
  'buyer.oidc.expired.body':
    'ログインの受付時間が過ぎたか、別の画面で始めたログインです。何も変更されていません。もう一度ログインしてください。',
  'buyer.oidc.cancelled.title': 'ログインが完了しませんでした',
  'buyer.oidc.cancelled.body':
    'ログインがキャンセルされたか、サービスに受け付けられませんでした。何も変更されていません。もう一度お試しいただくか、新規登録してください。',
  'buyer.oidc.noEmail.title': 'メールアドレスを確認できません',
  'buyer.oidc.noEmail.body':
    'ログインしたアカウントのメールアドレスを受け取れませんでした。サービスのアカウント設定をご確認のうえ、サポートにお問い合わせください。',
  'buyer.oidc.unavailable.title': 'ログイン画面に接続できません',
  'buyer.oidc.unavailable.body':
    'サービスのログイン画面が応答していません。何も変更されていません。しばらくしてからもう一度お試しください。',
  'buyer.oidc.retry': 'もう一度ログインする',
  'error.notFound': 'ページが見つかりません',
  'error.notFound.body':
    'アドレスが正しいか確認してください。AWS Marketplace でのご契約についてのお問い合わせは、こちらから:',
  'error.notFound.toInquiry': 'お問い合わせフォーム',
  'buyer.error.noSession.title': 'このページは AWS Marketplace から開きます',
  'buyer.error.noSession.body':
    'AWS Marketplace のサブスクリプション画面で「アカウントを設定」を押すと、このページが開きます。ブックマークやコピーしたアドレスからは開けません。',
} as const;

export type MessageKey = keyof typeof ja;

const en: Record<MessageKey, string> = {
  'site.name': 'Marketplace Onboarding',
  'lang.switch': '日本語',
  'inquiry.title': 'Contact us (AWS Marketplace private offer)',
  'inquiry.lead': 'Tell us about the paid plan you are interested in; our team will get back to you.',
  'inquiry.company': 'Company',
  'inquiry.contactName': 'Contact name',
  'inquiry.email': 'E-mail address',
  'inquiry.awsAccountId': 'AWS account ID (12 digits)',
  'inquiry.plan': 'Plan of interest',
  'inquiry.message': 'Message',
  'inquiry.submit': 'Send',
  'inquiry.done.title': 'Thank you, we received your inquiry',
  'inquiry.done.body': 'We will contact you to agree on the terms. Your reference:',
  'inquiry.invalid': 'Please check the fields below.',
  'field.optional': 'optional',
  'buyer.register.title': 'Sign up via AWS Marketplace',
  'buyer.register.lead': 'Thank you for subscribing. Create your account for the service.',
  'buyer.register.accountName': 'Account name',
  'buyer.register.email': 'E-mail address',
  'buyer.register.submit': 'Sign up',
  'buyer.register.toLogin': 'Already registered? Log in here',
  'buyer.login.title': 'Log in via AWS Marketplace',
  'buyer.login.lead': 'Log in with your registered e-mail and password.',
  'buyer.login.email': 'E-mail address',
  'buyer.login.password': 'Password',
  'buyer.login.submit': 'Log in',
  'buyer.login.bad': 'The e-mail or password is not correct.',
  'buyer.login.toRegister': 'Back to sign-up',
  'buyer.select.title': 'Choose the account to upgrade',
  'buyer.select.lead': 'Choose the account that starts the paid plan.',
  'buyer.select.submit': 'Start using this account',
  'buyer.select.none': 'This user does not belong to any account.',
  'buyer.select.notYours': 'That account does not belong to this user.',
  'buyer.done.title': 'All set',
  'buyer.done.body': 'We are activating your paid plan and will e-mail you when it is ready.',
  'buyer.done.signIn':
    'The completion e-mail tells you how to sign in to the service (a new account gets a link to set its password).',
  'account.setPassword.title': 'Set your password',
  'account.setPassword.lead': 'Choose the password you will sign in with (at least 10 characters).',
  'account.setPassword.password': 'Password',
  'account.setPassword.confirm': 'Password confirmation',
  'account.setPassword.submit': 'Set password',
  'account.setPassword.done.title': 'Your password is set',
  'account.setPassword.done.body':
    'You can now sign in with your e-mail address and this password. When you next buy through AWS Marketplace, use "Already registered? Log in here".',
  'account.setPassword.invalid.title': 'This link is not valid',
  'account.setPassword.invalid.body':
    'Check that the link from the e-mail was not cut off. If that does not help, please contact support.',
  'account.setPassword.expired.title': 'This link has expired',
  'account.setPassword.expired.body':
    'A set-password link is valid for 72 hours. Contact support and we will send you a new one.',
  'account.setPassword.used.title': 'This link was already used',
  'account.setPassword.used.body':
    'Your password is already set. Sign in with your e-mail address and password.',
  'buyer.error.invalid.title': 'This link is not valid',
  'buyer.error.invalid.body':
    'We could not verify the registration from AWS Marketplace. Press "Set up your account" again on your AWS Marketplace subscription page.',
  'buyer.error.expired.title': 'This link has expired',
  'buyer.error.expired.body': 'Press "Set up your account" again on your AWS Marketplace subscription page.',
  'buyer.error.throttled.title': 'We are busy right now',
  'buyer.error.throttled.body': 'Wait a moment, then press "Set up your account" on AWS Marketplace again.',
  'buyer.error.notAccepted.title': 'We cannot see your subscription yet',
  'buyer.error.notAccepted.body':
    'The private offer has not been subscribed to yet, or it has not reached us. Try again in a few minutes or contact support.',
  'buyer.error.completed.title': 'Setup is already complete',
  'buyer.error.completed.body': 'The account for this subscription has already been set up.',
  'buyer.error.session.title': 'Your session has expired',
  'buyer.error.session.body': 'Press "Set up your account" again on your AWS Marketplace subscription page.',
  'buyer.error.moved.title': 'This step is no longer available',
  'buyer.error.moved.body': 'The state of your setup has changed. Please contact support.',
  'buyer.error.tryAgain': 'Try again',
  'buyer.error.busy.title': 'Still working on it',
  'buyer.error.busy.body': 'We are recording your previous step. Try again in a few seconds.',
  'buyer.error.processing.title': 'Still processing',
  'buyer.error.processing.body':
    'Your request is still being processed and may not be complete yet. Please try again in a moment.',
  'buyer.error.noOnboarding.title': 'We cannot find your request',
  'buyer.error.noOnboarding.body':
    'We found no inquiry or offer for this AWS account. Please contact support.',
  'buyer.register.emailInUse':
    'This e-mail is already registered. Use "Already registered? Log in here" instead.',
  'buyer.select.free': 'Free plan',
  'buyer.select.paid': 'Paid plan',
  'provisioning.refused.tenant-name-taken': 'This account name is already taken. Please enter another name.',
  'provisioning.refused.tenant-name-invalid': 'This account name cannot be used. Please enter another name.',
  'provisioning.refused.email-invalid': 'This e-mail address cannot be used. Please enter another address.',
  'provisioning.refused.email-in-use':
    'This e-mail address is already registered. Please log in with "Already registered? Log in here".',
  'provisioning.refused.tenant-not-found': 'This account was not found. Please choose another account.',
  'provisioning.refused.not-permitted': 'You may not upgrade this account. Please choose another account.',
  'provisioning.refused.tenant-not-eligible':
    'This account cannot be upgraded. Please choose another account.',
  'provisioning.unavailable.title': 'The service is not answering',
  'provisioning.unavailable.body':
    'The service did not answer. Nothing was changed. Please try again in a moment.',
  'inquiry.rateLimited':
    'We received many inquiries in a short time, so this one cannot be sent now. Please send it again in about {minutes} minutes; what you entered is kept.',
  'inquiry.duplicate':
    'We already have an inquiry from this e-mail address for this AWS account, and we are working on it: please wait for our reply. To send this as a separate request, tick the box below and send again.',
  'inquiry.duplicateConfirm': 'Send this as a separate request',
  'buyer.login.lockedOut':
    'After several failed sign-ins, signing in is paused for now. Please try again in about {minutes} minutes; if you do not know the password, contact support.',
  'buyer.oidc.lead': 'You sign in with your account of the service.',
  'buyer.oidc.expired.title': 'Please sign in again',
  'buyer.oidc.expired.body':
    'This sign-in took too long or was started in another window. Nothing was changed. Please sign in again.',
  'buyer.oidc.cancelled.title': 'The sign-in did not complete',
  'buyer.oidc.cancelled.body':
    'The sign-in was cancelled or not accepted by the service. Nothing was changed. Try again, or sign up instead.',
  'buyer.oidc.noEmail.title': 'Your e-mail address could not be read',
  'buyer.oidc.noEmail.body':
    "The service did not tell us the e-mail address of the account you signed in with. Check the account's settings there, then contact support.",
  'buyer.oidc.unavailable.title': 'The sign-in page cannot be reached',
  'buyer.oidc.unavailable.body':
    "The service's sign-in is not answering. Nothing was changed. Please try again in a few minutes.",
  'buyer.oidc.retry': 'Sign in again',
  'error.notFound': 'Page not found',
  'error.notFound.body':
    'Check that the address is right. To ask about subscribing through AWS Marketplace, use the inquiry form:',
  'error.notFound.toInquiry': 'Inquiry form',
  'buyer.error.noSession.title': 'This page opens from AWS Marketplace',
  'buyer.error.noSession.body':
    'Press "Set up your account" on your AWS Marketplace subscription page and this page opens. It cannot be opened from a bookmark or a copied address.',
};

const MESSAGES: Record<Locale, Record<MessageKey, string>> = { ja, en };

export function t(locale: Locale, key: MessageKey): string {
  return MESSAGES[locale][key];
}

/** Picks the locale: `?lang=ja|en` (remembered in a cookie), then the cookie, then Japanese. */
export function pickLocale(c: Context, secure: boolean): Locale {
  const asked = c.req.query('lang');
  if (asked === 'ja' || asked === 'en') {
    setCookie(c, 'lang', asked, { path: '/', sameSite: 'Lax', httpOnly: true, secure, maxAge: 31_536_000 });
    return asked;
  }
  const saved = getCookie(c, 'lang');
  return saved === 'en' ? 'en' : 'ja';
}
