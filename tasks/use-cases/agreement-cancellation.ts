/**
 * A seller's cancellation request (issue 11 item 2), as use cases taking ports, so the console calls them now and a
 * task of the lifecycle state machine can call them later:
 * - `requestAgreementCancellation` (sales, admin): sends SendAgreementCancellationRequest with AWS's reason code, the
 *   note and the form's clientToken, and records it on the agreement as an episode naming who asked. The same form
 *   submitted again finds its clientToken on the record and sends nothing; two at once reach AWS with one token, which
 *   answers the same request.
 * - `withdrawAgreementCancellation` (sales, admin): CancelAgreementCancellationRequest while it waits for the buyer.
 * - `applyCancellationSignal`: the `Agreement Cancellation Request … - Proposer` events. Approved ends the paid plan
 *   through the same end as an ended agreement (end-paid-plan.ts, keyed by the agreement, so AWS's Ended event that
 *   follows ends nothing twice), unless a later agreement of the customer carries it on (a replacing agreement);
 *   Rejected, Cancelled and Validation Failed are recorded and sales is mailed.
 */

import type { Actor } from '../../workflows/contracts/actor.js';
import {
  type Agreement,
  type AgreementEpisode,
  isEnded,
  newAgreement,
  withEpisode,
} from '../domain/agreement.js';
import {
  type AgreementCancellation,
  CANCELLATION_REASON_CODES,
  type CancellationReasonCode,
  type CancellationStatus,
  isPending,
  RequestCancellationInput,
  WithdrawCancellationInput,
  withStatus,
} from '../domain/agreement-cancellation.js';
import { dealNoticeEmail } from '../domain/emails/index.js';
import type { CancellationSignalKind, MarketplaceSignal } from '../domain/marketplace-signals.js';
import type { Onboarding } from '../domain/onboarding.js';
import { kept, said } from '../domain/timeline-texts.js';
import { type Invalid, invalid, issuesOf } from '../domain/validation.js';
import type { AgreementCancellations, CancellationRefusal } from '../ports/agreement-cancellations.js';
import { consoleUrl } from '../ports/config.js';
import type { Ports } from '../ports/index.js';
import { laterAgreementLive, updateAgreement } from './agreement-lifecycle.js';
import { endPaidPlanAfterSignal } from './end-paid-plan.js';
import { note, nowIso, sendBestEffort } from './shared.js';

export type CancellationPorts = Pick<
  Ports,
  'agreementRecords' | 'onboardings' | 'provisioning' | 'mailer' | 'clock' | 'config' | 'log'
> & { cancellations: AgreementCancellations };

/** Sending a request also starts its episode of the lifecycle workflow (the buyer's answer awaited, 8 days). */
export type RequestCancellationPorts = CancellationPorts & Pick<Ports, 'episodes'>;

/** Roles that may ask the marketplace to cancel a buyer's agreement (or withdraw the request). */
const MAY_REQUEST = new Set(['sales', 'admin']);

export type CancellationError =
  | 'forbidden'
  | 'not-found'
  /** The agreement ended (or AWS holds it no longer active): nothing to cancel. */
  | 'agreement-ended'
  /** A request waits for the buyer already (request), or none waits (withdraw). */
  | 'already-pending'
  | 'not-pending'
  /** AWS refused it for another reason (its message is logged and kept in the answer). */
  | 'refused';

export type CancellationOutcome =
  | { ok: true; agreement: Agreement; cancellation: AgreementCancellation; duplicate: boolean }
  | { ok: false; error: CancellationError; message?: string }
  | Invalid;

const REFUSED: Record<CancellationRefusal, CancellationError> = {
  conflict: 'already-pending',
  inactive: 'agreement-ended',
  'not-found': 'not-found',
  invalid: 'refused',
};

/** Changes one agreement record (again from the stored one when someone saved in between). */
const updateRecord = async (
  ports: Pick<Ports, 'agreementRecords'>,
  current: Agreement,
  change: (a: Agreement) => Agreement,
): Promise<Agreement> =>
  (await updateAgreement(ports, current.onboardingId, current.agreementId, () => current, change)).after;

const withCancellation = (a: Agreement, episode: AgreementEpisode, c: AgreementCancellation): Agreement => {
  const next = withEpisode(a, episode);
  return next === a ? a : { ...next, cancellation: c };
};

export async function requestAgreementCancellation(
  ports: RequestCancellationPorts,
  input: RequestCancellationInput & { actor: Actor },
): Promise<CancellationOutcome> {
  const parsed = RequestCancellationInput.safeParse(input);
  if (!parsed.success) return invalid(issuesOf(parsed.error));
  const { onboardingId, agreementId, reasonCode, note, clientToken } = parsed.data;
  const actor = input.actor;
  if (actor.kind !== 'staff' || !MAY_REQUEST.has(actor.role)) return { ok: false, error: 'forbidden' };
  const agreement = await ports.agreementRecords.get(onboardingId, agreementId);
  if (!agreement) return { ok: false, error: 'not-found' };
  // the same form again (a double click, a reload that posts again): answered from the record, nothing sent (its
  // episode started again: a no-op when it runs, and it runs if the first post died before starting it)
  if (agreement.cancellation?.clientToken === clientToken) {
    await awaitAnswer(ports, agreement, agreement.cancellation);
    return { ok: true, agreement, cancellation: agreement.cancellation, duplicate: true };
  }
  if (isEnded(agreement)) return { ok: false, error: 'agreement-ended' };
  if (isPending(agreement.cancellation)) return { ok: false, error: 'already-pending' };
  const sent = await ports.cancellations.send({
    agreementId,
    reasonCode,
    clientToken,
    ...(note ? { description: note } : {}),
  });
  if (!sent.ok) {
    ports.log.warn('the marketplace refused a cancellation request', { agreementId, refusal: sent.refusal });
    return { ok: false, error: REFUSED[sent.refusal], message: sent.message };
  }
  const at = nowIso(ports);
  const cancellation: AgreementCancellation = {
    requestId: sent.request.requestId,
    status: sent.request.status,
    reasonCode,
    ...(note ? { note } : {}),
    clientToken,
    requestedBy: actor,
    requestedAt: sent.request.createdAt ?? at,
    updatedAt: at,
  };
  const saved = await updateRecord(ports, agreement, (a) =>
    a.cancellation?.requestId === cancellation.requestId
      ? a
      : withCancellation(
          a,
          {
            at,
            kind: 'cancellation-requested',
            ...kept(said('cancellation-requested', { ...who(actor), reason: reasonCode, note })),
            eventId: `${cancellation.requestId}#requested`,
            by: actor,
          },
          cancellation,
        ),
  );
  await noteOnOnboarding(ports, onboardingId, actor, 'cancellation-requested', saved, {
    requestId: cancellation.requestId,
    reasonCode,
  });
  await awaitAnswer(ports, saved, saved.cancellation ?? cancellation);
  return { ok: true, agreement: saved, cancellation: saved.cancellation ?? cancellation, duplicate: false };
}

/**
 * The buyer's answer awaited durably: the request's episode of the lifecycle workflow (CancellationAnswer, timed out
 * at 8 days, then the request is read from AWS). One execution per request (named by it).
 */
async function awaitAnswer(
  ports: Pick<Ports, 'episodes'>,
  agreement: Agreement,
  cancellation: AgreementCancellation,
): Promise<void> {
  if (!isPending(cancellation)) return;
  const by = cancellation.requestedBy;
  await ports.episodes.start({
    episode: 'cancellation',
    onboardingId: agreement.onboardingId,
    agreementId: agreement.agreementId,
    requestId: cancellation.requestId,
    context: {
      reasonCode: cancellation.reasonCode,
      ...(by ? { requestedBy: by.kind === 'staff' ? (by.name ?? by.id) : by.id } : {}),
    },
  });
}

/** The action in the onboarding's activity log too (the audit view), with who acted. */
async function noteOnOnboarding(
  ports: Pick<Ports, 'onboardings' | 'clock'>,
  onboardingId: string,
  actor: Actor,
  action: 'cancellation-requested' | 'cancellation-withdrawn',
  agreement: Agreement,
  detail: Record<string, string>,
): Promise<void> {
  const onboarding = await ports.onboardings.get(onboardingId);
  const episode = agreement.episodes.findLast((e) => e.kind === action);
  if (!onboarding || !episode?.text) return;
  await note(ports, onboardingId, actor, onboarding.stage, action, episode.text, {
    agreementId: agreement.agreementId,
    ...detail,
  });
}

export async function withdrawAgreementCancellation(
  ports: CancellationPorts,
  input: WithdrawCancellationInput & { actor: Actor },
): Promise<CancellationOutcome> {
  const parsed = WithdrawCancellationInput.safeParse(input);
  if (!parsed.success) return invalid(issuesOf(parsed.error));
  const { onboardingId, agreementId } = parsed.data;
  const actor = input.actor;
  if (actor.kind !== 'staff' || !MAY_REQUEST.has(actor.role)) return { ok: false, error: 'forbidden' };
  const agreement = await ports.agreementRecords.get(onboardingId, agreementId);
  if (!agreement) return { ok: false, error: 'not-found' };
  const current = agreement.cancellation;
  if (!current || !isPending(current)) return { ok: false, error: 'not-pending' };
  const reason = parsed.data.reason ?? 'Withdrawn by the seller';
  const answered = await ports.cancellations.withdraw({ agreementId, requestId: current.requestId, reason });
  if (!answered.ok) {
    if (answered.refusal !== 'conflict') return { ok: false, error: REFUSED[answered.refusal] };
    // answered in the meantime (its event not applied yet, or lost): read the answer now, nothing to withdraw
    await refreshAgreementCancellation(ports, { onboardingId, agreementId });
    return { ok: false, error: 'not-pending' };
  }
  const at = nowIso(ports);
  const saved = await updateRecord(ports, agreement, (a) =>
    !a.cancellation || a.cancellation.requestId !== current.requestId
      ? a
      : withCancellation(
          a,
          {
            at,
            kind: 'cancellation-withdrawn',
            ...kept(said('cancellation-withdrawn', { ...who(actor), reason })),
            eventId: `${current.requestId}#withdrawn`,
            by: actor,
          },
          withStatus(a.cancellation, 'CANCELLED', at, reason),
        ),
  );
  await noteOnOnboarding(ports, onboardingId, actor, 'cancellation-withdrawn', saved, {
    requestId: current.requestId,
  });
  return { ok: true, agreement: saved, cancellation: saved.cancellation ?? current, duplicate: false };
}

const SIGNAL_OF: Record<CancellationStatus, CancellationSignalKind> = {
  PENDING_APPROVAL: 'cancellation-pending',
  APPROVED: 'cancellation-approved',
  REJECTED: 'cancellation-rejected',
  CANCELLED: 'cancellation-cancelled',
  VALIDATION_FAILED: 'cancellation-failed',
};

/**
 * Reads a waiting request's status from AWS (GetAgreementCancellationRequest) and applies an answer as its event
 * would have been (once per status: the read is its own event id). For the lifecycle workflow's timeout (7 days and a
 * margin without an event: AWS delivers events best effort) and a withdrawal AWS refuses because it was answered.
 * Answers the status AWS reports, or undefined when no request waits.
 */
export async function refreshAgreementCancellation(
  ports: CancellationPorts,
  input: { onboardingId: string; agreementId: string; requestId?: string },
): Promise<CancellationStatus | undefined> {
  const agreement = await ports.agreementRecords.get(input.onboardingId, input.agreementId);
  const current = agreement?.cancellation;
  if (!agreement || !current || !isPending(current)) return undefined;
  // asked about one request: another (later) request of the agreement is not its answer
  if (input.requestId && current.requestId !== input.requestId) return undefined;
  const read = await ports.cancellations.get(input.agreementId, current.requestId);
  if (!read.ok) {
    ports.log.warn('a cancellation request could not be read', {
      requestId: current.requestId,
      refusal: read.refusal,
    });
    return undefined;
  }
  const status = read.request.status;
  if (status === 'PENDING_APPROVAL') return status;
  const onboarding = await ports.onboardings.get(input.onboardingId);
  if (!onboarding) return status;
  await applyCancellationSignal(ports, onboarding, {
    origin: 'eventbridge',
    eventId: `read:${current.requestId}:${status}`,
    kind: SIGNAL_OF[status],
    at: read.request.updatedAt ?? nowIso(ports),
    agreementId: input.agreementId,
    cancellationRequest: {
      id: current.requestId,
      status,
      reasonCode: read.request.reasonCode,
      ...(read.request.statusMessage ? { statusMessage: read.request.statusMessage } : {}),
    },
  });
  return status;
}

const STATUS_OF: Record<CancellationSignalKind, CancellationStatus> = {
  'cancellation-pending': 'PENDING_APPROVAL',
  'cancellation-approved': 'APPROVED',
  'cancellation-rejected': 'REJECTED',
  'cancellation-cancelled': 'CANCELLED',
  'cancellation-failed': 'VALIDATION_FAILED',
};

const KIND_OF = {
  'cancellation-pending': 'cancellation-pending',
  'cancellation-approved': 'cancellation-approved',
  'cancellation-rejected': 'cancellation-rejected',
  'cancellation-cancelled': 'cancellation-cancelled',
  'cancellation-failed': 'cancellation-failed',
} as const satisfies Record<CancellationSignalKind, AgreementEpisode['kind']>;

const textOf = (kind: CancellationSignalKind, requestId: string, message: string | undefined) =>
  kind === 'cancellation-pending' ? said(kind, { requestId }) : said(kind, { requestId, message });

/** Who acted, as the catalogue's sentences name them (the role read in the reader's language). */
const who = (actor: Actor) =>
  actor.kind === 'staff'
    ? { name: actor.name ?? actor.id, role: actor.role }
    : { name: actor.id, role: actor.kind };

const MAIL: Partial<Record<CancellationSignalKind, (m: string) => { ja: string; en: string }>> = {
  'cancellation-approved': () => ({
    ja: 'キャンセルのリクエストが承認されました。有料プランを終了しました。',
    en: 'the cancellation request was approved; the paid plan was ended.',
  }),
  'cancellation-rejected': (m) => ({
    ja: `購入者がキャンセルのリクエストを拒否しました。契約は続きます。理由: ${m}`,
    en: `the buyer rejected the cancellation request; the agreement continues. Reason: ${m}`,
  }),
  'cancellation-cancelled': (m) => ({
    ja: `キャンセルのリクエストは取り下げられました。契約は続きます。${m}`,
    en: `the cancellation request was withdrawn; the agreement continues. ${m}`,
  }),
  'cancellation-failed': (m) => ({
    ja: `キャンセルのリクエストは AWS の検証で却下されました。契約は続きます。${m}`,
    en: `AWS did not accept the cancellation request (validation failed); the agreement continues. ${m}`,
  }),
};

/**
 * An `Agreement Cancellation Request … - Proposer` event on its agreement: the request's status and an episode (once
 * per event), the paid plan ended on approval, sales told of the answer. Answers a line for the logs.
 */
export async function applyCancellationSignal(
  ports: Omit<CancellationPorts, 'cancellations'>,
  onboarding: Onboarding,
  s: MarketplaceSignal & { kind: CancellationSignalKind },
): Promise<{ agreement?: Agreement; planEnded?: string }> {
  const request = s.cancellationRequest;
  const agreementId = s.agreementId;
  if (!request || !agreementId) return {};
  const status = STATUS_OF[s.kind];
  const message = request.statusMessage || undefined;
  const at = nowIso(ports);
  const known =
    (await ports.agreementRecords.get(onboarding.id, agreementId)) ??
    newAgreement(
      { agreementId, onboardingId: onboarding.id, customerAwsAccountId: onboarding.buyerAwsAccountId },
      at,
    );
  const reasonCode = (CANCELLATION_REASON_CODES as readonly string[]).includes(request.reasonCode ?? '')
    ? (request.reasonCode as CancellationReasonCode)
    : 'OTHER';
  let firstTime = false;
  const agreement = await updateRecord(ports, known, (a) => {
    const current: AgreementCancellation =
      a.cancellation?.requestId === request.id
        ? a.cancellation
        : {
            // sent elsewhere (the AWS Marketplace Management Portal) or its record was lost: known from the event
            requestId: request.id,
            status: 'PENDING_APPROVAL',
            reasonCode,
            ...(request.reasonMessage ? { note: request.reasonMessage } : {}),
            requestedAt: s.at,
            updatedAt: s.at,
          };
    const next = withCancellation(
      a,
      { at: s.at, kind: KIND_OF[s.kind], ...kept(textOf(s.kind, request.id, message)), eventId: s.eventId },
      withStatus(current, status, s.at, message),
    );
    firstTime = next !== a;
    return next;
  });
  let planEnded: string | undefined;
  if (
    s.kind === 'cancellation-approved' &&
    onboarding.paidPlan &&
    !(await laterAgreementLive(ports, agreement))
  ) {
    // the same end as an ended agreement's, keyed by the agreement: AWS's Ended event that follows ends nothing twice
    planEnded = await endPaidPlanAfterSignal(ports, onboarding, { ...s, agreementStatus: 'CANCELLED' });
    if (!agreement.episodes.some((e) => e.kind === 'plan-ended'))
      await updateRecord(ports, agreement, (a) =>
        withEpisode(a, {
          at: nowIso(ports),
          kind: 'plan-ended',
          ...kept(said('cancellation-plan-ended', {})),
          eventId: `${s.eventId}#plan-ended`,
        }),
      );
  }
  const mail = MAIL[s.kind];
  if (firstTime && mail) {
    await sendBestEffort(ports, {
      to: [ports.config.salesEmail],
      ...dealNoticeEmail({
        kind: 'cancellation',
        onboardingId: onboarding.id,
        company: onboarding.inquiry.company,
        agreementId,
        consoleUrl: consoleUrl(ports.config, onboarding.id),
        detail: mail(message ?? ''),
      }),
      tag: `deal:${s.kind}`,
    });
  }
  return { agreement, ...(planEnded ? { planEnded } : {}) };
}
