/**
 * What each state type does, as a {@link StateOutcome}: JSONPath states (state-types/jsonpath.ts) synchronously,
 * JSONata states (state-types/jsonata.ts) asynchronously. The execution applies the outcome; nothing here changes
 * the execution.
 */
import type { CompiledCatcher, CompiledState } from '../definition.js';
import { applyResultPath } from './dataflow.js';
import type { MaybePromise, StateEnv, StateOutcome } from './outcome.js';
import * as Jsonata from './state-types/jsonata.js';
import * as JsonPath from './state-types/jsonpath.js';
import { evaluateTemplate } from './template.js';
import type { ThreadData } from './types.js';

/** Runs the state the thread has just entered. */
export function runState(env: StateEnv, th: ThreadData, st: CompiledState): MaybePromise<StateOutcome> {
  return st.ql === 'JSONata'
    ? Jsonata.JSONATA_STATES[st.type](env, th, st)
    : JsonPath.JSONPATH_STATES[st.type](env, th, st);
}

/** The Wait is over: leave the state. */
export function finishWait(env: StateEnv, th: ThreadData, st: CompiledState): MaybePromise<StateOutcome> {
  return st.ql === 'JSONata' ? Jsonata.finishWait(env, th, st) : JsonPath.finishWait(env, th, st);
}

/** A Task, Parallel or Map produced its result: ResultSelector/Assign/ResultPath/OutputPath, or JSONata Output. */
export function completeState(
  env: StateEnv,
  th: ThreadData,
  st: CompiledState,
  result: unknown,
): MaybePromise<StateOutcome> {
  return st.ql === 'JSONata'
    ? Jsonata.completeState(env, th, st, result)
    : JsonPath.completeState(env, th, st, result);
}

/** A catcher matched: leave the state with the error output (to the catcher's Next). */
export function catchError(
  env: StateEnv,
  th: ThreadData,
  st: CompiledState,
  catcher: CompiledCatcher,
  errorOutput: Record<string, unknown>,
): MaybePromise<StateOutcome> {
  if (st.ql === 'JSONata') return Jsonata.catchError(env, th, catcher, errorOutput);
  const assigned = catcher.assignTemplate
    ? evaluateTemplate(catcher.assignTemplate, env.pathScope(th, errorOutput))
    : undefined;
  const output = applyResultPath(catcher.resultPath, th.input, errorOutput);
  return { kind: 'exit', output, assigned, next: catcher.next };
}
