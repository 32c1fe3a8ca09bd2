/**
 * Test instruments: failure switches, time shortcuts (expire a token or an offer now), a headless buyer, and a
 * read of the whole state. In-process as `simulator.admin`, over HTTP as `POST /_admin/<kebab-name>` (JSON) and
 * `GET /_admin/state`.
 */
import { z } from 'zod';
import {
  acceptCancellationRequest,
  rejectCancellationRequest,
  settleCancellationRequests,
} from './agreement/cancellation.js';
import {
  amendAgreement,
  notifyAdvisory,
  notifyEnding,
  renewAgreement,
  setAutoRenewal,
} from './agreement/lifecycle.js';
import type { Selection } from './agreement/terms.js';
import {
  BuyerError,
  endAgreement,
  issueRegistrationToken,
  type SubscribeOutcome,
  subscribe,
} from './buyer/subscriptions.js';
import type { ChangeSets } from './catalog/change-sets.js';
import { ISO_DURATION } from './catalog/details-schemas.js';
import type { SimulatorClock } from './clock.js';
import type { SimulatorContext, SubscriptionFailureMode } from './core.js';
import type {
  AgreementRecord,
  AgreementStatus,
  CancellationRequestRecord,
  ChangeSetRecord,
  ErrorDetail,
  LicenseRecord,
  NotificationRecord,
  OfferRecord,
  RegistrationTokenRecord,
} from './model.js';
import type { Outbox } from './notify/outbox.js';
import { advanceClock, type TimeTravel } from './time-travel.js';

export interface SimulatorState {
  readonly offers: OfferRecord[];
  readonly changeSets: ChangeSetRecord[];
  readonly agreements: AgreementRecord[];
  readonly licenses: LicenseRecord[];
  readonly registrationTokens: RegistrationTokenRecord[];
  readonly notifications: NotificationRecord[];
  readonly cancellationRequests: CancellationRequestRecord[];
  /** The simulated time and how far ahead of real time it is (time travel). */
  readonly clock: { readonly now: string; readonly offsetMs: number };
}

export interface MarketplaceAdmin {
  state(): SimulatorState;
  /** The next `count` calls of `operation` (ResolveCustomer, GetEntitlements, SearchAgreements, ...) throttle. */
  throttle(operation: string, count: number): void;
  throttleResolveCustomer(count: number): void;
  /** The next StartChangeSet is accepted but ends FAILED with these errors on change `changeIndex` (default 0). */
  failNextChangeSet(options?: { errors?: ErrorDetail[]; changeIndex?: number }): void;
  /**
   * The next Subscribe fails: `before-setup` (default) refuses it (subscribe-fail, no agreement); `after-setup`
   * shows "アカウントを設定" (ResolveCustomer works) but the agreement is ROLLED_BACK, with no entitlements,
   * no agreement events, and subscribe-fail.
   */
  failNextSubscription(options?: { mode?: SubscriptionFailureMode }): void;
  expireRegistrationToken(token: string): void;
  expireAllRegistrationTokens(): number;
  /** The offer's AvailabilityEndDate becomes now: it can no longer be accepted. */
  expireOffer(offerId: string): void;
  /** The buyer subscribes without a browser. */
  subscribe(offerId: string, accountId: string, selection?: Selection): SubscribeOutcome;
  /** A fresh x-amzn-marketplace-token for the agreement, as the "アカウントを設定" button carries. */
  issueRegistrationToken(agreementId: string): string;
  endAgreement(agreementId: string, status?: Exclude<AgreementStatus, 'ACTIVE'>): AgreementRecord;
  /** New quantities on the agreement (Amended + License Updated events). */
  amendAgreement(agreementId: string, quantities: Record<string, number>): AgreementRecord;
  /** The renewal: a new agreement (Created, intent RENEW) and the old one Ended RENEWED. */
  renewAgreement(agreementId: string, options?: { duration?: string }): AgreementRecord;
  /** The `Ending` notice, `days` (180, 120, 90, 60, 30) before the agreement's end. */
  notifyEnding(agreementId: string, days: number): AgreementRecord;
  /** The buyer (ACCEPTOR) or seller (PROPOSER) turns the automatic renewal on or off (an Amended event). */
  setAutoRenewal(agreementId: string, enabled: boolean, by?: 'ACCEPTOR' | 'PROPOSER'): AgreementRecord;
  /**
   * An advisory on the agreement (Issued), or its resolution (Resolved), as AWS sends them (only when: issuedAt /
   * resolvedAt, now unless `at`): the agreement itself does not change. Answers that instant.
   */
  notifyAdvisory(agreementId: string, what: 'issued' | 'resolved', options?: { at?: string }): { at: string };
  /** Load tests: agreements stored as if accepted long ago, in one transaction, without any event. */
  importAgreements(records: readonly AgreementRecord[]): number;
  /** Settles every change set whose time has come (normally done by timers). */
  settleChangeSets(): void;
  notifications(): NotificationRecord[];
  /** Waits until every notification (of channels not paused) is delivered; false on timeout. */
  idle(timeoutMs?: number): Promise<boolean>;
  /**
   * Holds back the agreement events (`eventbridge`), the SNS messages (`sns`) or both (default): they queue up in
   * order and go out on `resumeNotifications`, e.g. to let the buyer reach the seller before the agreement event.
   */
  pauseNotifications(channel?: 'eventbridge' | 'sns'): void;
  resumeNotifications(channel?: 'eventbridge' | 'sns'): void;
  /** The e-mail of the account's root user, where AWS sends the account's Marketplace mails. */
  setAccountEmail(accountId: string, email: string): void;
  /** The contract details page of an offer (the link for the offer e-mail). */
  offerUrl(offerId: string, accountId?: string): string;
  /**
   * Time travel: the simulator's clock moves forward by an ISO 8601 duration (`P7D`, `PT12H`, `P5M`) and the
   * Ending notices, expiries and 7-day auto-approvals that fall in between happen now.
   */
  advanceClock(duration: string): TimeTravel;
  /** The next SendAgreementCancellationRequest is recorded VALIDATION_FAILED with this message. */
  failNextCancellationRequest(message?: string): void;
  /** The buyer accepts a pending cancellation request (the agreement ends CANCELLED). */
  acceptCancellationRequest(agreementId: string, requestId: string): CancellationRequestRecord;
  /** The buyer rejects a pending cancellation request, saying why. */
  rejectCancellationRequest(
    agreementId: string,
    requestId: string,
    reason: string,
  ): CancellationRequestRecord;
}

export function createAdmin(
  ctx: SimulatorContext,
  changeSets: ChangeSets,
  outbox: Outbox,
  clock: SimulatorClock,
): MarketplaceAdmin {
  const { store, switches } = ctx;
  const admin: MarketplaceAdmin = {
    state: () => {
      changeSets.settleDue();
      settleCancellationRequests(ctx);
      return {
        offers: store.list('offer'),
        changeSets: changeSets.list(),
        agreements: store.list('agreement'),
        licenses: store.list('license'),
        registrationTokens: store.list('registrationToken'),
        notifications: outbox.list(),
        cancellationRequests: store.list('cancellationRequest'),
        clock: { now: ctx.now().toISOString(), offsetMs: clock.offsetMs },
      };
    },
    throttle: (operation, count) => {
      switches.throttle.set(operation, count);
    },
    throttleResolveCustomer: (count) => admin.throttle('ResolveCustomer', count),
    failNextChangeSet: (options = {}) => {
      switches.changeSetFailures.push({
        ...(options.changeIndex !== undefined && { changeIndex: options.changeIndex }),
        errors: options.errors ?? [
          {
            ErrorCode: 'INCOMPATIBLE_SELLER_VERIFICATION',
            ErrorMessage: 'Complete all required seller verification processes.',
          },
        ],
      });
    },
    failNextSubscription: (options = {}) => {
      switches.subscriptionFailures.push({ mode: options.mode ?? 'before-setup' });
    },
    expireRegistrationToken: (token) => {
      const record = store.get<RegistrationTokenRecord>('registrationToken', token);
      if (!record) throw new BuyerError('NOT_FOUND', 'Registration token not found.');
      store.put('registrationToken', token, {
        ...record,
        expiresAt: new Date(ctx.now().getTime() - 1).toISOString(),
      });
    },
    expireAllRegistrationTokens: () => {
      const tokens = store.list<RegistrationTokenRecord>('registrationToken');
      for (const t of tokens) admin.expireRegistrationToken(t.token);
      return tokens.length;
    },
    expireOffer: (offerId) => {
      const offer = store.get<OfferRecord>('offer', offerId);
      if (!offer) throw new BuyerError('NOT_FOUND', `Offer ${offerId} was not found.`);
      store.put('offer', offerId, {
        ...offer,
        availabilityEndDate: new Date(ctx.now().getTime() - 1).toISOString(),
      });
    },
    subscribe: (offerId, accountId, selection) => subscribe(ctx, offerId, accountId, selection),
    issueRegistrationToken: (agreementId) => issueRegistrationToken(ctx, agreementId).token,
    endAgreement: (agreementId, status) => endAgreement(ctx, agreementId, status),
    amendAgreement: (agreementId, quantities) => amendAgreement(ctx, agreementId, quantities),
    renewAgreement: (agreementId, options) => renewAgreement(ctx, agreementId, options),
    notifyEnding: (agreementId, days) => notifyEnding(ctx, agreementId, days),
    setAutoRenewal: (agreementId, enabled, by) => setAutoRenewal(ctx, agreementId, enabled, by),
    notifyAdvisory: (agreementId, what, options) => notifyAdvisory(ctx, agreementId, what, options),
    importAgreements: (records) =>
      store.transaction(() => {
        for (const r of records) store.put('agreement', r.agreementId, r);
        return records.length;
      }),
    settleChangeSets: () => changeSets.settleDue(),
    notifications: () => outbox.list(),
    idle: (timeoutMs) => outbox.idle(timeoutMs),
    pauseNotifications: (channel) => {
      for (const c of channel ? [channel] : (['eventbridge', 'sns'] as const)) outbox.pause(c);
    },
    resumeNotifications: (channel) => outbox.resume(channel),
    setAccountEmail: (accountId, email) => {
      store.put('accountContact', accountId, { accountId, email });
    },
    offerUrl: (offerId, accountId) =>
      `${ctx.url}/offers/${offerId}${accountId === undefined ? '' : `?account=${encodeURIComponent(accountId)}`}`,
    advanceClock: (duration) => {
      const travelled = advanceClock(ctx, clock, duration);
      changeSets.settleDue();
      return travelled;
    },
    failNextCancellationRequest: (message) => {
      switches.cancellationFailures.push({
        message: message ?? 'The agreement is not eligible for cancellation.',
      });
    },
    acceptCancellationRequest: (agreementId, requestId) =>
      acceptCancellationRequest(ctx, agreementId, requestId),
    rejectCancellationRequest: (agreementId, requestId, reason) =>
      rejectCancellationRequest(ctx, agreementId, requestId, reason),
  };
  return admin;
}

const errorDetail = z.object({ ErrorCode: z.string().min(1), ErrorMessage: z.string().min(1) });
const agreementStatus = z.enum(['CANCELLED', 'EXPIRED', 'TERMINATED']);

/** `POST /_admin/<name>` bodies, validated. */
const commands = {
  throttle: z.object({ operation: z.string().default('ResolveCustomer'), count: z.number().int().min(0) }),
  'fail-next-change-set': z.object({
    errors: z.array(errorDetail).min(1).optional(),
    changeIndex: z.number().int().min(0).optional(),
  }),
  'fail-next-subscription': z.object({ mode: z.enum(['before-setup', 'after-setup']).optional() }),
  'expire-token': z.union([z.object({ token: z.string().min(1) }), z.object({ all: z.literal(true) })]),
  'expire-offer': z.object({ offerId: z.string().min(1) }),
  subscribe: z.object({
    offerId: z.string().min(1),
    accountId: z.string().regex(/^\d{12}$/),
    selection: z
      .object({ selector: z.string().optional(), quantities: z.record(z.string(), z.number()).optional() })
      .optional(),
  }),
  'issue-token': z.object({ agreementId: z.string().min(1) }),
  'end-agreement': z.object({ agreementId: z.string().min(1), status: agreementStatus.optional() }),
  'amend-agreement': z.object({
    agreementId: z.string().min(1),
    quantities: z.record(z.string().min(1), z.number().int().min(0)),
  }),
  'renew-agreement': z.object({ agreementId: z.string().min(1), duration: z.string().optional() }),
  'notify-ending': z.object({ agreementId: z.string().min(1), days: z.number().int() }),
  'set-auto-renewal': z.object({
    agreementId: z.string().min(1),
    enabled: z.boolean(),
    by: z.enum(['ACCEPTOR', 'PROPOSER']).optional(),
  }),
  'notify-advisory': z.object({
    agreementId: z.string().min(1),
    what: z.enum(['issued', 'resolved']),
    at: z.iso.datetime().optional(),
  }),
  'settle-change-sets': z.object({}),
  idle: z.object({ timeoutMs: z.number().int().positive().optional() }),
  'set-account-email': z.object({ accountId: z.string().regex(/^\d{12}$/), email: z.email() }),
  'pause-notifications': z.object({ channel: z.enum(['eventbridge', 'sns']).optional() }),
  'resume-notifications': z.object({ channel: z.enum(['eventbridge', 'sns']).optional() }),
  'advance-clock': z.object({
    duration: z.string().regex(ISO_DURATION, 'an ISO 8601 duration such as P7D or PT12H'),
  }),
  'fail-next-cancellation-request': z.object({ message: z.string().min(1).max(2000).optional() }),
  'accept-cancellation-request': z.object({ agreementId: z.string().min(1), requestId: z.string().min(1) }),
  'reject-cancellation-request': z.object({
    agreementId: z.string().min(1),
    requestId: z.string().min(1),
    reason: z.string().min(1).max(2000),
  }),
} as const;

export class AdminInputError extends Error {
  override readonly name = 'AdminInputError';
}

/** Runs an admin command from HTTP; returns the JSON answer. */
export async function runAdminCommand(
  admin: MarketplaceAdmin,
  name: string,
  body: unknown,
): Promise<unknown> {
  if (!Object.hasOwn(commands, name)) {
    throw new AdminInputError(`Unknown admin command "${name}". Known: ${Object.keys(commands).join(', ')}`);
  }
  const parsed = commands[name as keyof typeof commands].safeParse(body ?? {});
  if (!parsed.success) {
    throw new AdminInputError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  }
  const input = parsed.data as Record<string, unknown>;
  switch (name) {
    case 'throttle':
      admin.throttle(input.operation as string, input.count as number);
      return { ok: true };
    case 'fail-next-change-set':
      admin.failNextChangeSet(input as { errors?: ErrorDetail[]; changeIndex?: number });
      return { ok: true };
    case 'fail-next-subscription':
      admin.failNextSubscription(input as { mode?: SubscriptionFailureMode });
      return { ok: true };
    case 'expire-token':
      if ('all' in input) return { expired: admin.expireAllRegistrationTokens() };
      admin.expireRegistrationToken(input.token as string);
      return { expired: 1 };
    case 'expire-offer':
      admin.expireOffer(input.offerId as string);
      return { ok: true };
    case 'subscribe':
      return admin.subscribe(
        input.offerId as string,
        input.accountId as string,
        input.selection as Selection | undefined,
      );
    case 'issue-token':
      return { token: admin.issueRegistrationToken(input.agreementId as string) };
    case 'end-agreement':
      return admin.endAgreement(
        input.agreementId as string,
        input.status as Exclude<AgreementStatus, 'ACTIVE'> | undefined,
      );
    case 'amend-agreement':
      return admin.amendAgreement(input.agreementId as string, input.quantities as Record<string, number>);
    case 'renew-agreement':
      return admin.renewAgreement(
        input.agreementId as string,
        input.duration ? { duration: input.duration as string } : {},
      );
    case 'notify-ending':
      return admin.notifyEnding(input.agreementId as string, input.days as number);
    case 'set-auto-renewal':
      return admin.setAutoRenewal(
        input.agreementId as string,
        input.enabled as boolean,
        input.by as 'ACCEPTOR' | 'PROPOSER' | undefined,
      );
    case 'notify-advisory': {
      const { agreementId, what, at } = input as {
        agreementId: string;
        what: 'issued' | 'resolved';
        at?: string;
      };
      return admin.notifyAdvisory(agreementId, what, at ? { at } : {});
    }
    case 'pause-notifications':
      admin.pauseNotifications(input.channel as 'eventbridge' | 'sns' | undefined);
      return { ok: true };
    case 'resume-notifications':
      admin.resumeNotifications(input.channel as 'eventbridge' | 'sns' | undefined);
      return { ok: true };
    case 'set-account-email':
      admin.setAccountEmail(input.accountId as string, input.email as string);
      return { ok: true };
    case 'settle-change-sets':
      admin.settleChangeSets();
      return { ok: true };
    case 'advance-clock':
      return admin.advanceClock(input.duration as string);
    case 'fail-next-cancellation-request':
      admin.failNextCancellationRequest(input.message as string | undefined);
      return { ok: true };
    case 'accept-cancellation-request':
      return admin.acceptCancellationRequest(input.agreementId as string, input.requestId as string);
    case 'reject-cancellation-request':
      return admin.rejectCancellationRequest(
        input.agreementId as string,
        input.requestId as string,
        input.reason as string,
      );
    default:
      return { delivered: await admin.idle(input.timeoutMs as number | undefined) };
  }
}
