/**
 * TestState (https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html): runs one state on
 * a private in-memory runtime with a virtual clock (a Wait does not wait) and reports its output or error, the next
 * state and, at DEBUG/TRACE, what the state did with its data.
 *
 * The state runs inside a small machine: an optional first Pass assigns `variables`; every transition of the state
 * leads to a Pass named after it, so the next state shows in the history. Retry is evaluated here (a matching
 * retrier with attempts left is `RETRIABLE`, with its backoff); Catch runs in the machine (`CAUGHT_ERROR`). A `mock`
 * answers the task (its `result` or `errorOutput`); Map, Parallel, activities, `.sync` and `.waitForTaskToken` need
 * one, as in AWS. Without a mock a Task goes to the runtime's dispatcher.
 */
import type * as sfn from '@aws-sdk/client-sfn';
import { VirtualClock } from '../clock.js';
import { errorMatches } from '../engine/dataflow.js';
import type { TaskDispatcher } from '../tasks.js';
import { TaskError } from '../tasks.js';
import { apiError, requireString, validationError } from './context.js';

// biome-ignore lint/suspicious/noExplicitAny: raw ASL JSON
type Raw = Record<string, any>;

const MOCK_RESOURCE = 'arn:aws:states:::sfn-local:mock.waitForTaskToken';
const VARIABLES_STATE = 'sfn-local.variables';
const target = (kind: string) => `sfn-local.next.${kind}`;

type Runtime = import('../runtime.js').LocalStepFunctions;
type CreateRuntime = (options: { dispatcher: TaskDispatcher; clock: VirtualClock }) => Promise<Runtime>;

function parseJson(text: string | undefined, what: string, error: string): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw apiError(error, `Invalid ${what}: '${(e as Error).message}'`);
  }
}

export class TestStates {
  constructor(
    private readonly dispatcher: TaskDispatcher,
    private readonly createRuntime: CreateRuntime,
    private readonly now: () => number,
  ) {}

  async testState(input: sfn.TestStateInput): Promise<sfn.TestStateOutput> {
    const text = requireString(input.definition, 'definition');
    const parsed = parseJson(text, 'State Machine Definition', 'InvalidDefinition') as Raw;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw apiError(
        'InvalidDefinition',
        'Invalid State Machine Definition: the definition must be a JSON object',
      );
    }
    let state: Raw = parsed;
    let queryLanguage: unknown = parsed.QueryLanguage;
    let name = input.stateName ?? 'TestState';
    if (parsed.States !== undefined) {
      if (!input.stateName)
        throw validationError('stateName is required when the definition is a state machine');
      state = parsed.States?.[input.stateName];
      if (!state) throw validationError(`State '${input.stateName}' is not in the definition`);
      queryLanguage = parsed.QueryLanguage;
      name = input.stateName;
    }
    const stateInput = parseJson(input.input ?? '{}', 'Execution Input', 'InvalidExecutionInput');
    const variables = parseJson(input.variables, 'variables', 'InvalidExecutionInput');
    const mock = input.mock;
    const resource =
      typeof state.Type === 'string' && state.Type === 'Task' ? String(state.Resource ?? '') : '';
    const needsMock =
      state.Type === 'Map' ||
      state.Type === 'Parallel' ||
      /:activity:/.test(resource) ||
      /\.(waitForTaskToken|sync(:\d+)?)$/.test(resource);
    if (needsMock && !mock) {
      throw validationError(
        'TestState supports Map, Parallel, activities, .sync and .waitForTaskToken states only with a mock',
      );
    }

    const { machine, nexts } = buildMachine(state, name, queryLanguage, variables, Boolean(mock));
    const dispatcher: TaskDispatcher = mock
      ? { dispatch: async (req) => mocked(req, mock, () => rt) }
      : this.dispatcher;
    const clock = new VirtualClock(this.now());
    const rt: Runtime = await this.createRuntime({ dispatcher, clock });
    try {
      let smArn: string;
      try {
        ({ stateMachineArn: smArn = '' } = await rt.createStateMachine({
          name: 'test-state',
          definition: JSON.stringify(machine),
          roleArn: input.roleArn ?? 'arn:aws:iam::123456789012:role/TestState',
        }));
      } catch (e) {
        throw apiError('InvalidDefinition', (e as Error).message);
      }
      const { executionArn = '' } = await rt.startExecution({
        stateMachineArn: smArn,
        input: JSON.stringify(stateInput),
      });
      for (let i = 0; i < 10_000; i++) {
        await rt.idle();
        const d = await rt.describeExecution({ executionArn });
        if (d.status !== 'RUNNING' || !clock.runNext()) break;
      }
      const described = await rt.describeExecution({ executionArn });
      const events = (await rt.getExecutionHistory({ executionArn, maxResults: 1000 })).events ?? [];
      return report(state, name, events, described, nexts, input, variables);
    } finally {
      await rt.close();
    }
  }
}

/** The mock answers the task: its result, or its error. `.waitForTaskToken` gets its callback. */
async function mocked(
  req: Parameters<TaskDispatcher['dispatch']>[0],
  mock: sfn.MockInput,
  rt: () => Runtime,
) {
  const error = mock.errorOutput;
  if (error) {
    if (req.taskToken) {
      const taskToken = req.taskToken;
      void rt().sendTaskFailure({ taskToken, error: error.error, cause: error.cause });
      return {};
    }
    throw new TaskError(error.error ?? '', error.cause);
  }
  const result =
    mock.result === undefined ? {} : (parseJson(mock.result, 'mock result', 'ValidationException') ?? null);
  if (req.taskToken) {
    const taskToken = req.taskToken;
    void rt().sendTaskSuccess({ taskToken, output: JSON.stringify(result) });
    return {};
  }
  return result;
}

interface Nexts {
  /** Name of a synthetic target state → the original target and whether it is a catcher. */
  [synthetic: string]: { next: string; catcher?: number };
}

function buildMachine(
  original: Raw,
  name: string,
  queryLanguage: unknown,
  variables: unknown,
  mocked: boolean,
): { machine: Raw; nexts: Nexts } {
  const state: Raw = structuredClone(original);
  delete state.Retry;
  const nexts: Nexts = {};
  const states: Raw = {};
  const redirect = (next: unknown, kind: string, catcher?: number): string => {
    const synthetic = target(kind);
    nexts[synthetic] = { next: String(next), ...(catcher !== undefined ? { catcher } : {}) };
    states[synthetic] = { Type: 'Pass', End: true };
    return synthetic;
  };
  if (typeof state.Next === 'string') state.Next = redirect(state.Next, 'next');
  if (typeof state.Default === 'string') state.Default = redirect(state.Default, 'default');
  if (Array.isArray(state.Choices)) {
    state.Choices.forEach((c: Raw, i: number) => {
      if (typeof c.Next === 'string') c.Next = redirect(c.Next, `choice.${i}`);
    });
  }
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((c: Raw, i: number) => {
      if (typeof c.Next === 'string') c.Next = redirect(c.Next, `catch.${i}`, i);
    });
  }
  if (mocked && (state.Type === 'Map' || state.Type === 'Parallel' || state.Type === 'Task')) {
    // The mock stands for the whole Map/Parallel or the task: a task on a mocked resource keeps the state's data flow.
    for (const field of [
      'Branches',
      'ItemProcessor',
      'Iterator',
      'ItemsPath',
      'Items',
      'ItemSelector',
      'ItemReader',
      'ItemBatcher',
      'ResultWriter',
      'MaxConcurrency',
      'MaxConcurrencyPath',
      'ToleratedFailureCount',
      'ToleratedFailureCountPath',
      'ToleratedFailurePercentage',
      'ToleratedFailurePercentagePath',
      'Label',
    ]) {
      delete state[field];
    }
    if (original.Type !== 'Task') delete state.Parameters;
    state.Type = 'Task';
    state.Resource = MOCK_RESOURCE;
  }
  states[name] = state;
  let startAt = name;
  if (variables !== undefined && variables !== null && typeof variables === 'object') {
    states[VARIABLES_STATE] = { Type: 'Pass', Assign: variables, Next: name };
    startAt = VARIABLES_STATE;
  }
  return {
    machine: { ...(queryLanguage ? { QueryLanguage: queryLanguage } : {}), StartAt: startAt, States: states },
    nexts,
  };
}

function report(
  state: Raw,
  name: string,
  events: sfn.HistoryEvent[],
  described: sfn.DescribeExecutionOutput,
  nexts: Nexts,
  input: sfn.TestStateInput,
  variables: unknown,
): sfn.TestStateOutput {
  const exited = events.find(
    (e) => e.type?.endsWith('StateExited') && e.stateExitedEventDetails?.name === name,
  );
  const entered = events.find(
    (e) => e.type?.endsWith('StateEntered') && e.stateEnteredEventDetails?.name === name,
  );
  const after = events.find(
    (e) => e.type?.endsWith('StateEntered') && nexts[e.stateEnteredEventDetails?.name ?? ''] !== undefined,
  );
  const next = after ? nexts[after.stateEnteredEventDetails?.name ?? ''] : undefined;
  const failure = [...events]
    .reverse()
    .find((e) => /Failed$|TimedOut$/.test(e.type ?? '') && e.type !== 'ExecutionFailed');
  const failureDetails = failure
    ? (Object.values(failure).find((v) => typeof v === 'object' && v && 'error' in v) as
        | { error?: string; cause?: string }
        | undefined)
    : undefined;
  const error = failureDetails?.error ?? described.error;
  const cause = failureDetails?.cause ?? described.cause;

  const inspection: sfn.InspectionData | undefined =
    input.inspectionLevel === 'DEBUG' || input.inspectionLevel === 'TRACE'
      ? inspectionData(events, entered, state, variables)
      : undefined;
  const out: sfn.TestStateOutput = inspection ? { inspectionData: inspection } : {};

  // Retry first: a matching retrier with attempts left makes the failure RETRIABLE.
  if (error !== undefined && (described.status === 'FAILED' || next?.catcher !== undefined)) {
    const retriers: Raw[] = Array.isArray(state.Retry) ? state.Retry : [];
    const index = retriers.findIndex(
      (r) => Array.isArray(r.ErrorEquals) && errorMatches(r.ErrorEquals, error),
    );
    const retrier = retriers[index];
    const count = input.stateConfiguration?.retrierRetryCount ?? 0;
    if (retrier && count < (retrier.MaxAttempts ?? 3)) {
      let delay = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** count;
      if (retrier.MaxDelaySeconds !== undefined) delay = Math.min(delay, retrier.MaxDelaySeconds);
      return {
        ...out,
        status: 'RETRIABLE',
        error,
        ...(cause !== undefined ? { cause } : {}),
        inspectionData: {
          ...(inspection ?? {}),
          errorDetails: { retryIndex: index, retryBackoffIntervalSeconds: Math.round(delay) },
        },
      };
    }
  }
  if (next?.catcher !== undefined) {
    return {
      ...out,
      status: 'CAUGHT_ERROR',
      nextState: next.next,
      error,
      ...(cause !== undefined ? { cause } : {}),
      output: exitedOutput(events, after),
      ...(inspection
        ? { inspectionData: { ...inspection, errorDetails: { catchIndex: next.catcher } } }
        : {}),
    };
  }
  if (described.status !== 'SUCCEEDED' || !exited) {
    return {
      ...out,
      status: 'FAILED',
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
    };
  }
  return {
    ...out,
    status: 'SUCCEEDED',
    output: exited.stateExitedEventDetails?.output ?? 'null',
    ...(next ? { nextState: next.next } : {}),
  };
}

/** The input the catcher's target received: the caught state's output. */
function exitedOutput(events: sfn.HistoryEvent[], after: sfn.HistoryEvent | undefined): string | undefined {
  return after?.stateEnteredEventDetails?.input ?? events.at(-1)?.executionSucceededEventDetails?.output;
}

function inspectionData(
  events: sfn.HistoryEvent[],
  entered: sfn.HistoryEvent | undefined,
  state: Raw,
  variables: unknown,
): sfn.InspectionData {
  const scheduled = events.find((e) => e.type === 'TaskScheduled' || e.type === 'LambdaFunctionScheduled');
  const succeeded = events.find((e) => e.type === 'TaskSucceeded' || e.type === 'LambdaFunctionSucceeded');
  const parameters =
    scheduled?.taskScheduledEventDetails?.parameters ?? scheduled?.lambdaFunctionScheduledEventDetails?.input;
  const result =
    succeeded?.taskSucceededEventDetails?.output ?? succeeded?.lambdaFunctionSucceededEventDetails?.output;
  const assigned: Record<string, unknown> = { ...((variables as Record<string, unknown>) ?? {}) };
  for (const e of events) {
    for (const [k, v] of Object.entries(e.stateExitedEventDetails?.assignedVariables ?? {})) {
      assigned[k] = JSON.parse(v);
    }
  }
  const jsonata = (state.QueryLanguage ?? '') === 'JSONata' || state.Arguments !== undefined;
  return {
    ...(entered?.stateEnteredEventDetails?.input !== undefined
      ? { input: entered.stateEnteredEventDetails.input }
      : {}),
    ...(parameters !== undefined
      ? jsonata
        ? { afterArguments: parameters }
        : { afterParameters: parameters }
      : {}),
    ...(result !== undefined ? { result } : {}),
    variables: JSON.stringify(assigned),
  };
}
