/**
 * Errors raised while interpreting a state, named as Step Functions names them.
 *
 * - {@link StatesError}: an ordinary state failure (`States.TaskFailed`, `States.Timeout`, a task's own error...):
 *   it goes through the state's Retry and Catch.
 * - {@link RuntimeFailure}: `States.Runtime` (and the other terminal errors): the execution fails at once; Retry and
 *   Catch never see it.
 * - {@link EvaluationFailure}: a JSONata evaluation error (`States.QueryEvaluationError`): recorded as an
 *   `EvaluationFailed` event, then handled like a {@link StatesError}.
 */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    readonly errorCause?: string,
  ) {
    super(errorCause ? `${error}: ${errorCause}` : error);
    this.name = 'StatesError';
  }
}

/**
 * A missed heartbeat: recorded as `States.Timeout` (TaskTimedOut, ExecutionFailed), and matched by Retry and Catch
 * rules naming `States.HeartbeatTimeout` as well as `States.Timeout`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 */
export class HeartbeatTimeout extends StatesError {
  constructor() {
    super('States.Timeout');
    this.name = 'HeartbeatTimeout';
  }
}

export class RuntimeFailure extends StatesError {
  constructor(cause: string, error = 'States.Runtime') {
    super(error, cause);
    this.name = 'RuntimeFailure';
  }
}

export class EvaluationFailure extends StatesError {
  constructor(
    cause: string,
    readonly location?: string,
    error = 'States.QueryEvaluationError',
  ) {
    super(error, cause);
    this.name = 'EvaluationFailure';
  }
}

export const STATES_ERRORS = {
  ALL: 'States.ALL',
  TaskFailed: 'States.TaskFailed',
  Timeout: 'States.Timeout',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  Runtime: 'States.Runtime',
  DataLimitExceeded: 'States.DataLimitExceeded',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  IntrinsicFailure: 'States.IntrinsicFailure',
  QueryEvaluationError: 'States.QueryEvaluationError',
  BranchFailed: 'States.BranchFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  ItemReaderFailed: 'States.ItemReaderFailed',
  Permissions: 'States.Permissions',
} as const;

/** Errors `States.ALL` does not match (terminal). */
export const NOT_MATCHED_BY_ALL: ReadonlySet<string> = new Set(['States.Runtime']);
