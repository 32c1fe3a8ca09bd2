/**
 * The deal after the sale (issue 11): every marketplace signal about an agreement becomes an episode of that
 * agreement's record (tasks/domain/agreement.ts), and the episodes that change what the customer may use act on the
 * vendor's tenant through the provisioning port:
 * - Amended / License Updated after the paid plan is active: the new entitlements are read (GetEntitlements) and the
 *   plan is changed once per set of entitlements (`agr:<id>:plan-changed.<digest>`); buyer and sales are told.
 * - Created RENEW / REPLACE: the new agreement follows the old one (`previousAgreementId` ↔ `nextAgreementId`) on
 *   the same tenant, with no new onboarding; sales is told. A REPLACE that names no previous agreement is linked
 *   through our replacement offer first (replaced-agreement.ts).
 * - Ending (180…30 days): sales is told, with the agreement's end as the date to act by.
 * - Ended: RENEWED / REPLACED keep the plan (the next agreement carries it); any other end ends the paid plan
 *   (tasks/use-cases/end-paid-plan.ts) unless a later agreement of the same customer is live (laterAgreementLive).
 * Events that arrive after the agreement ended (an Amended after Ended) are recorded as late and change nothing.
 */

import {
  type Agreement,
  type AgreementEpisode,
  CONTINUED_STATUSES,
  dealOrder,
  type EpisodeKind,
  hasEpisode,
  isEnded,
  newAgreement,
  withEpisode,
} from '../domain/agreement.js';
import { dealNoticeEmail, planChangedEmail } from '../domain/emails/index.js';
import { ConcurrentUpdateError } from '../domain/errors.js';
import { digest, type MarketplaceSignal } from '../domain/marketplace-signals.js';
import type { Onboarding } from '../domain/onboarding.js';
import { kept, type Said, said } from '../domain/timeline-texts.js';
import { consoleUrl } from '../ports/config.js';
import type { Ports } from '../ports/index.js';
import { agreementKey } from '../ports/provisioning.js';
import { endPaidPlanAfterSignal } from './end-paid-plan.js';
import { provisioned } from './provisioning.js';
import { note, nowIso, SYSTEM, sendBestEffort, UPDATE_ATTEMPTS } from './shared.js';

export type LifecyclePorts = Pick<
  Ports,
  'agreementRecords' | 'onboardings' | 'provisioning' | 'fulfillment' | 'mailer' | 'clock' | 'config' | 'log'
>;

const EPISODE_OF: Partial<Record<MarketplaceSignal['kind'], EpisodeKind>> = {
  'agreement-created': 'created',
  'agreement-amended': 'amended',
  'license-updated': 'license-updated',
  'agreement-ending': 'ending',
  'agreement-ended': 'ended',
  'license-deprovisioned': 'license-deprovisioned',
  'advisory-issued': 'advisory-issued',
  'advisory-resolved': 'advisory-resolved',
};

/** Reads, changes and saves one agreement record, again from the stored one when someone saved in between. */
export async function updateAgreement(
  ports: Pick<LifecyclePorts, 'agreementRecords'>,
  onboardingId: string,
  agreementId: string,
  create: () => Agreement,
  change: (a: Agreement) => Agreement,
): Promise<{ before: Agreement | undefined; after: Agreement }> {
  for (let attempt = 1; ; attempt++) {
    const before = await ports.agreementRecords.get(onboardingId, agreementId);
    const changed = change(before ?? create());
    if (before && changed === before) return { before, after: before };
    try {
      return { before, after: await ports.agreementRecords.save(changed) };
    } catch (err) {
      if (!(err instanceof ConcurrentUpdateError) || attempt >= UPDATE_ATTEMPTS) throw err;
    }
  }
}

/** How an Amended changed the automatic renewal of `before` (off / on), if it did. */
function autoRenewalChange(s: MarketplaceSignal, before: Agreement | undefined): 'off' | 'on' | undefined {
  // off: it was on, or (not known before) the amendment says who turned it off
  const wasOn = before?.autoRenewalEnabled ?? (s.autoRenewalDisabledBy ? true : undefined);
  if (s.autoRenewalEnabled === false && wasOn === true) return 'off';
  if (s.autoRenewalEnabled === true && before?.autoRenewalEnabled === false) return 'on';
  return undefined;
}

/** An Ending's automatic renewal (`on` until the lockout, `off`), when the event says. */
const autoRenewalOf = (s: MarketplaceSignal) =>
  s.autoRenewalEnabled === undefined
    ? {}
    : {
        autoRenewal: s.autoRenewalEnabled ? 'on' : 'off',
        ...(s.autoRenewalEnabled && s.lockoutStartTime ? { lockout: s.lockoutStartTime } : {}),
      };

function textOf(s: MarketplaceSignal, kind: EpisodeKind, before?: Agreement): Said {
  switch (kind) {
    case 'created':
      return said('agreement-created', {
        intent: s.intent ?? 'NEW',
        ...(s.previousAgreementId ? { previous: s.previousAgreementId } : {}),
      });
    case 'amended': {
      const change = autoRenewalChange(s, before);
      return said('agreement-amended', {
        autoRenewal: change,
        by: change === 'off' ? s.autoRenewalDisabledBy : undefined,
      });
    }
    case 'license-updated':
      return said('license-updated', {});
    case 'ending':
      return said('agreement-ending', {
        days: s.daysBeforeEnd ?? '?',
        ...(s.endTime ? { endTime: s.endTime } : {}),
        ...autoRenewalOf(s),
      });
    case 'ended':
      return said('agreement-ended', s.agreementStatus ? { status: s.agreementStatus } : {});
    case 'license-deprovisioned':
      return said('license-deprovisioned', {});
    case 'advisory-issued':
      return said('advisory-issued', {
        description: s.advisory?.description,
        issuedAt: s.advisory?.issuedAt,
        advisoryId: s.advisory?.id,
      });
    case 'advisory-resolved':
      return said('advisory-resolved', {
        resolvedAt: s.advisory?.resolvedAt,
        issuedAt: s.advisory?.issuedAt,
        advisoryId: s.advisory?.id,
      });
    default:
      return { code: kind, params: {} };
  }
}

/** Records the signal on its agreement and acts on the tenant; answers a line for support's mail (or undefined). */
export async function recordAgreementEpisode(
  ports: LifecyclePorts,
  onboarding: Onboarding,
  s: MarketplaceSignal,
): Promise<{ agreement?: Agreement; laterAgreementLive: boolean }> {
  const kind = EPISODE_OF[s.kind];
  if (!kind || !s.agreementId) return { laterAgreementLive: false };
  const agreementId = s.agreementId;
  const at = nowIso(ports);
  const create = () =>
    newAgreement(
      {
        agreementId,
        onboardingId: onboarding.id,
        customerAwsAccountId: s.customerAwsAccountId ?? onboarding.buyerAwsAccountId,
        ...(s.licenseArn ? { licenseArn: s.licenseArn } : {}),
        ...(s.offerId ? { offerId: s.offerId } : {}),
        ...(onboarding.paidPlan ? { tenantId: onboarding.paidPlan.accountId } : {}),
      },
      at,
    );
  const { before, after } = await updateAgreement(ports, onboarding.id, agreementId, create, (a) => {
    const late = isEnded(a) && (kind === 'amended' || kind === 'license-updated' || kind === 'ending');
    const episode: AgreementEpisode = {
      at: s.at,
      kind: late ? 'late' : kind,
      ...kept(late ? said('arrived-late', { of: textOf(s, kind).code }) : textOf(s, kind, a)),
      eventId: s.eventId,
    };
    return withEpisode(a, episode, {
      ...(kind === 'ended' ? { status: s.agreementStatus ?? 'ENDED' } : {}),
      ...(kind === 'created' && s.agreementStatus ? { status: s.agreementStatus } : {}),
      // the intent the agreement was created with (NEW, RENEW, REPLACE); an amendment's AMEND does not replace it
      ...(kind === 'created' && s.intent ? { intent: s.intent } : {}),
      ...(s.previousAgreementId ? { previousAgreementId: s.previousAgreementId } : {}),
      ...(s.startTime ? { startTime: s.startTime } : {}),
      ...(s.endTime ? { endTime: s.endTime } : {}),
      ...(s.licenseArn ? { licenseArn: s.licenseArn } : {}),
      ...(s.offerId ? { offerId: s.offerId } : {}),
      ...(s.autoRenewalEnabled !== undefined && !late ? { autoRenewalEnabled: s.autoRenewalEnabled } : {}),
      ...(s.lockoutStartTime ? { lockoutStartTime: s.lockoutStartTime } : {}),
      ...(s.autoRenewalDisabledBy ? { autoRenewalDisabledBy: s.autoRenewalDisabledBy } : {}),
    });
  });
  const firstTime = !before || !hasEpisode(before, s.eventId);
  const company = onboarding.inquiry.company;
  const link = consoleUrl(ports.config, onboarding.id);
  const toSales = async (
    notice: Parameters<typeof dealNoticeEmail>[0]['kind'],
    detail: { ja: string; en: string },
    dueAt?: string,
  ) =>
    sendBestEffort(ports, {
      to: [ports.config.salesEmail],
      ...dealNoticeEmail({
        kind: notice,
        onboardingId: onboarding.id,
        company,
        agreementId,
        consoleUrl: link,
        detail,
        ...(dueAt ? { dueAt } : {}),
      }),
      tag: `deal:${notice}`,
    });

  const agreement = after;
  if (kind === 'created' && s.previousAgreementId && firstTime) {
    const previousId = s.previousAgreementId;
    await updateAgreement(
      ports,
      onboarding.id,
      previousId,
      () => newAgreement({ agreementId: previousId, onboardingId: onboarding.id }, at),
      (p) =>
        withEpisode(
          p,
          {
            at: s.at,
            kind: 'renewed-by',
            ...kept(said('continued-by', { next: agreementId, intent: s.intent ?? 'RENEW' })),
            eventId: s.eventId,
          },
          {
            nextAgreementId: agreementId,
            ...(p.tenantId ? {} : onboarding.paidPlan ? { tenantId: onboarding.paidPlan.accountId } : {}),
          },
        ),
    );
    await toSales('renewed', {
      ja: `${previousId} の${s.intent === 'REPLACE' ? '置き換え' : '更新'}として作成されました。テナントは引き続き有料プランです。`,
      en: `created as the ${s.intent === 'REPLACE' ? 'replacement' : 'renewal'} of ${previousId}; the tenant keeps its paid plan.`,
    });
  }
  // the first notice opens sales' Renewal task (the lifecycle workflow mails it); the later ones remind sales
  const earlierNotice = before?.episodes.some((e) => e.kind === 'ending' && e.eventId !== s.eventId);
  if (kind === 'ending' && firstTime && !isEnded(after) && earlierNotice) {
    await toSales(
      'ending',
      after.autoRenewalEnabled && !s.autoRenewalDisabledBy
        ? {
            ja: `あと ${s.daysBeforeEnd ?? '?'} 日で終了します。${after.lockoutStartTime ? `${after.lockoutStartTime} までに` : ''}対応しなければ自動更新されます。`,
            en: `ends in ${s.daysBeforeEnd ?? '?'} days: it renews automatically unless you act${after.lockoutStartTime ? ` before ${after.lockoutStartTime}` : ''}.`,
          }
        : {
            ja: `あと ${s.daysBeforeEnd ?? '?'} 日で終了します。更新のオファーを用意してください。`,
            en: `ends in ${s.daysBeforeEnd ?? '?'} days: prepare the renewal offer.`,
          },
      s.endTime ?? after.endTime,
    );
  }
  // an amendment's plan change is an episode of the lifecycle workflow (deal-episodes.ts advanceDeal → change-plan)
  if (kind === 'ended' && s.agreementStatus && CONTINUED_STATUSES.has(s.agreementStatus) && firstTime) {
    await updateAgreement(ports, onboarding.id, agreementId, create, (a) =>
      withEpisode(a, {
        at,
        kind: 'plan-kept',
        ...kept(said('plan-continues', a.nextAgreementId ? { next: a.nextAgreementId } : {})),
        eventId: `${s.eventId}#kept`,
      }),
    );
  }
  // only an end asks whether a later agreement carries the plan on (one more read of the deal)
  const ends = kind === 'ended' || kind === 'license-deprovisioned';
  return { agreement, laterAgreementLive: ends && (await laterAgreementLive(ports, after)) };
}

/**
 * Whether another agreement of the same customer, live, carries the plan on: the one this agreement names as next, or
 * any live one that started at or after it (a new agreement bought after this one, not as its renewal). Then this
 * one's end does not end the paid plan, whatever order the events arrive in.
 */
export async function laterAgreementLive(
  ports: Pick<Ports, 'agreementRecords'>,
  a: Agreement,
): Promise<boolean> {
  const others = (await ports.agreementRecords.listForOnboarding(a.onboardingId)).filter(
    (o) => o.agreementId !== a.agreementId && !isEnded(o),
  );
  // only start times the marketplace gave count (a record made from a later event knows none)
  const startedLater = (o: Agreement) => !!o.startTime && !!a.startTime && o.startTime >= a.startTime;
  return others.some((o) => o.agreementId === a.nextAgreementId || startedLater(o));
}

/**
 * The tenant's plan follows the agreement's entitlements as GetEntitlements reads them now: changed once per set of
 * entitlements (the provisioning call's idempotency key is their digest); buyer and sales are told when it changed.
 * Run by the lifecycle workflow's `amend` episode.
 */
export async function changePlanToEntitlements(
  ports: LifecyclePorts,
  onboarding: Onboarding,
  agreement: Agreement,
): Promise<Agreement> {
  const paid = onboarding.paidPlan;
  if (!paid) return agreement;
  const productCode = onboarding.productCode ?? ports.config.productCode;
  const licenseArn = agreement.licenseArn ?? onboarding.licenseArn;
  const found = await ports.fulfillment.getEntitlements({
    productCode,
    ...(licenseArn ? { licenseArn } : { customerAwsAccountId: onboarding.buyerAwsAccountId }),
  });
  const entitlements = Object.fromEntries(
    found
      .filter((e) => e.value !== undefined)
      .map((e) => [e.dimension, e.value as number | string | boolean]),
  );
  const grants = JSON.stringify(Object.entries(entitlements).sort());
  if (!found.length || JSON.stringify(Object.entries(agreement.entitlements ?? {}).sort()) === grants)
    return agreement;
  const plan = `${paid.plan} (${Object.entries(entitlements)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ')})`.slice(0, 200);
  const outcome = await ports.provisioning.changePlan(
    {
      tenantId: agreement.tenantId ?? paid.accountId,
      plan,
      entitlements,
      marketplace: {
        productCode,
        customerAwsAccountId: onboarding.buyerAwsAccountId,
        agreementId: agreement.agreementId,
        ...(licenseArn ? { licenseArn } : {}),
        ...(agreement.offerId ? { offerId: agreement.offerId } : {}),
      },
    },
    agreementKey(agreement.agreementId, `plan-changed.${digest(grants).slice(0, 12)}`),
  );
  const { value: tenant, happenedNow } = provisioned('change-plan', outcome); // unavailable throws: redelivered
  const at = nowIso(ports);
  const { after } = await updateAgreement(
    ports,
    onboarding.id,
    agreement.agreementId,
    () => agreement,
    (a) =>
      withEpisode(
        a,
        {
          at,
          kind: 'plan-changed',
          ...kept(said('plan-changed', { tenant: tenant.name, plan })),
          eventId: `plan#${digest(grants).slice(0, 12)}`,
        },
        { entitlements },
      ),
  );
  if (happenedNow) {
    await note(
      ports,
      onboarding.id,
      SYSTEM('agreement-lifecycle'),
      onboarding.stage,
      'plan-changed',
      said('plan-changed', { tenant: tenant.name, plan }),
      {
        agreementId: agreement.agreementId,
        tenantId: tenant.tenantId,
      },
    );
    await sendBestEffort(ports, {
      to: [onboarding.inquiry.email],
      ...planChangedEmail({
        locale: onboarding.locale,
        company: onboarding.inquiry.company,
        tenantName: tenant.name,
        entitlements,
        ...(tenant.signInUrl ? { signInUrl: tenant.signInUrl } : {}),
      }),
      tag: 'deal:plan-changed',
    });
    await sendBestEffort(ports, {
      to: [ports.config.salesEmail],
      ...dealNoticeEmail({
        kind: 'amended',
        onboardingId: onboarding.id,
        company: onboarding.inquiry.company,
        agreementId: agreement.agreementId,
        consoleUrl: consoleUrl(ports.config, onboarding.id),
        detail: { ja: `プランを変更しました: ${plan}`, en: `the plan was changed: ${plan}` },
      }),
      tag: 'deal:amended',
    });
  }
  return after;
}

/** The deal view: every agreement of the onboarding's customer, in order (tasks/domain/agreement.ts dealOrder). */
export async function dealOf(
  ports: Pick<Ports, 'agreementRecords'>,
  onboardingId: string,
): Promise<Agreement[]> {
  return dealOrder(await ports.agreementRecords.listForOnboarding(onboardingId));
}

/** With a grace period: the agreement's paid plan ends at `planEndsAt`, unless a renewal arrives before. */
export async function schedulePlanEnd(
  ports: LifecyclePorts,
  agreement: Agreement,
  s: MarketplaceSignal,
  graceHours: number,
): Promise<string> {
  const endsAt = new Date(Date.parse(s.at) + graceHours * 3600_000).toISOString();
  const { after } = await updateAgreement(
    ports,
    agreement.onboardingId,
    agreement.agreementId,
    () => agreement,
    (a) =>
      a.planEndsAt
        ? a
        : withEpisode(
            a,
            {
              at: nowIso(ports),
              kind: 'plan-end-scheduled',
              ...kept(said('plan-end-scheduled', { endsAt })),
              eventId: `${s.eventId}#grace`,
            },
            { planEndsAt: endsAt },
          ),
  );
  return `The paid plan ends at ${after.planEndsAt ?? endsAt} (grace period of ${graceHours} h) unless a renewal arrives.`;
}

/**
 * A scheduled end that is due: the paid plan is ended now, unless a later agreement of the customer is live (then it
 * is kept). Run by the reconciliation; once per agreement.
 */
export async function endPlanIfDue(
  ports: LifecyclePorts,
  onboarding: Onboarding,
  agreement: Agreement,
): Promise<'ended' | 'kept' | 'not-due'> {
  const now = ports.clock.now().getTime();
  if (!agreement.planEndsAt || Date.parse(agreement.planEndsAt) > now) return 'not-due';
  if (agreement.episodes.some((e) => e.kind === 'plan-ended' || e.kind === 'plan-kept')) return 'not-due';
  const keep = await laterAgreementLive(ports, agreement);
  if (!keep && onboarding.paidPlan) {
    await endPaidPlanAfterSignal(ports, onboarding, {
      origin: 'eventbridge',
      eventId: `grace:${agreement.agreementId}`,
      kind: 'agreement-ended',
      at: agreement.planEndsAt,
      agreementId: agreement.agreementId,
      agreementStatus: agreement.status,
    });
  }
  const at = nowIso(ports);
  await updateAgreement(
    ports,
    onboarding.id,
    agreement.agreementId,
    () => agreement,
    (a) =>
      withEpisode(a, {
        at,
        kind: keep ? 'plan-kept' : 'plan-ended',
        ...kept(keep ? said('grace-kept', {}) : said('grace-ended', {})),
        eventId: `grace:${a.agreementId}`,
      }),
  );
  return keep ? 'kept' : 'ended';
}
