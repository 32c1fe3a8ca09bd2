/**
 * E-mails to sales and support (pure). They link to the console page of the onboarding; staff act there on
 * (onboarding, stage). They never contain a task token. Bilingual: Japanese first, then English.
 */
import { type HumanStage, humanStage, stageEntry } from '../../../workflows/contracts/stage-registry.js';
import { type EmailContent, formatDateTime, link, mail } from './format.js';

export function staffTaskEmail(c: {
  stage: HumanStage;
  onboardingId: string;
  company: string;
  consoleUrl: string;
  dueAt: string;
  note?: string;
}): EmailContent {
  const { label } = humanStage(c.stage);
  return mail(
    'ja',
    `[Onboarding] ${label.ja} / ${label.en}: ${c.company} (${c.onboardingId})`,
    `${c.company} のオンボーディングで「${label.ja}」の対応が必要です。`,
    `期限: ${formatDateTime(c.dueAt, 'ja')}`,
    c.note ? `備考: ${c.note}` : undefined,
    ['コンソール: ', link(c.consoleUrl)],
    '',
    `The onboarding of ${c.company} needs you: ${label.en}.`,
    `Due: ${formatDateTime(c.dueAt, 'en')}`,
    c.note ? `Note: ${c.note}` : undefined,
    ['Console: ', link(c.consoleUrl)],
  );
}

export type SupportAlertKind =
  | 'timed-out'
  | 'subscription-failed'
  | 'closed'
  | 'offer-failed'
  | 'unmatched-signal'
  | 'reconciliation'
  | 'setup-not-started'
  | 'offer-expiring';

/** Alerts about a stage carry that stage's label; a signal without an onboarding has no stage. */
const ALERT_LABEL: Record<SupportAlertKind, { ja: string; en: string }> = {
  'timed-out': stageEntry('StageTimedOut').label,
  'subscription-failed': stageEntry('SubscriptionFailed').label,
  closed: stageEntry('Closed').label,
  'offer-failed': stageEntry('OfferFailed').label,
  'unmatched-signal': {
    ja: '対応するオンボーディングのない通知',
    en: 'Marketplace signal without an onboarding',
  },
  reconciliation: { ja: '契約の突き合わせで見つかった差異', en: 'Agreements reconciled: differences found' },
  'offer-expiring': {
    ja: 'オファーの期限が近づいています（未承諾）',
    en: 'Offer expiring, not accepted yet',
  },
  'setup-not-started': {
    ja: '購読後にアカウント設定が始まっていません',
    en: 'Subscribed, but account setup not started',
  },
};

export function supportAlertEmail(c: {
  kind: SupportAlertKind;
  onboardingId?: string;
  company?: string;
  consoleUrl?: string;
  detail: string;
}): EmailContent {
  const label = ALERT_LABEL[c.kind];
  const who = c.company && c.onboardingId ? `${c.company} (${c.onboardingId})` : (c.onboardingId ?? '-');
  return mail(
    'ja',
    `[Onboarding alert] ${label.ja} / ${label.en}: ${who}`,
    `${label.ja}: ${who}`,
    `${label.en}: ${who}`,
    '',
    ...c.detail.split('\n').filter((l) => l !== ''),
    c.consoleUrl ? '' : undefined,
    c.consoleUrl ? ['Console: ', link(c.consoleUrl)] : undefined,
  );
}
