/**
 * What the web app and the CLI need from the onboarding use cases (tasks/use-cases), as one port-shaped interface.
 * web/ never implements onboarding logic: production wiring maps tasks' use cases onto this shape
 * (web/wiring/), tests pass in-memory adapters. No task token ever appears in these types.
 */
import type { z } from 'zod';
import type {
  Actor,
  BuyerActor as BuyerActorSchema,
  CloseRequest,
  HumanStage,
  Inquiry,
  StaffActor,
  Stage,
} from '../workflows/contracts/index.js';

/** The contracts export the schema only; this is its type. */
export type BuyerActor = z.infer<typeof BuyerActorSchema>;

export type OnboardingStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface OnboardingSummary {
  readonly onboardingId: string;
  readonly stage: Stage;
  readonly status: OnboardingStatus;
  readonly company: string;
  readonly contactName: string;
  readonly email: string;
  readonly awsAccountId: string;
  readonly plan: string;
  readonly locale: 'ja' | 'en';
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A human task as staff may see it: never its token. */
export interface HumanTaskView {
  readonly stage: HumanStage;
  readonly openedAt: string;
  readonly dueAt?: string;
  readonly completedAt?: string;
  readonly completedBy?: Actor;
  /** How it ended: completed by someone, timed out, or closed with the onboarding. Absent while open. */
  readonly outcome?: 'completed' | 'timed-out' | 'closed';
  /** Free-form details for staff (e.g. the change-set failure, the stage that timed out). */
  readonly context?: Record<string, unknown>;
}

export interface OnboardingDetail extends OnboardingSummary {
  readonly message?: string;
  readonly agreedTerms?: Record<string, unknown>;
  readonly offerId?: string;
  readonly offerExpiresAt?: string;
  readonly agreementId?: string;
  readonly licenseArn?: string;
  readonly accountId?: string;
  readonly closedReason?: string;
  /** Human tasks, oldest first; the open one (if any) has no `outcome`. */
  readonly tasks: readonly HumanTaskView[];
}

export interface OnboardingPage {
  readonly items: readonly OnboardingSummary[];
  readonly nextCursor?: string;
}

export interface ListQuery {
  readonly stage?: Stage;
  /** Company (substring), e-mail, or 12-digit AWS account id. */
  readonly search?: string;
  readonly cursor?: string;
  readonly limit: number;
}

/** One entry of an execution history, already made readable and stripped of task tokens. */
export interface TimelineEntry {
  readonly onboardingId: string;
  readonly at: string;
  readonly event: string;
  readonly stage?: string;
  readonly actor?: Actor;
  readonly input?: unknown;
  readonly output?: unknown;
  /** Where the entry was read from: the live execution history or the audit archive. */
  readonly source: 'live' | 'archive';
}

export interface UserAccount {
  readonly accountId: string;
  readonly name: string;
  readonly plan: string;
}

/**
 * Why a staff or buyer action did not go through. Pages show each distinctly; none of them is a 5xx.
 * - already-completed: someone completed that stage before (by, at).
 * - not-open: the onboarding is at another stage (currentStage), so this stage's form no longer applies.
 * - timed-out: the stage timed out before the action; the onboarding moved to StageTimedOut.
 * - ended: the onboarding has ended (completed or closed).
 * - not-found: no such onboarding.
 */
export type Refusal =
  | { readonly kind: 'already-completed'; readonly by?: Actor; readonly at?: string }
  | { readonly kind: 'not-open'; readonly currentStage: Stage }
  | { readonly kind: 'timed-out'; readonly at?: string }
  | { readonly kind: 'ended'; readonly status: OnboardingStatus }
  | { readonly kind: 'not-found' };

export type ActionResult = { readonly kind: 'done' } | Refusal;

/** The outcome of resolving a buyer's x-amzn-marketplace-token (step 6). */
export type BuyerArrival =
  | {
      readonly kind: 'ok';
      readonly onboardingId: string;
      readonly customerAwsAccountId: string;
      /** Where the buyer's onboarding stands: Registration (normal), AccountSelection (returning after login). */
      readonly stage: Stage;
    }
  | { readonly kind: 'invalid-token' }
  | { readonly kind: 'expired-token' }
  | { readonly kind: 'throttled' }
  /** The token resolved, but no onboarding of this buyer has an accepted offer yet. */
  | { readonly kind: 'not-accepted'; readonly customerAwsAccountId: string }
  | { readonly kind: 'already-completed'; readonly onboardingId: string };

export interface WebServices {
  startOnboarding(input: { inquiry: Inquiry; actor: Actor }): Promise<{ onboardingId: string }>;
  listOnboardings(query: ListQuery): Promise<OnboardingPage>;
  countOnboardingsByStage(): Promise<Partial<Record<Stage, number>>>;
  getOnboarding(onboardingId: string): Promise<OnboardingDetail | undefined>;
  /** `payload` is validated by the caller with STAGE_CALLBACKS[stage] (and again by the use case). */
  completeHumanStage(input: {
    onboardingId: string;
    stage: HumanStage;
    payload: unknown;
    actor: StaffActor | BuyerActor;
  }): Promise<ActionResult>;
  closeOnboarding(input: { onboardingId: string; request: CloseRequest }): Promise<ActionResult>;

  resolveBuyerArrival(input: { registrationToken: string }): Promise<BuyerArrival>;
  registerNewAccount(input: {
    onboardingId: string;
    accountName: string;
    email: string;
    actor: BuyerActor;
  }): Promise<ActionResult>;
  loginExistingUser(input: {
    onboardingId: string;
    email: string;
    password: string;
    actor: BuyerActor;
  }): Promise<
    { readonly kind: 'ok'; readonly userId: string } | { readonly kind: 'bad-credentials' } | Refusal
  >;
  listUserAccounts(input: { userId: string }): Promise<readonly UserAccount[]>;
  selectAccount(input: {
    onboardingId: string;
    userId: string;
    accountId: string;
    actor: BuyerActor;
  }): Promise<ActionResult | { readonly kind: 'not-your-account' }>;

  getExecutionHistory(onboardingId: string): Promise<readonly TimelineEntry[]>;
  exportHistories(range: { from: string; to: string }): Promise<readonly TimelineEntry[]>;
}
