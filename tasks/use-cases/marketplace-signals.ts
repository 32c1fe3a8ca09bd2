/**
 * AWS Marketplace signals (EventBridge agreement/license events, SNS subscription messages): find the onboarding,
 * record the fact, resume AwaitAcceptance or stop the buyer's side with `Onboarding.SubscriptionFailed`.
 * Every signal is idempotent: a duplicated delivery records nothing new and advances nothing twice.
 */

import {
  STOPPED_BY_SUBSCRIPTION_FAILURE,
  stagesCompletedBy,
} from '../../workflows/contracts/stage-registry.js';
import { WORKFLOW_ERRORS } from '../../workflows/contracts/workflow-errors.js';
import { supportAlertEmail } from '../domain/emails/index.js';
import { completionFor, signalActor, subscriptionFailureCause } from '../domain/facts.js';
import { isClaimable } from '../domain/human-task.js';
import {
  digest,
  effectOf,
  isCancellationSignal,
  licenseKey,
  MarketplaceEvent,
  type MarketplaceSignal,
  offerIdCandidates,
  SnsSubscriptionMessage,
  signalFromEvent,
  signalFromSns,
} from '../domain/marketplace-signals.js';
import { confirmSubscription, failSubscription, isLive, type Onboarding } from '../domain/onboarding.js';
import { said } from '../domain/timeline-texts.js';
import { type Invalid, invalid, issuesOf } from '../domain/validation.js';
import { consoleUrl } from '../ports/config.js';
import type { Ports } from '../ports/index.js';
import { withAdvisoryId } from './advisory-pairing.js';
import { applyCancellationSignal } from './agreement-cancellation.js';
import { recordAgreementEpisode, schedulePlanEnd } from './agreement-lifecycle.js';
import { advanceDeal } from './deal-episodes.js';
import { deliverToTask } from './deliver.js';
import { endPaidPlanAfterSignal } from './end-paid-plan.js';
import { continuedAgreementOf, withReplacedAgreement } from './replaced-agreement.js';
import { note, nowIso, sendBestEffort, updateOnboarding } from './shared.js';

export type SignalResult =
  | {
      ok: true;
      outcome: 'advanced' | 'recorded' | 'duplicate' | 'unmatched';
      kind: MarketplaceSignal['kind'];
      onboardingId?: string;
    }
  | Invalid;

export type SignalPorts = Pick<
  Ports,
  | 'onboardings'
  | 'tasks'
  | 'facts'
  | 'callbacks'
  | 'agreements'
  | 'agreementRecords'
  | 'episodes'
  | 'fulfillment'
  | 'mailer'
  | 'provisioning'
  | 'clock'
  | 'config'
  | 'log'
>;

/** Kept long enough to cover EventBridge/SNS redelivery. */
const SEEN_TTL_SECONDS = 7 * 24 * 3600;

export async function handleMarketplaceEvent(ports: SignalPorts, event: unknown): Promise<SignalResult> {
  const parsed = MarketplaceEvent.safeParse(event);
  if (!parsed.success) return invalid(issuesOf(parsed.error));
  return handleMarketplaceSignal(ports, signalFromEvent(parsed.data));
}

export async function handleSnsSubscriptionMessage(
  ports: SignalPorts,
  input: { messageId: string; timestamp: string; message: unknown },
): Promise<SignalResult> {
  let body = input.message;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return invalid([{ path: 'Message', message: 'Message must be JSON' }]);
    }
  }
  const parsed = SnsSubscriptionMessage.safeParse(body);
  if (!parsed.success) return invalid(issuesOf(parsed.error));
  if (!input.messageId) return invalid([{ path: 'MessageId', message: 'MessageId is required' }]);
  return handleMarketplaceSignal(ports, signalFromSns(input.messageId, input.timestamp, parsed.data));
}

/** Newest live onboarding first, preferring one that already sent its offer. */
function pickForBuyer(list: Onboarding[]): Onboarding | undefined {
  return list.find((o) => isLive(o) && o.offer) ?? list.find(isLive) ?? list[0];
}

async function findOnboarding(ports: SignalPorts, s: MarketplaceSignal): Promise<Onboarding | undefined> {
  for (const offerId of offerIdCandidates(s.offerId)) {
    const found = await ports.onboardings.findByOfferId(offerId);
    if (found) return found;
    // a replacement offer we sent for one of its agreements
    const byReplacement = await ports.onboardings.findByRef('offer', offerId);
    const replaced = byReplacement ? await ports.onboardings.get(byReplacement) : undefined;
    if (replaced) return replaced;
  }
  const refs: [Parameters<Ports['onboardings']['findByRef']>[0], string | undefined][] = [
    ['agreement', s.agreementId],
    // a renewal or replacement follows the agreement its customer already has
    ['agreement', s.previousAgreementId],
    ['license', s.licenseArn ? licenseKey(s.licenseArn) : undefined],
    ['customer', s.customerIdentifier],
  ];
  for (const [kind, key] of refs) {
    if (!key) continue;
    const id = await ports.onboardings.findByRef(kind, key);
    const found = id ? await ports.onboardings.get(id) : undefined;
    if (found) return found;
  }
  let account = s.customerAwsAccountId;
  if (s.agreementId) {
    const agreement = await ports.agreements.describeAgreement(s.agreementId).catch((err: unknown) => {
      ports.log.warn('DescribeAgreement failed', { agreementId: s.agreementId, error: String(err) });
      return undefined;
    });
    for (const offerId of offerIdCandidates(agreement?.offerId)) {
      const found = await ports.onboardings.findByOfferId(offerId);
      if (found) return found;
    }
    account ??= agreement?.acceptorAccountId;
  }
  if (account) return pickForBuyer(await ports.onboardings.findByBuyerAccount(account));
  return undefined;
}

export async function handleMarketplaceSignal(
  ports: SignalPorts,
  s: MarketplaceSignal,
): Promise<SignalResult> {
  const actor = signalActor(s.kind);
  const seenKey = `signal#${digest(`${s.origin}#${s.eventId}`)}`;
  const duplicate = (await ports.facts.recall(seenKey)) !== undefined;

  const onboarding = await findOnboarding(ports, s);
  if (!onboarding) {
    ports.log.warn('marketplace signal without an onboarding', { kind: s.kind, eventId: s.eventId });
    if (!duplicate) {
      await sendBestEffort(ports, {
        to: [ports.config.supportEmail],
        ...supportAlertEmail({
          kind: 'unmatched-signal',
          detail: JSON.stringify(s, null, 2),
        }),
        tag: 'support-alert:unmatched-signal',
      });
      await ports.facts.remember(seenKey, { kind: s.kind, at: s.at }, SEEN_TTL_SECONDS);
    }
    return { ok: true, outcome: 'unmatched', kind: s.kind };
  }
  const onboardingId = onboarding.id;
  // a REPLACE that names no previous agreement (AWS documents it only for RENEW): the one it replaces, found by offer
  s = await withReplacedAgreement(ports, onboarding, s);
  // an advisory AWS names no id for: Issued by its issuedAt, Resolved paired with the agreement's oldest open one
  s = await withAdvisoryId(ports, onboarding, s);
  if (s.agreementId) await ports.onboardings.linkRef('agreement', s.agreementId, onboardingId);
  if (s.licenseArn) await ports.onboardings.linkRef('license', licenseKey(s.licenseArn), onboardingId);
  if (s.customerIdentifier) await ports.onboardings.linkRef('customer', s.customerIdentifier, onboardingId);

  // the deal: the signal as an episode of its agreement (plan changes of amendments happen there)
  const deal = await recordAgreementEpisode(ports, onboarding, s);
  // a seller's cancellation request and the buyer's answer (an approval ends the paid plan there)
  if (isCancellationSignal(s.kind)) await applyCancellationSignal(ports, onboarding, { ...s, kind: s.kind });
  let effect = effectOf(s);
  // an unsubscribe or deprovisioning of an agreement another one continues (a replacement): recorded, nothing ends
  const continued =
    effect === 'ends' ? await continuedAgreementOf(ports, onboarding, s, deal.laterAgreementLive) : undefined;
  if (continued) {
    effect = 'informs';
    if (!duplicate)
      await note(
        ports,
        onboardingId,
        actor,
        onboarding.stage,
        `signal-${s.kind}-continued`,
        said('end-of-continued-agreement', {
          kind: s.kind,
          agreement: continued.agreementId,
          ...(continued.next ? { next: continued.next } : {}),
        }),
        { eventId: s.eventId, agreementId: continued.agreementId },
      );
  }
  const at = nowIso(ports);
  let advanced = false;

  if (effect === 'confirms') {
    await ports.facts.record({
      kind: 'agreement-created',
      onboardingId,
      at: s.at,
      source:
        s.kind === 'agreement-created'
          ? 'agreement-event'
          : s.kind === 'license-updated'
            ? 'license-updated'
            : 'subscribe-success',
      customerAwsAccountId: s.customerAwsAccountId ?? onboarding.buyerAwsAccountId,
      ...(s.agreementId ? { agreementId: s.agreementId } : {}),
      ...(s.licenseArn ? { licenseArn: s.licenseArn } : {}),
      ...(s.offerId ? { offerId: s.offerId } : {}),
    });
    await updateOnboarding(ports, onboardingId, (o) =>
      confirmSubscription(
        o,
        {
          detail: `${s.kind} ${s.eventId}`,
          ...(s.agreementId ? { agreementId: s.agreementId } : {}),
          ...(s.licenseArn ? { licenseArn: s.licenseArn } : {}),
          ...(s.customerIdentifier ? { customerIdentifier: s.customerIdentifier } : {}),
          ...(s.productCode ? { productCode: s.productCode } : {}),
        },
        at,
      ),
    );
    // the stages an agreement completes (AwaitAcceptance), if they wait
    const facts = await ports.facts.list(onboardingId);
    for (const stage of stagesCompletedBy('agreement-created')) {
      const completion = completionFor(stage, facts);
      if (!completion) continue;
      const outcome = await deliverToTask(ports, {
        onboardingId,
        stage,
        actor: completion.output.actor,
        delivery: { kind: 'success', output: completion.output },
      });
      advanced ||= outcome === 'completed';
    }
  } else if (effect === 'fails' || effect === 'ends') {
    const reason = `${s.kind}${s.agreementStatus ? ` (${s.agreementStatus})` : ''}`;
    await ports.facts.record({ kind: 'subscription-failed', onboardingId, at: s.at, source: s.kind, reason });
    await updateOnboarding(ports, onboardingId, (o) =>
      o.subscription === 'failed' || o.subscription === 'ended'
        ? o
        : failSubscription(o, effect === 'fails' ? 'failed' : 'ended', `${reason} ${s.eventId}`, at),
    );
    for (const stage of STOPPED_BY_SUBSCRIPTION_FAILURE) {
      const task = await ports.tasks.get(onboardingId, stage);
      // open, or claimed by a completion that died while sending (deliverToTask takes such a claim over)
      if (!task || !isClaimable(task, ports.clock.now().getTime())) continue;
      const outcome = await deliverToTask(ports, {
        onboardingId,
        stage,
        task,
        actor,
        delivery: {
          kind: 'failure',
          error: WORKFLOW_ERRORS.subscriptionFailed,
          cause: subscriptionFailureCause({ source: s.kind, reason, eventId: s.eventId, at: s.at }),
        },
      });
      advanced ||= outcome === 'completed';
    }
    // the agreement ended after the paid plan was activated: end it at the vendor (a redelivery ends it once)
    // (not when a later agreement of this customer is live: a renewal arrived before this end)
    const current =
      effect === 'ends' && !deal.laterAgreementLive ? await ports.onboardings.get(onboardingId) : undefined;
    // with a grace period the end is scheduled on the agreement (the reconciliation ends it when due, unless a renewal
    // came); an SNS message, which names no agreement, leaves it to the agreement's own Ended event
    const grace = ports.config.planEndGraceHours ?? 0;
    // the plan already ended for this agreement (its cancellation was approved, then AWS's Ended follows): nothing
    // is left to end, so no grace period is scheduled and support is not alerted; the timeline says so
    const alreadyEnded =
      grace > 0 && !!current?.paidPlan && !!deal.agreement?.episodes.some((e) => e.kind === 'plan-ended');
    if (alreadyEnded && !duplicate && deal.agreement)
      await note(
        ports,
        onboardingId,
        actor,
        onboarding.stage,
        'plan-already-ended',
        said('plan-already-ended', { agreementId: deal.agreement.agreementId }),
        { eventId: s.eventId, agreementId: deal.agreement.agreementId },
      );
    const planEnd =
      !current?.paidPlan || alreadyEnded
        ? undefined
        : grace === 0
          ? await endPaidPlanAfterSignal(ports, current, s)
          : deal.agreement
            ? await schedulePlanEnd(ports, deal.agreement, s, grace)
            : undefined;
    if (!duplicate && !alreadyEnded) {
      await sendBestEffort(ports, {
        to: [ports.config.supportEmail],
        ...supportAlertEmail({
          kind: 'subscription-failed',
          onboardingId,
          company: onboarding.inquiry.company,
          consoleUrl: consoleUrl(ports.config, onboardingId),
          detail: `${reason} at ${s.at} (stage ${onboarding.stage}, event ${s.eventId})${planEnd ? `\n${planEnd}` : ''}`,
        }),
        tag: 'support-alert:subscription-failed',
      });
    }
  }
  // the episodes that wait (a renewal, a grace period) start; a renewal agreement completes sales' Renewal task
  await advanceDeal(ports, onboarding, s);

  if (!duplicate) {
    await note(
      ports,
      onboardingId,
      actor,
      onboarding.stage,
      `signal-${s.kind}`,
      said('marketplace-signal', { kind: s.kind }),
      {
        eventId: s.eventId,
        origin: s.origin,
        ...(s.agreementId ? { agreementId: s.agreementId } : {}),
        ...(s.offerId ? { offerId: s.offerId } : {}),
      },
    );
    await ports.facts.remember(seenKey, { kind: s.kind, onboardingId, at: s.at }, SEEN_TTL_SECONDS);
  }
  return {
    ok: true,
    outcome: advanced ? 'advanced' : duplicate ? 'duplicate' : 'recorded',
    kind: s.kind,
    onboardingId,
  };
}
