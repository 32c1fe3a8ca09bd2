/**
 * The staff console's and the audit view's words in English (default) and Japanese. The language is the one the
 * person chose (`?lang=ja|en`, remembered in the `lang` cookie the whole site uses), else English. Both languages
 * have every key (the Japanese table is typed by the English one: a missing translation does not compile), and
 * stage names come from the stage registry's labels. Field error messages come from the message catalogue.
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Locale } from '../../workflows/contracts/index.js';

const en = {
  'console.name': 'Onboarding console',
  'nav.onboardings': 'Onboardings',
  'nav.audit': 'Audit',
  'nav.signOut': 'Sign out',
  'lang.switch': '日本語',
  // the list
  'list.title': 'Onboardings',
  'list.filters': 'Filters',
  'list.all': 'All',
  'list.mine': 'Waiting for me',
  'list.overdue': 'Overdue',
  'list.search': 'Search company, contact, e-mail, AWS account id or reference',
  'list.searchButton': 'Search',
  'list.sort': 'Sort:',
  'list.sort.updated': 'recently updated',
  'list.sort.due': 'due soonest',
  'col.reference': 'Reference',
  'col.company': 'Company',
  'col.contact': 'Contact',
  'col.account': 'AWS account',
  'col.stage': 'Stage',
  'col.waitingFor': 'Waiting for',
  'col.due': 'Due',
  'col.updated': 'Updated',
  'col.started': 'Started',
  'list.overdueMark': 'overdue',
  'list.empty': 'No onboardings.',
  'list.emptyFilter': 'Nothing waits here.',
  'list.emptySearch': 'No onboardings match',
  'list.firstPage': '« First page',
  'list.nextPage': 'Next page »',
  'list.pages': 'Pages',
  'list.staleCursor': 'That page link is no longer valid; showing the first page.',
  'list.badSearch': 'The search was not understood; showing everything.',
  'role.sales': 'sales',
  'role.support': 'support',
  'role.buyer': 'buyer',
  // an onboarding
  'detail.back': '« Onboardings',
  'detail.stages': 'Stages',
  'detail.next': 'Next step',
  'detail.audit': 'Full execution history (audit view)',
  'detail.stageDetails': 'Details of this stage',
  'detail.notAccepted': 'The form was not accepted; nothing was changed.',
  'fact.id': 'Reference',
  'fact.stage': 'Stage',
  'fact.contact': 'Contact',
  'fact.account': 'AWS account id',
  'fact.plan': 'Plan',
  'fact.message': 'Message',
  'fact.offer': 'Offer',
  'fact.subscription': 'Subscription',
  'fact.agreement': 'Agreement id',
  'fact.license': 'License',
  'fact.saasAccount': 'SaaS account',
  'fact.ended': 'Ended',
  'fact.started': 'Started',
  'fact.updated': 'Updated',
  'notFound.title': 'No such onboarding',
  // the stepper
  'step.notReached': 'not reached',
  'step.skipped': 'not needed on this path',
  'task.open': 'waiting',
  'task.claimed': 'being completed',
  'task.completed': 'completed',
  'task.failed': 'ended',
  'task.timed-out': 'timed out',
  'task.gone': 'no longer waiting',
  'task.waitingFor': (status: string, role: string, since: string, due: string) =>
    `${status} for ${role} since ${since}, due ${due}`,
  // audit
  'audit.title': 'Audit',
  'audit.find': "Find an onboarding's history",
  'audit.findLabel': 'Company, contact, e-mail, AWS account id or reference',
  'audit.findButton': 'Find',
  'audit.findEmpty':
    'Type a company or contact name, an e-mail address, an AWS account id or a reference (onb-…).',
  'audit.noMatch': (q: string) =>
    `No onboarding matches “${q}”. Try the start of the company name or the whole e-mail address.`,
  'audit.matching': (q: string) => `Onboardings matching “${q}”`,
  'audit.firstOnly': (n: number) => `The first ${n} are shown; narrow the search to see others.`,
  'audit.export': 'Export histories',
  'audit.exportNote':
    'Every execution that ended (or, still running, started) in the range; dates inclusive, UTC; live and archived histories.',
  'audit.from': 'From',
  'audit.to': 'To',
  'audit.format': 'Format',
  'audit.format.timeline': 'Who did what (CSV: time, stage, actor, action, summary)',
  'audit.format.csv': 'Execution events (CSV)',
  'audit.format.json': 'Execution events (JSON, raw)',
  'audit.download': 'Download',
  'audit.back': '« Audit',
};

export type ConsoleWords = { readonly [K in keyof typeof en]: (typeof en)[K] };
export type WordKey = keyof ConsoleWords;

const ja: ConsoleWords = {
  'console.name': 'オンボーディング管理画面',
  'nav.onboardings': 'オンボーディング一覧',
  'nav.audit': '監査',
  'nav.signOut': 'サインアウト',
  'lang.switch': 'English',
  'list.title': 'オンボーディング一覧',
  'list.filters': '絞り込み',
  'list.all': 'すべて',
  'list.mine': '自分の対応待ち',
  'list.overdue': '期限超過',
  'list.search': '会社名・担当者名・メールアドレス・AWS アカウント ID・受付番号で検索',
  'list.searchButton': '検索',
  'list.sort': '並び順：',
  'list.sort.updated': '更新の新しい順',
  'list.sort.due': '期限の近い順',
  'col.reference': '受付番号',
  'col.company': '会社名',
  'col.contact': 'ご担当者',
  'col.account': 'AWS アカウント',
  'col.stage': '段階',
  'col.waitingFor': '対応者',
  'col.due': '期限',
  'col.updated': '更新',
  'col.started': '開始',
  'list.overdueMark': '期限超過',
  'list.empty': 'オンボーディングはありません。',
  'list.emptyFilter': '対応待ちはありません。',
  'list.emptySearch': '該当するオンボーディングはありません：',
  'list.firstPage': '« 最初のページ',
  'list.nextPage': '次のページ »',
  'list.pages': 'ページ',
  'list.staleCursor': 'このページのリンクは無効になりました。最初のページを表示しています。',
  'list.badSearch': '検索条件を解釈できませんでした。すべて表示しています。',
  'role.sales': '営業',
  'role.support': 'サポート',
  'role.buyer': '購入者',
  'detail.back': '« オンボーディング一覧',
  'detail.stages': '段階',
  'detail.next': '次の対応',
  'detail.audit': '実行履歴のすべて（監査画面）',
  'detail.stageDetails': 'この段階の詳細',
  'detail.notAccepted': '入力内容を受け付けられませんでした。何も変更していません。',
  'fact.id': '受付番号',
  'fact.stage': '段階',
  'fact.contact': 'ご担当者',
  'fact.account': 'AWS アカウント ID',
  'fact.plan': 'プラン',
  'fact.message': 'ご相談内容',
  'fact.offer': 'オファー',
  'fact.subscription': 'サブスクリプション',
  'fact.agreement': '契約 ID',
  'fact.license': 'ライセンス',
  'fact.saasAccount': 'SaaS アカウント',
  'fact.ended': '終了',
  'fact.started': '開始',
  'fact.updated': '更新',
  'notFound.title': 'このオンボーディングは見つかりません',
  'step.notReached': '未到達',
  'step.skipped': 'この経路では不要',
  'task.open': '対応待ち',
  'task.claimed': '処理中',
  'task.completed': '完了',
  'task.failed': '終了',
  'task.timed-out': '期限切れ',
  'task.gone': '待機終了',
  'task.waitingFor': (status: string, role: string, since: string, due: string) =>
    `${role}の${status}（${since} から、期限 ${due}）`,
  'audit.title': '監査',
  'audit.find': 'オンボーディングの履歴を探す',
  'audit.findLabel': '会社名・担当者名・メールアドレス・AWS アカウント ID・受付番号',
  'audit.findButton': '探す',
  'audit.findEmpty':
    '会社名・担当者名・メールアドレス・AWS アカウント ID・受付番号（onb-…）のいずれかを入力してください。',
  'audit.noMatch': (q: string) =>
    `「${q}」に該当するオンボーディングはありません。会社名の先頭か、メールアドレス全体で探してください。`,
  'audit.matching': (q: string) => `「${q}」に該当するオンボーディング`,
  'audit.firstOnly': (n: number) => `最初の ${n} 件を表示しています。条件を絞り込むと他も表示されます。`,
  'audit.export': '履歴の書き出し',
  'audit.exportNote':
    '期間内に終了した（実行中なら開始した）すべての実行。日付は両端を含み UTC。実行中と保管済みの履歴の両方。',
  'audit.from': '開始日',
  'audit.to': '終了日',
  'audit.format': '形式',
  'audit.format.timeline': '誰が何をしたか（CSV：日時・段階・実施者・操作・概要）',
  'audit.format.csv': '実行イベント（CSV）',
  'audit.format.json': '実行イベント（JSON、未加工）',
  'audit.download': 'ダウンロード',
  'audit.back': '« 監査',
};

export const CONSOLE_WORDS: Readonly<Record<Locale, ConsoleWords>> = { en, ja };

/** The console's words in `locale`. */
export const words = (locale: Locale): ConsoleWords => CONSOLE_WORDS[locale];

/** The staff pages' language: `?lang=` (the app remembers it in the `lang` cookie), then that cookie, else English. */
export function staffLocale(c: Context): Locale {
  const asked = c.req.query('lang');
  if (asked === 'ja' || asked === 'en') return asked;
  return getCookie(c, 'lang') === 'ja' ? 'ja' : 'en';
}

/** The same address in the other language (the switch link in the header). */
export function otherLanguageUrl(path: string, search: string, locale: Locale): string {
  const q = new URLSearchParams(search);
  q.set('lang', locale === 'ja' ? 'en' : 'ja');
  return `${path}?${q.toString()}`;
}
