/**
 * The state types in JSONata mode, one function each. They are async (JSONata evaluation is) and return what the
 * state does as a {@link StateOutcome}; the execution applies it.
 */
import type { CompiledCatcher, CompiledState, StateType } from '../../definition.js';
import { EvaluationFailure, RuntimeFailure, StatesError } from '../../errors.js';
import { evaluateJsonata, evaluateTemplate, isJsonataString } from '../../json/jsonata.js';
import { parseTimestamp } from '../choice.js';
import { resourceInfo } from '../events.js';
import type { ContextExtra, StateEnv, StateOutcome } from '../outcome.js';
import type { ThreadData } from '../types.js';
import { batchItems, itemReaderUnsupported, typeName, valueForMessage } from './common.js';

type JsonataState = (env: StateEnv, th: ThreadData, st: CompiledState) => Promise<StateOutcome>;

function evalField(
  env: StateEnv,
  th: ThreadData,
  value: unknown,
  location: string,
  states: { input: unknown; result?: unknown },
  extra?: ContextExtra,
): Promise<unknown> {
  return evaluateTemplate(value, env.bindings(th, states, extra), location);
}

/** A numeric field given as a number or a JSONata expression. */
async function numberField(
  env: StateEnv,
  th: ThreadData,
  st: CompiledState,
  field: string,
  kind: 'integer' | 'float' = 'integer',
): Promise<number | undefined> {
  const v = st.raw[field];
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (isJsonataString(v)) {
    const r = await evaluateJsonata(v, env.bindings(th, { input: th.input }), field);
    if (typeof r !== 'number' || (kind === 'integer' && !Number.isInteger(r))) {
      throw new EvaluationFailure(
        `The JSONata expression '${v.slice(2, -2).trim()}' specified for the field '${field}' returned an unexpected result type. Expected '${kind}', but was '${typeName(r)}' for value: ${JSON.stringify(r)}`,
        field,
      );
    }
    return r;
  }
  throw new RuntimeFailure(`The field ${field} must be a number`);
}

/** Assign and Output against `$states` (input, and result or errorOutput when there is one). */
async function assignAndOutput(
  env: StateEnv,
  th: ThreadData,
  states: { input: unknown; result?: unknown; errorOutput?: unknown },
  fields: { assign: unknown; output: unknown; where?: string },
  otherwise: unknown,
  next?: string,
): Promise<StateOutcome> {
  const b = env.bindings(th, states);
  const where = fields.where ?? '';
  const assigned =
    fields.assign !== undefined ? await evaluateTemplate(fields.assign, b, `${where}Assign`) : undefined;
  const output =
    fields.output !== undefined ? await evaluateTemplate(fields.output, b, `${where}Output`) : otherwise;
  return { kind: 'exit', output, assigned, next };
}

function pass(env: StateEnv, th: ThreadData, st: CompiledState): Promise<StateOutcome> {
  return assignAndOutput(
    env,
    th,
    { input: th.input },
    { assign: st.raw.Assign, output: st.raw.Output },
    th.input,
  );
}

async function succeed(env: StateEnv, th: ThreadData, st: CompiledState): Promise<StateOutcome> {
  const input = th.input;
  const output =
    st.raw.Output !== undefined ? await evalField(env, th, st.raw.Output, 'Output', { input }) : input;
  return { kind: 'exit', output };
}

async function fail(env: StateEnv, th: ThreadData, st: CompiledState): Promise<StateOutcome> {
  const b = env.bindings(th, { input: th.input });
  const text = async (field: string) => {
    const v = st.raw[field];
    if (v === undefined) return undefined;
    const r = await evaluateTemplate(v, b, field);
    return typeof r === 'string' ? r : JSON.stringify(r);
  };
  const error = await text('Error');
  const cause = await text('Cause');
  return { kind: 'fail', error, cause };
}

async function choice(env: StateEnv, th: ThreadData, st: CompiledState): Promise<StateOutcome> {
  const raw = st.raw;
  const b = env.bindings(th, { input: th.input });
  for (const rule of raw.Choices as Record<string, unknown>[]) {
    const cond = rule.Condition;
    const ok = isJsonataString(cond) ? await evaluateJsonata(cond, b, 'Condition') : cond;
    if (typeof ok !== 'boolean') {
      throw new EvaluationFailure(
        `The JSONata expression '${String(cond)}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '${typeName(ok)}' for value: ${JSON.stringify(ok)}`,
        'Condition',
      );
    }
    if (ok) {
      const fields = { assign: rule.Assign, output: rule.Output };
      return assignAndOutput(env, th, { input: th.input }, fields, th.input, rule.Next as string);
    }
  }
  if (typeof raw.Default !== 'string') throw new StatesError('States.NoChoiceMatched', 'No Matches!');
  const fields = { assign: raw.Assign, output: raw.Output };
  return assignAndOutput(env, th, { input: th.input }, fields, th.input, raw.Default);
}

async function wait(env: StateEnv, th: ThreadData, st: CompiledState): Promise<StateOutcome> {
  const raw = st.raw;
  const now = env.now();
  if (raw.Seconds !== undefined) {
    const s = (await numberField(env, th, st, 'Seconds')) ?? 0;
    if (s < 0) {
      throw new EvaluationFailure(
        `The Seconds field must be a non-negative integer, but was: ${s}`,
        'Seconds',
      );
    }
    return { kind: 'wait', until: now + s * 1000 };
  }
  if (raw.Timestamp !== undefined) {
    const v = isJsonataString(raw.Timestamp)
      ? await evaluateJsonata(raw.Timestamp, env.bindings(th, { input: th.input }), 'Timestamp')
      : raw.Timestamp;
    const ts = parseTimestamp(v);
    if (ts === undefined) {
      throw new EvaluationFailure(
        `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${valueForMessage(v)}`,
        'Timestamp',
      );
    }
    return { kind: 'wait', until: ts };
  }
  return { kind: 'wait', until: now };
}

async function task(env: StateEnv, th: ThreadData, st: CompiledState): Promise<StateOutcome> {
  const raw = st.raw;
  const input = th.input;
  const info = resourceInfo(raw.Resource);
  const token = info.waitForToken || info.sync ? env.newToken() : undefined;
  const parameters =
    raw.Arguments !== undefined
      ? await evalField(env, th, raw.Arguments, 'Arguments', { input }, { token })
      : input;
  const timeoutSeconds = await numberField(env, th, st, 'TimeoutSeconds');
  const heartbeatSeconds = await numberField(env, th, st, 'HeartbeatSeconds');
  return { kind: 'task', parameters, options: { token, timeoutSeconds, heartbeatSeconds } };
}

async function parallel(env: StateEnv, th: ThreadData, st: CompiledState): Promise<StateOutcome> {
  const input = th.input;
  const branchInput =
    st.raw.Arguments !== undefined
      ? await evalField(env, th, st.raw.Arguments, 'Arguments', { input })
      : input;
  return { kind: 'parallel', input: branchInput };
}

/** The items of a Map: `Items` (an expression or an array), else the state input. */
async function mapItems(env: StateEnv, th: ThreadData, st: CompiledState): Promise<unknown[]> {
  const raw = st.raw;
  const input = th.input;
  if (raw.Items === undefined) {
    if (!Array.isArray(input)) {
      throw new EvaluationFailure(`Map state input must be an array but was: ${JSON.stringify(input)}`);
    }
    return input;
  }
  const items = await evalField(env, th, raw.Items, 'Items', { input });
  if (!Array.isArray(items)) {
    const body = isJsonataString(raw.Items) ? raw.Items.slice(2, -2).trim() : JSON.stringify(raw.Items);
    throw new EvaluationFailure(
      `The JSONata expression '${body}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${typeName(items)}' for value: ${JSON.stringify(items)}`,
      'Items',
    );
  }
  return items;
}

async function map(env: StateEnv, th: ThreadData, st: CompiledState): Promise<StateOutcome> {
  const raw = st.raw;
  const input = th.input;
  if (raw.ItemReader !== undefined) throw itemReaderUnsupported();
  const maxConcurrency = (await numberField(env, th, st, 'MaxConcurrency')) ?? 0;
  const items = await mapItems(env, th, st);
  const inputs: unknown[] = [];
  for (let index = 0; index < items.length; index++) {
    const value = items[index];
    inputs.push(
      raw.ItemSelector !== undefined
        ? await evalField(env, th, raw.ItemSelector, 'ItemSelector', { input }, { item: { index, value } })
        : value,
    );
  }
  const count = await numberField(env, th, st, 'ToleratedFailureCount');
  const pct = await numberField(env, th, st, 'ToleratedFailurePercentage', 'float');
  const batcher = raw.ItemBatcher as Record<string, unknown> | undefined;
  const batched = batcher
    ? batchItems(
        inputs,
        batcher,
        batcher.BatchInput !== undefined
          ? await evalField(env, th, batcher.BatchInput, 'ItemBatcher/BatchInput', { input })
          : undefined,
        () => {
          throw new EvaluationFailure('ItemBatcher paths are not available in JSONata', 'ItemBatcher');
        },
      )
    : inputs;
  return { kind: 'map', items: batched, maxConcurrency, tolerated: () => ({ count, pct }) };
}

export const JSONATA_STATES: Readonly<Record<StateType, JsonataState>> = {
  Pass: pass,
  Succeed: succeed,
  Fail: fail,
  Choice: choice,
  Wait: wait,
  Task: task,
  Parallel: parallel,
  Map: map,
};

/** A Wait is over: Assign and Output. */
export function finishWait(env: StateEnv, th: ThreadData, st: CompiledState): Promise<StateOutcome> {
  return assignAndOutput(
    env,
    th,
    { input: th.input },
    { assign: st.raw.Assign, output: st.raw.Output },
    th.input,
  );
}

/** A Task, Parallel or Map produced its result: Assign and Output against `$states.result`. */
export function completeState(
  env: StateEnv,
  th: ThreadData,
  st: CompiledState,
  result: unknown,
): Promise<StateOutcome> {
  const fields = { assign: st.raw.Assign, output: st.raw.Output };
  return assignAndOutput(env, th, { input: th.input, result }, fields, result);
}

/** A catcher matched: its Assign and Output against `$states.errorOutput`. */
export function catchError(
  env: StateEnv,
  th: ThreadData,
  catcher: CompiledCatcher,
  errorOutput: Record<string, unknown>,
): Promise<StateOutcome> {
  const fields = { assign: catcher.assign, output: catcher.output, where: 'Catch/' };
  return assignAndOutput(env, th, { input: th.input, errorOutput }, fields, errorOutput, catcher.next);
}
