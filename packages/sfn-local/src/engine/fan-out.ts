/**
 * Fan-out: the branches of a Parallel state and the iterations of a Map state run as child threads of the state's
 * thread; this starts them, counts them as they end (MaxConcurrency, tolerated failures) and ends the state with
 * their outputs, or fails it and aborts the siblings still running.
 */
import type { CompiledMachine, CompiledState } from '../definition.js';
import { RuntimeFailure, StatesError } from '../errors.js';
import type { MaybePromise, ToleratedFailures } from './outcome.js';
import type { FanOut, ThreadData } from './types.js';

/** What fan-out needs from the execution its threads belong to. */
export interface FanOutHost {
  readonly threads: ReadonlyMap<string, ThreadData>;
  readonly machine: CompiledMachine;
  readonly nextEventId: number;
  now(): number;
  /** The ARN of a Distributed Map's map run, started now. */
  mapRunArn(st: CompiledState): string;
  emit(th: ThreadData, type: string, key?: string, d?: Record<string, unknown>): number;
  emitAt(type: string, prev: number): number;
  touch(th: ThreadData): void;
  /** Adds a new thread and queues its first step. */
  startThread(th: ThreadData): void;
  /** Queues a step of the thread. */
  run(th: ThreadData): void;
  state(th: ThreadData): CompiledState;
  abortThread(th: ThreadData, cursor: number): void;
  releaseChildren(fan: FanOut): void;
  failState(th: ThreadData, st: CompiledState, err: StatesError): Promise<void>;
  completeState(th: ThreadData, st: CompiledState, result: unknown): MaybePromise<void>;
  onStateError(th: ThreadData, e: unknown): Promise<void>;
}

/** The current phase kind (read through a function: TypeScript would keep a stale narrowing). */
function phaseOf(th: ThreadData): string {
  return th.phase.t;
}

function newChild(
  host: FanOutHost,
  parent: ThreadData,
  startedId: number,
  scopeKey: string,
  kind: 'branch' | 'iteration',
  index: number,
  input: unknown,
  silent: boolean,
): ThreadData {
  const scope = host.machine.scopes.get(scopeKey);
  if (!scope) throw new RuntimeFailure(`Unknown scope ${scopeKey}`);
  const child: ThreadData = {
    id: `${parent.id}/${startedId || host.nextEventId}.${index}`,
    parent: parent.id,
    scope: scopeKey,
    kind,
    index,
    state: scope.startAt,
    input,
    enteredEventId: 0,
    enteredAt: host.now(),
    retryCount: 0,
    phase: { t: 'enter' },
    last: startedId || parent.last,
  };
  if (silent) child.silent = true;
  host.startThread(child);
  return child;
}

export function startParallel(host: FanOutHost, th: ThreadData, st: CompiledState, input: unknown): void {
  const startedId = host.emit(th, 'ParallelStateStarted');
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
  host.touch(th);
  branches.forEach((scopeKey, i) => {
    fan.children[i] = newChild(host, th, startedId, scopeKey, 'branch', i, input, false).id;
  });
}

export function startMap(
  host: FanOutHost,
  th: ThreadData,
  st: CompiledState,
  inputs: unknown[],
  maxConcurrency: number,
  tolerated: () => ToleratedFailures,
): MaybePromise<void> {
  host.emit(th, 'MapStateStarted', 'mapStateStartedEventDetails', { length: inputs.length });
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
    fan.mapRunArn = host.mapRunArn(st);
    host.emit(th, 'MapRunStarted', 'mapRunStartedEventDetails', { mapRunArn: fan.mapRunArn });
  }
  th.phase = { t: 'children', fan };
  host.touch(th);
  // No items: the state ends at once (the caller awaits it before it runs the thread on).
  if (inputs.length === 0) return finishFanOut(host, th, st, fan);
  launchIterations(host, th, st, fan);
}

function launchIterations(host: FanOutHost, th: ThreadData, st: CompiledState, fan: FanOut): void {
  const items = fan.items ?? [];
  const limit = fan.maxConcurrency > 0 ? fan.maxConcurrency : Number.POSITIVE_INFINITY;
  while (fan.started < items.length && fan.running < limit) {
    const index = fan.started++;
    fan.running++;
    let startedId = 0;
    if (!st.distributed) {
      startedId = host.emit(th, 'MapIterationStarted', 'mapIterationStartedEventDetails', {
        index,
        name: st.name,
      });
    }
    const processor = st.processor as string;
    const distributed = st.distributed === true;
    fan.children[index] = newChild(
      host,
      th,
      startedId,
      processor,
      'iteration',
      index,
      items[index],
      distributed,
    ).id;
  }
  host.touch(th);
}

/** A child thread succeeded: count it, start the next Map iteration, end the state when all are done. */
export function childSucceeded(host: FanOutHost, parent: ThreadData, child: ThreadData): void {
  const p = parent.phase;
  if (p.t !== 'children' || parent.done) return;
  const fan = p.fan;
  const st = host.state(parent);
  fan.done++;
  fan.running--;
  parent.last = child.last;
  if (fan.kind === 'map' && !st.distributed) {
    fan.lastIterationEventId = host.emit(
      parent,
      'MapIterationSucceeded',
      'mapIterationSucceededEventDetails',
      {
        index: child.index,
        name: st.name,
      },
    );
  }
  host.touch(parent);
  if (fan.kind === 'map') launchIterations(host, parent, st, fan);
  if (
    fan.done + fan.failed === fan.children.length &&
    fan.started === (fan.items?.length ?? fan.children.length)
  ) {
    void finishFanOut(host, parent, st, fan).catch((e) => host.onStateError(parent, e));
  }
}

async function finishFanOut(host: FanOutHost, th: ThreadData, st: CompiledState, fan: FanOut): Promise<void> {
  const outputs: unknown[] = [];
  for (let i = 0; i < fan.children.length; i++) {
    const id = fan.children[i];
    const child = id ? host.threads.get(id) : undefined;
    const done = child?.done;
    if (done?.ok) outputs.push(done.output);
    else if (done) outputs.push({ Error: done.error, Cause: done.cause });
    else outputs.push(null);
  }
  host.releaseChildren(fan);
  if (fan.kind === 'parallel') host.emit(th, 'ParallelStateSucceeded');
  else {
    if (fan.mapRunArn) host.emit(th, 'MapRunSucceeded');
    else if (fan.lastIterationEventId) th.last = fan.lastIterationEventId;
    host.emit(th, 'MapStateSucceeded');
  }
  th.phase = { t: 'run' };
  host.touch(th);
  const r = host.completeState(th, st, outputs);
  if (r) await r;
  if (phaseOf(th) === 'enter') host.run(th);
}

/**
 * A child thread failed: within a Map's tolerated failures it is counted and the Map goes on; otherwise the
 * siblings still running are aborted and the state fails with the child's error (or the threshold error).
 */
export async function childFailed(host: FanOutHost, parent: ThreadData, child: ThreadData): Promise<void> {
  const p = parent.phase;
  if (p.t !== 'children' || parent.done) return;
  const fan = p.fan;
  const st = host.state(parent);
  fan.failed++;
  fan.running--;
  parent.last = child.last;
  const err = child.done && !child.done.ok ? child.done : { error: undefined, cause: undefined };
  if (fan.kind === 'map') {
    if (!st.distributed) {
      host.emit(parent, 'MapIterationFailed', 'mapIterationFailedEventDetails', {
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
      host.touch(parent);
      launchIterations(host, parent, st, fan);
      if (fan.done + fan.failed === total) await finishFanOut(host, parent, st, fan);
      return;
    }
  }
  // Abort the siblings still running.
  const cursor = parent.last;
  for (const id of fan.children) {
    const sib = id ? host.threads.get(id) : undefined;
    if (!sib || sib.done) continue;
    host.abortThread(sib, cursor);
    if (fan.kind === 'map' && !st.distributed) {
      host.emit(parent, 'MapIterationAborted', 'mapIterationAbortedEventDetails', {
        index: sib.index,
        name: st.name,
      });
    }
  }
  // The failed iteration's own Task state was left without an exit: it is recorded as aborted too (AWS does so
  // after the siblings, e.g. when a task of an iteration times out).
  if (fan.kind === 'map' && !st.distributed) {
    const failedIn = host.machine.scopes.get(child.scope)?.states.get(child.state);
    if (failedIn?.type === 'Task') host.emitAt('TaskStateAborted', cursor);
  }
  host.releaseChildren(fan);
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
    host.emit(parent, 'MapRunFailed', 'mapRunFailedEventDetails', d);
  }
  parent.phase = { t: 'run' };
  host.touch(parent);
  await host.failState(parent, st, new StatesError(error ?? '', cause));
  if (phaseOf(parent) === 'enter') host.run(parent);
}
