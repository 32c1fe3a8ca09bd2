/**
 * The stage registry: every stage of the onboarding, once, in the procedure's order. Each entry says who acts,
 * what resumes it (the callback contract), where the workflow keeps the result, how long it waits, what it is
 * called (one wording, ja/en: the console stepper, the staff e-mails and the CLI all show these labels), whether the
 * buyer sees it, which early facts complete it, whether a subscription failure stops it, and where it can lead.
 *
 * Plain data and zod only (no aws-cdk-lib): the workflow construct (workflows/), the domain (tasks/domain), the web
 * app and the CLI all read it. The stage name is the state name in the rendered definition;
 * test/workflows/graph.test.ts checks `next` against the rendered graph and test/workflows/stage-registry.test.ts
 * checks that every named handler, use case, form and test exists. docs/architecture.md, "Stages: the registry",
 * says how to add a stage.
 */
import * as z from 'zod';
import {
  AcceptanceSignal,
  AccountSelectionChoice,
  AdvisoryDecision,
  AgreedTerms,
  BuyerRegistration,
  CancellationAnswer,
  FulfillmentResolved,
  OfferExpiredDecision,
  OfferFailureDecision,
  RenewalDecision,
  TimedOutDecision,
} from './callbacks.js';

/** Who moves a stage on: staff (sales, support), the buyer, or the system (a task, a marketplace signal). */
export type StageRole = 'sales' | 'support' | 'buyer' | 'system';
/** The people a human stage waits for. */
export type HumanRole = Exclude<StageRole, 'system'>;
/** Facts (tasks/domain/facts.ts) that can arrive before the stage they complete has opened. */
export type EarlyFact =
  | 'agreement-created'
  | 'buyer-arrived'
  | 'registration-submitted'
  | 'selection-submitted';

interface EntryBase<S extends string> {
  /** The step number of the vendor's procedure (main path only), shown before the label in the stepper. */
  readonly step?: string;
  /** One wording, used everywhere a person reads the stage's name. */
  readonly label: { readonly ja: string; readonly en: string };
  /**
   * `main`: the procedure's path; `side`: a side path or an end off the main path (offer failed, closed ...);
   * `deal`: a stage of the deal after the sale, run by the lifecycle workflow (workflows/lifecycle-workflow.ts) while
   * the onboarding itself stays where it ended.
   */
  readonly path: 'main' | 'side' | 'deal';
  /** Who acts at this stage. */
  readonly assignee: StageRole;
  /** The buyer is told of this stage (e-mail) or acts on it (a page). */
  readonly buyerVisible: boolean;
  /**
   * The offer is out: the buyer may arrive from AWS Marketplace (the fulfillment POST) while the onboarding is here,
   * so an arrival without a license match is taken for this onboarding.
   */
  readonly buyerMayArrive?: boolean;
  /** An onboarding record at this stage has ended (nothing moves it on). */
  readonly terminal: boolean;
  /**
   * The stages this one leads to in the workflow (forward edges). Not listed because every live stage has them:
   * `StageTimedOut` (support's escalation of a timeout or failure), `Closed` and `SubscriptionFailed` (the ends).
   * A Choice stage's edges are its branches; a record skips the Choice (see canMove in tasks/domain/stage-rules.ts).
   */
  readonly next: readonly S[];
  /** Where to look, by name. The task function (tasks/handlers/<handler>.ts) the state invokes. */
  readonly handler?: string;
  /** The page (web/) where a person completes or acts on this stage; `:id` is the onboarding id. */
  readonly form?: string;
  /** The use cases (exported from tasks/use-cases/index.ts) that run or complete this stage. */
  readonly useCases: readonly string[];
  /** The test file that exercises the stage by name. */
  readonly test: string;
}

export interface TaskStageEntry<S extends string = string> extends EntryBase<S> {
  /** A Lambda task of the workflow. */
  readonly kind: 'task';
}

export interface ChoiceStageEntry<S extends string = string> extends EntryBase<S> {
  /** A Choice state: the workflow decides, no record ever rests here. */
  readonly kind: 'choice';
}

export interface EndStageEntry<S extends string = string> extends EntryBase<S> {
  /** Where the workflow ends (Succeed, or close-onboarding then Fail). */
  readonly kind: 'end';
}

export interface HumanStageEntry<S extends string = string> extends EntryBase<S> {
  /** A `.waitForTaskToken` stage (AwaitHumanStep): it waits for its assignee or a marketplace signal. */
  readonly kind: 'human';
  readonly assignee: HumanRole;
  /** The SendTaskSuccess payload that resumes the stage (workflows/contracts/callbacks.ts). */
  readonly callback: z.ZodType;
  /** The workflow variable (workflows/variables.ts) that receives the callback payload. */
  readonly resultVariable: string;
  /**
   * How long the stage waits by default (workflows/settings.ts turns it into a Duration), or until the offer's expiry,
   * or until the agreement's end.
   */
  readonly defaultTimeout: { readonly days: number } | 'offer-expiry' | 'agreement-end';
  /** Facts that complete the stage the moment it opens, preferred first (tasks/domain/facts.ts completionFor). */
  readonly earlyFacts?: readonly EarlyFact[];
  /** The buyer may submit this stage's form before it opens, at these stages; it is kept as this fact. */
  readonly earlySubmission?: {
    readonly fact: Extract<EarlyFact, `${string}-submitted`>;
    readonly from: readonly S[];
  };
  /** A subscription failure (a fact or a marketplace signal) stops this stage with Onboarding.SubscriptionFailed. */
  readonly stoppedBySubscriptionFailure?: boolean;
}

export type StageEntry<S extends string = string> =
  | TaskStageEntry<S>
  | ChoiceStageEntry<S>
  | EndStageEntry<S>
  | HumanStageEntry<S>;

/** Keeps each entry's literal types (kind, result variable, timeout) and checks every edge names a stage. */
function defineStages<const T extends { readonly [K in keyof T]: StageEntry<Extract<keyof T, string>> }>(
  stages: T,
): T {
  return stages;
}

const consoleForm = (stage: string) => `/console/onboardings/:id/stages/${stage}`;

export const STAGE_REGISTRY = defineStages({
  Inquiry: {
    kind: 'task',
    step: '1',
    label: { ja: '問い合わせ', en: 'Inquiry' },
    path: 'main',
    assignee: 'system',
    buyerVisible: true,
    terminal: false,
    next: ['Consultation'],
    handler: 'record-inquiry',
    useCases: ['startOnboarding', 'recordInquiry'],
    test: 'test/unit/use-cases/inquiry.test.ts',
  },
  Consultation: {
    kind: 'human',
    step: '2',
    label: { ja: '契約内容の相談', en: 'Consultation: agree the terms' },
    path: 'main',
    assignee: 'sales',
    buyerVisible: false,
    terminal: false,
    next: ['CreateOffer', 'SendOfferNotice'],
    callback: AgreedTerms,
    resultVariable: 'terms',
    defaultTimeout: { days: 30 },
    form: consoleForm('Consultation'),
    handler: 'open-human-task',
    useCases: ['openHumanTask', 'completeHumanStage'],
    test: 'test/unit/use-cases/human-stages.test.ts',
  },
  CreateOffer: {
    kind: 'task',
    step: '3',
    label: { ja: 'オファーの作成', en: 'Create the offer' },
    path: 'main',
    assignee: 'system',
    buyerVisible: false,
    terminal: false,
    // the change-set polling is shared with the extensions: one asked while the buyer waits that fails goes back to
    // AwaitAcceptance (ExtensionFailed), the offer still live with its old expiry
    next: ['SendOfferNotice', 'OfferFailed', 'AwaitAcceptance'],
    handler: 'create-offer',
    useCases: ['createOffer', 'checkOffer'],
    test: 'test/unit/use-cases/offers.test.ts',
  },
  SendOfferNotice: {
    kind: 'task',
    step: '3',
    label: { ja: 'オファーのご案内メール', en: 'Offer e-mail' },
    path: 'main',
    assignee: 'system',
    buyerVisible: true,
    buyerMayArrive: true,
    terminal: false,
    next: ['AwaitAcceptance'],
    handler: 'send-offer-notice',
    useCases: ['sendOfferNotice'],
    test: 'test/unit/use-cases/offers.test.ts',
  },
  AwaitAcceptance: {
    kind: 'human',
    step: '4–5',
    label: { ja: '購入者によるサブスクライブ', en: 'Buyer subscribes' },
    path: 'main',
    assignee: 'buyer',
    buyerVisible: true,
    buyerMayArrive: true,
    terminal: false,
    // sales extends the offer while waiting (ExtendOffer: a change set that can fail, then the new offer notice)
    next: ['AccountSetup', 'OfferExpired', 'SendOfferNotice', 'OfferFailed'],
    callback: AcceptanceSignal,
    resultVariable: 'acceptance',
    defaultTimeout: 'offer-expiry',
    earlyFacts: ['agreement-created', 'buyer-arrived'],
    stoppedBySubscriptionFailure: true,
    handler: 'open-human-task',
    useCases: ['handleMarketplaceSignal', 'resolveBuyerArrival', 'extendOfferWhileWaiting'],
    test: 'test/unit/use-cases/signals.test.ts',
  },
  AccountSetup: {
    kind: 'human',
    step: '6',
    label: { ja: 'アカウントの設定', en: 'Account setup' },
    path: 'main',
    assignee: 'buyer',
    buyerVisible: true,
    buyerMayArrive: true,
    terminal: false,
    next: ['Registration'],
    callback: FulfillmentResolved,
    resultVariable: 'fulfillment',
    defaultTimeout: { days: 14 },
    earlyFacts: ['buyer-arrived'],
    stoppedBySubscriptionFailure: true,
    form: '/marketplace/fulfillment',
    handler: 'open-human-task',
    useCases: ['resolveBuyerArrival'],
    test: 'test/unit/use-cases/buyer-arrival.test.ts',
  },
  Registration: {
    kind: 'human',
    step: '6→7',
    label: { ja: '新規登録または既存ユーザーのログイン', en: 'New or existing user' },
    path: 'main',
    assignee: 'buyer',
    buyerVisible: true,
    terminal: false,
    next: ['NewOrExisting'],
    callback: BuyerRegistration,
    resultVariable: 'registration',
    defaultTimeout: { days: 7 },
    earlyFacts: ['registration-submitted'],
    earlySubmission: { fact: 'registration-submitted', from: ['AwaitAcceptance', 'AccountSetup'] },
    stoppedBySubscriptionFailure: true,
    form: '/buyer/register',
    handler: 'open-human-task',
    useCases: ['registerNewAccount', 'loginExistingUser'],
    test: 'test/unit/use-cases/accounts.test.ts',
  },
  NewOrExisting: {
    kind: 'choice',
    label: { ja: '新規か既存か', en: 'New or existing account' },
    path: 'main',
    assignee: 'system',
    buyerVisible: false,
    terminal: false,
    next: ['CreateAccount', 'AccountSelection'],
    useCases: [],
    test: 'test/workflows/graph.test.ts',
  },
  CreateAccount: {
    kind: 'task',
    step: '7-1',
    label: { ja: '新規アカウントの作成', en: 'New account' },
    path: 'main',
    assignee: 'system',
    buyerVisible: true,
    terminal: false,
    next: ['ActivatePaidPlan'],
    handler: 'create-account',
    useCases: ['createAccount'],
    test: 'test/unit/use-cases/accounts.test.ts',
  },
  AccountSelection: {
    kind: 'human',
    step: '7-2',
    label: { ja: '有料化を行うアカウントの選択', en: 'Account selection' },
    path: 'main',
    assignee: 'buyer',
    buyerVisible: true,
    terminal: false,
    next: ['ActivatePaidPlan'],
    callback: AccountSelectionChoice,
    resultVariable: 'selection',
    defaultTimeout: { days: 7 },
    earlyFacts: ['selection-submitted'],
    // the buyer can log in (Registration, itself early) and pick the account before the workflow reached either
    earlySubmission: {
      fact: 'selection-submitted',
      from: ['AwaitAcceptance', 'AccountSetup', 'Registration', 'NewOrExisting'],
    },
    stoppedBySubscriptionFailure: true,
    form: '/buyer/accounts',
    handler: 'open-human-task',
    useCases: ['listUserAccounts', 'selectAccount'],
    test: 'test/unit/use-cases/accounts.test.ts',
  },
  ActivatePaidPlan: {
    kind: 'task',
    step: '8',
    label: { ja: '有料プランの開始', en: 'Paid plan' },
    path: 'main',
    assignee: 'system',
    buyerVisible: true,
    terminal: false,
    next: ['NotifyCompletion'],
    handler: 'activate-paid-plan',
    useCases: ['activatePaidPlan'],
    test: 'test/unit/use-cases/accounts.test.ts',
  },
  NotifyCompletion: {
    kind: 'task',
    step: '8',
    label: { ja: '完了のご案内メール', en: 'Completion e-mail' },
    path: 'main',
    assignee: 'system',
    buyerVisible: true,
    terminal: false,
    next: ['Completed'],
    handler: 'notify-completion',
    useCases: ['notifyCompletion'],
    test: 'test/unit/use-cases/accounts.test.ts',
  },
  OfferFailed: {
    kind: 'human',
    label: { ja: 'オファー作成の失敗', en: 'Offer creation failed' },
    path: 'side',
    assignee: 'sales',
    buyerVisible: false,
    terminal: false,
    next: ['CreateOffer', 'SendOfferNotice'],
    callback: OfferFailureDecision,
    resultVariable: 'decision',
    defaultTimeout: { days: 14 },
    form: consoleForm('OfferFailed'),
    handler: 'open-human-task',
    useCases: ['openHumanTask', 'completeHumanStage'],
    test: 'test/unit/use-cases/human-stages.test.ts',
  },
  OfferExpired: {
    kind: 'human',
    label: { ja: 'オファーの期限切れ', en: 'Offer expired' },
    path: 'side',
    assignee: 'sales',
    buyerVisible: false,
    buyerMayArrive: true,
    terminal: false,
    // extend (a change set that can fail: OfferFailed), re-create, or the manual offer's new notice; AwaitAcceptance
    // only through the shared polling's ExtensionFailed, which an extension of the expired offer never takes
    next: ['CreateOffer', 'SendOfferNotice', 'OfferFailed', 'AwaitAcceptance'],
    callback: OfferExpiredDecision,
    resultVariable: 'decision',
    defaultTimeout: { days: 14 },
    form: consoleForm('OfferExpired'),
    handler: 'open-human-task',
    useCases: ['openHumanTask', 'completeHumanStage', 'extendOffer'],
    test: 'test/unit/use-cases/offers.test.ts',
  },
  StageTimedOut: {
    kind: 'human',
    label: { ja: '期限切れ・失敗した段階の対応', en: 'A stage timed out' },
    path: 'side',
    assignee: 'support',
    buyerVisible: false,
    terminal: false,
    // support re-opens the stage that timed out or failed: any stage the workflow can resume at (see canMove)
    next: [],
    callback: TimedOutDecision,
    resultVariable: 'decision',
    defaultTimeout: { days: 30 },
    form: consoleForm('StageTimedOut'),
    handler: 'open-human-task',
    useCases: ['openHumanTask', 'completeHumanStage'],
    test: 'test/unit/use-cases/human-stages.test.ts',
  },
  SubscriptionFailed: {
    kind: 'end',
    label: { ja: 'サブスクリプションの失敗・解約', en: 'Subscription failed or cancelled' },
    path: 'side',
    assignee: 'system',
    buyerVisible: false,
    // the workflow ends here, but the record closes as Closed (close-onboarding): no record rests at this stage
    terminal: false,
    next: [],
    handler: 'close-onboarding',
    useCases: ['handleMarketplaceSignal', 'closeOnboardingRecord'],
    test: 'test/unit/use-cases/signals.test.ts',
  },
  Completed: {
    kind: 'end',
    label: { ja: '完了', en: 'Completed' },
    path: 'main',
    assignee: 'system',
    buyerVisible: true,
    terminal: true,
    next: [],
    useCases: ['notifyCompletion'],
    test: 'test/unit/use-cases/happy-path.test.ts',
  },
  Closed: {
    kind: 'end',
    label: { ja: 'オンボーディングの終了', en: 'Closed' },
    path: 'side',
    assignee: 'system',
    buyerVisible: false,
    terminal: true,
    next: [],
    form: '/console/onboardings/:id/close',
    handler: 'close-onboarding',
    useCases: ['closeOnboarding', 'closeOnboardingRecord'],
    test: 'test/unit/use-cases/happy-path.test.ts',
  },
  // The deal after the sale: episodes of the lifecycle workflow, each its own execution; the onboarding stays Completed.
  Renewal: {
    kind: 'human',
    label: { ja: '契約更新の対応', en: 'Renewal' },
    path: 'deal',
    assignee: 'sales',
    buyerVisible: false,
    terminal: false,
    next: [],
    callback: RenewalDecision,
    resultVariable: 'decision',
    // due when the agreement ends; a RENEW or REPLACE agreement created before completes it
    defaultTimeout: 'agreement-end',
    form: consoleForm('Renewal'),
    handler: 'open-human-task',
    useCases: ['openHumanTask', 'completeHumanStage', 'advanceDeal', 'runAgreementEpisode'],
    test: 'test/unit/use-cases/deal-stages.test.ts',
  },
  CancellationAnswer: {
    kind: 'human',
    label: { ja: 'キャンセル依頼への購入者の回答', en: "The buyer's answer to a cancellation request" },
    path: 'deal',
    // the buyer answers on AWS Marketplace; AWS tells us (the request's events, or its status when no event came)
    assignee: 'buyer',
    buyerVisible: false,
    terminal: false,
    next: [],
    callback: CancellationAnswer,
    resultVariable: 'decision',
    // AWS approves a request left unanswered for 7 days; one more day for its event to arrive
    defaultTimeout: { days: 8 },
    handler: 'open-human-task',
    useCases: ['requestAgreementCancellation', 'advanceDeal', 'runAgreementEpisode'],
    test: 'test/unit/use-cases/deal-stages.test.ts',
  },
  AdvisoryReview: {
    kind: 'human',
    label: { ja: 'アドバイザリーの確認', en: 'Advisory review' },
    path: 'deal',
    assignee: 'support',
    buyerVisible: false,
    terminal: false,
    next: [],
    callback: AdvisoryDecision,
    resultVariable: 'decision',
    defaultTimeout: { days: 30 },
    form: consoleForm('AdvisoryReview'),
    handler: 'open-human-task',
    useCases: ['openHumanTask', 'completeHumanStage', 'advanceDeal', 'runAgreementEpisode'],
    test: 'test/unit/use-cases/deal-stages.test.ts',
  },
});

type Registry = typeof STAGE_REGISTRY;
export type Stage = keyof Registry;
type StagesOfKind<K extends StageEntry['kind']> = {
  [S in Stage]: Registry[S] extends { readonly kind: K } ? S : never;
}[Stage];
export type HumanStage = StagesOfKind<'human'>;

/** Every stage, the registry's entry typed as the shared shape (for code that reads any field of any stage). */
export const stageEntry = (stage: Stage): StageEntry<Stage> => STAGE_REGISTRY[stage];

/** The stages in the procedure's order (main path, then side paths and ends). */
export const STAGES = Object.keys(STAGE_REGISTRY) as readonly Stage[];
export const Stage = z.enum(STAGES as [Stage, ...Stage[]]);

const isHuman = (stage: Stage): stage is HumanStage => STAGE_REGISTRY[stage].kind === 'human';
/** Stages that pause on a task token until a person (staff or buyer) or a marketplace signal resumes them. */
export const HUMAN_STAGES: readonly HumanStage[] = STAGES.filter(isHuman);
export const HumanStage = z.enum(HUMAN_STAGES as [HumanStage, ...HumanStage[]]);

/** A human stage's entry. */
export const humanStage = (stage: HumanStage): HumanStageEntry<Stage> => STAGE_REGISTRY[stage];

/** Who is expected to complete a human stage. */
export const assigneeOf = (stage: HumanStage): HumanRole => STAGE_REGISTRY[stage].assignee;

/** Human stages with a fixed default timeout (AwaitAcceptance's follows the offer expiry). */
export type FixedTimeoutStage = {
  [S in HumanStage]: Registry[S]['defaultTimeout'] extends { readonly days: number } ? S : never;
}[HumanStage];
export const FIXED_TIMEOUT_STAGES = HUMAN_STAGES.filter(
  (s): s is FixedTimeoutStage => typeof STAGE_REGISTRY[s].defaultTimeout === 'object',
);
/** The stages of the onboarding workflow (everything but the deal's), and its human stages. */
export const ONBOARDING_STAGES = STAGES.filter((s) => STAGE_REGISTRY[s].path !== 'deal');
export const ONBOARDING_HUMAN_STAGES = HUMAN_STAGES.filter((s) => STAGE_REGISTRY[s].path !== 'deal');
/** The stages of the deal after the sale (the lifecycle workflow's human steps). */
export const DEAL_STAGES = HUMAN_STAGES.filter((s) => STAGE_REGISTRY[s].path === 'deal');
export const isDealStage = (stage: string): boolean => (DEAL_STAGES as readonly string[]).includes(stage);

/** Human stages staff complete from the console (sales, support); the others wait on the buyer or the marketplace. */
export type StaffStage = {
  [S in HumanStage]: Registry[S]['assignee'] extends 'sales' | 'support' ? S : never;
}[HumanStage];
export const STAFF_STAGES = HUMAN_STAGES.filter((s): s is StaffStage => assigneeOf(s) !== 'buyer');
export const isStaffStage = (stage: string): stage is StaffStage =>
  (STAFF_STAGES as readonly string[]).includes(stage);

/** Human stages the buyer completes (pages or the marketplace). */
export const BUYER_STAGES = HUMAN_STAGES.filter((s) => assigneeOf(s) === 'buyer');

/** Stages a recorded subscription failure stops at once (the buyer's side of the procedure). */
export const STOPPED_BY_SUBSCRIPTION_FAILURE: readonly HumanStage[] = HUMAN_STAGES.filter(
  (s) => humanStage(s).stoppedBySubscriptionFailure === true,
);

/** Human stages a fact of this kind completes the moment they open (in the procedure's order). */
export const stagesCompletedBy = (fact: EarlyFact): readonly HumanStage[] =>
  HUMAN_STAGES.filter((s) => humanStage(s).earlyFacts?.includes(fact));

/** Stages at which the buyer may arrive from AWS Marketplace (the offer is out). */
export const BUYER_ARRIVAL_STAGES: readonly Stage[] = STAGES.filter(
  (s) => stageEntry(s).buyerMayArrive === true,
);

/**
 * Stages after the buyer's last step, shown to the buyer as done: what the buyer sees along the main path past the
 * buyer's own stages (the new account, the paid plan, the completion e-mail, completed).
 */
export function stagesAfterBuyerSteps(): readonly Stage[] {
  const found = new Set<Stage>();
  const todo: Stage[] = [...BUYER_STAGES];
  while (todo.length > 0) {
    const stage = todo.pop() as Stage;
    for (const next of stageEntry(stage).next) {
      // forward only: AwaitAcceptance leads back to SendOfferNotice when sales extends the offer
      if (found.has(next) || stageEntry(next).path !== 'main' || STAGES.indexOf(next) < STAGES.indexOf(stage))
        continue;
      found.add(next);
      todo.push(next);
    }
  }
  return STAGES.filter(
    (s) => found.has(s) && stageEntry(s).buyerVisible && !(BUYER_STAGES as readonly Stage[]).includes(s),
  );
}

/** The label with the procedure's step number in front (main path), e.g. "2 Consultation: agree the terms". */
export const numberedLabel = (stage: Stage, locale: 'ja' | 'en'): string => {
  const { step, label } = stageEntry(stage);
  return step ? `${step} ${label[locale]}` : label[locale];
};

/** The success payload each human stage accepts (its `callback`), by stage. */
export const STAGE_CALLBACKS = Object.fromEntries(HUMAN_STAGES.map((s) => [s, humanStage(s).callback])) as {
  readonly [S in HumanStage]: Registry[S]['callback'];
};
