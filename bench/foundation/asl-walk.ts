/**
 * A small, in-process interpreter of the JSONata subset the onboarding definition uses (Task with lambda:invoke and
 * lambda:invoke.waitForTaskToken, Choice, Wait, Pass, Succeed, Fail; Arguments, Output, Assign, Retry, Catch,
 * TimeoutSeconds), evaluating every expression with the `jsonata` library. Tests and the benchmark use it to run the
 * rendered definition with fake task handlers; it waits for nothing (Wait states and timeouts are recorded, not
 * slept) and counts state transitions as AWS bills them (one per state entered, retries included).
 *
 * It is not the project's Step Functions runtime (packages/sfn-local); it exists so the definition can be exercised
 * without one.
 */
import jsonata from 'jsonata';
import type { AslState, AslStateMachine } from '../../workflows/asl.js';

/** A task failure: what SendTaskFailure or a throwing Lambda produces. */
export class WalkTaskError extends Error {
  constructor(
    readonly error: string,
    readonly errorCause?: string,
  ) {
    super(errorCause ? `${error}: ${errorCause}` : error);
    this.name = 'WalkTaskError';
  }
}

export interface TaskCall {
  readonly state: string;
  /** Function name: the last `:`-part of FunctionName (e.g. onboarding-open-human-task). */
  readonly functionName: string;
  readonly payload: unknown;
  readonly waitForTaskToken: boolean;
  readonly taskToken?: string;
  readonly timeoutSeconds?: number;
}

/**
 * Returns the task result: for lambda:invoke the function's payload, for .waitForTaskToken the SendTaskSuccess
 * output. Throw WalkTaskError for a failure; return TIMEOUT to make a waiting task time out.
 */
export type TaskHandler = (call: TaskCall) => unknown | Promise<unknown>;
export const TIMEOUT = Symbol('timeout');

export interface WalkResult {
  readonly status: 'SUCCEEDED' | 'FAILED';
  /** Every state entered, in order (a retry enters nothing new but is counted in `transitions`). */
  readonly path: readonly string[];
  /** State transitions as billed: states entered plus retries. */
  readonly transitions: number;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly calls: readonly TaskCall[];
  /** Seconds each Wait state would have waited. */
  readonly waits: readonly { state: string; seconds: number }[];
}

export interface WalkOptions {
  /** @default 200 */
  readonly maxTransitions?: number;
  /** @default 'onb-walk' */
  readonly executionName?: string;
}

const EXPR = /^\{%([\s\S]*)%\}$/;

async function evaluate(value: unknown, bindings: Record<string, unknown>): Promise<unknown> {
  if (typeof value === 'string') {
    const m = EXPR.exec(value);
    if (!m) return value;
    const result = await jsonata(m[1] as string).evaluate({}, bindings);
    if (result === undefined) throw new WalkTaskError('States.QueryEvaluationError', `undefined: ${value}`);
    return normalize(result);
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => evaluate(v, bindings)));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await evaluate(v, bindings);
    return out;
  }
  return value;
}

/** JSONata results may carry sequence flags; make them plain JSON. */
const normalize = (v: unknown): unknown => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

const matches = (errorEquals: readonly string[], error: string): boolean =>
  errorEquals.includes(error) ||
  errorEquals.includes('States.ALL') ||
  (errorEquals.includes('States.TaskFailed') && error !== 'States.Timeout');

export async function walk(
  asl: AslStateMachine,
  input: unknown,
  handler: TaskHandler,
  options: WalkOptions = {},
): Promise<WalkResult> {
  const max = options.maxTransitions ?? 200;
  const name = options.executionName ?? 'onb-walk';
  const variables: Record<string, unknown> = {};
  const path: string[] = [];
  const calls: TaskCall[] = [];
  const waits: { state: string; seconds: number }[] = [];
  let transitions = 0;
  let current: string = asl.StartAt;
  let stateInput: unknown = input;
  let tokens = 0;

  const context = (stateName: string, token?: string) => ({
    Execution: {
      Id: `arn:aws:states:us-east-1:123456789012:execution:walk:${name}`,
      Name: name,
      Input: input,
    },
    State: { Name: stateName, EnteredTime: new Date().toISOString() },
    ...(token ? { Task: { Token: token } } : {}),
  });
  const assign = async (spec: unknown, bindings: Record<string, unknown>) => {
    if (!spec) return;
    const values = (await evaluate(spec, bindings)) as Record<string, unknown>;
    Object.assign(variables, values);
  };

  for (;;) {
    const state: AslState | undefined = asl.States[current];
    if (!state) throw new Error(`walk: no state ${current}`);
    if (++transitions > max)
      throw new Error(`walk: more than ${max} transitions (at ${current}): ${path.join(' → ')}`);
    path.push(current);
    const base = { ...variables, states: { input: stateInput, context: context(current) } };

    switch (state.Type) {
      case 'Succeed':
        return done(
          'SUCCEEDED',
          state.Output === undefined ? stateInput : await evaluate(state.Output, base),
        );
      case 'Fail':
        return {
          ...done('FAILED'),
          error: String(await evaluate(state.Error, base)),
          cause: String(await evaluate(state.Cause, base)),
        };
      case 'Pass':
      case 'Wait': {
        if (state.Type === 'Wait') {
          const seconds = await evaluate(state.Seconds, base);
          if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
            throw new Error(`walk: ${current} Seconds is not a whole number: ${JSON.stringify(seconds)}`);
          }
          waits.push({ state: current, seconds });
        }
        const output = state.Output === undefined ? stateInput : await evaluate(state.Output, base);
        await assign(state.Assign, base);
        stateInput = output;
        current = state.Next as string;
        break;
      }
      case 'Choice': {
        let next = state.Default;
        for (const rule of state.Choices ?? []) {
          if ((await evaluate(rule.Condition, base)) === true) {
            await assign(rule.Assign, base);
            next = rule.Next;
            break;
          }
        }
        if (!next) return { ...done('FAILED'), error: 'States.NoChoiceMatched', cause: current };
        current = next;
        break;
      }
      case 'Task': {
        const resource = String(state.Resource);
        const waitForTaskToken = resource.endsWith('.waitForTaskToken');
        const token = waitForTaskToken ? `token-${++tokens}-${current}` : undefined;
        const bindings = { ...variables, states: { input: stateInput, context: context(current, token) } };
        const args = (await evaluate(state.Arguments ?? {}, bindings)) as {
          FunctionName?: string;
          Payload?: unknown;
        };
        const timeout =
          state.TimeoutSeconds === undefined ? undefined : await evaluate(state.TimeoutSeconds, bindings);
        if (
          timeout !== undefined &&
          (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1)
        ) {
          throw new Error(
            `walk: ${current} TimeoutSeconds is not a positive whole number: ${JSON.stringify(timeout)}`,
          );
        }
        const call: TaskCall = {
          state: current,
          functionName: String(args.FunctionName).split(':').pop() as string,
          payload: args.Payload,
          waitForTaskToken,
          ...(token ? { taskToken: token } : {}),
          ...(typeof timeout === 'number' ? { timeoutSeconds: timeout } : {}),
        };
        let attempt = 0;
        let failure: WalkTaskError | undefined;
        let result: unknown;
        for (;;) {
          calls.push(call);
          try {
            const r = await handler(call);
            if (r === TIMEOUT) throw new WalkTaskError('States.Timeout', `${current} timed out`);
            result = waitForTaskToken ? r : { Payload: r, StatusCode: 200 };
            failure = undefined;
          } catch (e) {
            failure = e instanceof WalkTaskError ? e : new WalkTaskError('Lambda.Unknown', String(e));
          }
          if (!failure) break;
          const retrier = state.Retry?.find((r) => matches(r.ErrorEquals, (failure as WalkTaskError).error));
          if (!retrier || attempt >= Number(retrier.MaxAttempts ?? 3)) break;
          attempt++;
          transitions++;
        }
        if (failure) {
          const catcher = state.Catch?.find((c) => matches(c.ErrorEquals, (failure as WalkTaskError).error));
          if (!catcher) return { ...done('FAILED'), error: failure.error, cause: failure.errorCause ?? '' };
          const errorOutput = {
            Error: failure.error,
            ...(failure.errorCause ? { Cause: failure.errorCause } : {}),
          };
          const cb = { ...variables, states: { input: stateInput, errorOutput, context: context(current) } };
          const output = catcher.Output === undefined ? errorOutput : await evaluate(catcher.Output, cb);
          await assign(catcher.Assign, cb);
          stateInput = output;
          current = catcher.Next;
          break;
        }
        const rb = { ...variables, states: { input: stateInput, result, context: context(current, token) } };
        const output = state.Output === undefined ? result : await evaluate(state.Output, rb);
        await assign(state.Assign, rb);
        stateInput = output;
        if (state.End) return done('SUCCEEDED', output);
        current = state.Next as string;
        break;
      }
      default:
        throw new Error(`walk: state type ${state.Type} (${current}) is not supported`);
    }
  }

  function done(status: 'SUCCEEDED' | 'FAILED', output?: unknown): WalkResult {
    return {
      status,
      path,
      transitions,
      ...(output === undefined ? {} : { output }),
      variables: { ...variables },
      calls,
      waits,
    };
  }
}
