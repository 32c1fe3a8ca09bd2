/**
 * What each state type does, in both query languages. JSONPath states run synchronously (the fast path);
 * JSONata states are async because JSONata evaluation is.
 */
import type { CompiledCatcher, CompiledState } from '../definition.js';
import { EvaluationFailure, RuntimeFailure, StatesError } from '../errors.js';
import { isIntrinsic } from '../json/intrinsics.js';
import {
  evaluateJsonata,
  evaluateTemplate as evaluateJsonataTemplate,
  isJsonataString,
} from '../json/jsonata.js';
import { compilePath, PathNotFoundError } from '../json/paths.js';
import { evaluateRule, parseTimestamp } from './choice.js';
import { applyPath, applyResultPath } from './dataflow.js';
import { resourceInfo } from './events.js';
import type { Execution } from './execution.js';
import { compileTemplate, evaluateTemplate, resolvePath } from './template.js';
import type { FanOut, ThreadData } from './types.js';

type MaybePromise = void | Promise<void>;

/** InputPath / OutputPath, without building a scope when the path is the default `$`. */
function pathOf(exec: Execution, th: ThreadData, path: CompiledState['inputPath'], value: unknown): unknown {
  return path === undefined ? value : applyPath(path, value, exec.pathScope(th, value));
}

/** The current phase kind (read through a function: TypeScript would keep a stale narrowing). */
function phaseOf(th: ThreadData): string {
  return th.phase.t;
}

export function runState(exec: Execution, th: ThreadData, st: CompiledState): MaybePromise {
  if (st.ql === 'JSONata') return runJsonata(exec, th, st);
  switch (st.type) {
    case 'Pass':
      return passJsonPath(exec, th, st);
    case 'Choice':
      return choiceJsonPath(exec, th, st);
    case 'Succeed': {
      const eff = pathOf(exec, th, st.inputPath, th.input);
      const out = pathOf(exec, th, st.outputPath, eff);
      return exec.exitState(th, st, out);
    }
    case 'Fail':
      return failJsonPath(exec, th, st);
    case 'Wait':
      return waitJsonPath(exec, th, st);
    case 'Task':
      return taskJsonPath(exec, th, st);
    case 'Parallel':
      return parallelJsonPath(exec, th, st);
    case 'Map':
      return mapJsonPath(exec, th, st);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// JSONPath

function passJsonPath(exec: Execution, th: ThreadData, st: CompiledState): void {
  const eff = pathOf(exec, th, st.inputPath, th.input);
  let result = st.parameters ? evaluateTemplate(st.parameters, exec.pathScope(th, eff)) : eff;
  if (Object.hasOwn(st.raw, 'Result')) result = st.raw.Result;
  finishJsonPath(exec, th, st, result);
}

/** ResultSelector is applied by the caller; this does Assign, ResultPath, OutputPath and leaves the state. */
function finishJsonPath(exec: Execution, th: ThreadData, st: CompiledState, result: unknown): void {
  const assigned = st.assignTemplate
    ? evaluateTemplate(st.assignTemplate, exec.pathScope(th, result))
    : undefined;
  const merged = applyResultPath(st.resultPath, th.input, result);
  const out = pathOf(exec, th, st.outputPath, merged);
  exec.exitState(th, st, out, assigned);
}

function choiceJsonPath(exec: Execution, th: ThreadData, st: CompiledState): void {
  const eff = pathOf(exec, th, st.inputPath, th.input);
  const scope = exec.pathScope(th, eff);
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
  const out = pathOf(exec, th, st.outputPath, eff);
  exec.exitState(th, st, out, assigned, next);
}

function valueForMessage(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function failJsonPath(exec: Execution, th: ThreadData, st: CompiledState): void {
  const scope = exec.pathScope(th, th.input);
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
  exec.threadFailed(th, error, cause);
}

function waitJsonPath(exec: Execution, th: ThreadData, st: CompiledState): void {
  const eff = pathOf(exec, th, st.inputPath, th.input);
  const now = exec.host.clock.now();
  let until: number;
  const raw = st.raw;
  /** The value a SecondsPath/TimestampPath names, or the Runtime failure AWS reports when it names nothing. */
  const waitPathValue = (field: 'SecondsPath' | 'TimestampPath', path: string): unknown => {
    try {
      return resolvePath(compilePath(path), exec.pathScope(th, eff));
    } catch (e) {
      if (e instanceof PathNotFoundError) {
        throw new RuntimeFailure(`The ${field} parameter does not reference an input value: ${path}`);
      }
      throw e;
    }
  };
  if (typeof raw.Seconds === 'number') until = now + raw.Seconds * 1000;
  else if (typeof raw.Timestamp === 'string') {
    const ts = parseTimestamp(raw.Timestamp);
    if (ts === undefined) {
      throw new RuntimeFailure(
        `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${raw.Timestamp}`,
      );
    }
    until = ts;
  } else if (typeof raw.SecondsPath === 'string') {
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
    until = now + v * 1000;
  } else if (typeof raw.TimestampPath === 'string') {
    const v = waitPathValue('TimestampPath', raw.TimestampPath);
    const ts = parseTimestamp(v);
    if (ts === undefined) {
      throw new RuntimeFailure(
        `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${raw.TimestampPath} == ${valueForMessage(v)}`,
      );
    }
    until = ts;
  } else until = now;
  startWait(exec, th, until);
}

function startWait(exec: Execution, th: ThreadData, until: number): void {
  th.phase = { t: 'wait', until };
  exec.touch(th);
  exec.armTimer(th, until);
}

/** The Wait is over: leave the state. */
export function finishWait(exec: Execution, th: ThreadData, st: CompiledState): MaybePromise {
  if (st.ql === 'JSONata') {
    return (async () => {
      const b = exec.bindings(th, { input: th.input });
      const assigned =
        st.raw.Assign !== undefined ? await evaluateJsonataTemplate(st.raw.Assign, b, 'Assign') : undefined;
      const out =
        st.raw.Output !== undefined ? await evaluateJsonataTemplate(st.raw.Output, b, 'Output') : th.input;
      exec.exitState(th, st, out, assigned);
    })();
  }
  const eff = pathOf(exec, th, st.inputPath, th.input);
  const assigned = st.assignTemplate
    ? evaluateTemplate(st.assignTemplate, exec.pathScope(th, eff))
    : undefined;
  const out = pathOf(exec, th, st.outputPath, eff);
  exec.exitState(th, st, out, assigned);
}

function positiveIntFromPath(exec: Execution, th: ThreadData, input: unknown, text: string): number {
  const v = applyPath(compilePath(text), input, exec.pathScope(th, input));
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new RuntimeFailure(
      `The value of ${text} must be a positive integer, but was: ${valueForMessage(v)}`,
    );
  }
  return v;
}

function taskJsonPath(exec: Execution, th: ThreadData, st: CompiledState): void {
  const eff = pathOf(exec, th, st.inputPath, th.input);
  const info = resourceInfo(st.raw.Resource);
  const token = info.waitForToken || info.sync ? exec.host.newToken() : undefined;
  const parameters = st.parameters
    ? evaluateTemplate(st.parameters, exec.pathScope(th, eff, { token }))
    : eff;
  let timeoutSeconds: number | undefined;
  let heartbeatSeconds: number | undefined;
  if (typeof st.raw.TimeoutSeconds === 'number') timeoutSeconds = st.raw.TimeoutSeconds;
  else if (typeof st.raw.TimeoutSecondsPath === 'string') {
    timeoutSeconds = positiveIntFromPath(exec, th, eff, st.raw.TimeoutSecondsPath);
  }
  if (typeof st.raw.HeartbeatSeconds === 'number') heartbeatSeconds = st.raw.HeartbeatSeconds;
  else if (typeof st.raw.HeartbeatSecondsPath === 'string') {
    heartbeatSeconds = positiveIntFromPath(exec, th, eff, st.raw.HeartbeatSecondsPath);
  }
  exec.scheduleTask(th, st, parameters, { token, timeoutSeconds, heartbeatSeconds });
}

/** A Task, Parallel or Map produced its result: ResultSelector/Assign/ResultPath/OutputPath, or JSONata Output. */
export function completeTask(
  exec: Execution,
  th: ThreadData,
  st: CompiledState,
  result: unknown,
): MaybePromise {
  if (st.ql === 'JSONata') {
    return (async () => {
      const b = exec.bindings(th, { input: th.input, result });
      const assigned =
        st.raw.Assign !== undefined ? await evaluateJsonataTemplate(st.raw.Assign, b, 'Assign') : undefined;
      const out =
        st.raw.Output !== undefined ? await evaluateJsonataTemplate(st.raw.Output, b, 'Output') : result;
      exec.exitState(th, st, out, assigned);
    })().catch((e) => exec.onStateError(th, e));
  }
  try {
    const selected = st.resultSelector
      ? evaluateTemplate(st.resultSelector, exec.pathScope(th, result))
      : result;
    finishJsonPath(exec, th, st, selected);
  } catch (e) {
    return exec.onStateError(th, e);
  }
}

/** A catcher matched: leave the state with the error output. */
export function catchError(
  exec: Execution,
  th: ThreadData,
  st: CompiledState,
  catcher: CompiledCatcher,
  errorOutput: Record<string, unknown>,
): MaybePromise {
  if (st.ql === 'JSONata') {
    return (async () => {
      const b = exec.bindings(th, { input: th.input, errorOutput });
      const assigned =
        catcher.assign !== undefined
          ? await evaluateJsonataTemplate(catcher.assign, b, 'Catch/Assign')
          : undefined;
      const out =
        catcher.output !== undefined
          ? await evaluateJsonataTemplate(catcher.output, b, 'Catch/Output')
          : errorOutput;
      exec.exitState(th, st, out, assigned, catcher.next);
    })();
  }
  const assigned = catcher.assignTemplate
    ? evaluateTemplate(catcher.assignTemplate, exec.pathScope(th, errorOutput))
    : undefined;
  const out = applyResultPath(catcher.resultPath, th.input, errorOutput);
  exec.exitState(th, st, out, assigned, catcher.next);
}

function parallelJsonPath(exec: Execution, th: ThreadData, st: CompiledState): void {
  const eff = pathOf(exec, th, st.inputPath, th.input);
  const input = st.parameters ? evaluateTemplate(st.parameters, exec.pathScope(th, eff)) : eff;
  startParallel(exec, th, st, input);
}

function intFromPath(
  exec: Execution,
  th: ThreadData,
  input: unknown,
  field: string,
  text: string,
  kind: 'integer' | 'float',
): number {
  let v = applyPath(compilePath(text), input, exec.pathScope(th, input));
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) v = Number(v);
  const ok = typeof v === 'number' && (kind === 'float' || Number.isInteger(v));
  if (!ok) {
    throw new RuntimeFailure(
      `The ${field} field refers to value "${valueForMessage(v)}" which is not a valid ${kind}: ${text}`,
    );
  }
  return v as number;
}

function mapJsonPath(exec: Execution, th: ThreadData, st: CompiledState): void {
  const raw = st.raw;
  const eff = pathOf(exec, th, st.inputPath, th.input);
  let maxConcurrency = 0;
  if (typeof raw.MaxConcurrency === 'number') maxConcurrency = raw.MaxConcurrency;
  else if (typeof raw.MaxConcurrencyPath === 'string') {
    maxConcurrency = intFromPath(exec, th, eff, 'MaxConcurrencyPath', raw.MaxConcurrencyPath, 'integer');
  }
  if (raw.ItemReader !== undefined) throw itemReaderUnsupported();
  const itemsPath = typeof raw.ItemsPath === 'string' ? raw.ItemsPath : '$';
  const items = applyPath(compilePath(itemsPath), eff, exec.pathScope(th, eff));
  if (!Array.isArray(items)) {
    throw new RuntimeFailure(
      `Map state input must be an array but was: ${JSON.stringify(items)} for ItemsPath ${itemsPath}`,
    );
  }
  const selector = raw.ItemSelector ?? raw.Parameters;
  const template = selector !== undefined ? compileTemplate(selector) : undefined;
  const inputs = template
    ? items.map((value, index) =>
        evaluateTemplate(template, exec.pathScope(th, eff, { item: { index, value } })),
      )
    : items;
  const tolerated = () => {
    let count: number | undefined;
    let pct: number | undefined;
    if (typeof raw.ToleratedFailureCount === 'number') count = raw.ToleratedFailureCount;
    else if (typeof raw.ToleratedFailureCountPath === 'string') {
      count = intFromPath(
        exec,
        th,
        eff,
        'ToleratedFailureCountPath',
        raw.ToleratedFailureCountPath,
        'integer',
      );
    }
    if (typeof raw.ToleratedFailurePercentage === 'number') pct = raw.ToleratedFailurePercentage;
    else if (typeof raw.ToleratedFailurePercentagePath === 'string') {
      pct = intFromPath(
        exec,
        th,
        eff,
        'ToleratedFailurePercentagePath',
        raw.ToleratedFailurePercentagePath,
        'float',
      );
    }
    return { count, pct };
  };
  startMap(exec, th, st, inputs, maxConcurrency, tolerated);
}

function itemReaderUnsupported(): StatesError {
  return new StatesError(
    'States.ItemReaderFailed',
    'ItemReader is not supported by the local runtime: give the items in the state input (ItemsPath / Items).',
  );
}

/** ItemBatcher: groups items into `{ Items: [...], BatchInput }` batches. */
function batchItems(
  items: unknown[],
  batcher: Record<string, unknown>,
  batchInput: unknown,
  fromPath: (text: string) => number,
): unknown[] {
  let max = Number.POSITIVE_INFINITY;
  if (typeof batcher.MaxItemsPerBatch === 'number') max = batcher.MaxItemsPerBatch;
  else if (typeof batcher.MaxItemsPerBatchPath === 'string') max = fromPath(batcher.MaxItemsPerBatchPath);
  let maxBytes = Number.POSITIVE_INFINITY;
  if (typeof batcher.MaxInputBytesPerBatch === 'number') maxBytes = batcher.MaxInputBytesPerBatch;
  else if (typeof batcher.MaxInputBytesPerBatchPath === 'string')
    maxBytes = fromPath(batcher.MaxInputBytesPerBatchPath);
  const out: unknown[] = [];
  let batch: unknown[] = [];
  let bytes = 0;
  const flush = () => {
    if (batch.length === 0) return;
    out.push(batchInput === undefined ? { Items: batch } : { BatchInput: batchInput, Items: batch });
    batch = [];
    bytes = 0;
  };
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item) ?? 'null', 'utf8');
    if (batch.length >= max || (batch.length > 0 && bytes + size > maxBytes)) flush();
    batch.push(item);
    bytes += size;
  }
  flush();
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Fan-out (Parallel, Map)

function newChild(
  exec: Execution,
  parent: ThreadData,
  startedId: number,
  scopeKey: string,
  kind: 'branch' | 'iteration',
  index: number,
  input: unknown,
  silent: boolean,
): ThreadData {
  const scope = exec.machine.scopes.get(scopeKey);
  if (!scope) throw new RuntimeFailure(`Unknown scope ${scopeKey}`);
  const child: ThreadData = {
    id: `${parent.id}/${startedId || exec.nextEventId}.${index}`,
    parent: parent.id,
    scope: scopeKey,
    kind,
    index,
    state: scope.startAt,
    input,
    enteredEventId: 0,
    enteredAt: exec.host.clock.now(),
    retryCount: 0,
    phase: { t: 'enter' },
    last: startedId || parent.last,
  };
  if (silent) child.silent = true;
  exec.addThread(child);
  exec.host.post(exec, child.id, { t: 'run' });
  return child;
}

function startParallel(exec: Execution, th: ThreadData, st: CompiledState, input: unknown): void {
  const startedId = exec.emit(th, 'ParallelStateStarted');
  const branches = st.branches ?? [];
  const fan: FanOut = {
    kind: 'parallel',
    children: [],
    done: 0,
    failed: 0,
    started: branches.length,
    running: branches.length,
    maxConcurrency: 0,
    outputs: [],
  };
  th.phase = { t: 'children', fan };
  exec.touch(th);
  branches.forEach((scopeKey, i) => {
    fan.children[i] = newChild(exec, th, startedId, scopeKey, 'branch', i, input, false).id;
  });
}

function startMap(
  exec: Execution,
  th: ThreadData,
  st: CompiledState,
  inputs: unknown[],
  maxConcurrency: number,
  tolerated: () => { count?: number; pct?: number },
): void {
  exec.emit(th, 'MapStateStarted', 'mapStateStartedEventDetails', { length: inputs.length });
  const { count, pct } = tolerated();
  if (count !== undefined && count < 0) throw new RuntimeFailure('ToleratedFailureCount cannot be negative.');
  if (pct !== undefined && (pct < 0 || pct > 100)) {
    throw new RuntimeFailure('ToleratedFailurePercentage must be between 0 and 100.');
  }
  const fan: FanOut = {
    kind: 'map',
    children: [],
    items: inputs,
    done: 0,
    failed: 0,
    started: 0,
    running: 0,
    maxConcurrency,
    toleratedCount: count,
    toleratedPercentage: pct,
    outputs: [],
  };
  if (st.distributed) {
    fan.mapRunArn = `arn:aws:states:${exec.host.region}:${exec.host.accountId}:mapRun:${exec.record.smName}/${st.name}:${exec.record.name}-${exec.nextEventId}`;
    exec.emit(th, 'MapRunStarted', 'mapRunStartedEventDetails', { mapRunArn: fan.mapRunArn });
  }
  th.phase = { t: 'children', fan };
  exec.touch(th);
  if (inputs.length === 0) {
    void finishFanOut(exec, th, st, fan);
    return;
  }
  launchIterations(exec, th, st, fan);
}

function launchIterations(exec: Execution, th: ThreadData, st: CompiledState, fan: FanOut): void {
  const items = fan.items ?? [];
  const limit = fan.maxConcurrency > 0 ? fan.maxConcurrency : Number.POSITIVE_INFINITY;
  while (fan.started < items.length && fan.running < limit) {
    const index = fan.started++;
    fan.running++;
    let startedId = 0;
    if (!st.distributed) {
      startedId = exec.emit(th, 'MapIterationStarted', 'mapIterationStartedEventDetails', {
        index,
        name: st.name,
      });
    }
    fan.children[index] = newChild(
      exec,
      th,
      startedId,
      st.processor as string,
      'iteration',
      index,
      items[index],
      st.distributed === true,
    ).id;
  }
  exec.touch(th);
}

export function childSucceeded(exec: Execution, parent: ThreadData, child: ThreadData): void {
  const p = parent.phase;
  if (p.t !== 'children' || parent.done) return;
  const fan = p.fan;
  const st = exec.state(parent);
  fan.done++;
  fan.running--;
  parent.last = child.last;
  if (fan.kind === 'map' && !st.distributed) {
    fan.lastIterationEventId = exec.emit(
      parent,
      'MapIterationSucceeded',
      'mapIterationSucceededEventDetails',
      {
        index: child.index,
        name: st.name,
      },
    );
  }
  exec.touch(parent);
  if (fan.kind === 'map') launchIterations(exec, parent, st, fan);
  if (
    fan.done + fan.failed === fan.children.length &&
    fan.started === (fan.items?.length ?? fan.children.length)
  ) {
    void finishFanOut(exec, parent, st, fan).catch((e) => exec.onStateError(parent, e));
  }
}

async function finishFanOut(exec: Execution, th: ThreadData, st: CompiledState, fan: FanOut): Promise<void> {
  const outputs: unknown[] = [];
  for (let i = 0; i < fan.children.length; i++) {
    const id = fan.children[i];
    const child = id ? exec.threads.get(id) : undefined;
    const done = child?.done;
    if (done?.ok) outputs.push(done.output);
    else if (done) outputs.push({ Error: done.error, Cause: done.cause });
    else outputs.push(null);
  }
  exec.releaseChildren(fan);
  if (fan.kind === 'parallel') exec.emit(th, 'ParallelStateSucceeded');
  else {
    if (fan.mapRunArn) exec.emit(th, 'MapRunSucceeded');
    else if (fan.lastIterationEventId) th.last = fan.lastIterationEventId;
    exec.emit(th, 'MapStateSucceeded');
  }
  th.phase = { t: 'run' };
  exec.touch(th);
  const r = completeTask(exec, th, st, outputs);
  if (r) await r;
  if (phaseOf(th) === 'enter') exec.host.post(exec, th.id, { t: 'run' });
}

export async function childFailed(exec: Execution, parent: ThreadData, child: ThreadData): Promise<void> {
  const p = parent.phase;
  if (p.t !== 'children' || parent.done) return;
  const fan = p.fan;
  const st = exec.state(parent);
  fan.failed++;
  fan.running--;
  parent.last = child.last;
  const err = child.done && !child.done.ok ? child.done : { error: undefined, cause: undefined };
  if (fan.kind === 'map') {
    if (!st.distributed) {
      exec.emit(parent, 'MapIterationFailed', 'mapIterationFailedEventDetails', {
        index: child.index,
        name: st.name,
      });
    }
    const total = fan.items?.length ?? 0;
    const tolerated =
      (fan.toleratedCount !== undefined && fan.failed <= fan.toleratedCount) ||
      (fan.toleratedPercentage !== undefined &&
        total > 0 &&
        (fan.failed / total) * 100 <= fan.toleratedPercentage);
    if (tolerated) {
      exec.touch(parent);
      launchIterations(exec, parent, st, fan);
      if (fan.done + fan.failed === total) await finishFanOut(exec, parent, st, fan);
      return;
    }
  }
  // Abort the siblings still running.
  const cursor = parent.last;
  for (const id of fan.children) {
    const sib = id ? exec.threads.get(id) : undefined;
    if (!sib || sib.done) continue;
    exec.abortThread(sib, cursor);
    if (fan.kind === 'map' && !st.distributed) {
      exec.emit(parent, 'MapIterationAborted', 'mapIterationAbortedEventDetails', {
        index: sib.index,
        name: st.name,
      });
    }
  }
  // The failed iteration's own Task state was left without an exit: it is recorded as aborted too (AWS does so
  // after the siblings, e.g. when a task of an iteration times out).
  if (fan.kind === 'map' && !st.distributed) {
    const failedIn = exec.machine.scopes.get(child.scope)?.states.get(child.state);
    if (failedIn?.type === 'Task') exec.emitAt('TaskStateAborted', cursor);
  }
  exec.releaseChildren(fan);
  const configured = fan.toleratedCount !== undefined || fan.toleratedPercentage !== undefined;
  let error = err.error;
  let cause = err.cause;
  if (fan.kind === 'map' && configured) {
    error = 'States.ExceedToleratedFailureThreshold';
    cause = 'The specified tolerated failure threshold was exceeded';
  }
  if (fan.mapRunArn) {
    const d: Record<string, unknown> = {};
    if (error !== undefined) d.error = error;
    if (cause !== undefined) d.cause = cause;
    exec.emit(parent, 'MapRunFailed', 'mapRunFailedEventDetails', d);
  }
  parent.phase = { t: 'run' };
  exec.touch(parent);
  await exec.failState(parent, st, new StatesError(error ?? '', cause));
  if (phaseOf(parent) === 'enter') exec.host.post(exec, parent.id, { t: 'run' });
}

// ---------------------------------------------------------------------------------------------------------------
// JSONata

async function evalField(
  exec: Execution,
  th: ThreadData,
  value: unknown,
  location: string,
  states: { input: unknown; result?: unknown },
  extra?: Parameters<Execution['context']>[1],
): Promise<unknown> {
  return evaluateJsonataTemplate(value, exec.bindings(th, states, extra), location);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

async function numberField(
  exec: Execution,
  th: ThreadData,
  st: CompiledState,
  field: string,
  kind: 'integer' | 'float' = 'integer',
): Promise<number | undefined> {
  const v = st.raw[field];
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (isJsonataString(v)) {
    const r = await evaluateJsonata(v, exec.bindings(th, { input: th.input }), field);
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

async function runJsonata(exec: Execution, th: ThreadData, st: CompiledState): Promise<void> {
  const raw = st.raw;
  const input = th.input;
  switch (st.type) {
    case 'Pass': {
      const b = exec.bindings(th, { input });
      const assigned =
        raw.Assign !== undefined ? await evaluateJsonataTemplate(raw.Assign, b, 'Assign') : undefined;
      const out = raw.Output !== undefined ? await evaluateJsonataTemplate(raw.Output, b, 'Output') : input;
      exec.exitState(th, st, out, assigned);
      return;
    }
    case 'Succeed': {
      const out =
        raw.Output !== undefined ? await evalField(exec, th, raw.Output, 'Output', { input }) : input;
      exec.exitState(th, st, out);
      return;
    }
    case 'Fail': {
      const b = exec.bindings(th, { input });
      const text = async (field: string) => {
        const v = raw[field];
        if (v === undefined) return undefined;
        const r = await evaluateJsonataTemplate(v, b, field);
        return typeof r === 'string' ? r : JSON.stringify(r);
      };
      const error = await text('Error');
      const cause = await text('Cause');
      exec.threadFailed(th, error, cause);
      return;
    }
    case 'Choice': {
      const b = exec.bindings(th, { input });
      let next: string | undefined;
      let rule: Record<string, unknown> | undefined;
      for (const r of raw.Choices as Record<string, unknown>[]) {
        const cond = r.Condition;
        let ok: unknown = cond;
        if (isJsonataString(cond)) ok = await evaluateJsonata(cond, b, 'Condition');
        if (typeof ok !== 'boolean') {
          throw new EvaluationFailure(
            `The JSONata expression '${String(cond)}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '${typeName(ok)}' for value: ${JSON.stringify(ok)}`,
            'Condition',
          );
        }
        if (ok) {
          next = r.Next as string;
          rule = r;
          break;
        }
      }
      let assign: unknown;
      let output: unknown;
      if (rule) {
        assign = rule.Assign;
        output = rule.Output;
      } else {
        if (typeof raw.Default !== 'string') throw new StatesError('States.NoChoiceMatched', 'No Matches!');
        next = raw.Default;
        assign = raw.Assign;
        output = raw.Output;
      }
      const assigned = assign !== undefined ? await evaluateJsonataTemplate(assign, b, 'Assign') : undefined;
      const out = output !== undefined ? await evaluateJsonataTemplate(output, b, 'Output') : input;
      exec.exitState(th, st, out, assigned, next);
      return;
    }
    case 'Wait': {
      const now = exec.host.clock.now();
      let until = now;
      if (raw.Seconds !== undefined) {
        const s = (await numberField(exec, th, st, 'Seconds')) ?? 0;
        if (s < 0) {
          throw new EvaluationFailure(
            `The Seconds field must be a non-negative integer, but was: ${s}`,
            'Seconds',
          );
        }
        until = now + s * 1000;
      } else if (raw.Timestamp !== undefined) {
        const v = isJsonataString(raw.Timestamp)
          ? await evaluateJsonata(raw.Timestamp, exec.bindings(th, { input }), 'Timestamp')
          : raw.Timestamp;
        const ts = parseTimestamp(v);
        if (ts === undefined) {
          throw new EvaluationFailure(
            `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${valueForMessage(v)}`,
            'Timestamp',
          );
        }
        until = ts;
      }
      startWait(exec, th, until);
      return;
    }
    case 'Task': {
      const info = resourceInfo(raw.Resource);
      const token = info.waitForToken || info.sync ? exec.host.newToken() : undefined;
      const parameters =
        raw.Arguments !== undefined
          ? await evalField(exec, th, raw.Arguments, 'Arguments', { input }, { token })
          : input;
      const timeoutSeconds = await numberField(exec, th, st, 'TimeoutSeconds');
      const heartbeatSeconds = await numberField(exec, th, st, 'HeartbeatSeconds');
      exec.scheduleTask(th, st, parameters, { token, timeoutSeconds, heartbeatSeconds });
      return;
    }
    case 'Parallel': {
      const branchInput =
        raw.Arguments !== undefined
          ? await evalField(exec, th, raw.Arguments, 'Arguments', { input })
          : input;
      startParallel(exec, th, st, branchInput);
      return;
    }
    case 'Map': {
      if (raw.ItemReader !== undefined) throw itemReaderUnsupported();
      const maxConcurrency = (await numberField(exec, th, st, 'MaxConcurrency')) ?? 0;
      let items: unknown;
      if (raw.Items !== undefined) {
        items = await evalField(exec, th, raw.Items, 'Items', { input });
        if (!Array.isArray(items)) {
          const body = isJsonataString(raw.Items) ? raw.Items.slice(2, -2).trim() : JSON.stringify(raw.Items);
          throw new EvaluationFailure(
            `The JSONata expression '${body}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${typeName(items)}' for value: ${JSON.stringify(items)}`,
            'Items',
          );
        }
      } else {
        items = input;
        if (!Array.isArray(items)) {
          throw new EvaluationFailure(`Map state input must be an array but was: ${JSON.stringify(items)}`);
        }
      }
      const arr = items as unknown[];
      const inputs: unknown[] = [];
      for (let index = 0; index < arr.length; index++) {
        const value = arr[index];
        inputs.push(
          raw.ItemSelector !== undefined
            ? await evalField(
                exec,
                th,
                raw.ItemSelector,
                'ItemSelector',
                { input },
                { item: { index, value } },
              )
            : value,
        );
      }
      const count = await numberField(exec, th, st, 'ToleratedFailureCount');
      const pct = await numberField(exec, th, st, 'ToleratedFailurePercentage', 'float');
      const batcher = raw.ItemBatcher as Record<string, unknown> | undefined;
      const batched = batcher
        ? batchItems(
            inputs,
            batcher,
            batcher.BatchInput !== undefined
              ? await evalField(exec, th, batcher.BatchInput, 'ItemBatcher/BatchInput', { input })
              : undefined,
            () => {
              throw new EvaluationFailure('ItemBatcher paths are not available in JSONata', 'ItemBatcher');
            },
          )
        : inputs;
      startMap(exec, th, st, batched, maxConcurrency, () => ({ count, pct }));
      return;
    }
  }
}
