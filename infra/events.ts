/**
 * What reaches the functions without the workflow calling them:
 * - AWS Marketplace agreement and license events (EventBridge, default bus, us-east-1) → marketplace-events;
 * - optionally the older Marketplace SNS subscription notifications → marketplace-sns;
 * - a terminal status of an onboarding execution → archive-history.
 * Deliveries that still fail after retries land in one encrypted dead-letter queue, so no signal is lost silently.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The AWS Marketplace events the onboarding listens to (seller side: we are proposer and manufacturer). */
export const MARKETPLACE_EVENT_PATTERN = {
  source: ['aws.agreement-marketplace'],
  detailType: [
    'Purchase Agreement Created - Proposer',
    'Purchase Agreement Ended - Proposer',
    'Purchase Agreement Amended - Proposer',
    'Purchase Agreement Ending - Proposer',
    'License Updated - Manufacturer',
    'License Deprovisioned - Manufacturer',
    'Agreement Cancellation Request Pending Approval - Proposer',
    'Agreement Cancellation Request Approved - Proposer',
    'Agreement Cancellation Request Rejected - Proposer',
    'Agreement Cancellation Request Cancelled - Proposer',
    'Agreement Cancellation Request Validation Failed - Proposer',
    'Purchase Agreement Advisory Issued - Manufacturer',
    'Purchase Agreement Advisory Resolved - Manufacturer',
  ],
} as const;

/** Terminal statuses of an execution (RUNNING and PENDING_REDRIVE are not ends). */
export const TERMINAL_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export interface OnboardingEventsProps {
  readonly marketplaceEvents: lambda.IFunction;
  readonly marketplaceSns: lambda.IFunction;
  readonly archiveHistory: lambda.IFunction;
  /** Run daily by EventBridge Scheduler. */
  readonly reconcileAgreements: lambda.IFunction;
  readonly stateMachineArn: string;
  /** @default - no SNS subscription */
  readonly marketplaceSnsTopicArn?: string;
}

export class OnboardingEvents extends Construct {
  readonly deadLetters: sqs.Queue;
  readonly marketplaceRule: events.Rule;
  readonly executionEndedRule: events.Rule;
  readonly reconcileSchedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: OnboardingEventsProps) {
    super(scope, id);
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const target = (fn: lambda.IFunction) =>
      new targets.LambdaFunction(fn, {
        deadLetterQueue: this.deadLetters,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      });
    // Asynchronous invocations that fail inside the function end up in the same queue.
    for (const fn of [props.marketplaceEvents, props.marketplaceSns, props.archiveHistory]) {
      fn.configureAsyncInvoke({
        retryAttempts: 2,
        onFailure: new destinations.SqsDestination(this.deadLetters),
      });
    }

    this.marketplaceRule = new events.Rule(this, 'MarketplaceEvents', {
      description: 'AWS Marketplace agreement and license events → marketplace-events',
      eventPattern: {
        source: [...MARKETPLACE_EVENT_PATTERN.source],
        detailType: [...MARKETPLACE_EVENT_PATTERN.detailType],
      },
      targets: [target(props.marketplaceEvents)],
    });

    this.executionEndedRule = new events.Rule(this, 'ExecutionEnded', {
      description: 'An onboarding execution ended → archive-history',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [props.stateMachineArn], status: [...TERMINAL_STATUSES] },
      },
      targets: [target(props.archiveHistory)],
    });

    // Nothing missed (AWS delivers Marketplace events best effort): the agreements reconciled once a day
    this.reconcileSchedule = new scheduler.Schedule(this, 'ReconcileAgreements', {
      description:
        "Hourly: the seller's agreements against the records, due plan ends (reconcile-agreements)",
      // hourly, so a grace period ends within the hour it is due
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: new schedulerTargets.LambdaInvoke(props.reconcileAgreements, {
        deadLetterQueue: this.deadLetters,
        retryAttempts: 2,
      }),
    });

    if (props.marketplaceSnsTopicArn) {
      const topic = sns.Topic.fromTopicArn(this, 'MarketplaceTopic', props.marketplaceSnsTopicArn);
      const subscription = new subscriptions.LambdaSubscription(props.marketplaceSns, {
        deadLetterQueue: this.deadLetters,
      });
      topic.addSubscription(subscription);
    }
  }
}
