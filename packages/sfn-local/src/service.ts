/**
 * The Step Functions API as the local runtime implements it.
 *
 * This file is the seam between the runtime core (engine, store, recovery) and its surfaces (the HTTP server
 * speaking the AWS JSON 1.0 protocol, the `sfn-local` CLI, in-process callers). Request and response shapes are
 * the AWS SDK's own (`@aws-sdk/client-sfn`), so the HTTP layer only (de)serialises: timestamps travel as epoch
 * seconds on the wire and as `Date` here.
 *
 * Every method rejects with {@link StatesApiError} for the errors AWS documents for that action.
 */
import type * as sfn from '@aws-sdk/client-sfn';

export interface StepFunctionsService {
  createStateMachine(input: sfn.CreateStateMachineInput): Promise<sfn.CreateStateMachineOutput>;
  updateStateMachine(input: sfn.UpdateStateMachineInput): Promise<sfn.UpdateStateMachineOutput>;
  describeStateMachine(input: sfn.DescribeStateMachineInput): Promise<sfn.DescribeStateMachineOutput>;
  listStateMachines(input: sfn.ListStateMachinesInput): Promise<sfn.ListStateMachinesOutput>;
  deleteStateMachine(input: sfn.DeleteStateMachineInput): Promise<sfn.DeleteStateMachineOutput>;
  publishStateMachineVersion(
    input: sfn.PublishStateMachineVersionInput,
  ): Promise<sfn.PublishStateMachineVersionOutput>;
  listStateMachineVersions(
    input: sfn.ListStateMachineVersionsInput,
  ): Promise<sfn.ListStateMachineVersionsOutput>;
  deleteStateMachineVersion(
    input: sfn.DeleteStateMachineVersionInput,
  ): Promise<sfn.DeleteStateMachineVersionOutput>;
  createStateMachineAlias(
    input: sfn.CreateStateMachineAliasInput,
  ): Promise<sfn.CreateStateMachineAliasOutput>;
  updateStateMachineAlias(
    input: sfn.UpdateStateMachineAliasInput,
  ): Promise<sfn.UpdateStateMachineAliasOutput>;
  describeStateMachineAlias(
    input: sfn.DescribeStateMachineAliasInput,
  ): Promise<sfn.DescribeStateMachineAliasOutput>;
  listStateMachineAliases(
    input: sfn.ListStateMachineAliasesInput,
  ): Promise<sfn.ListStateMachineAliasesOutput>;
  deleteStateMachineAlias(
    input: sfn.DeleteStateMachineAliasInput,
  ): Promise<sfn.DeleteStateMachineAliasOutput>;
  validateStateMachineDefinition(
    input: sfn.ValidateStateMachineDefinitionInput,
  ): Promise<sfn.ValidateStateMachineDefinitionOutput>;
  testState(input: sfn.TestStateInput): Promise<sfn.TestStateOutput>;
  startExecution(input: sfn.StartExecutionInput): Promise<sfn.StartExecutionOutput>;
  startSyncExecution(input: sfn.StartSyncExecutionInput): Promise<sfn.StartSyncExecutionOutput>;
  describeExecution(input: sfn.DescribeExecutionInput): Promise<sfn.DescribeExecutionOutput>;
  listExecutions(input: sfn.ListExecutionsInput): Promise<sfn.ListExecutionsOutput>;
  getExecutionHistory(input: sfn.GetExecutionHistoryInput): Promise<sfn.GetExecutionHistoryOutput>;
  stopExecution(input: sfn.StopExecutionInput): Promise<sfn.StopExecutionOutput>;
  redriveExecution(input: sfn.RedriveExecutionInput): Promise<sfn.RedriveExecutionOutput>;
  describeStateMachineForExecution(
    input: sfn.DescribeStateMachineForExecutionInput,
  ): Promise<sfn.DescribeStateMachineForExecutionOutput>;
  describeMapRun(input: sfn.DescribeMapRunInput): Promise<sfn.DescribeMapRunOutput>;
  listMapRuns(input: sfn.ListMapRunsInput): Promise<sfn.ListMapRunsOutput>;
  updateMapRun(input: sfn.UpdateMapRunInput): Promise<sfn.UpdateMapRunOutput>;
  createActivity(input: sfn.CreateActivityInput): Promise<sfn.CreateActivityOutput>;
  deleteActivity(input: sfn.DeleteActivityInput): Promise<sfn.DeleteActivityOutput>;
  describeActivity(input: sfn.DescribeActivityInput): Promise<sfn.DescribeActivityOutput>;
  listActivities(input: sfn.ListActivitiesInput): Promise<sfn.ListActivitiesOutput>;
  getActivityTask(input: sfn.GetActivityTaskInput): Promise<sfn.GetActivityTaskOutput>;
  sendTaskSuccess(input: sfn.SendTaskSuccessInput): Promise<sfn.SendTaskSuccessOutput>;
  sendTaskFailure(input: sfn.SendTaskFailureInput): Promise<sfn.SendTaskFailureOutput>;
  sendTaskHeartbeat(input: sfn.SendTaskHeartbeatInput): Promise<sfn.SendTaskHeartbeatOutput>;
  tagResource(input: sfn.TagResourceInput): Promise<sfn.TagResourceOutput>;
  untagResource(input: sfn.UntagResourceInput): Promise<sfn.UntagResourceOutput>;
  listTagsForResource(input: sfn.ListTagsForResourceInput): Promise<sfn.ListTagsForResourceOutput>;
}

/** The 37 API operations by their wire name (`X-Amz-Target: AWSStepFunctions.<name>`). */
export const STATES_API_OPERATIONS = {
  CreateStateMachine: 'createStateMachine',
  UpdateStateMachine: 'updateStateMachine',
  DescribeStateMachine: 'describeStateMachine',
  ListStateMachines: 'listStateMachines',
  DeleteStateMachine: 'deleteStateMachine',
  PublishStateMachineVersion: 'publishStateMachineVersion',
  ListStateMachineVersions: 'listStateMachineVersions',
  DeleteStateMachineVersion: 'deleteStateMachineVersion',
  CreateStateMachineAlias: 'createStateMachineAlias',
  UpdateStateMachineAlias: 'updateStateMachineAlias',
  DescribeStateMachineAlias: 'describeStateMachineAlias',
  ListStateMachineAliases: 'listStateMachineAliases',
  DeleteStateMachineAlias: 'deleteStateMachineAlias',
  ValidateStateMachineDefinition: 'validateStateMachineDefinition',
  TestState: 'testState',
  StartExecution: 'startExecution',
  StartSyncExecution: 'startSyncExecution',
  DescribeExecution: 'describeExecution',
  ListExecutions: 'listExecutions',
  GetExecutionHistory: 'getExecutionHistory',
  StopExecution: 'stopExecution',
  RedriveExecution: 'redriveExecution',
  DescribeStateMachineForExecution: 'describeStateMachineForExecution',
  DescribeMapRun: 'describeMapRun',
  ListMapRuns: 'listMapRuns',
  UpdateMapRun: 'updateMapRun',
  CreateActivity: 'createActivity',
  DeleteActivity: 'deleteActivity',
  DescribeActivity: 'describeActivity',
  ListActivities: 'listActivities',
  GetActivityTask: 'getActivityTask',
  SendTaskSuccess: 'sendTaskSuccess',
  SendTaskFailure: 'sendTaskFailure',
  SendTaskHeartbeat: 'sendTaskHeartbeat',
  TagResource: 'tagResource',
  UntagResource: 'untagResource',
  ListTagsForResource: 'listTagsForResource',
} as const satisfies Record<string, keyof StepFunctionsService>;

/**
 * An error as AWS returns it: `type` is the `__type` of the JSON error body (e.g. `ExecutionAlreadyExists`,
 * `InvalidDefinition`, `TaskTimedOut`, `InvalidToken`, `TaskDoesNotExist`, `ValidationException`), `message`
 * its `message`. `status` is the HTTP status (400 for every client error, as AWS does).
 */
export class StatesApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
    this.name = type;
  }
}
