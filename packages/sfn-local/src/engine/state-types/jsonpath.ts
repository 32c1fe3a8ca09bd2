/**
 * The state types in JSONPath mode, one function each. They run synchronously (the fast path) and return what the
 * state does as a {@link StateOutcome}; the execution applies it.
 */
import type { CompiledState, StateType } from '../../definition.js';
import { RuntimeFailure, StatesError } from '../../errors.js';
import { isIntrinsic } from '../../json/intrinsics.js';
import { compilePath, PathNotFoundError } from '../../json/paths.js';
import { evaluateRule, parseTimestamp } from '../choice.js';
import { applyPath, applyResultPath } from '../dataflow.js';
import { resourceInfo } from '../events.js';
import type { StateEnv, StateOutcome } from '../outcome.js';
import { compileTemplate, evaluateTemplate, resolvePath } from '../template.js';
import type { ThreadData } from '../types.js';
import { itemReaderUnsupported, pathOf, valueForMessage } from './common.js';

type JsonPathState = (env: StateEnv, th: ThreadData, st: CompiledState) => StateOutcome;

function pass(env: StateEnv, th: ThreadData, st: CompiledState): StateOutcome {
  const eff = pathOf(env, th, st.inputPath, th.input);
  let result = st.parameters ? evaluateTemplate(st.parameters, env.pathScope(th, eff)) : eff;
  if (Object.hasOwn(st.raw, 'Result')) result = st.raw.Result;
  return finish(env, th, st, result);
}

/** ResultSelector is applied by the caller; this does Assign, ResultPath and OutputPath. */
export function finish(env: StateEnv, th: ThreadData, st: CompiledState, result: unknown): StateOutcome {
  const assigned = st.assignTemplate
    ? evaluateTemplate(st.assignTemplate, env.pathScope(th, result))
    : undefined;
  const merged = applyResultPath(st.resultPath, th.input, result);
  return { kind: 'exit', output: pathOf(env, th, st.outputPath, merged), assigned };
}

function succeed(env: StateEnv, th: ThreadData, st: CompiledState): StateOutcome {
  const eff = pathOf(env, th, st.inputPath, th.input);
  return { kind: 'exit', output: pathOf(env, th, st.outputPath, eff) };
}

function choice(env: StateEnv, th: ThreadData, st: CompiledState): StateOutcome {
  const eff = pathOf(env, th, st.inputPath, th.input);
  const scope = env.pathScope(th, eff);
  let next: string | undefined;
  let assign: unknown;
  for (const rule of st.raw.Choices as Record<string, unknown>[]) {
    if (evaluateRule(rule, scope)) {
      next = rule.Next as string;
      assign = rule.Assign;
      break;
    }
  }
  if (next === undefined) {
    if (typeof st.raw.Default !== 'string') {
      throw new StatesError('States.NoChoiceMatched', `No Matches!`);
    }
    next = st.raw.Default;
    assign = st.raw.Assign;
  }
  const assigned = assign !== undefined ? evaluateTemplate(compileTemplate(assign), scope) : undefined;
  return { kind: 'exit', output: pathOf(env, th, st.outputPath, eff), assigned, next };
}

function fail(env: StateEnv, th: ThreadData, st: CompiledState): StateOutcome {
  const scope = env.pathScope(th, th.input);
  const read = (field: 'Error' | 'Cause'): string | undefined => {
    const pathField = `${field}Path`;
    const text = st.raw[pathField];
    if (typeof text === 'string') {
      const template = compileTemplate({ [`${pathField}.$`]: text });
      let v: unknown;
      try {
        v = (evaluateTemplate(template, scope) as Record<string, unknown>)[pathField];
      } catch (e) {
        if (e instanceof RuntimeFailure && !isIntrinsic(text)) {
          throw new RuntimeFailure(
            `The JSONPath '${text}' specified for the field '${pathField}' could not be found in the input '${JSON.stringify(th.input)}'`,
          );
        }
        throw e;
      }
      return typeof v === 'string' ? v : JSON.stringify(v);
    }
    return typeof st.raw[field] === 'string' ? st.raw[field] : undefined;
  };
  const error = read('Error');
  const cause = read('Cause');
  return { kind: 'fail', error, cause };
}

function wait(env: StateEnv, th: ThreadData, st: CompiledState): StateOutcome {
  const eff = pathOf(env, th, st.inputPath, th.input);
  const now = env.now();
  const raw = st.raw;
  /** The value a SecondsPath/TimestampPath names, or the Runtime failure AWS reports when it names nothing. */
  const waitPathValue = (field: 'SecondsPath' | 'TimestampPath', path: string): unknown => {
    try {
      return resolvePath(compilePath(path), env.pathScope(th, eff));
    } catch (e) {
      if (e instanceof PathNotFoundError) {
        throw new RuntimeFailure(`The ${field} parameter does not reference an input value: ${path}`);
      }
      throw e;
    }
  };
  if (typeof raw.Seconds === 'number') return { kind: 'wait', until: now + raw.Seconds * 1000 };
  if (typeof raw.Timestamp === 'string') {
    const ts = parseTimestamp(raw.Timestamp);
    if (ts === undefined) {
      throw new RuntimeFailure(
        `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${raw.Timestamp}`,
      );
    }
    return { kind: 'wait', until: ts };
  }
  if (typeof raw.SecondsPath === 'string') {
    const v = waitPathValue('SecondsPath', raw.SecondsPath);
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new RuntimeFailure(
        `The SecondsPath parameter cannot be parsed as a long value: ${raw.SecondsPath} == ${valueForMessage(v)}`,
      );
    }
    if (v < 0) {
      throw new RuntimeFailure(
        `The SecondsPath parameter references a negative value: ${raw.SecondsPath} == ${v}`,
      );
    }
    return { kind: 'wait', until: now + v * 1000 };
  }
  if (typeof raw.TimestampPath === 'string') {
    const v = waitPathValue('TimestampPath', raw.TimestampPath);
    const ts = parseTimestamp(v);
    if (ts === undefined) {
      throw new RuntimeFailure(
        `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${raw.TimestampPath} == ${valueForMessage(v)}`,
      );
    }
    return { kind: 'wait', until: ts };
  }
  return { kind: 'wait', until: now };
}

function positiveIntFromPath(env: StateEnv, th: ThreadData, input: unknown, text: string): number {
  const v = applyPath(compilePath(text), input, env.pathScope(th, input));
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new RuntimeFailure(
      `The value of ${text} must be a positive integer, but was: ${valueForMessage(v)}`,
    );
  }
  return v;
}

function task(env: StateEnv, th: ThreadData, st: CompiledState): StateOutcome {
  const eff = pathOf(env, th, st.inputPath, th.input);
  const info = resourceInfo(st.raw.Resource);
  const token = info.waitForToken || info.sync ? env.newToken() : undefined;
  const parameters = st.parameters ? evaluateTemplate(st.parameters, env.pathScope(th, eff, { token })) : eff;
  let timeoutSeconds: number | undefined;
  let heartbeatSeconds: number | undefined;
  if (typeof st.raw.TimeoutSeconds === 'number') timeoutSeconds = st.raw.TimeoutSeconds;
  else if (typeof st.raw.TimeoutSecondsPath === 'string') {
    timeoutSeconds = positiveIntFromPath(env, th, eff, st.raw.TimeoutSecondsPath);
  }
  if (typeof st.raw.HeartbeatSeconds === 'number') heartbeatSeconds = st.raw.HeartbeatSeconds;
  else if (typeof st.raw.HeartbeatSecondsPath === 'string') {
    heartbeatSeconds = positiveIntFromPath(env, th, eff, st.raw.HeartbeatSecondsPath);
  }
  return { kind: 'task', parameters, options: { token, timeoutSeconds, heartbeatSeconds } };
}

function parallel(env: StateEnv, th: ThreadData, st: CompiledState): StateOutcome {
  const eff = pathOf(env, th, st.inputPath, th.input);
  const input = st.parameters ? evaluateTemplate(st.parameters, env.pathScope(th, eff)) : eff;
  return { kind: 'parallel', input };
}

function numberFromPath(
  env: StateEnv,
  th: ThreadData,
  input: unknown,
  field: string,
  text: string,
  kind: 'integer' | 'float',
): number {
  let v = applyPath(compilePath(text), input, env.pathScope(th, input));
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) v = Number(v);
  const ok = typeof v === 'number' && (kind === 'float' || Number.isInteger(v));
  if (!ok) {
    throw new RuntimeFailure(
      `The ${field} field refers to value "${valueForMessage(v)}" which is not a valid ${kind}: ${text}`,
    );
  }
  return v as number;
}

function map(env: StateEnv, th: ThreadData, st: CompiledState): StateOutcome {
  const raw = st.raw;
  const eff = pathOf(env, th, st.inputPath, th.input);
  let maxConcurrency = 0;
  if (typeof raw.MaxConcurrency === 'number') maxConcurrency = raw.MaxConcurrency;
  else if (typeof raw.MaxConcurrencyPath === 'string') {
    maxConcurrency = numberFromPath(env, th, eff, 'MaxConcurrencyPath', raw.MaxConcurrencyPath, 'integer');
  }
  if (raw.ItemReader !== undefined) throw itemReaderUnsupported();
  const itemsPath = typeof raw.ItemsPath === 'string' ? raw.ItemsPath : '$';
  const items = applyPath(compilePath(itemsPath), eff, env.pathScope(th, eff));
  if (!Array.isArray(items)) {
    throw new RuntimeFailure(
      `Map state input must be an array but was: ${JSON.stringify(items)} for ItemsPath ${itemsPath}`,
    );
  }
  const selector = raw.ItemSelector ?? raw.Parameters;
  const template = selector !== undefined ? compileTemplate(selector) : undefined;
  const inputs = template
    ? items.map((value, index) =>
        evaluateTemplate(template, env.pathScope(th, eff, { item: { index, value } })),
      )
    : items;
  const tolerated = () => {
    let count: number | undefined;
    let pct: number | undefined;
    if (typeof raw.ToleratedFailureCount === 'number') count = raw.ToleratedFailureCount;
    else if (typeof raw.ToleratedFailureCountPath === 'string') {
      count = numberFromPath(
        env,
        th,
        eff,
        'ToleratedFailureCountPath',
        raw.ToleratedFailureCountPath,
        'integer',
      );
    }
    if (typeof raw.ToleratedFailurePercentage === 'number') pct = raw.ToleratedFailurePercentage;
    else if (typeof raw.ToleratedFailurePercentagePath === 'string') {
      pct = numberFromPath(
        env,
        th,
        eff,
        'ToleratedFailurePercentagePath',
        raw.ToleratedFailurePercentagePath,
        'float',
      );
    }
    return { count, pct };
  };
  return { kind: 'map', items: inputs, maxConcurrency, tolerated };
}

export const JSONPATH_STATES: Readonly<Record<StateType, JsonPathState>> = {
  Pass: pass,
  Succeed: succeed,
  Fail: fail,
  Choice: choice,
  Wait: wait,
  Task: task,
  Parallel: parallel,
  Map: map,
};

/** A Wait is over: InputPath, Assign, OutputPath. */
export function finishWait(env: StateEnv, th: ThreadData, st: CompiledState): StateOutcome {
  const eff = pathOf(env, th, st.inputPath, th.input);
  const assigned = st.assignTemplate
    ? evaluateTemplate(st.assignTemplate, env.pathScope(th, eff))
    : undefined;
  return { kind: 'exit', output: pathOf(env, th, st.outputPath, eff), assigned };
}

/** A Task, Parallel or Map produced its result: ResultSelector, then {@link finish}. */
export function completeState(
  env: StateEnv,
  th: ThreadData,
  st: CompiledState,
  result: unknown,
): StateOutcome {
  const selected = st.resultSelector
    ? evaluateTemplate(st.resultSelector, env.pathScope(th, result))
    : result;
  return finish(env, th, st, selected);
}
