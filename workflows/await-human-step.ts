/**
 * AwaitHumanStep: the one fragment every `.waitForTaskToken` stage is made of.
 *
 * A single Task state invoking `open-human-task` with WAIT_FOR_TASK_TOKEN: the Lambda stores the token server side
 * and notifies the assignee; the workflow pauses until the web app, the CLI or a marketplace signal sends
 * SendTaskSuccess (the stage's callback payload, assigned to a variable) or SendTaskFailure. Each way out is explicit
 * and records `$reason`:
 * - `Onboarding.Closed` (cause = CloseRequest JSON)            → `onClosed`
 * - `Onboarding.SubscriptionFailed`                            → `onSubscriptionFailed`
 * - the stage's own errors (`onErrors`, e.g. AwaitAcceptance's `Onboarding.OfferExtended`) → their states
 * - `States.Timeout` (the stage's TimeoutSeconds passed)       → `onTimeout`
 * - `States.TaskFailed`, then anything else (`States.ALL`)     → `onFailure`
 */
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { HUMAN_STAGES, type HumanStage, WORKFLOW_ERRORS } from './contracts/index.js';
import { functionTimeout } from './functions.js';
import { isoInSeconds, jsonata, ONBOARDING_ID, TASK_TOKEN } from './jsonata.js';
import { assignReason, caughtCause, caughtReason } from './reason.js';
import { retryTransientFailures } from './transient-retry.js';
import type { WorkflowVariable } from './variables.js';

/** Step Functions' limit for TimeoutSeconds is 99999999; a Standard execution lasts at most one year. */
const MAX_TIMEOUT_SECONDS = 365 * 24 * 3600;

/** How long a human stage waits: a fixed duration, or a JSONata expression of seconds evaluated on entry. */
export class HumanStepTimeout {
  /** A fixed timeout (1 second to 365 days). */
  static duration(duration: Duration): HumanStepTimeout {
    const seconds = duration.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
      throw new Error(
        `HumanStepTimeout: a timeout must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS} (365 days), got ${seconds} (${duration.toHumanString()})`,
      );
    }
    return new HumanStepTimeout(String(seconds), seconds);
  }

  /**
   * A timeout computed when the stage opens, e.g. from the offer expiry. `expression` is JSONata (without `{% %}`)
   * evaluating to seconds; it is clamped to 1 … 365 days and rounded down.
   */
  static expression(expression: string): HumanStepTimeout {
    if (expression.trim() === '' || expression.includes('{%')) {
      throw new Error(
        `HumanStepTimeout.expression: give a bare JSONata expression of seconds (no {% %}), got ${JSON.stringify(expression)}`,
      );
    }
    return new HumanStepTimeout(`$max([1, $min([${MAX_TIMEOUT_SECONDS}, $floor(${expression})])])`);
  }

  private constructor(
    /** JSONata expression (or integer literal) of the timeout in seconds. */
    readonly secondsExpression: string,
    /** Set for fixed timeouts. */
    readonly fixedSeconds?: number,
  ) {}

  toTimeout(): sfn.Timeout {
    return this.fixedSeconds !== undefined
      ? sfn.Timeout.duration(Duration.seconds(this.fixedSeconds))
      : sfn.Timeout.jsonata(jsonata(this.secondsExpression));
  }
}

export interface AwaitHumanStepProps {
  /** The human stage; also the state's name. */
  readonly stage: HumanStage;
  /** The `open-human-task` function. */
  readonly openHumanTask: lambda.IFunction;
  /** How long the stage waits before `States.Timeout`. */
  readonly timeout: HumanStepTimeout;
  /** The variable that receives the callback payload (the SendTaskSuccess output). */
  readonly resultVariable: WorkflowVariable;
  /**
   * JSONata expression (without `{% %}`) of an object passed as `context` to open-human-task, shown to whoever
   * completes the stage.
   * @default - no context
   */
  readonly context?: string;
  /**
   * JSONata expression (without `{% %}`) of the step's instance, for a stage that may wait more than once at a time
   * per onboarding (the deal's steps: the lifecycle execution's name); each instance keeps its own task.
   * @default - none: one task per onboarding and stage
   */
  readonly instance?: string;
  /**
   * Further variables assigned on success (values may use `$states.result`, the callback payload).
   * @default - only `resultVariable`
   */
  readonly assign?: Readonly<Record<string, unknown>>;
  /**
   * JSONata expression (without `{% %}`) of the cause recorded when the stage times out and the timeout carries none.
   * @default - "<stage> was not completed before its timeout"
   */
  readonly timeoutCause?: string;
  /** Where a timeout goes (`$reason.kind` = timed-out). */
  readonly onTimeout: sfn.IChainable;
  /** Where any other failure goes (`$reason.kind` = failed). */
  readonly onFailure: sfn.IChainable;
  /** Where SendTaskFailure `Onboarding.Closed` goes (`$reason.kind` = closed). */
  readonly onClosed: sfn.IChainable;
  /** Where SendTaskFailure `Onboarding.SubscriptionFailed` goes (`$reason.kind` = subscription-failed). */
  readonly onSubscriptionFailed: sfn.IChainable;
  /**
   * Further SendTaskFailure errors the stage is resumed with, each to its own state (caught before the timeout and
   * the failures; `assign` may read `$states.errorOutput`).
   * @default - none
   */
  readonly onErrors?: readonly {
    readonly errors: readonly string[];
    readonly next: sfn.IChainable;
    readonly assign?: Readonly<Record<string, unknown>>;
  }[];
  /** @default - a description of the stage */
  readonly comment?: string;
}

export class AwaitHumanStep extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  readonly endStates: sfn.INextable[];
  /** The Task state (named after the stage). */
  readonly task: tasks.LambdaInvoke;

  constructor(scope: Construct, id: string, props: AwaitHumanStepProps) {
    super(scope, id);
    if (!(HUMAN_STAGES as readonly string[]).includes(props.stage)) {
      throw new Error(
        `AwaitHumanStep: stage must be one of ${HUMAN_STAGES.join(', ')}, got ${JSON.stringify(props.stage)}`,
      );
    }
    if (props.resultVariable === 'reason') {
      throw new Error(
        'AwaitHumanStep: resultVariable cannot be "reason"; the fragment assigns it on failures',
      );
    }
    const { stage, timeout } = props;

    const payload: Record<string, unknown> = {
      onboardingId: jsonata(ONBOARDING_ID),
      stage,
      taskToken: jsonata(TASK_TOKEN),
      dueAt: jsonata(isoInSeconds(timeout.secondsExpression)),
      ...(props.context ? { context: jsonata(props.context) } : {}),
      ...(props.instance ? { instance: jsonata(props.instance) } : {}),
    };

    this.task = tasks.LambdaInvoke.jsonata(this, stage, {
      comment: props.comment ?? `Human stage ${stage}: waits for its callback (task token kept server side)`,
      lambdaFunction: props.openHumanTask,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject(payload),
      taskTimeout: timeout.toTimeout(),
      retryOnServiceExceptions: false,
      assign: { [props.resultVariable]: jsonata('$states.result'), ...props.assign },
    });
    retryTransientFailures(this.task, functionTimeout('open-human-task'));

    const fallback = `${stage} was not completed before its timeout`;
    this.task.addCatch(props.onClosed, {
      errors: [WORKFLOW_ERRORS.closed],
      assign: caughtReason(stage, 'closed', undefined, 'closed without a reason'),
    });
    this.task.addCatch(props.onSubscriptionFailed, {
      errors: [WORKFLOW_ERRORS.subscriptionFailed],
      assign: caughtReason(
        stage,
        'subscription-failed',
        undefined,
        'the subscription failed or was cancelled',
      ),
    });
    for (const { errors, next, assign } of props.onErrors ?? []) {
      this.task.addCatch(next, { errors: [...errors], ...(assign ? { assign: { ...assign } } : {}) });
    }
    const timeoutReason = assignReason({
      stage,
      kind: 'timed-out',
      error: '$states.errorOutput.Error',
      cause: props.timeoutCause ? `(${props.timeoutCause})` : caughtCause(fallback),
      resumeAt: stage,
    });
    this.task.addCatch(props.onTimeout, { errors: [sfn.Errors.TIMEOUT], assign: timeoutReason });
    for (const errors of [[sfn.Errors.TASKS_FAILED], [sfn.Errors.ALL]]) {
      this.task.addCatch(props.onFailure, {
        errors,
        assign: caughtReason(stage, 'failed', stage, `${stage} failed`),
      });
    }

    this.startState = this.task;
    this.endStates = [this.task];
  }
}
