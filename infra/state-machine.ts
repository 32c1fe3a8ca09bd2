/** Each state machine's CloudFormation resource carries `Metadata: { 'mo:state-machine': <role> }` (the local stack reads it). */
export const STATE_MACHINE_METADATA_KEY = 'mo:state-machine';

/**
 * The onboarding state machine: Standard (executions last up to a year, exactly-once), JSONata, X-Ray tracing, and
 * CloudWatch Logs at level ALL *without* execution data: with data included, every TaskScheduled event would put
 * the task token of the human stages (and buyers' personal data) into a log line, which the design forbids. The
 * full inputs and outputs stay in the execution history (GetExecutionHistory, archived to S3 for audit).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { WorkflowFunctionName } from '../workflows/functions.js';
import { LifecycleWorkflow, type LifecycleWorkflowProps } from '../workflows/lifecycle-workflow.js';
import { OnboardingWorkflow, type OnboardingWorkflowProps } from '../workflows/onboarding-workflow.js';

export interface OnboardingStateMachineProps {
  /** Fixed name, so functions can be granted its ARN without depending on it. */
  readonly stateMachineName: string;
  readonly functions: Readonly<Record<WorkflowFunctionName, lambda.IFunction>>;
  readonly logRetention: logs.RetentionDays;
  /**
   * Timeouts and polling of the workflow.
   * @default - the workflow's defaults
   */
  readonly workflow?: Omit<OnboardingWorkflowProps, 'functions'>;
}

export class OnboardingStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly workflow: OnboardingWorkflow;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: OnboardingStateMachineProps) {
    super(scope, id);
    this.workflow = new OnboardingWorkflow(this, 'Workflow', {
      ...props.workflow,
      functions: props.functions,
    });
    const { stateMachine, logGroup } = standardMachine(this, {
      name: props.stateMachineName,
      definition: this.workflow.definition,
      comment: 'AWS Marketplace private-offer onboarding',
      logRetention: props.logRetention,
      kind: 'onboarding',
    });
    this.stateMachine = stateMachine;
    this.logGroup = logGroup;
  }
}

export interface LifecycleStateMachineProps {
  readonly stateMachineName: string;
  readonly functions: LifecycleWorkflowProps['functions'];
  readonly logRetention: logs.RetentionDays;
  /**
   * The onboarding state machine's role: both workflows invoke the same task functions, so one role lists them (and
   * the local stack checks each machine's calls against the role its template names).
   */
  readonly role: iam.IRole;
  /** Change-set polling of the renewal offer (the onboarding's offer polling, where the stack sets one). */
  readonly offerPolling?: LifecycleWorkflowProps['offerPolling'];
}

/** The lifecycle state machine: one execution per episode of the deal after the sale; same settings as the onboarding's. */
export class LifecycleStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly workflow: LifecycleWorkflow;

  constructor(scope: Construct, id: string, props: LifecycleStateMachineProps) {
    super(scope, id);
    this.workflow = new LifecycleWorkflow(this, 'Workflow', {
      functions: props.functions,
      ...(props.offerPolling ? { offerPolling: props.offerPolling } : {}),
    });
    this.stateMachine = standardMachine(this, {
      name: props.stateMachineName,
      definition: this.workflow.definition,
      comment:
        'AWS Marketplace agreement lifecycle: one execution per episode (amend, renewal, advisory, grace period)',
      logRetention: props.logRetention,
      kind: 'lifecycle',
      role: props.role,
    }).stateMachine;
  }
}

/**
 * A Standard JSONata state machine as both workflows are deployed: X-Ray, its own log group (retained) at level ALL
 * without execution data, and the `mo:state-machine` metadata naming which workflow it runs.
 */
function standardMachine(
  scope: Construct,
  p: {
    name: string;
    definition: sfn.IChainable;
    comment: string;
    logRetention: logs.RetentionDays;
    kind: 'onboarding' | 'lifecycle';
    role?: iam.IRole;
  },
): { stateMachine: sfn.StateMachine; logGroup: logs.LogGroup } {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    logGroupName: `/aws/vendedlogs/states/${p.name}`,
    retention: p.logRetention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: p.name,
    stateMachineType: sfn.StateMachineType.STANDARD,
    queryLanguage: sfn.QueryLanguage.JSONATA,
    definitionBody: sfn.DefinitionBody.fromChainable(p.definition),
    comment: p.comment,
    ...(p.role ? { role: p.role } : {}),
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
  });
  (stateMachine.node.defaultChild as sfn.CfnStateMachine).addMetadata(STATE_MACHINE_METADATA_KEY, p.kind);
  return { stateMachine, logGroup };
}
