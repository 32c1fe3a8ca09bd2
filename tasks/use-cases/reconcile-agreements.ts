/**
 * Nothing missed (issue 11 item 3): AWS delivers Marketplace events best effort, so the seller's agreements are
 * compared with our records (SearchAgreements as Proposer for the product, 50 a page) and each difference is repaired
 * through the same use case the event would have gone through (handleMarketplaceSignal), with an event id of its own
 * (`reconcile:<agreementId>:<what>`), so a later real event, or the next run, changes nothing twice:
 * - an agreement with no record: its `Created` (and, when it already ended, its `Ended`);
 * - a record still active whose agreement ended: its `Ended`;
 * - an agreement no onboarding knows: listed for support.
 * And a buyer who subscribed but never clicked "アカウントを設定" (an onboarding waiting at AccountSetup for longer
 * than `setupReminderHours`) is reminded once, and sales is told.
 */
import { isEnded } from '../domain/agreement.js';
import { buyerSetupReminderEmail, supportAlertEmail } from '../domain/emails/index.js';
import type { MarketplaceSignal } from '../domain/marketplace-signals.js';
import { isLive } from '../domain/onboarding.js';
import type { AgreementInfo } from '../ports/agreement-lookup.js';
import { consoleUrl } from '../ports/config.js';
import type { Ports } from '../ports/index.js';
import { endPlanIfDue } from './agreement-lifecycle.js';
import { handleMarketplaceSignal, type SignalPorts } from './marketplace-signals.js';
import { nowIso, sendBestEffort } from './shared.js';

export interface ReconcileFinding {
  readonly agreementId?: string;
  readonly onboardingId?: string;
  readonly what:
    | 'missing-record'
    | 'missing-end'
    | 'unmatched'
    | 'setup-reminded'
    | 'offer-expiring'
    | 'grace-ended'
    | 'grace-kept';
  readonly detail: string;
}

export interface ReconcileReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly agreements: number;
  readonly pages: number;
  readonly findings: ReconcileFinding[];
}

export interface ReconcileOptions {
  /** A buyer waiting at AccountSetup longer than this is reminded. @default 24 */
  readonly setupReminderHours?: number;
  /** Sales is reminded of an offer the buyer has not accepted this many days before it expires. @default 3 */
  readonly offerReminderDays?: number;
  /** Told after each page (progress for long runs). */
  readonly onPage?: (done: { pages: number; agreements: number }) => void;
}

type ReconcilePorts = SignalPorts & Pick<Ports, 'agreements' | 'agreementRecords' | 'facts'>;

async function onboardingOf(ports: ReconcilePorts, a: AgreementInfo) {
  const byRef = await ports.onboardings.findByRef('agreement', a.agreementId);
  if (byRef) return ports.onboardings.get(byRef);
  if (a.offerId) {
    const byOffer = await ports.onboardings.findByOfferId(a.offerId);
    if (byOffer) return byOffer;
  }
  // a renewal or replacement offer we did not create: the customer's newest onboarding that reached its plan
  if (a.acceptorAccountId) {
    const mine = await ports.onboardings.findByBuyerAccount(a.acceptorAccountId);
    return mine.find((o) => o.paidPlan) ?? mine.find(isLive);
  }
  return undefined;
}

const signal = (
  a: AgreementInfo,
  kind: MarketplaceSignal['kind'],
  at: string,
  what: string,
): MarketplaceSignal => ({
  origin: 'eventbridge',
  eventId: `reconcile:${a.agreementId}:${what}`,
  kind,
  at,
  agreementId: a.agreementId,
  ...(a.status ? { agreementStatus: a.status } : {}),
  ...(a.offerId ? { offerId: a.offerId } : {}),
  ...(a.acceptorAccountId ? { customerAwsAccountId: a.acceptorAccountId } : {}),
  ...(a.startTime ? { startTime: a.startTime } : {}),
  ...(a.endTime ? { endTime: a.endTime } : {}),
});

export async function reconcileAgreements(
  ports: ReconcilePorts,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const startedAt = nowIso(ports);
  const findings: ReconcileFinding[] = [];
  let pages = 0;
  let agreements = 0;
  // ends are applied after every record exists: an old agreement's end must see the customer's newer live agreement
  const ends: { a: AgreementInfo; onboardingId: string }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ports.agreements.searchAgreements({
      productId: ports.config.productId,
      ...(nextToken ? { nextToken } : {}),
    });
    pages += 1;
    for (const a of page.items) {
      agreements += 1;
      const onboarding = await onboardingOf(ports, a);
      if (!onboarding) {
        // an agreement nobody onboarded (accepted from a public listing, or before this system): support decides
        const seen = await ports.facts.recall(`reconcile-unmatched#${a.agreementId}`);
        if (!seen) {
          findings.push({
            agreementId: a.agreementId,
            what: 'unmatched',
            detail: `${a.status ?? '?'} for ${a.acceptorAccountId ?? '?'}`,
          });
          await ports.facts.remember(
            `reconcile-unmatched#${a.agreementId}`,
            { at: startedAt },
            30 * 24 * 3600,
          );
        }
        continue;
      }
      const record = await ports.agreementRecords.get(onboarding.id, a.agreementId);
      const ended = !!a.status && a.status !== 'ACTIVE';
      if (!record) {
        await handleMarketplaceSignal(
          ports,
          signal(a, 'agreement-created', a.startTime ?? startedAt, 'created'),
        );
        findings.push({
          agreementId: a.agreementId,
          onboardingId: onboarding.id,
          what: 'missing-record',
          detail: `Created (${a.status ?? '?'}) was never received`,
        });
      }
      if (ended && !(record && isEnded(record))) ends.push({ a, onboardingId: onboarding.id });
      if (record?.planEndsAt) {
        const done = await endPlanIfDue(ports, onboarding, record);
        if (done !== 'not-due')
          findings.push({
            agreementId: a.agreementId,
            onboardingId: onboarding.id,
            what: done === 'ended' ? 'grace-ended' : 'grace-kept',
            detail: `grace period over at ${record.planEndsAt}`,
          });
      }
    }
    options.onPage?.({ pages, agreements });
    nextToken = page.nextToken;
  } while (nextToken);

  for (const { a, onboardingId } of ends) {
    await handleMarketplaceSignal(
      ports,
      signal(a, 'agreement-ended', a.endTime ?? startedAt, `ended:${a.status}`),
    );
    findings.push({
      agreementId: a.agreementId,
      onboardingId,
      what: 'missing-end',
      detail: `Ended (${a.status}) was never received`,
    });
  }
  findings.push(...(await remindStuckSetups(ports, options.setupReminderHours ?? 24)));
  findings.push(...(await remindExpiringOffers(ports, options.offerReminderDays ?? 3)));
  const finishedAt = nowIso(ports);
  if (findings.length) {
    await sendBestEffort(ports, {
      to: [ports.config.supportEmail],
      ...supportAlertEmail({
        kind: 'reconciliation',
        detail: findings
          .map((f) => `${f.what}: ${f.agreementId ?? ''} ${f.onboardingId ?? ''} ${f.detail}`)
          .join('\n'),
      }),
      tag: 'support-alert:reconciliation',
    });
  }
  ports.log.info('agreements reconciled', { agreements, pages, findings: findings.length });
  return { startedAt, finishedAt, agreements, pages, findings };
}

/** Every live onboarding waiting at `stage` (the console's per-stage list, 100 a page), read whole. */
async function* liveAt(ports: ReconcilePorts, stage: 'AccountSetup' | 'AwaitAcceptance') {
  let cursor: string | undefined;
  do {
    const page = await ports.onboardings.listByStage(stage, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const summary of page.items) {
      const o = await ports.onboardings.get(summary.id);
      if (o && isLive(o) && o.stage === stage) yield { o, summary };
    }
    cursor = page.nextCursor;
  } while (cursor);
}

/** Buyers who subscribed but never came to set up: one reminder each (a memo), and sales told. */
async function remindStuckSetups(ports: ReconcilePorts, hours: number): Promise<ReconcileFinding[]> {
  const found: ReconcileFinding[] = [];
  const before = ports.clock.now().getTime() - hours * 3600_000;
  for await (const { o, summary } of liveAt(ports, 'AccountSetup')) {
    if (Date.parse(summary.updatedAt) > before) continue;
    const memo = `setup-reminder#${o.id}`;
    if (await ports.facts.recall(memo)) continue;
    await sendBestEffort(ports, {
      to: [o.inquiry.email],
      ...buyerSetupReminderEmail({
        locale: o.locale,
        company: o.inquiry.company,
        ...(o.offer ? { offerUrl: o.offer.url } : {}),
      }),
      tag: 'buyer:setup-reminder',
    });
    await sendBestEffort(ports, {
      to: [ports.config.salesEmail],
      ...supportAlertEmail({
        kind: 'setup-not-started',
        onboardingId: o.id,
        company: o.inquiry.company,
        consoleUrl: consoleUrl(ports.config, o.id),
        detail: `Subscribed, but "アカウントを設定" not clicked for more than ${hours} hours; the buyer was reminded.`,
      }),
      tag: 'support-alert:setup-not-started',
    });
    await ports.facts.remember(memo, { at: nowIso(ports) }, 90 * 24 * 3600);
    found.push({
      onboardingId: o.id,
      what: 'setup-reminded',
      detail: `at AccountSetup since ${summary.updatedAt}`,
    });
  }
  return found;
}

/**
 * The offer watchdog (issue 11 item 4): an offer the buyer has not accepted that expires within `days` is brought to
 * sales once, while there is still time to extend it (the console's extend form) or to call the buyer.
 */
async function remindExpiringOffers(ports: ReconcilePorts, days: number): Promise<ReconcileFinding[]> {
  const found: ReconcileFinding[] = [];
  const now = ports.clock.now().getTime();
  for await (const { o } of liveAt(ports, 'AwaitAcceptance')) {
    const expires = o.offer ? Date.parse(o.offer.expiresAt) : Number.NaN;
    if (!o.offer || !(expires > now) || expires - now > days * 86_400_000) continue;
    const memo = `offer-expiry-reminder#${o.id}#${o.offer.offerId}#${o.offer.expiresAt}`;
    if (await ports.facts.recall(memo)) continue;
    await sendBestEffort(ports, {
      to: [ports.config.salesEmail],
      ...supportAlertEmail({
        kind: 'offer-expiring',
        onboardingId: o.id,
        company: o.inquiry.company,
        consoleUrl: consoleUrl(ports.config, o.id),
        detail: `The offer ${o.offer.offerId} expires at ${o.offer.expiresAt} and the buyer has not accepted it: extend it or call the buyer.`,
      }),
      tag: 'support-alert:offer-expiring',
    });
    await ports.facts.remember(memo, { at: nowIso(ports) }, 90 * 24 * 3600);
    found.push({
      onboardingId: o.id,
      what: 'offer-expiring',
      detail: `${o.offer.offerId} expires ${o.offer.expiresAt}`,
    });
  }
  return found;
}
