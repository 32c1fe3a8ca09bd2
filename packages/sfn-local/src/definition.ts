/**
 * State machine definitions: validation (asl-validator plus the runtime's own checks) and compilation into the
 * form the interpreter runs (paths parsed, templates prepared, scopes indexed). Compiled definitions are cached by
 * their text, so every execution of a machine shares one.
 */
import { definitionRules, expressRules, integrationRules } from './definition-rules.js';
import { compileTemplate, type Template } from './engine/template.js';
import { isIntrinsic, parseIntrinsic } from './json/intrinsics.js';
import { hasJsonata, isJsonataString, jsonataSyntaxError } from './json/jsonata.js';
import { type CompiledPath, compilePath } from './json/paths.js';
import { type AslValidator, aslValidator } from './validation.js';

export type QueryLanguage = 'JSONPath' | 'JSONata';
export type StateType = 'Task' | 'Pass' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';
const STATE_TYPES = new Set<string>(['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']);

// biome-ignore lint/suspicious/noExplicitAny: raw ASL JSON
export type RawState = Record<string, any>;

export interface CompiledRetrier {
  errorEquals: string[];
  intervalSeconds: number;
  maxAttempts: number;
  backoffRate: number;
  maxDelaySeconds?: number;
  jitter: 'FULL' | 'NONE';
}

export interface CompiledCatcher {
  errorEquals: string[];
  next: string;
  resultPath?: CompiledPath | null;
  output?: unknown;
  assign?: unknown;
  assignTemplate?: Template;
}

export interface CompiledState {
  readonly name: string;
  readonly type: StateType;
  readonly raw: RawState;
  readonly ql: QueryLanguage;
  readonly next?: string;
  readonly end: boolean;
  /** undefined = default `$`; null = explicit null. */
  readonly inputPath?: CompiledPath | null;
  readonly outputPath?: CompiledPath | null;
  readonly resultPath?: CompiledPath | null;
  readonly parameters?: Template;
  readonly resultSelector?: Template;
  /** JSONPath-mode Assign, compiled as a template. */
  readonly assignTemplate?: Template;
  readonly retry: CompiledRetrier[];
  readonly catch: CompiledCatcher[];
  /** Parallel: scope keys of the branches; Map: scope key of the item processor. */
  readonly branches?: string[];
  readonly processor?: string;
  readonly distributed?: boolean;
  /** The scope key this state lives in. */
  readonly scope: string;
}

export interface CompiledScope {
  readonly key: string;
  readonly startAt: string;
  readonly states: Map<string, CompiledState>;
}

export interface CompiledMachine {
  readonly text: string;
  readonly raw: RawState;
  readonly queryLanguage: QueryLanguage;
  readonly scopes: Map<string, CompiledScope>;
  readonly root: CompiledScope;
  readonly timeoutSeconds?: number;
}

export class DefinitionError extends Error {}

const compiledCache = new Map<string, CompiledMachine>();

/**
 * Parses, validates and compiles a definition. Throws {@link DefinitionError} with the reason when invalid.
 * `trusted`: the definition was validated when it was stored (recovery), only compile it.
 */
export function loadDefinition(text: string, options: { trusted?: boolean } = {}): CompiledMachine {
  const hit = compiledCache.get(text);
  if (hit) return hit;
  if (options.trusted) {
    const machine = compile(text, JSON.parse(text) as RawState);
    compiledCache.set(text, machine);
    return machine;
  }
  const { raw, problems } = checkDefinition(text);
  if (problems.length)
    throw new DefinitionError(`Invalid State Machine Definition: '${problems.join(', ')}'`);
  const machine = compile(text, raw as RawState);
  if (compiledCache.size > 1000) compiledCache.clear();
  compiledCache.set(text, machine);
  return machine;
}

/**
 * Every problem of a definition, each `CODE: message at /path` (ValidateStateMachineDefinition reports them one
 * by one); `type: 'EXPRESS'` adds the rules of EXPRESS state machines, `unsupported` the runtime's integrations.
 */
export function definitionProblems(
  text: string,
  type: 'STANDARD' | 'EXPRESS' = 'STANDARD',
  unsupported?: (resource: string) => string | undefined,
): string[] {
  const { raw, problems } = checkDefinition(text);
  if (problems.length || !isObject(raw)) return problems;
  const express = type === 'EXPRESS' ? expressRules(raw) : [];
  return express.length || !unsupported ? express : integrationRules(raw, unsupported);
}

function checkDefinition(text: string): { raw: unknown; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { raw, problems: [`SCHEMA_VALIDATION_FAILED: ${(e as Error).message}`] };
  }
  if (!isObject(raw))
    return { raw, problems: ['SCHEMA_VALIDATION_FAILED: definition must be a JSON object'] };
  const own = [...ownChecks(raw), ...definitionRules(raw)];
  if (own.length) return { raw, problems: own };
  return { raw, problems: runAslValidator(raw) };
}

function isObject(v: unknown): v is RawState {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

/**
 * asl-validator is stricter than Step Functions in a few places (JSONata `Output`/`Assign`/`Arguments` of any JSON
 * type, a constant `Condition`, a fractional `ToleratedFailurePercentage`): those values are replaced by
 * equivalent strings in a copy before it is validated.
 */
function runAslValidator(raw: RawState): string[] {
  const copy = sanitizeForValidator(structuredClone(raw));
  let result: ReturnType<AslValidator>;
  try {
    result = aslValidator()(copy, { checkPaths: false, checkArn: true });
  } catch (e) {
    return [`SCHEMA_VALIDATION_FAILED: ${(e as Error).message}`];
  }
  if (result.isValid) return [];
  return [result.errorsText(', ')];
}

function sanitizeForValidator(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(sanitizeForValidator);
  if (!isObject(node)) return node;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'Output') {
      node[k] = '{% 0 %}';
    } else if (k === 'Arguments' || k === 'Items' || k === 'ItemSelector') {
      node[k] = typeof v === 'string' || isObject(v) ? v : '{% 0 %}';
      if (k === 'ItemSelector' && !isObject(v) && typeof v !== 'string') node[k] = {};
    } else if (k === 'Assign' && isObject(v)) {
      node[k] = Object.fromEntries(Object.keys(v).map((name) => [name, 'x']));
    } else if (k === 'Condition' && typeof v !== 'string') {
      node[k] = `{% ${JSON.stringify(v)} %}`;
    } else if (k === 'ToleratedFailurePercentage' && typeof v === 'number') {
      node[k] = Math.round(v);
    } else if (k === 'Result' || k === 'Parameters' || k === 'ResultSelector') {
      // payload templates hold arbitrary JSON
    } else {
      node[k] = sanitizeForValidator(v);
    }
  }
  return node;
}

const JSONPATH_ONLY_FIELDS = [
  'InputPath',
  'OutputPath',
  'ResultPath',
  'Parameters',
  'ResultSelector',
  'ItemsPath',
];
const JSONATA_ONLY_FIELDS = ['Arguments', 'Output', 'Items'];

function ownChecks(raw: RawState): string[] {
  const errors: string[] = [];
  const topQl = raw.QueryLanguage ?? 'JSONPath';
  if (topQl !== 'JSONPath' && topQl !== 'JSONata') {
    errors.push(`SCHEMA_VALIDATION_FAILED: QueryLanguage must be JSONPath or JSONata at /QueryLanguage`);
  }
  checkScope(raw, '', topQl, errors);
  return errors;
}

function checkScope(scope: RawState, at: string, ql: QueryLanguage, errors: string[]): void {
  if (!isObject(scope.States)) {
    errors.push(`SCHEMA_VALIDATION_FAILED: The field 'States' is required at ${at || '/'}`);
    return;
  }
  if (typeof scope.StartAt !== 'string') {
    errors.push(`SCHEMA_VALIDATION_FAILED: The field 'StartAt' is required at ${at || '/'}`);
  } else if (!Object.hasOwn(scope.States, scope.StartAt)) {
    errors.push(`MISSING_TRANSITION_TARGET: Missing 'Next' target: ${scope.StartAt} at ${at}/StartAt`);
  }
  const names = new Set(Object.keys(scope.States));
  for (const [name, state] of Object.entries(scope.States)) {
    const path = `${at}/States/${name}`;
    if (!isObject(state)) {
      errors.push(`SCHEMA_VALIDATION_FAILED: state must be an object at ${path}`);
      continue;
    }
    if (name.length > 80)
      errors.push(`SCHEMA_VALIDATION_FAILED: state name longer than 80 characters at ${path}`);
    if (!STATE_TYPES.has(state.Type)) {
      errors.push(
        `SCHEMA_VALIDATION_FAILED: ${JSON.stringify(state.Type)} is not a valid state type at ${path}/Type`,
      );
      continue;
    }
    const sql: QueryLanguage = state.QueryLanguage ?? ql;
    if (ql === 'JSONata' && sql === 'JSONPath' && state.QueryLanguage) {
      errors.push(
        `SCHEMA_VALIDATION_FAILED: a state cannot use JSONPath when the state machine uses JSONata at ${path}/QueryLanguage`,
      );
    }
    for (const target of transitions(state)) {
      if (!names.has(target))
        errors.push(`MISSING_TRANSITION_TARGET: Missing 'Next' target: ${target} at ${path}`);
    }
    const terminal = state.Type === 'Succeed' || state.Type === 'Fail' || state.Type === 'Choice';
    if (!terminal && state.End !== true && typeof state.Next !== 'string') {
      errors.push(`SCHEMA_VALIDATION_FAILED: The state must have either 'Next' or 'End: true' at ${path}`);
    }
    if (state.End === true && state.Next !== undefined) {
      errors.push(`TERMINAL_STATE_WITH_NEXT: A terminal state cannot have a 'Next' field at ${path}`);
    }
    if (sql === 'JSONata') {
      for (const f of JSONPATH_ONLY_FIELDS) {
        if (state[f] !== undefined) {
          errors.push(
            `SCHEMA_VALIDATION_FAILED: The field '${f}' is not supported for the JSONata query language at ${path}`,
          );
        }
      }
      checkJsonataStrings(state, path, errors);
    } else {
      for (const f of JSONATA_ONLY_FIELDS) {
        if (state[f] !== undefined) {
          errors.push(
            `SCHEMA_VALIDATION_FAILED: The field '${f}' is not supported for the JSONPath query language at ${path}`,
          );
        }
      }
      checkJsonPathFields(state, path, errors);
    }
    if (state.Type === 'Choice') {
      if (!Array.isArray(state.Choices) || state.Choices.length === 0) {
        errors.push(
          `SCHEMA_VALIDATION_FAILED: Choice state must have a non-empty 'Choices' array at ${path}`,
        );
      }
    }
    if (state.Type === 'Parallel') {
      if (!Array.isArray(state.Branches) || state.Branches.length === 0) {
        errors.push(
          `SCHEMA_VALIDATION_FAILED: Parallel state must have a non-empty 'Branches' array at ${path}`,
        );
      } else {
        state.Branches.forEach((b: unknown, i: number) => {
          if (isObject(b)) checkScope(b, `${path}/Branches/${i}`, sql, errors);
          else errors.push(`SCHEMA_VALIDATION_FAILED: branch must be an object at ${path}/Branches/${i}`);
        });
      }
    }
    if (state.Type === 'Map') {
      const proc = state.ItemProcessor ?? state.Iterator;
      if (!isObject(proc))
        errors.push(`SCHEMA_VALIDATION_FAILED: Map state must have an 'ItemProcessor' at ${path}`);
      else checkScope(proc, `${path}/ItemProcessor`, sql, errors);
    }
    if (Array.isArray(state.Retry)) {
      state.Retry.forEach((r: unknown, i: number) => {
        if (!isObject(r) || !Array.isArray(r.ErrorEquals) || r.ErrorEquals.length === 0) {
          errors.push(
            `SCHEMA_VALIDATION_FAILED: Retrier must have a non-empty 'ErrorEquals' at ${path}/Retry/${i}`,
          );
        }
      });
    }
    if (Array.isArray(state.Catch)) {
      state.Catch.forEach((c: unknown, i: number) => {
        if (!isObject(c) || !Array.isArray(c.ErrorEquals) || c.ErrorEquals.length === 0) {
          errors.push(
            `SCHEMA_VALIDATION_FAILED: Catcher must have a non-empty 'ErrorEquals' at ${path}/Catch/${i}`,
          );
        }
      });
    }
  }
}

function transitions(state: RawState): string[] {
  const out: string[] = [];
  if (typeof state.Next === 'string') out.push(state.Next);
  if (typeof state.Default === 'string') out.push(state.Default);
  const walkChoice = (rule: unknown) => {
    if (isObject(rule) && typeof rule.Next === 'string') out.push(rule.Next);
  };
  if (Array.isArray(state.Choices)) state.Choices.forEach(walkChoice);
  if (Array.isArray(state.Catch)) {
    for (const c of state.Catch) if (isObject(c) && typeof c.Next === 'string') out.push(c.Next);
  }
  return out;
}

function checkJsonataStrings(node: unknown, path: string, errors: string[]): void {
  if (typeof node === 'string') {
    if (isJsonataString(node)) {
      const err = jsonataSyntaxError(node);
      if (err)
        errors.push(
          `SCHEMA_VALIDATION_FAILED: The JSONata expression '${node}' is invalid (${err}) at ${path}`,
        );
    }
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((v, i) => {
      checkJsonataStrings(v, `${path}/${i}`, errors);
    });
    return;
  }
  if (isObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'Branches' || k === 'ItemProcessor' || k === 'Iterator') continue;
      checkJsonataStrings(v, `${path}/${k}`, errors);
    }
  }
}

function checkJsonPathFields(state: RawState, path: string, errors: string[]): void {
  for (const f of ['InputPath', 'OutputPath', 'ResultPath', 'ItemsPath']) {
    const v = state[f];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') {
      errors.push(`SCHEMA_VALIDATION_FAILED: ${f} must be a string or null at ${path}/${f}`);
      continue;
    }
    try {
      const p = compilePath(v);
      if (
        f === 'ResultPath' &&
        (p.root !== '$' || !p.segments.every((s) => s.k === 'name' || s.k === 'index'))
      ) {
        errors.push(`SCHEMA_VALIDATION_FAILED: ResultPath must be a reference path at ${path}/${f}`);
      }
    } catch (e) {
      errors.push(`SCHEMA_VALIDATION_FAILED: ${(e as Error).message} at ${path}/${f}`);
    }
  }
  for (const f of ['Parameters', 'ResultSelector', 'ItemSelector']) {
    if (state[f] !== undefined) checkPayloadTemplate(state[f], `${path}/${f}`, errors);
  }
}

function checkPayloadTemplate(node: unknown, path: string, errors: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => {
      checkPayloadTemplate(v, `${path}/${i}`, errors);
    });
    return;
  }
  if (!isObject(node)) return;
  for (const [k, v] of Object.entries(node)) {
    if (k.endsWith('.$')) {
      if (typeof v !== 'string') {
        errors.push(
          `SCHEMA_VALIDATION_FAILED: The value of '${k}' must be a JSONPath or intrinsic function at ${path}`,
        );
        continue;
      }
      try {
        if (isIntrinsic(v)) parseIntrinsic(v);
        else compilePath(v);
      } catch (e) {
        errors.push(`SCHEMA_VALIDATION_FAILED: ${(e as Error).message} at ${path}/${k}`);
      }
    } else checkPayloadTemplate(v, `${path}/${k}`, errors);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Compilation

function compile(text: string, raw: RawState): CompiledMachine {
  const queryLanguage: QueryLanguage = raw.QueryLanguage ?? 'JSONPath';
  const scopes = new Map<string, CompiledScope>();
  const root = compileScope(raw, '', queryLanguage, scopes);
  return {
    text,
    raw,
    queryLanguage,
    scopes,
    root,
    timeoutSeconds: typeof raw.TimeoutSeconds === 'number' ? raw.TimeoutSeconds : undefined,
  };
}

function optPath(v: unknown): CompiledPath | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  return compilePath(v as string);
}

function compileScope(
  raw: RawState,
  key: string,
  ql: QueryLanguage,
  scopes: Map<string, CompiledScope>,
): CompiledScope {
  const states = new Map<string, CompiledState>();
  const scope: CompiledScope = { key, startAt: raw.StartAt, states };
  scopes.set(key, scope);
  for (const [name, s] of Object.entries(raw.States as Record<string, RawState>)) {
    const sql: QueryLanguage = s.QueryLanguage ?? ql;
    const jp = sql === 'JSONPath';
    let branches: string[] | undefined;
    let processor: string | undefined;
    if (s.Type === 'Parallel') {
      branches = (s.Branches as RawState[]).map((b, i) => {
        const k = `${key}/${name}#${i}`;
        compileScope(b, k, sql, scopes);
        return k;
      });
    }
    let distributed = false;
    if (s.Type === 'Map') {
      const proc = (s.ItemProcessor ?? s.Iterator) as RawState;
      processor = `${key}/${name}#m`;
      distributed = proc.ProcessorConfig?.Mode === 'DISTRIBUTED';
      compileScope(proc, processor, sql, scopes);
    }
    const state: CompiledState = {
      name,
      type: s.Type,
      raw: s,
      ql: sql,
      next: s.Next,
      end: s.End === true || s.Type === 'Succeed' || s.Type === 'Fail',
      inputPath: jp ? optPath(s.InputPath) : undefined,
      outputPath: jp ? optPath(s.OutputPath) : undefined,
      resultPath: jp ? optPath(s.ResultPath) : undefined,
      parameters: jp && s.Parameters !== undefined ? compileTemplate(s.Parameters) : undefined,
      resultSelector: jp && s.ResultSelector !== undefined ? compileTemplate(s.ResultSelector) : undefined,
      assignTemplate: jp && s.Assign !== undefined ? compileTemplate(s.Assign) : undefined,
      retry: compileRetry(s.Retry),
      catch: compileCatch(s.Catch, jp),
      branches,
      processor,
      distributed,
      scope: key,
    };
    states.set(name, state);
  }
  return scope;
}

function compileRetry(retry: unknown): CompiledRetrier[] {
  if (!Array.isArray(retry)) return [];
  return retry.map((r: RawState) => ({
    errorEquals: r.ErrorEquals,
    intervalSeconds: typeof r.IntervalSeconds === 'number' ? r.IntervalSeconds : 1,
    maxAttempts: typeof r.MaxAttempts === 'number' ? r.MaxAttempts : 3,
    backoffRate: typeof r.BackoffRate === 'number' ? r.BackoffRate : 2,
    maxDelaySeconds: typeof r.MaxDelaySeconds === 'number' ? r.MaxDelaySeconds : undefined,
    jitter: r.JitterStrategy === 'FULL' ? 'FULL' : 'NONE',
  }));
}

function compileCatch(catchers: unknown, jp: boolean): CompiledCatcher[] {
  if (!Array.isArray(catchers)) return [];
  return catchers.map((c: RawState) => ({
    errorEquals: c.ErrorEquals,
    next: c.Next,
    resultPath: jp ? optPath(c.ResultPath) : undefined,
    output: c.Output,
    assign: c.Assign,
    assignTemplate: jp && c.Assign !== undefined ? compileTemplate(c.Assign) : undefined,
  }));
}

/** True when a raw value needs JSONata evaluation. */
export function needsJsonata(v: unknown): boolean {
  return hasJsonata(v);
}
