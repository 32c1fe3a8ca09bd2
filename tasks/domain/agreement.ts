/**
 * The deal after the sale (issue 11): one record per AWS Marketplace agreement, kept beside the onboarding it came
 * from, with every episode of its life in order (created, amended, renewed, ending, ended, license changes, what we
 * did about each). A renewal or replacement is a new agreement whose `previousAgreementId` names the old one; the old
 * one then names it as `nextAgreementId`, so the chain of a customer reads in both directions.
 *
 * Pure: the use cases (tasks/use-cases/agreement-lifecycle.ts) decide what to do with the provisioning port; this
 * module only says what the record becomes. An episode carries the id of the event it came from, so a redelivered
 * event changes nothing; events arriving out of order never move an ended agreement back to ACTIVE.
 */

import type { Actor } from '../../workflows/contracts/actor.js';
import type { AgreementCancellation } from './agreement-cancellation.js';
import type { Said } from './timeline-texts.js';

/** Statuses after which an agreement grants nothing (AWS: the agreement ended in one of these ways). */
export const ENDED_STATUSES = [
  'CANCELLED',
  'EXPIRED',
  'TERMINATED',
  'RENEWED',
  'REPLACED',
  'ROLLED_BACK',
  'SUPERSEDED',
  'ARCHIVED',
] as const;
/** Ends that mean the customer continues under another agreement (the tenant keeps its plan). */
export const CONTINUED_STATUSES = new Set(['RENEWED', 'REPLACED', 'SUPERSEDED']);

export type EpisodeKind =
  | 'created'
  | 'amended'
  | 'license-updated'
  | 'ending'
  | 'ended'
  | 'license-deprovisioned'
  | 'renewed-by'
  | 'plan-changed'
  | 'plan-end-scheduled'
  | 'plan-ended'
  | 'plan-kept'
  | 'reconciled'
  // a seller's cancellation request (tasks/use-cases/agreement-cancellation.ts) and the buyer's answer
  | 'cancellation-requested'
  | 'cancellation-withdrawn'
  | 'cancellation-pending'
  | 'cancellation-approved'
  | 'cancellation-rejected'
  | 'cancellation-cancelled'
  | 'cancellation-failed'
  | 'late'
  /** A deal step of the lifecycle workflow ended (Renewal, AdvisoryReview): decided, answered, or timed out. */
  | 'step-ended'
  /** AWS Marketplace's advisory on the agreement, and its resolution (support reviews it; nothing is revoked). */
  | 'advisory-issued'
  | 'advisory-resolved'
  /** Renewal → draft-offer: the agreement-based replacement offer requested, released and mailed, or failed. */
  | 'renewal-offer-requested'
  | 'renewal-offer-sent'
  | 'renewal-offer-failed';

export interface AgreementEpisode {
  readonly at: string;
  readonly kind: EpisodeKind;
  /** One line a person reads in the deal view, in English as stored. */
  readonly summary: string;
  /** What it says as a code of the catalogue (timeline-texts.ts) and its parameters; absent on older episodes. */
  readonly text?: Said;
  /** The marketplace event (or reconciliation run) it came from: a second delivery is the same episode. */
  readonly eventId?: string;
  /** Who acted, when a person did (a cancellation requested or withdrawn from the console). */
  readonly by?: Actor;
}

/** What the marketplace tells about an agreement (events, SearchAgreements), and where it belongs. */
export interface AgreementFacts {
  readonly agreementId: string;
  /** The onboarding this customer came through (the deal's first episode). */
  readonly onboardingId: string;
  readonly customerAwsAccountId?: string;
  readonly licenseArn?: string;
  readonly offerId?: string;
  /** NEW, RENEW, REPLACE (from the Created event). */
  readonly intent?: string;
  readonly status?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly previousAgreementId?: string;
  /** The vendor's tenant this agreement's plan is on. */
  readonly tenantId?: string;
  /** Whether AWS renews it by itself (Ending / Amended `autoRenewalEnabled`), and from when that cannot be stopped. */
  readonly autoRenewalEnabled?: boolean;
  readonly lockoutStartTime?: string;
  /** Who turned the automatic renewal off: ACCEPTOR (the buyer) or PROPOSER (the seller). */
  readonly autoRenewalDisabledBy?: string;
}

export interface Agreement extends AgreementFacts {
  readonly status: string;
  readonly nextAgreementId?: string;
  /** When the paid plan ends after this agreement ended, if a grace period applies (a renewal before keeps it). */
  readonly planEndsAt?: string;
  /** What the license grants now (dimension → quantity), from the entitlements after each change. */
  readonly entitlements?: Readonly<Record<string, number | string | boolean>>;
  /** The seller's latest cancellation request on this agreement (agreement-cancellation.ts), if any. */
  readonly cancellation?: AgreementCancellation;
  readonly episodes: readonly AgreementEpisode[];
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Optimistic concurrency: the store saves only over the version it read. */
  readonly version: number;
}

export const isEnded = (a: Pick<Agreement, 'status'>): boolean =>
  (ENDED_STATUSES as readonly string[]).includes(a.status);

export function hasEpisode(a: Agreement, eventId: string | undefined, kind?: EpisodeKind): boolean {
  return !!eventId && a.episodes.some((e) => e.eventId === eventId && (!kind || e.kind === kind));
}

/** A new record (version 0: not stored yet). */
export function newAgreement(f: AgreementFacts, at: string): Agreement {
  return {
    ...definedOnly(f),
    status: f.status ?? 'ACTIVE',
    episodes: [],
    createdAt: at,
    updatedAt: at,
    version: 0,
  };
}

/**
 * The record after an episode: known facts fill what was missing (never erase), the status moves only forward (an
 * ended agreement stays ended whatever arrives later), and the episode is appended once per event id.
 */
export function withEpisode(
  a: Agreement,
  episode: AgreementEpisode,
  facts: Partial<Omit<AgreementFacts, 'agreementId' | 'onboardingId'>> & {
    nextAgreementId?: string;
    entitlements?: Agreement['entitlements'];
    planEndsAt?: string;
  } = {},
): Agreement {
  if (episode.eventId && hasEpisode(a, episode.eventId, episode.kind)) return a;
  const { status, ...rest } = definedOnly(facts);
  const nextStatus = status && !isEnded(a) ? status : a.status;
  return {
    ...a,
    ...rest,
    status: nextStatus,
    episodes: [...a.episodes, episode],
    updatedAt: [episode.at, a.updatedAt].sort()[1] ?? a.updatedAt,
  };
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** The deal of one customer in order: agreements by start (then creation), each with its episodes in time order. */
export function dealOrder(agreements: readonly Agreement[]): Agreement[] {
  const key = (a: Agreement) => a.startTime ?? a.createdAt;
  return [...agreements]
    .sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0))
    .map((a) => ({
      ...a,
      episodes: [...a.episodes].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0)),
    }));
}
