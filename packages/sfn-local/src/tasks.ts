/**
 * How the runtime hands a Task state's work to the outside world.
 *
 * The engine evaluates a Task state (Parameters/Arguments, timeouts, the task token) and calls one
 * {@link TaskDispatcher}. What a resource *is* (a local Lambda handler module, an AWS SDK client with an endpoint
 * override, a recorded replay in the conformance runner) is the dispatcher's business, never the engine's.
 */

/** A Task state's call, fully evaluated. */
export interface TaskRequest {
  /** The `Resource` exactly as in the definition, e.g. `arn:aws:states:::lambda:invoke.waitForTaskToken`. */
  readonly resource: string;
  /** The effective input of the call: evaluated `Parameters` (JSONPath) or `Arguments` (JSONata), else the state input. */
  readonly parameters: unknown;
  /** Set for `.waitForTaskToken` resources: the token the engine already registered; callbacks may arrive before dispatch returns. */
  readonly taskToken?: string;
  readonly stateName: string;
  /** Optional: the index of the innermost Map iteration the task runs in (the `$$.Map.Item.Index` it came from). */
  readonly mapItemIndex?: number;
  readonly executionArn: string;
  readonly stateMachineArn: string;
  /** AWS region and account of the runtime, for building ARNs and SDK clients. */
  readonly region: string;
  readonly accountId: string;
  /** Effective `TimeoutSeconds` / `HeartbeatSeconds` of the state, when set. */
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
  /** Aborted when the task times out, the execution stops, or the runtime shuts down. */
  readonly signal: AbortSignal;
  /**
   * Optional, for `.sync` resources: a dispatcher may report the service's immediate response (what AWS records as
   * `TaskSubmitted`) before it resolves with the final result. When it does not, the engine records the final result
   * as the submission too. Ignored for other resources.
   */
  readonly submitted?: (response: unknown) => void;
}

/**
 * Runs one Task. Resolves with the task result as Step Functions would see it (for `lambda:invoke` the
 * `{ ExecutedVersion, Payload, StatusCode, SdkHttpMetadata, SdkResponseMetadata }` object; for a plain Lambda ARN the
 * payload itself; for `.waitForTaskToken` the service's immediate response, which the engine records as
 * `TaskSubmitted` and otherwise ignores). Rejects with {@link TaskError} for a task failure.
 */
export interface TaskDispatcher {
  dispatch(request: TaskRequest): Promise<unknown>;
  /**
   * Optional: why this dispatcher can never run `resource` (a Task's `Resource`, verbatim), or undefined when it can.
   * CreateStateMachine, UpdateStateMachine and ValidateStateMachineDefinition reject a definition with such a
   * resource, so an integration the runtime lacks is found before a run, not hidden by a `States.ALL` catcher.
   * Only what the dispatcher cannot do at all belongs here, not configuration that may change (a missing handler).
   */
  unsupported?(resource: string): string | undefined;
}

/** A task failure as Step Functions records it (`TaskFailed` / `LambdaFunctionFailed` error and cause). */
export class TaskError extends Error {
  constructor(
    readonly error: string,
    readonly errorCause?: string,
  ) {
    super(errorCause ? `${error}: ${errorCause}` : error);
    this.name = 'TaskError';
  }
}
