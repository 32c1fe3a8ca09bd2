import type { HumanRole, HumanStage, Stage } from '../../workflows/contracts/stage-registry.js';
import type { Onboarding, OnboardingSummary } from '../domain/onboarding.js';
import type { TimelineEntry } from '../domain/timeline.js';
import type { Page, PageRequest } from './page.js';

/** Pointers from a marketplace identifier to its onboarding (signals that carry no offer id use them). */
/** `offer`: a replacement (renewal) offer we sent for one of the onboarding's agreements. */
export type RefKind = 'agreement' | 'license' | 'customer' | 'offer';

/** Which waiting onboardings (waitingOf in tasks/domain/onboarding.ts) a work list shows. */
export interface WaitingFilter {
  /** Only those waiting for one of these roles. */
  assignees?: readonly HumanRole[];
  /** Only those due before this instant (ISO 8601): overdue when it is now. */
  dueBefore?: string;
  stage?: Stage;
}

export interface OnboardingRepository {
  get(id: string): Promise<Onboarding | undefined>;
  /** Conditional create: `exists` if an onboarding with that id is already stored (nothing is overwritten). */
  create(onboarding: Onboarding): Promise<'created' | 'exists'>;
  /**
   * Saves when the stored version is still `onboarding.version`; stores version + 1 and returns the saved record.
   * Throws ConcurrentUpdateError otherwise.
   */
  save(onboarding: Onboarding): Promise<Onboarding>;
  /** Newest first (by last update). */
  listByStage(stage: Stage, page?: PageRequest): Promise<Page<OnboardingSummary>>;
  countByStage(): Promise<Record<Stage, number>>;
  /**
   * Deal steps waiting (Renewal, AdvisoryReview, CancellationAnswer: dealStepsOf), one per step, per deal stage: their
   * onboardings stay Completed, so countByStage does not see them, but the work lists show a row for each.
   */
  countWaitingDealSteps(): Promise<Partial<Record<HumanStage, number>>>;
  /**
   * What matchesSearch (tasks/domain/onboarding.ts) finds: the start of the company or contact name, the whole e-mail,
   * AWS account id, id or offer id; optional stage filter. An empty query lists every onboarding.
   */
  search(query: string, options?: PageRequest & { stage?: Stage }): Promise<Page<OnboardingSummary>>;
  /**
   * What waits for a person, soonest due first: one row per waiting (an onboarding's own human stage, each of its
   * deal steps), the summary's `waiting` that one; filters judge each row by its own waiting.
   */
  listWaiting(filter?: WaitingFilter & PageRequest): Promise<Page<OnboardingSummary>>;
  findByOfferId(offerId: string): Promise<Onboarding | undefined>;
  /** Newest first. */
  findByBuyerAccount(awsAccountId: string): Promise<Onboarding[]>;
  linkRef(kind: RefKind, key: string, onboardingId: string): Promise<void>;
  findByRef(kind: RefKind, key: string): Promise<string | undefined>;
  appendTimeline(entry: TimelineEntry): Promise<void>;
  /** Oldest first. */
  timeline(onboardingId: string): Promise<TimelineEntry[]>;
}
