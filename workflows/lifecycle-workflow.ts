/**
 * LifecycleWorkflow: the deal after the sale (issue 11), one execution per episode that waits, written with the same
 * constructs as the onboarding and the same human-step fragment (AwaitHumanStep), so each episode is durable, timed
 * out and audited in its execution history:
 *
 *   Episode ─ amend    → ChangePlan (agreement-episode: the plan follows the new entitlements) ─────────────→ Done
 *           ├ renewal  → Renewal (sales; due at the agreement's end; a RENEW/REPLACE agreement completes it) ─┐
 *           ├ advisory → AdvisoryReview (support; AWS's Resolved completes it; nothing is revoked) ───────────┤
 *           │                                                            RecordOutcome (agreement-episode) ┴→ Done
 *           └ grace    → GracePeriod (Wait until planEndsAt) → EndPlanIfDue (agreement-episode) → Done
 *
 * A step that times out, fails or is closed is recorded too (RecordOutcome reads `$reason`): nothing ends silently.
 * The deal stages are the stage registry's `path: 'deal'` entries; the onboarding record stays where it ended.
 */
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { AwaitHumanStep, HumanStepTimeout } from './await-human-step.js';
import { type DEAL_STEP_STAGES, STAGE_REGISTRY } from './contracts/index.js';
import { functionTimeout } from './functions.js';
import { jsonata, ONBOARDING_ID } from './jsonata.js';
import { retryTransientFailures } from './transient-retry.js';

export interface LifecycleWorkflowProps {
  /** `open-human-task` (the deal's human steps) and `agreement-episode` (records outcomes, ends plans). */
  readonly functions: Readonly<Record<'open-human-task' | 'agreement-episode', lambda.IFunction>>;
  /**
   * How long support has to review an advisory.
   * @default the registry's AdvisoryReview timeout (30 days)
   */
  readonly advisoryReview?: Duration;
}

const AGREEMENT_ID = '$states.context.Execution.Input.agreementId';

export class LifecycleWorkflow extends Construct {
  /** The definition to hand to `DefinitionBody.fromChainable` (starts at `Episode`). */
  readonly definition: sfn.IChainable;

  constructor(scope: Construct, id: string, props: LifecycleWorkflowProps) {
    super(scope, id);
    const fns = props.functions;
    for (const name of ['open-human-task', 'agreement-episode'] as const)
      if (!fns[name]) throw new Error(`LifecycleWorkflow: functions is missing ${name}`);
    const advisoryDays = STAGE_REGISTRY.AdvisoryReview.defaultTimeout.days;

    const done = new sfn.Succeed(this, 'Done', { comment: 'The episode is recorded on the agreement' });
    const failed = new sfn.Fail(this, 'EpisodeFailed', {
      comment: 'The episode could not be recorded after retries; its history says why',
      error: 'Lifecycle.EpisodeFailed',
    });

    const record = tasks.LambdaInvoke.jsonata(this, 'RecordOutcome', {
      comment: 'Records how the deal step ended (decided, completed by the marketplace, timed out, closed)',
      lambdaFunction: fns['agreement-episode'],
      payload: sfn.TaskInput.fromObject({
        action: 'record-outcome',
        onboardingId: jsonata(ONBOARDING_ID),
        agreementId: jsonata(AGREEMENT_ID),
        stage: jsonata('$stage'),
        decision: jsonata('$decision'),
        reason: jsonata('$reason'),
      }),
      outputs: jsonata('$states.result.Payload'),
      retryOnServiceExceptions: false,
    });
    retryTransientFailures(record, functionTimeout('agreement-episode'));
    record.addCatch(failed, { errors: [sfn.Errors.ALL] });
    record.next(done);

    const step = (stage: (typeof DEAL_STEP_STAGES)[number], timeout: HumanStepTimeout) => {
      const entry = STAGE_REGISTRY[stage];
      const s = new AwaitHumanStep(this, `${stage}Step`, {
        stage,
        openHumanTask: fns['open-human-task'],
        timeout,
        resultVariable: entry.resultVariable,
        context: '$exists($states.input.context) ? $states.input.context : {}',
        onTimeout: record,
        onFailure: record,
        onClosed: record,
        onSubscriptionFailed: record,
        comment: `${entry.label.en}: waits for ${entry.assignee} or the marketplace (task token kept server side)`,
      });
      s.next(record);
      return s;
    };
    const renewal = step(
      'Renewal',
      HumanStepTimeout.expression('($toMillis($states.input.endTime) - $millis()) / 1000'),
    );
    const advisory = step(
      'AdvisoryReview',
      HumanStepTimeout.duration(props.advisoryReview ?? Duration.days(advisoryDays)),
    );

    const grace = sfn.Wait.jsonata(this, 'GracePeriod', {
      comment: 'The agreement ended: its paid plan stays until the grace period is over',
      time: sfn.WaitTime.timestamp(jsonata('$states.input.planEndsAt')),
    });
    const endPlan = tasks.LambdaInvoke.jsonata(this, 'EndPlanIfDue', {
      comment: 'Ends the paid plan unless a renewal or replacement arrived during the grace period',
      lambdaFunction: fns['agreement-episode'],
      payload: sfn.TaskInput.fromObject({
        action: 'end-plan-if-due',
        onboardingId: jsonata(ONBOARDING_ID),
        agreementId: jsonata(AGREEMENT_ID),
        waitedUntil: jsonata('$states.context.Execution.Input.planEndsAt'),
      }),
      outputs: jsonata('$states.result.Payload'),
      retryOnServiceExceptions: false,
    });
    retryTransientFailures(endPlan, functionTimeout('agreement-episode'));
    endPlan.addCatch(failed, { errors: [sfn.Errors.ALL] });
    grace.next(endPlan);
    endPlan.next(done);

    const changePlan = tasks.LambdaInvoke.jsonata(this, 'ChangePlan', {
      comment:
        "An amendment: the tenant's plan follows the agreement's entitlements; buyer and sales are told",
      lambdaFunction: fns['agreement-episode'],
      payload: sfn.TaskInput.fromObject({
        action: 'change-plan',
        onboardingId: jsonata(ONBOARDING_ID),
        agreementId: jsonata(AGREEMENT_ID),
        eventId: jsonata('$states.context.Execution.Input.eventId'),
      }),
      outputs: jsonata('$states.result.Payload'),
      retryOnServiceExceptions: false,
    });
    retryTransientFailures(changePlan, functionTimeout('agreement-episode'));
    changePlan.addCatch(failed, { errors: [sfn.Errors.ALL] });
    changePlan.next(done);

    const initial = { decision: null, reason: null };
    this.definition = sfn.Choice.jsonata(this, 'Episode', {
      comment: 'Which episode this execution is (LifecycleStart in workflows/contracts/lifecycle.ts)',
    })
      .when(sfn.Condition.jsonata("{% $states.input.episode = 'amend' %}"), changePlan)
      .when(sfn.Condition.jsonata("{% $states.input.episode = 'renewal' %}"), renewal, {
        assign: { ...initial, stage: 'Renewal' },
      })
      .when(sfn.Condition.jsonata("{% $states.input.episode = 'advisory' %}"), advisory, {
        assign: { ...initial, stage: 'AdvisoryReview' },
      })
      .when(sfn.Condition.jsonata("{% $states.input.episode = 'grace' %}"), grace)
      .otherwise(
        new sfn.Fail(this, 'UnknownEpisode', {
          comment: 'The input names no episode this workflow knows',
          error: 'Lifecycle.UnknownEpisode',
          causePath: undefined,
        }),
      );
  }
}
