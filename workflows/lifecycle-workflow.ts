/**
 * LifecycleWorkflow: the deal after the sale (issue 11), one execution per episode that waits, written with the same
 * constructs as the onboarding and the same human-step fragment (AwaitHumanStep), so each episode is durable, timed
 * out and audited in its execution history:
 *
 *   Episode ─ amend    → ChangePlan (agreement-episode: the plan follows the new entitlements) ─────────────→ Done
 *           ├ renewal  → Renewal (sales; due at the agreement's end; a RENEW/REPLACE agreement completes it) ─┐
 *           │    └ draft-offer → CreateRenewalOffer → WaitForRenewalOffer ⇄ CheckRenewalOffer (bounded)       │
 *           │         → SendRenewalOffer (recorded, buyer mailed) or the failure recorded → BackToRenewal ─↺  │
 *           ├ advisory → AdvisoryReview (support; AWS's Resolved completes it; nothing is revoked) ───────────┤
 *           │                                                            RecordOutcome (agreement-episode) ┴→ Done
 *           ├ grace    → GracePeriod (Wait until planEndsAt) → EndPlanIfDue (agreement-episode) → Done
 *           └ cancellation → CancellationAnswer (the buyer's answer, as AWS tells it; 8 days, then
 *                            RefreshCancellation reads the request) → RecordOutcome → Done
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
import { checkOfferPolling, DEFAULT_OFFER_POLLING, type OfferPolling } from './settings.js';
import { retryTransientFailures } from './transient-retry.js';

export interface LifecycleWorkflowProps {
  /** `open-human-task` (the deal's human steps) and `agreement-episode` (records outcomes, ends plans). */
  readonly functions: Readonly<Record<'open-human-task' | 'agreement-episode', lambda.IFunction>>;
  /**
   * How long support has to review an advisory.
   * @default the registry's AdvisoryReview timeout (30 days)
   */
  readonly advisoryReview?: Duration;
  /**
   * Change-set polling of the renewal offer (Renewal → draft-offer), as the onboarding's offer.
   * @default DEFAULT_OFFER_POLLING (1 minute doubling to 15 minutes, 12 checks)
   */
  readonly offerPolling?: OfferPolling;
}

const AGREEMENT_ID = '$states.context.Execution.Input.agreementId';
/** Each deal step's task is kept per execution (an advisory's, a renewal's, a request's), never shared. */
const EXECUTION_NAME = '$states.context.Execution.Name';

export class LifecycleWorkflow extends Construct {
  /** The definition to hand to `DefinitionBody.fromChainable` (starts at `Episode`). */
  readonly definition: sfn.IChainable;

  constructor(scope: Construct, id: string, props: LifecycleWorkflowProps) {
    super(scope, id);
    const fns = props.functions;
    for (const name of ['open-human-task', 'agreement-episode'] as const)
      if (!fns[name]) throw new Error(`LifecycleWorkflow: functions is missing ${name}`);
    const advisoryDays = STAGE_REGISTRY.AdvisoryReview.defaultTimeout.days;
    const polling = checkOfferPolling(props.offerPolling ?? DEFAULT_OFFER_POLLING);

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
        execution: jsonata(EXECUTION_NAME),
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
        instance: EXECUTION_NAME,
        onTimeout: record,
        onFailure: record,
        onClosed: record,
        onSubscriptionFailed: record,
        comment: `${entry.label.en}: waits for ${entry.assignee} or the marketplace (task token kept server side)`,
      });
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
    advisory.next(record);

    // the buyer's answer to a seller's cancellation request; none in 8 days: read the request's status from AWS
    const refresh = tasks.LambdaInvoke.jsonata(this, 'RefreshCancellation', {
      comment: "No answer came (AWS delivers events best effort): read the request's status and apply it",
      lambdaFunction: fns['agreement-episode'],
      payload: sfn.TaskInput.fromObject({
        action: 'refresh-cancellation',
        onboardingId: jsonata(ONBOARDING_ID),
        agreementId: jsonata(AGREEMENT_ID),
        requestId: jsonata('$states.context.Execution.Input.requestId'),
      }),
      outputs: jsonata('$states.result.Payload'),
      // AWS's answer, when it has one, is the step's answer: recorded as such, not as a timeout
      assign: {
        decision: jsonata(
          '$exists($states.result.Payload.answer) ? $states.result.Payload.answer : $decision',
        ),
        reason: jsonata('$exists($states.result.Payload.answer) ? null : $reason'),
      },
      retryOnServiceExceptions: false,
    });
    retryTransientFailures(refresh, functionTimeout('agreement-episode'));
    refresh.addCatch(record, { errors: [sfn.Errors.ALL] });
    refresh.next(record);
    const cancellation = new AwaitHumanStep(this, 'CancellationAnswerStep', {
      stage: 'CancellationAnswer',
      openHumanTask: fns['open-human-task'],
      timeout: HumanStepTimeout.duration(
        Duration.days(STAGE_REGISTRY.CancellationAnswer.defaultTimeout.days),
      ),
      resultVariable: STAGE_REGISTRY.CancellationAnswer.resultVariable,
      context:
        "$merge([$exists($states.input.context) ? $states.input.context : {}, {'agreementId': $states.input.agreementId, 'requestId': $states.input.requestId}])",
      instance: EXECUTION_NAME,
      onTimeout: refresh,
      onFailure: record,
      onClosed: record,
      onSubscriptionFailed: record,
      comment:
        "The buyer's answer to the cancellation request, as AWS tells it (task token kept server side)",
    });
    cancellation.next(record);
    renewal.next(this.renewalOffer(fns['agreement-episode'], polling, renewal, record));

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

    const initial = { decision: null, reason: null, offerAttempt: 0, renewalOffer: null };
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
      .when(sfn.Condition.jsonata("{% $states.input.episode = 'cancellation' %}"), cancellation, {
        assign: { ...initial, stage: 'CancellationAnswer' },
      })
      .otherwise(
        new sfn.Fail(this, 'UnknownEpisode', {
          comment: 'The input names no episode this workflow knows',
          error: 'Lifecycle.UnknownEpisode',
          causePath: undefined,
        }),
      );
  }

  /**
   * Renewal → draft-offer: the agreement-based replacement offer with the agreed terms (CreateReplacementOffer), its
   * change set polled like the onboarding's offer (bounded), then recorded on the agreement and mailed to the buyer;
   * a failure is recorded too. Either way sales' Renewal opens again, its context telling the offer or the failure;
   * the buyer's REPLACE agreement (or sales' decision) completes it. Any other decision goes to RecordOutcome.
   */
  private renewalOffer(
    fn: lambda.IFunction,
    polling: { first: number; max: number; checks: number },
    renewal: sfn.IChainable,
    record: sfn.IChainable,
  ): sfn.IChainable {
    const invoke = (id: string, comment: string, payload: Record<string, unknown>, assign?: object) => {
      const task = tasks.LambdaInvoke.jsonata(this, id, {
        comment,
        lambdaFunction: fn,
        payload: sfn.TaskInput.fromObject({
          onboardingId: jsonata(ONBOARDING_ID),
          agreementId: jsonata(AGREEMENT_ID),
          ...payload,
        }),
        ...(assign ? { assign } : {}),
        outputs: jsonata('$states.result.Payload'),
        retryOnServiceExceptions: false,
      });
      retryTransientFailures(task, functionTimeout('agreement-episode'));
      return task;
    };
    // Renewal's input again: its due date, and its context with what became of the offer
    const back = sfn.Pass.jsonata(this, 'BackToRenewal', {
      comment: "Sales' Renewal opens again; its context shows the renewal offer (or why it failed)",
      outputs: {
        endTime: jsonata('$states.context.Execution.Input.endTime'),
        context: jsonata(
          "$merge([$exists($states.context.Execution.Input.context) ? $states.context.Execution.Input.context : {}, {'renewalOffer': $renewalOffer}])",
        ),
      },
    });
    back.next(renewal);
    const failedCatch = {
      errors: [sfn.Errors.ALL],
      assign: {
        renewalOffer: jsonata(
          "{'outcome': 'failed', 'failure': {'code': $states.errorOutput.Error, 'message': $string($states.errorOutput.Cause)}}",
        ),
      },
    };

    const create = invoke(
      'CreateRenewalOffer',
      'Renewal → draft-offer: one StartChangeSet creating and releasing the replacement offer',
      {
        action: 'create-renewal-offer',
        terms: jsonata('$decision.terms'),
        attempt: jsonata('$offerAttempt + 1'),
      },
      {
        offerAttempt: jsonata('$offerAttempt + 1'),
        renewalOffer: jsonata(
          "$merge([$states.result.Payload, {'offerExpiresAt': $decision.terms.offerExpiresAt}])",
        ),
        polls: 0,
      },
    );
    create.addCatch(back, failedCatch);
    const wait = sfn.Wait.jsonata(this, 'WaitForRenewalOffer', {
      comment: 'Change-set polling: waits longer after each check (bounded)',
      time: sfn.WaitTime.seconds(
        jsonata(`$min([${polling.max}, $round(${polling.first} * $power(2, $polls))])`),
      ),
    });
    const check = invoke(
      'CheckRenewalOffer',
      'DescribeChangeSet of the renewal offer; the last check records a change set still running as failed',
      {
        action: 'check-renewal-offer',
        changeSetId: jsonata('$renewalOffer.changeSetId'),
        check: jsonata('$polls + 1'),
        lastCheck: jsonata(`$polls + 1 >= ${polling.checks}`),
      },
      {
        polls: jsonata('$polls + 1'),
        // the check's answer over what is known of the offer (its change set, its expiry)
        renewalOffer: jsonata('$merge([$renewalOffer, $states.result.Payload])'),
      },
    );
    check.addCatch(back, failedCatch);
    const send = invoke(
      'SendRenewalOffer',
      'The renewal offer is released: recorded on the agreement, the buyer mailed the offer link',
      {
        action: 'send-renewal-offer',
        offerId: jsonata('$renewalOffer.offerId'),
        terms: jsonata('$decision.terms'),
      },
      { renewalOffer: jsonata("$merge([$renewalOffer, {'outcome': 'sent'}])") },
    );
    send.addCatch(back, failedCatch);
    send.next(back);

    const when = (expr: string) => sfn.Condition.jsonata(`{% ${expr} %}`);
    const started = sfn.Choice.jsonata(this, 'RenewalOfferStarted', {
      comment: 'Did StartChangeSet take it?',
    })
      .when(when("$renewalOffer.outcome = 'failed'"), back)
      .otherwise(wait);
    create.next(started);
    wait.next(check);
    check.next(
      sfn.Choice.jsonata(this, 'RenewalOfferReady', { comment: 'Has the change set ended?' })
        .when(when("$renewalOffer.outcome = 'succeeded'"), send)
        .when(when("$renewalOffer.outcome = 'failed'"), back)
        .otherwise(wait),
    );
    return sfn.Choice.jsonata(this, 'RenewalDecided', {
      comment: 'Sales drafted a renewal offer (draft-offer), or the step ended: record how',
    })
      .when(when("$exists($decision.action) and $decision.action = 'draft-offer'"), create)
      .otherwise(record);
  }
}
