/**
 * The catalogue of what the activity log and the deal's episodes say (pure): every entry is kept as a code and its
 * parameters (`Said`), and read in the reader's language (ja/en) when shown, exported or mailed. The English sentence
 * is stored beside it as `summary` (what the raw JSON export and older readers show). Entries written before codes
 * existed have only that English sentence: `readLegacy` recognises the sentences this code base wrote and gives them a
 * code, so they read in Japanese too; a sentence it does not recognise is shown as it was stored.
 */
import type { Actor } from '../../workflows/contracts/actor.js';
import type { Locale } from '../../workflows/contracts/inquiry.js';
import { numberedLabel, STAGES, type Stage } from '../../workflows/contracts/stage-registry.js';
import { WORKFLOW_ERRORS } from '../../workflows/contracts/workflow-errors.js';
import { REASON_LABELS } from './agreement-cancellation.js';
import { agreementWord } from './agreement-words.js';

type Value = string | number;

/** The parameters of each code (the values a sentence is made of; stages by their registry name). */
export interface TextParams {
  // the onboarding's activity log
  'inquiry-recorded': { company: string };
  'possible-duplicate': { duplicateOf: string };
  'stage-opened': { stage: string; assignee: string };
  'stage-completed': { stage: string };
  'stage-failed': { stage: string; error: string };
  'stage-submitted-early': { stage: string };
  'offer-requested': { changeSetId: string; attempt: Value };
  'offer-extension-requested': { offerId: string; offerExpiresAt: string };
  'offer-ready': { offerId: string };
  'offer-failed': { changeSetId: string; status: string; code: string };
  'offer-notified': { offerId: string; source: string };
  'offer-notice-resent': { offerId: string };
  'offer-extension-asked': { offerId: string; from: string; to: string };
  'offer-extension-failed': { offerId: string; requested: string; kept: string; error: string };
  'account-created': { tenant: string; provider: string };
  'paid-plan-activated': { plan: string; tenant: string };
  'paid-plan-ended': { plan: string; tenant: string; signal: string };
  'plan-changed': { plan: string; tenant: string };
  completed: Record<string, never>;
  'buyer-arrived': Record<string, never>;
  'history-archived': { events: Value };
  'marketplace-signal': { kind: string };
  /**
   * An end signal (unsubscribe-success, License Deprovisioned) about an agreement that another one continues (`next`)
   * or whose replacement offer is out (no `next` yet): recorded, the subscription and the plan go on.
   */
  'end-of-continued-agreement': { kind: string; agreement?: string; next?: string };
  closed: { stage: string; reason: string };
  // closed before the buyer accepted: the offer expired at the marketplace (offer-withdrawal.ts)
  'offer-withdrawn': { offerId: string };
  'offer-withdrawal-pending': { offerId: string; changeSetId: string };
  'offer-withdrawal-failed': { offerId: string; error: string };
  // the deal's episodes (one agreement's life)
  'agreement-created': { intent: string; previous?: string };
  /** `autoRenewal`: `off` when the amendment turned the automatic renewal off (`by` ACCEPTOR/PROPOSER), `on` back on. */
  'agreement-amended': { autoRenewal?: string; by?: string };
  'license-updated': Record<string, never>;
  /** `autoRenewal`: `on` when AWS renews it by itself (unless someone acts before `lockout`), `off` when not. */
  'agreement-ending': { days: Value; endTime?: string; autoRenewal?: string; lockout?: string };
  'agreement-ended': { status?: string };
  'license-deprovisioned': Record<string, never>;
  /** An episode that arrived after its agreement ended: `of` is the episode's own code. */
  'arrived-late': { of: string };
  'continued-by': { next: string; intent: string };
  'plan-continues': { next?: string };
  'plan-end-scheduled': { endsAt: string };
  'plan-already-ended': { agreementId: string };
  'grace-kept': Record<string, never>;
  'grace-ended': Record<string, never>;
  // a seller's cancellation request (agreement-cancellation.ts); `role` of who asked, `reason` AWS's reason code
  'cancellation-requested': { name: string; role: string; reason: string; note?: string };
  'cancellation-withdrawn': { name: string; role: string; reason: string };
  'cancellation-pending': { requestId: string };
  'cancellation-approved': { requestId: string; message?: string };
  'cancellation-rejected': { requestId: string; message?: string };
  'cancellation-cancelled': { requestId: string; message?: string };
  'cancellation-failed': { requestId: string; message?: string };
  'cancellation-plan-ended': Record<string, never>;
  /** `advisoryId`: AWS's id, else `issued-<issuedAt>` (kept to pair a Resolved with it; not said). */
  'advisory-issued': { description?: string; issuedAt?: string; advisoryId?: string };
  /** `issuedAt`: of the advisory it resolved (the oldest open one when AWS names none). */
  'advisory-resolved': { resolvedAt?: string; issuedAt?: string; advisoryId?: string };
  /**
   * A deal step of the lifecycle workflow ended (Renewal, AdvisoryReview). `outcome`: offer-sent, not-renewing,
   * renewed (by `next`), reviewed, resolved, timed-out, or another ending's error name.
   */
  'step-ended': { stage: string; outcome: string; by?: string; note?: string; next?: string };
  // Renewal → draft-offer: the agreement-based replacement offer (deal-episodes.ts)
  'renewal-offer-requested': { changeSetId: string; attempt: number; by?: string };
  'renewal-offer-sent': { offerId: string; expiresAt: string };
  'renewal-offer-failed': { code: string; message: string };
}

export type TextCode = keyof TextParams;

/** What an entry says: a code of the catalogue and its parameters (kept with the entry). */
export interface Said {
  readonly code: string;
  readonly params: Readonly<Record<string, Value | undefined>>;
}

type Sentence<C extends TextCode> = (p: TextParams[C], locale: Locale) => string;
type Entry<C extends TextCode> = { readonly ja: Sentence<C>; readonly en: Sentence<C> };

/** An instant as people read it everywhere else in the console (`2027-12-04 09:10 UTC`); anything else as it is. */
const utcMinute = (iso: string): string =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) && !Number.isNaN(Date.parse(iso))
    ? `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`
    : iso;

/** A stage by its numbered label in the reader's language; a name the registry does not know, as it is. */
const stage = (name: string, locale: Locale): string =>
  (STAGES as readonly string[]).includes(name) ? numberedLabel(name as Stage, locale) : name;

const ROLES: Record<string, Record<Locale, string>> = {
  sales: { ja: '営業', en: 'sales' },
  support: { ja: 'サポート', en: 'support' },
  buyer: { ja: '購入者', en: 'the buyer' },
  auditor: { ja: '監査', en: 'auditor' },
  admin: { ja: '管理者', en: 'admin' },
  system: { ja: 'システム', en: 'the system' },
};
const role = (name: string, locale: Locale): string => ROLES[name]?.[locale] ?? name;

/** How the offer was made (OfferRecord.source): through the Catalog API, or by hand in the Management Portal. */
const SOURCES: Record<string, Record<Locale, string>> = {
  api: { ja: 'API で作成', en: 'api' },
  manual: { ja: '手動で作成', en: 'manual' },
};
const source = (name: string, locale: Locale): string => SOURCES[name]?.[locale] ?? name;
/** AWS's cancellation reason code in words. */
const reason = (code: string, locale: Locale): string =>
  (REASON_LABELS as Record<string, Record<Locale, string>>)[code]?.[locale] ?? code;
const colon = (message: string | undefined): string => (message ? `: ${message}` : '');

export const TIMELINE_TEXTS: { readonly [C in TextCode]: Entry<C> } = {
  'inquiry-recorded': {
    en: (p) => `Inquiry from ${p.company}`,
    ja: (p) => `${p.company} からのお問い合わせ`,
  },
  'possible-duplicate': {
    en: (p) =>
      `Possible duplicate of ${p.duplicateOf} (same AWS account and e-mail); the buyer confirmed it is another request`,
    ja: (p) =>
      `${p.duplicateOf} と重複の可能性あり（同じ AWS アカウントとメールアドレス）。購入者は別のご依頼であると確認しました`,
  },
  'stage-opened': {
    en: (p, l) => `${stage(p.stage, l)}: waiting for ${role(p.assignee, l)}`,
    ja: (p, l) => `${stage(p.stage, l)}: ${role(p.assignee, l)}の対応待ち`,
  },
  'stage-completed': {
    en: (p, l) => `${stage(p.stage, l)} completed`,
    ja: (p, l) => `${stage(p.stage, l)}が完了しました`,
  },
  'stage-failed': {
    en: (p, l) =>
      p.error === WORKFLOW_ERRORS.offerExtended
        ? `${stage(p.stage, l)} left to extend the offer; it waits again until the new expiry`
        : `${stage(p.stage, l)} ended: ${p.error}`,
    ja: (p, l) =>
      p.error === WORKFLOW_ERRORS.offerExtended
        ? `オファーの有効期限を延長するため${stage(p.stage, l)}をいったん終了しました（新しい有効期限まで再び待ちます）`
        : `${stage(p.stage, l)}を終了しました: ${p.error}`,
  },
  'stage-submitted-early': {
    en: (p, l) => `${stage(p.stage, l)} submitted before it opened`,
    ja: (p, l) => `${stage(p.stage, l)}が開始前に送信されました`,
  },
  'offer-requested': {
    en: (p) => `Change set ${p.changeSetId} started (attempt ${p.attempt})`,
    ja: (p) => `変更セット ${p.changeSetId} を開始しました（${p.attempt} 回目）`,
  },
  'offer-extension-requested': {
    en: (p) => `Extending ${p.offerId} to ${p.offerExpiresAt}`,
    ja: (p) => `${p.offerId} の有効期限を ${p.offerExpiresAt} に延長しています`,
  },
  'offer-ready': {
    en: (p) => `Offer ${p.offerId} is released`,
    ja: (p) => `オファー ${p.offerId} が公開されました`,
  },
  'offer-failed': {
    en: (p) => `Change set ${p.changeSetId} ${p.status}: ${p.code}`,
    ja: (p) => `変更セット ${p.changeSetId} が失敗しました（${p.status}: ${p.code}）`,
  },
  'offer-notified': {
    en: (p, l) => `Offer ${p.offerId} (${source(p.source, l)}) sent to the buyer`,
    ja: (p, l) => `オファー ${p.offerId}（${source(p.source, l)}）を購入者に送りました`,
  },
  'offer-notice-resent': {
    en: (p) => `The offer e-mail for ${p.offerId} was sent to the buyer again`,
    ja: (p) => `オファー ${p.offerId} のご案内メールを購入者に再送しました`,
  },
  'offer-extension-asked': {
    en: (p) =>
      `Offer ${p.offerId} extended while waiting for the buyer: expiry ${p.from.slice(0, 10)} → ${p.to.slice(0, 10)} (UTC)`,
    ja: (p) =>
      `購入者の承諾待ちのオファー ${p.offerId} の有効期限を ${p.from.slice(0, 10)} から ${p.to.slice(0, 10)}（UTC）に延長しました`,
  },
  'offer-extension-failed': {
    en: (p) =>
      `Extending offer ${p.offerId} to ${p.requested.slice(0, 10)} (UTC) failed (${p.error}): the offer stays open until ${p.kept.slice(0, 10)} (UTC) and the buyer is waited for until then`,
    ja: (p) =>
      `オファー ${p.offerId} の有効期限を ${p.requested.slice(0, 10)}（UTC）に延長できませんでした（${p.error}）。オファーは ${p.kept.slice(0, 10)}（UTC）まで有効のままで、それまで購入者のサブスクライブを待ちます`,
  },
  'account-created': {
    en: (p) => `Account "${p.tenant}" created (${p.provider})`,
    ja: (p) => `アカウント「${p.tenant}」を作成しました（${p.provider}）`,
  },
  'paid-plan-activated': {
    en: (p) => `Plan ${p.plan} active on ${p.tenant}`,
    ja: (p) => `${p.tenant} でプラン ${p.plan} が有効になりました`,
  },
  'paid-plan-ended': {
    en: (p) => `Paid plan ${p.plan} ended on ${p.tenant} (${p.signal})`,
    ja: (p) => `${p.tenant} の有料プラン ${p.plan} を終了しました（${p.signal}）`,
  },
  'plan-changed': {
    en: (p) => `Plan changed on ${p.tenant}: ${p.plan}`,
    ja: (p) => `${p.tenant} のプランを変更しました: ${p.plan}`,
  },
  completed: {
    en: () => 'Onboarding completed',
    ja: () => 'オンボーディングが完了しました',
  },
  'buyer-arrived': {
    en: () => 'The buyer arrived from AWS Marketplace',
    ja: () => '購入者が AWS Marketplace から来ました',
  },
  'history-archived': {
    en: (p) => `Execution history archived (${p.events} events)`,
    ja: (p) => `実行履歴をアーカイブしました（${p.events} 件のイベント）`,
  },
  'marketplace-signal': {
    en: (p) => `Marketplace: ${p.kind}`,
    ja: (p) => `マーケットプレイスからの通知: ${p.kind}`,
  },
  'end-of-continued-agreement': {
    en: (p) =>
      `Marketplace: ${p.kind} for ${p.agreement ?? 'the replaced agreement'}, which ${p.next ? `${p.next} continues` : 'its replacement offer is to continue'}: the subscription and the paid plan go on`,
    ja: (p) =>
      `マーケットプレイスからの通知: ${p.agreement ?? '置き換えられた契約'} の ${p.kind}。${p.next ? `${p.next} が引き継いでいる` : '置き換えオファーで引き継ぐ予定の'}契約のため、サブスクリプションと有料プランは継続します`,
  },
  closed: {
    en: (p, l) => `Closed at ${stage(p.stage, l)}: ${p.reason}`,
    ja: (p, l) => `${stage(p.stage, l)}で終了しました: ${p.reason}`,
  },
  'offer-withdrawn': {
    en: (p) => `Offer ${p.offerId} expired on AWS Marketplace: the buyer can no longer accept it`,
    ja: (p) => `オファー ${p.offerId} を AWS Marketplace で失効させました。購入者はもう承諾できません`,
  },
  'offer-withdrawal-pending': {
    en: (p) =>
      `Expiring offer ${p.offerId} on AWS Marketplace (change set ${p.changeSetId} still applying); support was asked to check it`,
    ja: (p) =>
      `オファー ${p.offerId} を AWS Marketplace で失効させています（変更セット ${p.changeSetId} は適用中）。サポートに確認を依頼しました`,
  },
  'offer-withdrawal-failed': {
    en: (p) =>
      `Offer ${p.offerId} could not be expired on AWS Marketplace (${p.error}): the buyer may still accept it; support was asked to expire it by hand`,
    ja: (p) =>
      `オファー ${p.offerId} を AWS Marketplace で失効させられませんでした（${p.error}）。購入者がまだ承諾できるため、サポートに手動での失効を依頼しました`,
  },
  'agreement-created': {
    en: (p, l) =>
      `Agreement created (${agreementWord('intent', p.intent, l).toLowerCase()}${p.previous ? ` of ${p.previous}` : ''})`,
    ja: (p, l) =>
      `契約が作成されました（${agreementWord('intent', p.intent, l)}${p.previous ? `、${p.previous} から` : ''}）`,
  },
  'agreement-amended': {
    en: (p) =>
      `Agreement amended${
        p.autoRenewal === 'off'
          ? `: auto-renewal turned off${p.by ? ` by ${p.by === 'ACCEPTOR' ? 'the buyer' : p.by === 'PROPOSER' ? 'the seller' : p.by}` : ''}`
          : p.autoRenewal === 'on'
            ? ': auto-renewal turned on'
            : ''
      }`,
    ja: (p) =>
      `契約が変更されました${
        p.autoRenewal === 'off'
          ? `。${p.by ? `${p.by === 'ACCEPTOR' ? '購入者' : p.by === 'PROPOSER' ? '販売者' : p.by}が` : ''}自動更新をオフにしました`
          : p.autoRenewal === 'on'
            ? '。自動更新がオンになりました'
            : ''
      }`,
  },
  'license-updated': {
    en: () => 'License updated (entitlements changed)',
    ja: () => 'ライセンスが更新されました（利用権の変更）',
  },
  'agreement-ending': {
    en: (p) =>
      `Agreement ends in ${p.days} days${p.endTime ? ` (${utcMinute(p.endTime)})` : ''}${
        p.autoRenewal === 'on'
          ? `; it renews automatically unless sales acts${p.lockout ? ` before ${utcMinute(p.lockout)}` : ''}`
          : p.autoRenewal === 'off'
            ? '; automatic renewal is off'
            : ''
      }`,
    ja: (p) =>
      `契約はあと ${p.days} 日で終了します${p.endTime ? `（${utcMinute(p.endTime)}）` : ''}${
        p.autoRenewal === 'on'
          ? `。${p.lockout ? `${utcMinute(p.lockout)} までに` : ''}営業が対応しなければ自動更新されます`
          : p.autoRenewal === 'off'
            ? '。自動更新はオフです'
            : ''
      }`,
  },
  'agreement-ended': {
    en: (p, l) =>
      `Agreement ended (${p.status ? agreementWord('status', p.status, l).toLowerCase() : 'status not given'})`,
    ja: (p, l) =>
      `契約が終了しました（${p.status ? agreementWord('status', p.status, l) : '状態の通知なし'}）`,
  },
  'license-deprovisioned': {
    en: () => 'License deprovisioned',
    ja: () => 'ライセンスが取り消されました',
  },
  'arrived-late': {
    en: (p, l) => `${episodeName(p.of, l)}: arrived after the agreement ended, nothing changed`,
    ja: (p, l) => `${episodeName(p.of, l)}: 契約の終了後に届いたため、何も変更していません`,
  },
  'continued-by': {
    en: (p, l) => `Continued by ${p.next} (${agreementWord('intent', p.intent, l).toLowerCase()})`,
    ja: (p, l) => `${p.next} に引き継がれました（${agreementWord('intent', p.intent, l)}）`,
  },
  'plan-continues': {
    en: (p) => `The paid plan continues under ${p.next ?? 'the next agreement'}`,
    ja: (p) => (p.next ? `有料プランは ${p.next} で続きます` : '有料プランは次の契約で続きます'),
  },
  'plan-end-scheduled': {
    en: (p) => `The paid plan ends at ${utcMinute(p.endsAt)} unless a renewal or replacement arrives before`,
    ja: (p) => `更新または置き換えの契約が届かなければ、有料プランは ${utcMinute(p.endsAt)} に終了します`,
  },
  'plan-already-ended': {
    en: (p) =>
      `Agreement ${p.agreementId} ended; its paid plan had already ended (the approved cancellation): nothing was left to end`,
    ja: (p) =>
      `契約 ${p.agreementId} が終了しました。有料プランは承認された解約ですでに終了しているため、終了するものはありませんでした`,
  },
  'grace-kept': {
    en: () => 'The grace period ended; a later agreement carries the paid plan on',
    ja: () => '猶予期間が終わりました。後の契約が有料プランを引き継ぎます',
  },
  'grace-ended': {
    en: () => 'The grace period ended: the paid plan was ended',
    ja: () => '猶予期間が終わり、有料プランを終了しました',
  },
  'advisory-issued': {
    en: (p) =>
      `AWS Marketplace issued an advisory${p.issuedAt ? ` at ${utcMinute(p.issuedAt)}` : ''}${p.description ? `: ${p.description}` : ''}`,
    ja: (p) =>
      `AWS Marketplace が${p.issuedAt ? ` ${utcMinute(p.issuedAt)} に` : ''}アドバイザリーを発行しました${p.description ? `: ${p.description}` : ''}`,
  },
  'advisory-resolved': {
    en: (p) =>
      `AWS Marketplace resolved the advisory${p.issuedAt ? ` issued at ${utcMinute(p.issuedAt)}` : ''}${p.resolvedAt ? ` (${utcMinute(p.resolvedAt)})` : ''}`,
    ja: (p) =>
      `AWS Marketplace が${p.issuedAt ? ` ${utcMinute(p.issuedAt)} 発行の` : ''}アドバイザリーを解決済みにしました${p.resolvedAt ? `（${utcMinute(p.resolvedAt)}）` : ''}`,
  },
  'renewal-offer-requested': {
    en: (p) =>
      `Renewal offer requested from AWS Marketplace (change set ${p.changeSetId}, attempt ${p.attempt})${p.by ? ` by ${p.by}` : ''}`,
    ja: (p) =>
      `更新オファーを AWS Marketplace に依頼しました（変更セット ${p.changeSetId}、${p.attempt} 回目）${p.by ? `（${p.by}）` : ''}`,
  },
  'renewal-offer-sent': {
    en: (p) =>
      `Renewal offer ${p.offerId} released and sent to the buyer (expires ${utcMinute(p.expiresAt)})`,
    ja: (p) => `更新オファー ${p.offerId} を公開し、購入者に送りました（有効期限 ${utcMinute(p.expiresAt)}）`,
  },
  'renewal-offer-failed': {
    en: (p) => `The renewal offer could not be created (${p.code}): ${p.message}`,
    ja: (p) => `更新オファーを作成できませんでした（${p.code}）: ${p.message}`,
  },
  'step-ended': {
    en: (p, l) => {
      const by = p.by ? ` by ${p.by}` : '';
      const note = p.note ? `: ${p.note}` : '';
      switch (p.outcome) {
        case 'offer-sent':
          return `${stage(p.stage, l)}: a renewal offer was sent${by}${note}`;
        case 'not-renewing':
          return `${stage(p.stage, l)}: the customer does not renew${by}${note}`;
        case 'renewed':
          return `${stage(p.stage, l)}: continued by ${p.next ?? 'a new agreement'}`;
        case 'reviewed':
          return `${stage(p.stage, l)}: reviewed${by}${note}`;
        case 'resolved':
          return `${stage(p.stage, l)}: resolved by AWS Marketplace`;
        case 'timed-out':
          return `${stage(p.stage, l)}: nobody acted before it was due`;
        case 'approved':
          return `${stage(p.stage, l)}: approved (the agreement is cancelled)`;
        case 'rejected':
          return `${stage(p.stage, l)}: rejected by the buyer`;
        case 'withdrawn':
          return `${stage(p.stage, l)}: the request was withdrawn`;
        case 'validation-failed':
          return `${stage(p.stage, l)}: AWS refused the request`;
        default:
          return `${stage(p.stage, l)} ended without a decision (${p.outcome})`;
      }
    },
    ja: (p, l) => {
      const by = p.by ? `（${p.by}）` : '';
      const note = p.note ? `: ${p.note}` : '';
      switch (p.outcome) {
        case 'offer-sent':
          return `${stage(p.stage, l)}: 更新のオファーを送りました${by}${note}`;
        case 'not-renewing':
          return `${stage(p.stage, l)}: お客様は更新しません${by}${note}`;
        case 'renewed':
          return `${stage(p.stage, l)}: ${p.next ?? '新しい契約'} に引き継がれました`;
        case 'reviewed':
          return `${stage(p.stage, l)}: 確認しました${by}${note}`;
        case 'resolved':
          return `${stage(p.stage, l)}: AWS Marketplace が解決済みにしました`;
        case 'timed-out':
          return `${stage(p.stage, l)}: 期限までに対応がありませんでした`;
        case 'approved':
          return `${stage(p.stage, l)}: 承認されました（契約はキャンセルされます）`;
        case 'rejected':
          return `${stage(p.stage, l)}: 購入者が拒否しました`;
        case 'withdrawn':
          return `${stage(p.stage, l)}: 依頼は取り下げられました`;
        case 'validation-failed':
          return `${stage(p.stage, l)}: AWS が依頼を受け付けませんでした`;
        default:
          return `${stage(p.stage, l)} は判断なしで終了しました（${p.outcome}）`;
      }
    },
  },
  'cancellation-requested': {
    en: (p, l) =>
      `Cancellation requested by ${p.name} (${role(p.role, l)}): ${reason(p.reason, l)}${p.note ? ` — ${p.note}` : ''}`,
    ja: (p, l) =>
      `${p.name}（${role(p.role, l)}）がキャンセルを依頼しました: ${reason(p.reason, l)}${p.note ? ` — ${p.note}` : ''}`,
  },
  'cancellation-withdrawn': {
    en: (p, l) => `Cancellation request withdrawn by ${p.name} (${role(p.role, l)}): ${p.reason}`,
    ja: (p, l) => `${p.name}（${role(p.role, l)}）がキャンセル依頼を取り下げました: ${p.reason}`,
  },
  'cancellation-pending': {
    en: (p) =>
      `Cancellation request ${p.requestId} waits for the buyer (approved after 7 days without an answer)`,
    ja: (p) => `キャンセル依頼 ${p.requestId} は購入者の回答待ちです（7 日間回答がなければ承認）`,
  },
  'cancellation-approved': {
    en: (p) => `Cancellation request ${p.requestId} approved${colon(p.message)}`,
    ja: (p) => `キャンセル依頼 ${p.requestId} が承認されました${colon(p.message)}`,
  },
  'cancellation-rejected': {
    en: (p) => `Cancellation request ${p.requestId} rejected by the buyer${colon(p.message)}`,
    ja: (p) => `購入者がキャンセル依頼 ${p.requestId} を拒否しました${colon(p.message)}`,
  },
  'cancellation-cancelled': {
    en: (p) => `Cancellation request ${p.requestId} withdrawn${colon(p.message)}`,
    ja: (p) => `キャンセル依頼 ${p.requestId} は取り下げられました${colon(p.message)}`,
  },
  'cancellation-failed': {
    en: (p) => `Cancellation request ${p.requestId} failed AWS's validation${colon(p.message)}`,
    ja: (p) => `キャンセル依頼 ${p.requestId} は AWS の検証で却下されました${colon(p.message)}`,
  },
  'cancellation-plan-ended': {
    en: () => 'The cancellation was approved: the paid plan was ended',
    ja: () => 'キャンセルが承認されたため、有料プランを終了しました',
  },
};

const isCode = (code: string): code is TextCode => Object.hasOwn(TIMELINE_TEXTS, code);

/** What an entry says, typed: the parameters the code needs. */
export function said<C extends TextCode>(code: C, params: TextParams[C]): Said {
  const kept: Record<string, Value> = {};
  for (const [k, v] of Object.entries(params as Record<string, Value | undefined>)) {
    if (v !== undefined) kept[k] = v;
  }
  return { code, params: kept };
}

/** The sentence in `locale`, or undefined for a code the catalogue does not have (written by a newer version). */
export function say(text: Said, locale: Locale): string | undefined {
  if (!isCode(text.code)) return undefined;
  const sentence = TIMELINE_TEXTS[text.code][locale] as (p: Said['params'], l: Locale) => string;
  return sentence(text.params, locale);
}

/** An episode's own name inside another sentence (`arrived-late`): the sentence of its code without parameters. */
function episodeName(code: string, locale: Locale): string {
  if (!isCode(code) || code === 'arrived-late') return code;
  return say({ code, params: {} }, locale)?.replace(/ \(.*\)$|（.*）$/, '') ?? code;
}

// --- entries written before codes existed: their English sentences, as this code base wrote them ----------------

type Reader = (summary: string) => Said | undefined;

const match =
  <C extends TextCode>(code: C, re: RegExp, params: (m: RegExpExecArray) => TextParams[C]): Reader =>
  (summary) => {
    const m = re.exec(summary);
    return m ? said(code, params(m)) : undefined;
  };
const fixed =
  <C extends TextCode>(code: C, sentence: string): Reader =>
  (summary) =>
    summary === sentence ? said(code, {} as TextParams[C]) : undefined;
const g = (m: RegExpExecArray, i: number): string => m[i] ?? '';

/** By the entry's action (timeline) or kind (episode): how the sentence it was stored with reads as a code. */
const LEGACY: Record<string, Reader> = {
  'inquiry-recorded': match('inquiry-recorded', /^Inquiry from (.*)$/s, (m) => ({ company: g(m, 1) })),
  'possible-duplicate': match('possible-duplicate', /^Possible duplicate of (\S+) /, (m) => ({
    duplicateOf: g(m, 1),
  })),
  'stage-opened': match('stage-opened', /^(\w+) waiting for (\w+)$/, (m) => ({
    stage: g(m, 1),
    assignee: g(m, 2),
  })),
  'stage-completed': match('stage-completed', /^(\w+) completed by /, (m) => ({ stage: g(m, 1) })),
  'stage-failed': match('stage-failed', /^(\w+) ended by \S+ \S+: (.*)$/s, (m) => ({
    stage: g(m, 1),
    error: g(m, 2),
  })),
  'stage-submitted-early': match('stage-submitted-early', /^(\w+) submitted by /, (m) => ({
    stage: g(m, 1),
  })),
  'offer-requested': match('offer-requested', /^Change set (\S+) started \(attempt (\d+)\)$/, (m) => ({
    changeSetId: g(m, 1),
    attempt: Number(g(m, 2)),
  })),
  'offer-extension-requested': match('offer-extension-requested', /^Extending (\S+) to (\S+)$/, (m) => ({
    offerId: g(m, 1),
    offerExpiresAt: g(m, 2),
  })),
  'offer-ready': match('offer-ready', /^Offer (\S+) is released$/, (m) => ({ offerId: g(m, 1) })),
  'offer-failed': match('offer-failed', /^Change set (\S+) (\S+): (.*)$/s, (m) => ({
    changeSetId: g(m, 1),
    status: g(m, 2),
    code: g(m, 3),
  })),
  'offer-notified': match('offer-notified', /^Offer (\S+) \((\w+)\) sent to the buyer$/, (m) => ({
    offerId: g(m, 1),
    source: g(m, 2),
  })),
  'account-created': match('account-created', /^Account "(.*)" created \((.*)\)$/s, (m) => ({
    tenant: g(m, 1),
    provider: g(m, 2),
  })),
  'paid-plan-activated': match('paid-plan-activated', /^Plan (.*) active on (.*)$/s, (m) => ({
    plan: g(m, 1),
    tenant: g(m, 2),
  })),
  'paid-plan-ended': match('paid-plan-ended', /^Paid plan (.*) ended on (.*) \((.*)\)$/s, (m) => ({
    plan: g(m, 1),
    tenant: g(m, 2),
    signal: g(m, 3),
  })),
  'plan-changed': match('plan-changed', /^Plan changed on (.*): (.*)$/s, (m) => ({
    tenant: g(m, 1),
    plan: g(m, 2),
  })),
  completed: fixed('completed', 'Onboarding completed'),
  'buyer-arrived': fixed('buyer-arrived', 'The buyer arrived from AWS Marketplace'),
  'history-archived': match('history-archived', /^Execution history archived \((\d+) events\)$/, (m) => ({
    events: Number(g(m, 1)),
  })),
  closed: match('closed', /^Closed at (\w+): (.*)$/s, (m) => ({ stage: g(m, 1), reason: g(m, 2) })),
  // episodes, by kind
  created: match('agreement-created', /^Agreement created \((\w+)(?: of (\S+))?\)$/, (m) => ({
    intent: g(m, 1),
    ...(m[2] ? { previous: m[2] } : {}),
  })),
  amended: fixed('agreement-amended', 'Agreement amended'),
  'license-updated': fixed('license-updated', 'License updated (entitlements changed)'),
  ending: match('agreement-ending', /^Agreement ends in (\S+) days(?: \((.*)\))?$/, (m) => ({
    days: g(m, 1),
    ...(m[2] ? { endTime: m[2] } : {}),
  })),
  ended: match('agreement-ended', /^Agreement ended \((.*)\)$/, (m) =>
    g(m, 1) === 'status not given' ? {} : { status: g(m, 1) },
  ),
  'license-deprovisioned': fixed('license-deprovisioned', 'License deprovisioned'),
  'renewed-by': match('continued-by', /^Continued by (\S+) \((\w+)\)$/, (m) => ({
    next: g(m, 1),
    intent: g(m, 2),
  })),
  'plan-end-scheduled': match('plan-end-scheduled', /^The paid plan ends at (\S+) unless/, (m) => ({
    endsAt: g(m, 1),
  })),
  'plan-kept': (s) =>
    fixed('grace-kept', 'The grace period ended; a later agreement carries the paid plan on')(s) ??
    match('plan-continues', /^The paid plan continues under (.*)$/, (m) =>
      g(m, 1) === 'the next agreement' ? {} : { next: g(m, 1) },
    )(s),
  'plan-ended': fixed('grace-ended', 'The grace period ended: the paid plan was ended'),
  late: (s) => {
    const m = /^(.*): arrived after the agreement ended, nothing changed$/s.exec(s);
    if (!m) return undefined;
    for (const kind of ['amended', 'license-updated', 'ending'] as const) {
      const inner = LEGACY[kind]?.(g(m, 1));
      if (inner) return said('arrived-late', { of: inner.code });
    }
    return undefined;
  },
};

/** An entry stored with only its English sentence: its code and parameters when this code base wrote it. */
export function readLegacy(key: string, summary: string): Said | undefined {
  if (key.startsWith('signal-') && summary === `Marketplace: ${key.slice('signal-'.length)}`) {
    return said('marketplace-signal', { kind: key.slice('signal-'.length) });
  }
  return LEGACY[key]?.(summary);
}

/**
 * What an entry says in `locale`: from its code; an older entry (English only) in English as stored, in another
 * language from its recognised sentence, else as stored.
 */
export function readable(
  entry: { readonly text?: Said | undefined; readonly summary: string },
  key: string,
  locale: Locale,
): string {
  const text = entry.text ?? (locale === 'en' ? undefined : readLegacy(key, entry.summary));
  return (text && say(text, locale)) ?? entry.summary;
}

/** Who acted, in words, in the reader's language (staff by name and role, the buyer by e-mail and account). */
export function actorWords(actor: Actor, locale: Locale): string {
  switch (actor.kind) {
    case 'staff':
      return locale === 'ja'
        ? `${actor.name ?? actor.id}（${role(actor.role, locale)}）`
        : `${actor.name ?? actor.id} (${actor.role})`;
    case 'buyer':
      if (actor.email && actor.email !== actor.id) {
        return locale === 'ja'
          ? `購入者 ${actor.email}（AWS アカウント ${actor.id}）`
          : `buyer ${actor.email} (AWS account ${actor.id})`;
      }
      return locale === 'ja' ? `購入者 ${actor.email ?? actor.id}` : `buyer ${actor.email ?? actor.id}`;
    case 'system':
      return locale === 'ja' ? `システム（${actor.id}）` : `system (${actor.id})`;
  }
}

/** A record's text as kept: the English sentence (`summary`) beside its code and parameters (`text`). */
export function kept(text: Said): { summary: string; text: Said } {
  return { summary: say(text, 'en') ?? text.code, text };
}
