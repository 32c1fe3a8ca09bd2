/**
 * Input and output processing of a state in the JSONPath query language (InputPath, ResultPath, OutputPath,
 * timestamps) and helpers shared by both query languages.
 */
import type { CompiledState } from '../definition.js';
import { RuntimeFailure, StatesError } from '../errors.js';
import { type CompiledPath, PathNotFoundError, setAtPath } from '../json/paths.js';
import { type PathScope, resolvePath } from './template.js';

/** InputPath / OutputPath: `undefined` = `$`, `null` = `{}`. */
export function applyPath(path: CompiledPath | null | undefined, value: unknown, scope: PathScope): unknown {
  if (path === undefined) return value;
  if (path === null) return {};
  if (path.root === '$' && path.segments.length === 0) return value;
  try {
    return resolvePath(path, scope);
  } catch (e) {
    if (e instanceof PathNotFoundError) throw new RuntimeFailure(e.message);
    throw e;
  }
}

/** ResultPath: `undefined` = `$` (the result replaces the input), `null` = the input is kept. */
export function applyResultPath(
  path: CompiledPath | null | undefined,
  rawInput: unknown,
  result: unknown,
): unknown {
  if (path === undefined) return result;
  if (path === null) return rawInput;
  if (path.segments.length === 0) return result;
  const base = rawInput !== null && typeof rawInput === 'object' ? rawInput : {};
  try {
    return setAtPath(path, base, result);
  } catch (e) {
    if (e instanceof PathNotFoundError) {
      throw new StatesError(
        'States.ResultPathMatchFailure',
        `Unable to apply ResultPath "${path.text}" to input ${JSON.stringify(rawInput)}`,
      );
    }
    throw e;
  }
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** The prefix Step Functions puts before the cause of a runtime or evaluation error. */
export function causePrefix(state: CompiledState | string, enteredEventId: number): string {
  const name = typeof state === 'string' ? state : state.name;
  return `An error occurred while executing the state '${name}' (entered at the event id #${enteredEventId}). `;
}

/** True when `error` matches one of the names of a retrier or catcher. */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === 'States.ALL' && error !== 'States.Runtime') return true;
    if (
      name === 'States.TaskFailed' &&
      error !== 'States.Timeout' &&
      error !== 'States.Runtime' &&
      !error.startsWith('States.')
    ) {
      return true;
    }
    if (
      name === 'States.TaskFailed' &&
      (error === 'States.DataLimitExceeded' || error === 'States.HeartbeatTimeout')
    ) {
      return true;
    }
  }
  return false;
}
