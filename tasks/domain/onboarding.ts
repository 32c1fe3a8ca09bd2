/**
 * The Onboarding entity: one buyer's way from inquiry to a paid plan. Plain data plus functions that
 * return a changed copy and guard the invariants (stage rules, activation only after the subscription is confirmed).
 */
import type { AgreedTerms } from '../../workflows/contracts/callbacks.js';
import type { Inquiry, Locale } from '../../workflows/contracts/inquiry.js';
import { normalizeAccountId } from '../../workflows/contracts/inquiry.js';
import {
  assigneeOf,
  type HumanRole,
  type HumanStage,
  isDealStage,
  type Stage,
} from '../../workflows/contracts/stage-registry.js';
import { SubscriptionFailedError, SubscriptionNotConfirmedError } from './errors.js';
import { assertCanMove, isTerminal } from './stage-rules.js';

export type OnboardingStatus = 'active' | 'completed' | 'closed';

/** Where the buyer's subscription stands, from the marketplace signals seen so far. */
export type SubscriptionState = 'none' | 'confirmed' | 'failed' | 'ended';

export type EndOutcome = 'closed' | 'subscription-failed' | 'offer-failed' | 'timed-out' | 'failed';

export interface OfferRecord {
  offerId: string;
  expiresAt: string;
  source: 'api' | 'manual';
  url: string;
  /**
   * The expiry the buyer was last told of, when this same offer was extended since (OfferExpired → extend, or while
   * waiting): its notice says it was extended, also when re-sent by a re-run after a crash.
   */
  extendedFrom?: string;
}

/** A human stage waiting for its person: who must act (the registry's assignee) and by when (the task's due date). */
export interface Waiting {
  stage: HumanStage;
  assignee: HumanRole;
  since: string;
  dueAt: string;
  /** A deal step's instance (its lifecycle execution): two steps of one stage (two advisories) are two entries. */
  instance?: string;
}

/**
 * What became of the offer when the onboarding was closed before the buyer accepted it (offer-withdrawal.ts):
 * expired (the change set SUCCEEDED), requested (still applying when the close ended), failed (support must act).
 */
export interface OfferWithdrawal {
  offerId: string;
  status: 'expired' | 'requested' | 'failed';
  changeSetId?: string;
  /** Why expiring failed (AWS's code and message). */
  error?: string;
  at: string;
}

export interface OfferFailure {
  changeSetId: string;
  code: string;
  details: { change?: string; code: string; message: string }[];
  at: string;
}

export interface Onboarding {
  id: string;
  stage: Stage;
  status: OnboardingStatus;
  inquiry: Inquiry;
  locale: Locale;
  /** The buyer's AWS account id: from the inquiry, later confirmed by the marketplace. */
  buyerAwsAccountId: string;
  plan: string;
  terms?: AgreedTerms;
  /** Each offer creation (and re-creation) is one attempt; ClientRequestToken derives from it. */
  offerAttempts: number;
  changeSetId?: string;
  offer?: OfferRecord;
  offerFailure?: OfferFailure;
  /** The offer expired at the marketplace because the onboarding was closed before the buyer accepted it. */
  offerWithdrawal?: OfferWithdrawal;
  subscription: SubscriptionState;
  subscriptionDetail?: string;
  agreementId?: string;
  licenseArn?: string;
  customerIdentifier?: string;
  productCode?: string;
  registration?:
    | { kind: 'new'; accountName: string; email: string }
    | { kind: 'existing'; userId: string; issuer?: string; email?: string };
  accountId?: string;
  /** The vendor's tenant as it answered (name, where to sign in), for the completion mail and the console. */
  tenant?: { name: string; signInUrl?: string };
  paidPlan?: { accountId: string; plan: string; activatedAt: string };
  /** When each e-mail was sent (so a retried task does not send twice). */
  notices: Partial<Record<'acknowledgement' | 'offer' | 'completion' | 'closed', string>>;
  end?: { outcome: EndOutcome; reason: string; stage: Stage; error?: string; at: string };
  /**
   * The last human stage opened (see waitingOf: it counts only while the onboarding is still at that stage), or a
   * step of the deal after the sale (Renewal, AdvisoryReview) until the lifecycle workflow records its end.
   */
  waiting?: Waiting;
  /**
   * Every deal step waiting now (Renewal, AdvisoryReview, CancellationAnswer: one per open task), each for its role:
   * the work lists show one row per step. `waiting` is the soonest due of them while the onboarding has completed.
   */
  dealSteps?: Waiting[];
  executionArn?: string;
  archive?: { key: string; at: string; events: number };
  createdAt: string;
  updatedAt: string;
  /** Optimistic concurrency: increases on every save. */
  version: number;
}

/** What lists show. */
export interface OnboardingSummary {
  id: string;
  company: string;
  contactName: string;
  email: string;
  buyerAwsAccountId: string;
  plan: string;
  stage: Stage;
  status: OnboardingStatus;
  offerId?: string;
  /**
   * Who must act and by when, while a human stage waits (a deal step's soonest due). In a work list (listWaiting)
   * each row is one waiting: the onboarding's own stage, or one of its deal steps.
   */
  waiting?: Waiting;
  /** Every deal step waiting, soonest due first (absent when none). */
  dealSteps?: Waiting[];
  createdAt: string;
  updatedAt: string;
}

export function newOnboarding(args: {
  id: string;
  inquiry: Inquiry;
  at: string;
  executionArn?: string;
}): Onboarding {
  return {
    id: args.id,
    stage: 'Inquiry',
    status: 'active',
    inquiry: args.inquiry,
    locale: args.inquiry.locale,
    buyerAwsAccountId: args.inquiry.awsAccountId,
    plan: args.inquiry.plan,
    offerAttempts: 0,
    subscription: 'none',
    notices: {},
    ...(args.executionArn ? { executionArn: args.executionArn } : {}),
    createdAt: args.at,
    updatedAt: args.at,
    version: 0,
  };
}

/** The human stage the onboarding waits at now, if any: its last opened stage, still its stage, while active. */
export function waitingOf(o: Onboarding): Waiting | undefined {
  // a deal step waits while the onboarding itself has ended (Completed): the work lists show it too
  if (o.waiting && isDealStage(o.waiting.stage)) return o.status === 'closed' ? undefined : o.waiting;
  return o.status === 'active' && o.waiting?.stage === o.stage ? o.waiting : undefined;
}

/** The deal steps waiting now, soonest due first (a record from before `dealSteps` has its one in `waiting`). */
export function dealStepsOf(o: Onboarding): Waiting[] {
  if (o.status === 'closed') return [];
  const steps = o.dealSteps ?? (o.waiting && isDealStage(o.waiting.stage) ? [o.waiting] : []);
  return [...steps].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/** Everything that waits for a person: the onboarding's own stage, then its deal steps (soonest due first). */
export function waitsOf(o: Onboarding): Waiting[] {
  const own = waitingOf(o);
  return [...(own && !isDealStage(own.stage) ? [own] : []), ...dealStepsOf(o)];
}

/** One deal step's identity: its stage and instance (a step kept before instances existed: its stage). */
export const dealStepSlot = (w: Pick<Waiting, 'stage' | 'instance'>): string =>
  w.instance ? `${w.stage}#${w.instance}` : w.stage;

/** `o` with these deal steps waiting: the list, and `waiting` their soonest (unless an own stage waits). */
function withDealSteps(o: Onboarding, steps: Waiting[], at: string): Onboarding {
  const { waiting, dealSteps: _old, ...rest } = o;
  const sorted = [...steps].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const own = waiting && !isDealStage(waiting.stage) && waitingOf(o) ? waiting : undefined;
  const next = own ?? sorted[0];
  return {
    ...rest,
    ...(next ? { waiting: next } : {}),
    ...(sorted.length ? { dealSteps: sorted } : {}),
    updatedAt: at,
  };
}

/** A deal step opened (the lifecycle workflow): who must act by when, the onboarding's own stage unchanged. */
export function awaitDealStep(
  o: Onboarding,
  stage: HumanStage,
  dueAt: string,
  at: string,
  instance?: string,
): Onboarding {
  const step: Waiting = {
    stage,
    assignee: assigneeOf(stage),
    since: at,
    dueAt,
    ...(instance ? { instance } : {}),
  };
  const others = dealStepsOf(o).filter((s) => dealStepSlot(s) !== dealStepSlot(step));
  return withDealSteps(o, [...others, step], at);
}

/**
 * The deal step ended (decided, answered, timed out): the work list shows the deal steps still open (soonest due
 * first), else nothing waits. `open` are the other deal steps whose tasks are still open (another advisory too).
 */
export function dealStepEnded(
  o: Onboarding,
  _stage: HumanStage,
  at: string,
  open: readonly { stage: HumanStage; openedAt: string; dueAt: string; instance?: string }[] = [],
): Onboarding {
  const steps = open.map(
    (t): Waiting => ({
      stage: t.stage,
      assignee: assigneeOf(t.stage),
      since: t.openedAt,
      dueAt: t.dueAt,
      ...(t.instance ? { instance: t.instance } : {}),
    }),
  );
  return withDealSteps(o, steps, at);
}

/** The onboarding moves to a human stage that now waits for its assignee until `dueAt`. */
export function awaitAt(o: Onboarding, stage: HumanStage, dueAt: string, at: string): Onboarding {
  const moved = moveTo(o, stage, at);
  return { ...moved, waiting: { stage, assignee: assigneeOf(stage), since: at, dueAt }, updatedAt: at };
}

export function summarize(o: Onboarding): OnboardingSummary {
  const dealSteps = dealStepsOf(o);
  const waiting = waitingOf(o) ?? dealSteps[0];
  return {
    id: o.id,
    company: o.inquiry.company,
    contactName: o.inquiry.contactName,
    email: o.inquiry.email,
    buyerAwsAccountId: o.buyerAwsAccountId,
    plan: o.terms?.plan ?? o.plan,
    stage: o.stage,
    status: o.status,
    ...(o.offer ? { offerId: o.offer.offerId } : {}),
    ...(waiting ? { waiting } : {}),
    ...(dealSteps.length ? { dealSteps } : {}),
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

/**
 * The work lists' rows of one onboarding: one per waiting (its own stage, each deal step), each summary's `waiting`
 * that one, so a filter by role or due date and the sort by due date judge each step by itself.
 */
export function waitingRows(o: Onboarding): OnboardingSummary[] {
  const summary = summarize(o);
  return waitsOf(o).map((waiting) => ({ ...summary, waiting }));
}

/** Japanese legal-form designators, written before or after a company name; a search ignores them. */
const LEGAL_FORM = '(?:株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|\\(株\\)|\\(有\\)|\\(同\\))';
const LEADING_FORM = new RegExp(`^${LEGAL_FORM}\\s*`);
const TRAILING_FORM = new RegExp(`\\s*${LEGAL_FORM}$`);

/**
 * The form of a company or person name that the console search compares: NFKC (full-width letters and ㈱ become
 * their plain forms), lower case, single spaces, no legal-form designator at either end. `株式会社サンプル`,
 * `サンプル株式会社` and `㈱サンプル` all give `サンプル`.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(LEADING_FORM, '')
    .replace(TRAILING_FORM, '')
    .trim();
}

/**
 * A search as people type it: an AWS account id with the hyphens the AWS console shows, spaces or full-width digits
 * becomes its 12 digits (the inquiry's normaliser); anything else is only trimmed.
 */
export function searchQuery(query: string): string {
  const q = query.trim();
  const account = normalizeAccountId(q);
  return /^\d{12}$/.test(account) ? account : q;
}

/**
 * What a console search finds (every repository adapter answers the same): onboardings whose company or contact
 * name starts with the query (both through nameKey), or whose e-mail address, AWS account id, id or offer id is the
 * query.
 */
export function matchesSearch(o: Onboarding, query: string): boolean {
  const q = searchQuery(query).toLowerCase();
  if (!q) return true;
  if (o.inquiry.email.toLowerCase() === q || o.buyerAwsAccountId === q || o.id === q) return true;
  if (o.offer && o.offer.offerId.toLowerCase() === q) return true;
  const key = nameKey(q);
  return (
    key !== '' &&
    (nameKey(o.inquiry.company).startsWith(key) || nameKey(o.inquiry.contactName).startsWith(key))
  );
}

export function moveTo(o: Onboarding, stage: Stage, at: string): Onboarding {
  assertCanMove(o.stage, stage);
  if (o.stage === stage) return o;
  return { ...o, stage, updatedAt: at };
}

export function isLive(o: Onboarding): boolean {
  return o.status === 'active' && !isTerminal(o.stage);
}

export function withTerms(o: Onboarding, terms: AgreedTerms, at: string): Onboarding {
  return { ...o, terms, plan: terms.plan, updatedAt: at };
}

export function recordOffer(o: Onboarding, offer: OfferRecord, at: string): Onboarding {
  return { ...o, offer, updatedAt: at };
}

/** A positive marketplace signal: agreement created, subscribe-success, license updated, entitled buyer arrival. */
export function confirmSubscription(
  o: Onboarding,
  signal: {
    detail: string;
    agreementId?: string;
    licenseArn?: string;
    customerIdentifier?: string;
    productCode?: string;
  },
  at: string,
): Onboarding {
  // a failure or an end is final for this onboarding: a late positive signal does not revive it
  const keep = o.subscription === 'failed' || o.subscription === 'ended';
  // nothing new (a buyer's reload, a replayed event): the same record, so no write and no contention
  const same = (mine: string | undefined, theirs: string | undefined) =>
    theirs === undefined || mine === theirs;
  if (
    (keep || o.subscription === 'confirmed') &&
    same(o.agreementId, signal.agreementId) &&
    same(o.licenseArn, signal.licenseArn) &&
    same(o.customerIdentifier, signal.customerIdentifier) &&
    same(o.productCode, signal.productCode)
  )
    return o;
  return {
    ...o,
    subscription: keep ? o.subscription : 'confirmed',
    subscriptionDetail: keep ? o.subscriptionDetail : signal.detail,
    agreementId: signal.agreementId ?? o.agreementId,
    licenseArn: signal.licenseArn ?? o.licenseArn,
    customerIdentifier: signal.customerIdentifier ?? o.customerIdentifier,
    productCode: signal.productCode ?? o.productCode,
    updatedAt: at,
  };
}

export function failSubscription(
  o: Onboarding,
  state: 'failed' | 'ended',
  detail: string,
  at: string,
): Onboarding {
  return { ...o, subscription: state, subscriptionDetail: detail, updatedAt: at };
}

/** Guard of ActivatePaidPlan: never before the subscription is confirmed, never after it failed or ended. */
export function assertSubscriptionConfirmed(o: Onboarding): void {
  if (o.subscription === 'failed' || o.subscription === 'ended') {
    throw new SubscriptionFailedError(o.id, o.subscriptionDetail ?? o.subscription);
  }
  if (o.subscription !== 'confirmed') {
    throw new SubscriptionNotConfirmedError(o.id, 'no agreement, subscription or entitlement seen yet');
  }
}

export function activatePaidPlan(o: Onboarding, accountId: string, at: string): Onboarding {
  assertSubscriptionConfirmed(o);
  if (o.paidPlan) return o;
  return {
    ...moveTo(o, 'ActivatePaidPlan', at),
    accountId,
    paidPlan: { accountId, plan: o.terms?.plan ?? o.plan, activatedAt: at },
    updatedAt: at,
  };
}

export function complete(o: Onboarding, at: string): Onboarding {
  return { ...moveTo(o, 'Completed', at), status: 'completed' };
}

export function close(
  o: Onboarding,
  end: { outcome: EndOutcome; reason: string; stage: Stage; error?: string },
  at: string,
): Onboarding {
  // a record that already reached its end keeps it (a step failing after completion, a close replayed)
  if (o.end || isTerminal(o.stage)) return o;
  return {
    ...moveTo(o, 'Closed', at),
    status: 'closed',
    end: { ...end, at },
  };
}

export function noteSent(o: Onboarding, notice: keyof Onboarding['notices'], at: string): Onboarding {
  return { ...o, notices: { ...o.notices, [notice]: at }, updatedAt: at };
}
