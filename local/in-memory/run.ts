/**
 * Runs a state machine definition on the project's Step Functions runtime (sfn-local) in memory, on a virtual
 * clock, with one function answering every task: Wait states, retry intervals and task timeouts are driven (the
 * clock jumps to the next timer whenever the execution waits), never slept. Tests and `npm run bench` use it to
 * exercise the rendered onboarding definition with fake task handlers.
 *
 * A `.waitForTaskToken` task is answered as the application does: the function's result goes back through
 * SendTaskSuccess, a thrown {@link TaskError} through SendTaskFailure, and {@link TIMEOUT} leaves the token
 * unanswered until the task times out.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import {
  createLocalStepFunctions,
  type LocalStepFunctions,
  TaskError,
  type TaskRequest,
  VirtualClock,
} from '@marketplace-onboarding/sfn-local';

export interface TaskCall {
  readonly state: string;
  /** Function name: the last `:`-part of FunctionName (e.g. onboarding-open-human-task). */
  readonly functionName: string;
  readonly payload: unknown;
  readonly waitForTaskToken: boolean;
  readonly taskToken?: string;
  /** The state's effective TimeoutSeconds, when it has one. */
  readonly timeoutSeconds?: number;
  /** Time of the call on the run's clock, epoch milliseconds. */
  readonly at: number;
}

/** Leave the task unanswered: it ends with States.Timeout when its TimeoutSeconds run out. */
export const TIMEOUT = Symbol('timeout');

/** The task's result (a Lambda payload, or the SendTaskSuccess output), {@link TIMEOUT}, or a thrown TaskError. */
export type TaskHandler = (call: TaskCall) => unknown;

export interface RunResult {
  readonly status: string;
  /** Every state entered, in order. */
  readonly path: readonly string[];
  /** State transitions as AWS bills them: states entered plus task retries. */
  readonly transitions: number;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  /** Every task call, retries included. */
  readonly calls: readonly TaskCall[];
  /** How long each Wait state waited, in seconds of the run's clock. */
  readonly waits: readonly { state: string; seconds: number }[];
  readonly history: readonly HistoryEvent[];
}

export interface RunOptions {
  /** @default 'in-memory-run' */
  readonly executionName?: string;
  /** The clock's start. @default the current time */
  readonly startAt?: number;
  /** A guard against a definition that never ends. @default 500 */
  readonly maxTimers?: number;
}

const SCHEDULED = new Set(['TaskScheduled', 'LambdaFunctionScheduled']);

export async function runInMemory(
  definition: unknown,
  input: unknown,
  handler: TaskHandler,
  options: RunOptions = {},
): Promise<RunResult> {
  const clock = new VirtualClock(options.startAt ?? Date.now());
  const calls: TaskCall[] = [];
  // The dispatcher answers task tokens through the runtime it is given to.
  let runtime: LocalStepFunctions | undefined;
  const answer = async (request: TaskRequest): Promise<unknown> => {
    const params = request.parameters as { FunctionName?: unknown; Payload?: unknown };
    const call: TaskCall = {
      state: request.stateName,
      functionName: String(params.FunctionName).split(':').pop() ?? '',
      payload: params.Payload,
      waitForTaskToken: request.taskToken !== undefined,
      ...(request.taskToken ? { taskToken: request.taskToken } : {}),
      ...(request.timeoutSeconds === undefined ? {} : { timeoutSeconds: request.timeoutSeconds }),
      at: clock.now(),
    };
    calls.push(call);
    let result: unknown;
    let failure: TaskError | undefined;
    try {
      result = await handler(call);
    } catch (e) {
      failure = e instanceof TaskError ? e : new TaskError('Lambda.Unknown', (e as Error).message);
    }
    if (!request.taskToken) {
      if (failure) throw failure;
      if (result === TIMEOUT) return untilAborted(request.signal);
      return { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
    }
    const taskToken = request.taskToken;
    if (failure) {
      await runtime?.sendTaskFailure({
        taskToken,
        error: failure.error,
        ...(failure.errorCause === undefined ? {} : { cause: failure.errorCause }),
      });
    } else if (result !== TIMEOUT) {
      await runtime?.sendTaskSuccess({ taskToken, output: JSON.stringify(result) });
    }
    return { StatusCode: 202 };
  };
  runtime = await createLocalStepFunctions({ clock, dispatcher: { dispatch: answer } });
  try {
    const { stateMachineArn } = await runtime.createStateMachine({
      name: 'in-memory',
      definition: typeof definition === 'string' ? definition : JSON.stringify(definition),
      roleArn: 'arn:aws:iam::123456789012:role/in-memory',
    });
    const started = await runtime.startExecution({
      stateMachineArn,
      name: options.executionName ?? 'in-memory-run',
      input: JSON.stringify(input),
    });
    const executionArn = String(started.executionArn);
    const maxTimers = options.maxTimers ?? 500;
    for (let timers = 0; ; timers++) {
      await runtime.idle();
      if ((await runtime.describeExecution({ executionArn })).status !== 'RUNNING') break;
      if (timers >= maxTimers) throw new Error(`runInMemory: still running after ${maxTimers} timers`);
      if (!clock.runNext()) {
        throw new Error('runInMemory: the execution waits on a task token nobody answers, with no timeout');
      }
    }
    const done = await runtime.describeExecution({ executionArn });
    const history = await fullHistory(runtime, executionArn);
    const entered = history.filter((e) => String(e.type).endsWith('StateEntered'));
    const taskStates = entered.filter((e) => e.type === 'TaskStateEntered').length;
    const attempts = history.filter((e) => SCHEDULED.has(String(e.type))).length;
    return {
      status: String(done.status),
      path: entered.map((e) => String(e.stateEnteredEventDetails?.name)),
      transitions: entered.length + attempts - taskStates,
      ...(done.output === undefined ? {} : { output: JSON.parse(done.output) }),
      ...(done.error === undefined ? {} : { error: done.error }),
      ...(done.cause === undefined ? {} : { cause: done.cause }),
      calls,
      waits: waitsOf(history),
      history,
    };
  } finally {
    await runtime.close();
  }
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(new TaskError('States.Timeout', 'aborted')), {
      once: true,
    });
  });
}

async function fullHistory(runtime: LocalStepFunctions, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await runtime.getExecutionHistory({ executionArn, maxResults: 1000, nextToken });
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

function waitsOf(history: readonly HistoryEvent[]): { state: string; seconds: number }[] {
  const waits: { state: string; seconds: number }[] = [];
  let entered: HistoryEvent | undefined;
  for (const e of history) {
    if (e.type === 'WaitStateEntered') entered = e;
    if (e.type === 'WaitStateExited' && entered) {
      const ms = Number(e.timestamp) - Number(entered.timestamp);
      waits.push({ state: String(e.stateExitedEventDetails?.name), seconds: ms / 1000 });
      entered = undefined;
    }
  }
  return waits;
}
