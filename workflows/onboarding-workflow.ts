/**
 * OnboardingWorkflow: the state machine of the private-offer procedure, in JSONata mode. Each stage of the stage
 * registry (contracts/stage-registry.ts) is the state of its name; human stages take their result variable and default
 * timeout from it, and test/workflows/graph.test.ts checks the registry's edges against the rendered graph.
 *
 * Happy path: Inquiry → Consultation → HowToCreateOffer → CreateOffer → WaitForOffer ⇄ CheckOffer → OfferReady →
 * SendOfferNotice → AwaitAcceptance → AccountSetup → Registration → NewOrExisting → CreateAccount (7-1) or
 * AccountSelection (7-2) → ActivatePaidPlan → NotifyCompletion → Completed.
 *
 * Side paths: OfferFailed (retry / manual offer id / close), OfferExpired (extend / re-create / close), the offer
 * extended while AwaitAcceptance waits (ExtendOffer, then the offer notice and AwaitAcceptance again; if it fails,
 * ExtensionFailed tells sales and AwaitAcceptance waits again until the old expiry, the offer still live), StageTimedOut
 * (support re-opens the stage or closes), and the ends Closed, SubscriptionFailed, TimedOut, Failed: each reached
 * through a close-onboarding task and a Fail state whose Cause is the `$reason` (JSON), so nothing ends silently.
 */
import type { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { AwaitHumanStep, type AwaitHumanStepProps, HumanStepTimeout } from './await-human-step.js';
import { type HumanStage, STAGE_REGISTRY, type Stage, WORKFLOW_ERRORS } from './contracts/index.js';
import { functionTimeout, WORKFLOW_FUNCTIONS, type WorkflowFunctionName } from './functions.js';
import { jsonata, literal, ONBOARDING_ID } from './jsonata.js';
import { assignReason, caughtReason, closedByDecision, type ReasonKind } from './reason.js';
import {
  type ActivationRetry,
  checkActivationRetry,
  checkGrace,
  checkOfferPolling,
  DEFAULT_ACCEPTANCE_GRACE,
  DEFAULT_ACTIVATION_RETRY,
  DEFAULT_OFFER_POLLING,
  DEFAULT_STAGE_TIMEOUTS,
  type FixedTimeoutStage,
  type OfferPolling,
} from './settings.js';
import { retryTransientFailures } from './transient-retry.js';
import { INITIAL_VARIABLES } from './variables.js';

export interface OnboardingWorkflowProps {
  /** One function per workflow entry of workflows/contracts/functions.ts (record-inquiry, open-human-task, …). */
  readonly functions: Readonly<Record<WorkflowFunctionName, lambda.IFunction>>;
  /**
   * Timeouts of the human stages, merged over the defaults.
   * @default DEFAULT_STAGE_TIMEOUTS (Consultation 30 days, Registration 7 days, …)
   */
  readonly stageTimeouts?: Readonly<Partial<Record<FixedTimeoutStage, Duration>>>;
  /**
   * How long AwaitAcceptance waits past the offer expiry for a late agreement event.
   * @default Duration.hours(1)
   */
  readonly acceptanceGrace?: Duration;
  /**
   * Change-set status polling of CreateOffer and ExtendOffer.
   * @default DEFAULT_OFFER_POLLING (1 minute doubling to 15 minutes, 12 checks)
   */
  readonly offerPolling?: OfferPolling;
  /**
   * Retries of ActivatePaidPlan on `Onboarding.SubscriptionNotConfirmed`.
   * @default DEFAULT_ACTIVATION_RETRY (30 seconds doubling to 15 minutes, 8 retries)
   */
  readonly activationRetry?: ActivationRetry;
}

type Ends = Record<'closed' | 'subscriptionFailed' | 'timedOut' | 'failed', sfn.IChainable>;

export class OnboardingWorkflow extends Construct {
  /** The definition to hand to `DefinitionBody.fromChainable` (starts at `Inquiry`). */
  readonly definition: sfn.IChainable;
  /** States that support can re-open from StageTimedOut, by `$reason.resumeAt`. */
  readonly resumable: ReadonlyMap<string, sfn.State>;

  private readonly fns: Readonly<Record<WorkflowFunctionName, lambda.IFunction>>;
  private readonly timeouts: Readonly<Record<FixedTimeoutStage, HumanStepTimeout>>;
  private readonly reopen = new Map<string, sfn.State>();
  private readonly ends: Ends;
  private readonly escalation: AwaitHumanStep;

  constructor(scope: Construct, id: string, props: OnboardingWorkflowProps) {
    super(scope, id);
    this.fns = checkFunctions(props.functions);
    this.timeouts = checkTimeouts({ ...DEFAULT_STAGE_TIMEOUTS, ...props.stageTimeouts });
    const polling = checkOfferPolling(props.offerPolling ?? DEFAULT_OFFER_POLLING);
    const activationRetry = checkActivationRetry(props.activationRetry ?? DEFAULT_ACTIVATION_RETRY);
    const grace = checkGrace(props.acceptanceGrace ?? DEFAULT_ACCEPTANCE_GRACE);

    // Ends: record why (close-onboarding), then a Fail state whose Cause is the $reason.
    this.ends = {
      closed: this.end('Closed', 'closed', WORKFLOW_ERRORS.closed),
      subscriptionFailed: this.end(
        'SubscriptionFailed',
        'subscription-failed',
        WORKFLOW_ERRORS.subscriptionFailed,
      ),
      timedOut: this.end('TimedOut', 'timed-out', WORKFLOW_ERRORS.timedOut),
      failed: this.end('Failed', 'failed', WORKFLOW_ERRORS.failed),
    };

    // Support's escalation: a stage timed out or failed; support re-opens it or closes.
    this.escalation = new AwaitHumanStep(this, 'StageTimedOutStep', {
      stage: 'StageTimedOut',
      openHumanTask: this.fns['open-human-task'],
      timeout: this.timeouts.StageTimedOut,
      resultVariable: STAGE_REGISTRY.StageTimedOut.resultVariable,
      context: '$reason',
      timeoutCause: "'Support did not act on the escalation of ' & $reason.stage & ' before it timed out'",
      onTimeout: this.ends.timedOut,
      onFailure: this.ends.failed,
      onClosed: this.ends.closed,
      onSubscriptionFailed: this.ends.subscriptionFailed,
      comment: 'Support is told that a stage timed out or failed ($reason); re-open it or close',
    });
    const escalationDecision = sfn.Choice.jsonata(this, 'TimedOutDecision', {
      comment: 'Support re-opens the stage in $reason.resumeAt, or closes',
    });
    this.escalation.next(escalationDecision);

    // --- states ---------------------------------------------------------------------------------------------------
    const inquiry = this.invoke('Inquiry', 'record-inquiry', jsonata('$states.context.Execution.Input'), {
      comment: 'Step 1: record the inquiry (the execution input) and acknowledge it by e-mail',
      assign: { ...INITIAL_VARIABLES, onboarding: jsonata('$states.result.Payload') },
    });
    inquiry.addCatch(this.escalation, {
      errors: [sfn.Errors.ALL],
      assign: { ...INITIAL_VARIABLES, ...caughtReason('Inquiry', 'failed', 'Inquiry', 'Inquiry failed') },
    });
    this.reopen.set('Inquiry', inquiry);

    const offerFailed = this.human('OfferFailed', { context: '$reason' });
    const offerExpired = this.human('OfferExpired', {
      context: "{'offerId': $offerId, 'offerExpiresAt': $offerExpiresAt}",
    });
    const consultation = this.human('Consultation');
    const howToCreateOffer = sfn.Choice.jsonata(this, 'HowToCreateOffer', {
      comment: 'Step 3: create the offer through the Catalog API, or use the offer sales made by hand',
    });

    const createOffer = this.invoke(
      'CreateOffer',
      'create-offer',
      {
        onboardingId: jsonata(ONBOARDING_ID),
        buyerAwsAccountId: jsonata('$onboarding.awsAccountId'),
        terms: jsonata('$terms'),
        attempt: jsonata('$offerAttempt + 1'),
      },
      {
        comment: 'Step 3: one StartChangeSet creating and releasing the private offer',
        assign: {
          offerAttempt: jsonata('$offerAttempt + 1'),
          changeSetId: jsonata('$states.result.Payload.changeSetId'),
          polls: 0,
          offerId: null,
          offerSource: 'api',
          offerExpiresAt: jsonata('$terms.offerExpiresAt'),
          extendFrom: null,
        },
      },
    );
    createOffer.addCatch(offerFailed, {
      errors: [sfn.Errors.ALL],
      assign: caughtReason('CreateOffer', 'failed', undefined, 'StartChangeSet failed'),
    });

    const waitForOffer = sfn.Wait.jsonata(this, 'WaitForOffer', {
      comment: 'Change-set polling: waits longer after each check (bounded)',
      time: sfn.WaitTime.seconds(
        jsonata(`$min([${polling.max}, $round(${polling.first} * $power(2, $polls))])`),
      ),
    });
    const checkOffer = this.invoke(
      'CheckOffer',
      'check-offer',
      { onboardingId: jsonata(ONBOARDING_ID), changeSetId: jsonata('$changeSetId') },
      {
        comment: 'DescribeChangeSet of the offer change set',
        assign: { offerStatus: jsonata('$states.result.Payload'), polls: jsonata('$polls + 1') },
      },
    );
    this.escalateOnError(checkOffer, 'CreateOffer', 'WaitForOffer');
    this.reopen.set('WaitForOffer', waitForOffer);
    const offerReady = sfn.Choice.jsonata(this, 'OfferReady', { comment: 'Has the change set ended?' });

    const sendOfferNotice = this.invoke(
      'SendOfferNotice',
      'send-offer-notice',
      {
        onboardingId: jsonata(ONBOARDING_ID),
        offerId: jsonata('$offerId'),
        offerExpiresAt: jsonata('$offerExpiresAt'),
        source: jsonata('$offerSource'),
      },
      { comment: 'Step 3: record the offer and mail the buyer the offer link' },
    );
    this.escalateOnError(sendOfferNotice, 'SendOfferNotice', 'SendOfferNotice');

    const extendOffer = this.invoke(
      'ExtendOffer',
      'extend-offer',
      {
        onboardingId: jsonata(ONBOARDING_ID),
        offerId: jsonata('$offerId'),
        offerExpiresAt: jsonata('$offerExpiresAt'),
        attempt: jsonata('$extendAttempt + 1'),
      },
      {
        comment:
          'OfferExpired → extend, or sales extended the offer while AwaitAcceptance waits: a change set moving the offer expiry',
        assign: {
          extendAttempt: jsonata('$extendAttempt + 1'),
          changeSetId: jsonata('$states.result.Payload.changeSetId'),
          polls: 0,
        },
      },
    );
    // a failed change set: an extension asked while the buyer is waiting leaves the offer live with its old expiry, so
    // the workflow waits for the buyer again (sales told on the timeline); "retry" at OfferFailed would make a second
    // offer. Any other (the offer's creation, an extension of the expired offer) is sales' OfferFailed.
    const offerChangeFailed = sfn.Choice.jsonata(this, 'OfferChangeFailed', {
      comment: 'Was it an extension asked while the buyer is waiting? Then the offer is still live',
    });
    const extensionFailed = this.invoke(
      'ExtensionFailed',
      'extend-offer',
      {
        report: 'failed',
        onboardingId: jsonata(ONBOARDING_ID),
        offerId: jsonata('$offerId'),
        offerExpiresAt: jsonata('$keptOfferExpiresAt'),
        requestedExpiresAt: jsonata('$offerExpiresAt'),
        error: jsonata('$reason.error'),
        cause: jsonata('$reason.cause'),
      },
      {
        comment:
          'The extension asked while waiting failed: sales is told on the timeline, the buyer is waited for until the old expiry',
        assign: BACK_TO_WAITING,
      },
    );
    extendOffer.addCatch(offerChangeFailed, {
      errors: [sfn.Errors.ALL],
      assign: caughtReason({ expression: '$extendFrom' }, 'failed', undefined, 'extending the offer failed'),
    });

    const awaitAcceptance = this.human('AwaitAcceptance', {
      timeout: HumanStepTimeout.expression(`($toMillis($offerExpiresAt) - $millis()) / 1000 + ${grace}`),
      context: "{'offerId': $offerId, 'offerExpiresAt': $offerExpiresAt}",
      onTimeout: offerExpired,
      // sales extends the offer before it expires: move the expiry, then wait again until the new one (the timeout
      // above is computed from $offerExpiresAt each time the stage opens)
      onErrors: [
        {
          errors: [WORKFLOW_ERRORS.offerExtended],
          next: extendOffer,
          assign: {
            offerExpiresAt: jsonata('$parse($states.errorOutput.Cause).offerExpiresAt'),
            keptOfferExpiresAt: jsonata('$offerExpiresAt'),
            extendFrom: 'AwaitAcceptance',
          },
        },
      ],
    });
    const accountSetup = this.human('AccountSetup');
    const registration = this.human('Registration');
    const newOrExisting = sfn.Choice.jsonata(this, 'NewOrExisting', {
      comment: 'Step 7: 7-1 new account, or 7-2 an existing user picks the account',
    });
    const createAccount = this.invoke(
      'CreateAccount',
      'create-account',
      { onboardingId: jsonata(ONBOARDING_ID), registration: jsonata('$registration') },
      {
        comment: 'Step 7-1: create the SaaS account and its first user',
        assign: { accountId: jsonata('$states.result.Payload.accountId') },
      },
    );
    this.escalateOnError(createAccount, 'CreateAccount', 'CreateAccount');
    const accountSelection = this.human('AccountSelection', {
      context: "{'userId': $registration.userId}",
      assign: { accountId: jsonata('$states.result.accountId') },
    });

    const activatePaidPlan = this.invoke(
      'ActivatePaidPlan',
      'activate-paid-plan',
      // the registration travels with the task: the web records it on the onboarding only after resuming the workflow
      {
        onboardingId: jsonata(ONBOARDING_ID),
        accountId: jsonata('$accountId'),
        registration: jsonata('$registration'),
      },
      {
        comment: 'Step 8: the paid plan, never before the subscription is confirmed',
        assign: { activation: jsonata('$states.result.Payload') },
      },
    );
    activatePaidPlan.addRetry({
      errors: [WORKFLOW_ERRORS.subscriptionNotConfirmed],
      interval: activationRetry.interval,
      maxDelay: activationRetry.maxDelay,
      maxAttempts: activationRetry.maxAttempts,
      backoffRate: 2,
      jitterStrategy: sfn.JitterType.FULL,
    });
    activatePaidPlan.addCatch(this.ends.subscriptionFailed, {
      errors: [WORKFLOW_ERRORS.subscriptionFailed],
      assign: caughtReason('ActivatePaidPlan', 'subscription-failed', undefined, 'the subscription failed'),
    });
    this.escalateOnError(activatePaidPlan, 'ActivatePaidPlan', 'ActivatePaidPlan');

    const notifyCompletion = this.invoke(
      'NotifyCompletion',
      'notify-completion',
      {
        onboardingId: jsonata(ONBOARDING_ID),
        accountId: jsonata('$accountId'),
        registration: jsonata('$registration'),
      },
      { comment: 'Step 8: the completion e-mail' },
    );
    this.escalateOnError(notifyCompletion, 'NotifyCompletion', 'NotifyCompletion');
    const completed = sfn.Succeed.jsonata(this, 'Completed', {
      comment: 'The paid plan is active and the buyer was told',
      outputs: jsonata(
        "{'onboardingId': $states.context.Execution.Input.onboardingId, 'accountId': $accountId, 'plan': $activation.plan, 'activatedAt': $activation.activatedAt}",
      ),
    });

    // --- wiring ---------------------------------------------------------------------------------------------------
    inquiry.next(consultation);
    consultation.next(howToCreateOffer);
    howToCreateOffer
      .when(when("$terms.offerCreation = 'manual'"), sendOfferNotice, {
        comment: 'Sales created the offer by hand',
        assign: {
          offerId: jsonata('$terms.manualOfferId'),
          offerSource: 'manual',
          offerExpiresAt: jsonata('$terms.offerExpiresAt'),
        },
      })
      .otherwise(createOffer);
    createOffer.next(waitForOffer);
    waitForOffer.next(checkOffer);
    checkOffer.next(offerReady);
    offerReady
      .when(when("$offerStatus.status = 'SUCCEEDED'"), sendOfferNotice, {
        assign: { offerId: jsonata('$exists($offerStatus.offerId) ? $offerStatus.offerId : $offerId') },
      })
      .when(when("$offerStatus.status in ['FAILED', 'CANCELLED']"), offerChangeFailed, {
        assign: assignReason({
          stage: CHANGE_SET_STAGE,
          kind: 'failed',
          error: literal(WORKFLOW_ERRORS.offerFailed),
          cause:
            "$string({'changeSetId': $changeSetId, 'status': $offerStatus.status, 'failure': $offerStatus.failure})",
        }),
      })
      .when(when(`$polls >= ${polling.checks}`), offerChangeFailed, {
        comment: 'Polling is bounded: the change set did not end in time',
        assign: assignReason({
          stage: CHANGE_SET_STAGE,
          kind: 'failed',
          error: literal(WORKFLOW_ERRORS.offerFailed),
          cause:
            "'change set ' & $changeSetId & ' still ' & $offerStatus.status & ' after ' & $string($polls) & ' checks'",
        }),
      })
      .otherwise(waitForOffer);
    sendOfferNotice.next(awaitAcceptance);
    offerChangeFailed
      .when(
        when("$extendFrom = 'AwaitAcceptance' and $type($keptOfferExpiresAt) = 'string'"),
        extensionFailed,
      )
      .otherwise(offerFailed);
    // also when telling sales failed: the offer is still live
    extensionFailed.addCatch(awaitAcceptance, { errors: [sfn.Errors.ALL], assign: BACK_TO_WAITING });
    extensionFailed.next(awaitAcceptance);
    awaitAcceptance.next(accountSetup);
    accountSetup.next(registration);
    registration.next(newOrExisting);
    newOrExisting
      .when(when("$registration.kind = 'new'"), createAccount, { comment: '7-1 新規登録' })
      .otherwise(accountSelection); // 'existing' (BuyerRegistration allows nothing else)
    createAccount.next(activatePaidPlan);
    accountSelection.next(activatePaidPlan);
    activatePaidPlan.next(notifyCompletion);
    notifyCompletion.next(completed);

    offerFailed.next(
      sfn.Choice.jsonata(this, 'OfferFailedDecision', {
        comment: 'Sales: retry with amended terms, manual offer, close',
      })
        .when(when("$decision.action = 'retry'"), createOffer, {
          assign: { terms: jsonata('$decision.terms') },
        })
        .when(when("$decision.action = 'manual'"), sendOfferNotice, {
          assign: {
            offerId: jsonata('$decision.offerId'),
            offerSource: 'manual',
            offerExpiresAt: jsonata('$terms.offerExpiresAt'),
          },
        })
        .when(when("$decision.action = 'close'"), this.ends.closed, {
          assign: closedByDecision('OfferFailed'),
        })
        .otherwise(offerFailed.startState),
    );
    offerExpired.next(
      sfn.Choice.jsonata(this, 'OfferExpiredDecision', { comment: 'Sales: extend, re-create or close' })
        .when(when("$decision.action = 'extend'"), extendOffer, {
          assign: { offerExpiresAt: jsonata('$decision.offerExpiresAt'), extendFrom: 'OfferExpired' },
        })
        .when(when("$decision.action = 'recreate'"), createOffer, {
          assign: { terms: jsonata('$decision.terms') },
        })
        .when(when("$decision.action = 'close'"), this.ends.closed, {
          assign: closedByDecision('OfferExpired'),
        })
        .otherwise(offerExpired.startState),
    );
    extendOffer.next(waitForOffer);

    escalationDecision.when(when("$decision.action = 'close'"), this.ends.closed, {
      assign: closedByDecision('StageTimedOut'),
    });
    for (const [resumeAt, state] of this.reopen) {
      escalationDecision.when(
        when(`$decision.action = 'reopen' and $reason.resumeAt = ${literal(resumeAt)}`),
        state,
        resumeAt === 'WaitForOffer' ? { assign: { polls: 0 } } : undefined,
      );
    }
    escalationDecision.otherwise(this.escalation.startState);

    this.definition = inquiry;
    this.resumable = this.reopen;
  }

  /** A Lambda task (request-response) whose output is the function's payload. */
  private invoke(
    name: string,
    fn: WorkflowFunctionName,
    payload: Record<string, unknown> | string,
    options: { readonly comment?: string; readonly assign?: Record<string, unknown> } = {},
  ): tasks.LambdaInvoke {
    const task = tasks.LambdaInvoke.jsonata(this, name, {
      comment: options.comment,
      lambdaFunction: this.fns[fn],
      payload:
        typeof payload === 'string' ? sfn.TaskInput.fromText(payload) : sfn.TaskInput.fromObject(payload),
      outputs: jsonata('$states.result.Payload'),
      retryOnServiceExceptions: false,
      ...(options.assign ? { assign: options.assign } : {}),
    });
    retryTransientFailures(task, functionTimeout(fn));
    return task;
  }

  /** Any failure (after retries) → support's escalation, which can re-open `resumeAt`. */
  private escalateOnError(task: tasks.LambdaInvoke, stage: Stage, resumeAt: string): void {
    task.addCatch(this.escalation, {
      errors: [sfn.Errors.ALL],
      assign: caughtReason(stage, 'failed', resumeAt, `${stage} failed`),
    });
    if (!this.reopen.has(resumeAt)) this.reopen.set(resumeAt, task);
  }

  /**
   * A human stage with the standard paths: timeout and failure → support's escalation; closed; subscription failed.
   * Its result variable and default timeout come from the stage registry.
   */
  private human(
    stage: Exclude<HumanStage, 'StageTimedOut'>,
    options: {
      readonly timeout?: HumanStepTimeout;
      readonly context?: string;
      readonly assign?: Record<string, unknown>;
      readonly onTimeout?: sfn.IChainable;
      readonly onErrors?: AwaitHumanStepProps['onErrors'];
    } = {},
  ): AwaitHumanStep {
    const entry = STAGE_REGISTRY[stage];
    const timeout =
      options.timeout ??
      (typeof entry.defaultTimeout === 'object' ? this.timeouts[stage as FixedTimeoutStage] : undefined);
    if (!timeout)
      throw new Error(`OnboardingWorkflow: ${stage} waits for the offer expiry; give its timeout`);
    const step = new AwaitHumanStep(this, `${stage}Step`, {
      stage,
      openHumanTask: this.fns['open-human-task'],
      timeout,
      resultVariable: entry.resultVariable,
      ...(options.context ? { context: options.context } : {}),
      ...(options.assign ? { assign: options.assign } : {}),
      ...(options.onErrors ? { onErrors: options.onErrors } : {}),
      onTimeout: options.onTimeout ?? this.escalation,
      onFailure: this.escalation,
      onClosed: this.ends.closed,
      onSubscriptionFailed: this.ends.subscriptionFailed,
    });
    this.reopen.set(stage, step.startState);
    return step;
  }

  /** `Record<Name>` (close-onboarding) → Fail `<Name>` with the `$reason` as Cause. */
  private end(name: string, outcome: ReasonKind, error: string): sfn.IChainable {
    const fail = sfn.Fail.jsonata(this, name, {
      comment: `Ends here: ${outcome}; the Cause is the $reason as JSON`,
      error,
      cause: jsonata('$string($reason)'),
    });
    const record = this.invoke(
      `Record${name}`,
      'close-onboarding',
      {
        onboardingId: jsonata(ONBOARDING_ID),
        stage: jsonata('$reason.stage'),
        outcome,
        error: jsonata('$reason.error'),
        cause: jsonata('$reason.cause'),
      },
      { comment: `Records why the onboarding ended (${outcome}) and tells support` },
    );
    record.addCatch(fail, { errors: [sfn.Errors.ALL] });
    record.next(fail);
    return record;
  }
}

/** Waiting for the buyer again until the offer's old expiry, after an extension asked while waiting failed. */
const BACK_TO_WAITING = {
  offerExpiresAt: jsonata('$keptOfferExpiresAt'),
  keptOfferExpiresAt: null,
  extendFrom: null,
} as const;

/** The stage a polled change set belongs to: the extension's origin ($extendFrom), else CreateOffer. */
const CHANGE_SET_STAGE = { expression: "($extendFrom ? $extendFrom : 'CreateOffer')" } as const;

const when = (expression: string): sfn.Condition => sfn.Condition.jsonata(jsonata(expression));

function checkFunctions(
  functions: Readonly<Record<WorkflowFunctionName, lambda.IFunction>> | undefined,
): Readonly<Record<WorkflowFunctionName, lambda.IFunction>> {
  const missing = WORKFLOW_FUNCTIONS.filter((name) => !functions?.[name]);
  if (missing.length > 0) {
    const given = Object.keys(functions ?? {});
    throw new Error(
      `OnboardingWorkflow: functions is missing ${missing.join(', ')} (given: ${given.length ? given.join(', ') : 'none'})`,
    );
  }
  return functions as Readonly<Record<WorkflowFunctionName, lambda.IFunction>>;
}

function checkTimeouts(
  durations: Readonly<Record<FixedTimeoutStage, Duration>>,
): Record<FixedTimeoutStage, HumanStepTimeout> {
  const out = {} as Record<FixedTimeoutStage, HumanStepTimeout>;
  for (const [stage, duration] of Object.entries(durations) as [FixedTimeoutStage, Duration][]) {
    if (!(stage in DEFAULT_STAGE_TIMEOUTS)) {
      throw new Error(
        `OnboardingWorkflow: stageTimeouts has no stage ${JSON.stringify(stage)} (known: ${Object.keys(DEFAULT_STAGE_TIMEOUTS).join(', ')})`,
      );
    }
    try {
      out[stage] = HumanStepTimeout.duration(duration);
    } catch (e) {
      throw new Error(`OnboardingWorkflow: stageTimeouts.${stage}: ${(e as Error).message}`);
    }
  }
  return out;
}
