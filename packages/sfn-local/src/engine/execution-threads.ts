/**
 * The data side of an execution: its record, its threads, the history events they emit (not yet committed), their
 * timers, and what the states of a thread see (the context object, variables, JSONPath scope, JSONata bindings).
 * {@link Execution} (execution.ts) adds what moves the execution on.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { CompiledMachine, CompiledState } from '../definition.js';
import { RuntimeFailure } from '../errors.js';
import type { Bindings } from '../json/jsonata.js';
import { STEP_FUNCTIONS_JSONATA_FUNCTIONS } from '../json/jsonata.js';
import { isoTime } from './dataflow.js';
import type { Message } from './messages.js';
import type { ContextExtra, StateEnv } from './outcome.js';
import type { PathScope } from './template.js';
import type { ExecutionRecord, StoredEvent, TaskInFlight, ThreadData, TokenRecord } from './types.js';

/** What an execution needs from the engine that runs it. */
export interface ExecutionHost {
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  post(exec: ExecutionThreads, threadId: string, msg: Message): void;
  afterCommit(fn: () => void): void;
  dispatch(exec: ExecutionThreads, threadId: string, task: TaskInFlight): AbortController;
  newToken(): string;
  tokenOpened(token: TokenRecord): void;
  tokenClosed(token: string, status: TokenRecord['status']): void;
  executionFinished(exec: ExecutionThreads): void;
  /** Called when a thread changed, so the engine knows the execution has something to commit. */
  touched(exec: ExecutionThreads): void;
  /** True when thread checkpoints are persisted (durable store). */
  readonly checkpoints: boolean;
}

/** Event types that do not move the previousEventId pointer of their thread. */
const NON_ADVANCING = new Set([
  'MapIterationStarted',
  'MapIterationSucceeded',
  'MapIterationFailed',
  'MapIterationAborted',
  'MapStateSucceeded',
  'ParallelStateSucceeded',
]);

export class ExecutionThreads implements StateEnv {
  readonly threads = new Map<string, ThreadData>();
  nextEventId: number;
  /** Events not yet taken by a commit. */
  pending: StoredEvent[] = [];
  /** Threads changed since the last commit (checkpointed at commit) and threads gone. */
  readonly dirty = new Set<string>();
  readonly gone = new Set<string>();
  /** Tokens opened or closed since the last commit. */
  tokenChanges: TokenRecord[] = [];
  /** The record must be written at the next commit (new, or status changed). */
  recordDirty = false;
  isNew = false;
  finished = false;
  readonly inputValue: unknown;
  protected readonly timers = new Map<string, TimerHandle>();

  constructor(
    readonly host: ExecutionHost,
    readonly record: ExecutionRecord,
    readonly machine: CompiledMachine,
    nextEventId = 1,
  ) {
    this.nextEventId = nextEventId;
    this.inputValue = JSON.parse(record.input);
  }

  get executionArn(): string {
    return this.record.arn;
  }

  get region(): string {
    return this.host.region;
  }

  now(): number {
    return this.host.clock.now();
  }

  newToken(): string {
    return this.host.newToken();
  }

  post(threadId: string, msg: Message): void {
    this.host.post(this, threadId, msg);
  }

  afterCommit(fn: () => void): void {
    this.host.afterCommit(fn);
  }

  dispatch(threadId: string, task: TaskInFlight): AbortController {
    return this.host.dispatch(this, threadId, task);
  }

  tokenChanged(token: TokenRecord): void {
    this.tokenChanges.push(token);
    if (token.status === 'open') this.host.tokenOpened(token);
    else this.host.tokenClosed(token.token, token.status);
  }

  mapRunArn(st: CompiledState): string {
    const { region, accountId } = this.host;
    return `arn:aws:states:${region}:${accountId}:mapRun:${this.record.smName}/${st.name}:${this.record.name}-${this.nextEventId}`;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Events

  protected pushEvent(
    type: string,
    prev: number,
    _advancing: boolean,
    key?: string,
    d?: Record<string, unknown>,
  ): number {
    const id = this.nextEventId++;
    const e: StoredEvent = { id, prev, ts: this.host.clock.now(), type };
    if (key) {
      e.key = key;
      e.d = d ?? {};
    }
    this.pending.push(e);
    return id;
  }

  /** Emits an event with an explicit previousEventId, outside any thread's sequence. */
  emitAt(type: string, prev: number): number {
    return this.pushEvent(type, prev, false);
  }

  /** Emits an event in a thread's context; returns its id (0 for silent threads). */
  emit(th: ThreadData, type: string, key?: string, d?: Record<string, unknown>): number {
    if (th.silent) return 0;
    const id = this.pushEvent(type, th.last, true, key, d);
    if (!NON_ADVANCING.has(type)) th.last = id;
    return id;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Threads

  state(th: ThreadData): CompiledState {
    const scope = this.machine.scopes.get(th.scope);
    const st = scope?.states.get(th.state);
    if (!st) throw new RuntimeFailure(`State '${th.state}' does not exist`);
    return st;
  }

  addThread(th: ThreadData): void {
    this.threads.set(th.id, th);
    this.touch(th);
  }

  touch(th: ThreadData): void {
    // Only a durable store checkpoints threads; in memory the live objects are the state.
    if (this.host.checkpoints) this.dirty.add(th.id);
    this.host.touched(this);
  }

  protected removeThread(th: ThreadData): void {
    this.threads.delete(th.id);
    this.dirty.delete(th.id);
    this.gone.add(th.id);
    this.cancelTimers(th.id);
  }

  /** A variable visible from the thread (its own scope, then the enclosing ones). */
  variable(th: ThreadData, name: string): { value: unknown } | undefined {
    let cur: ThreadData | undefined = th;
    while (cur) {
      if (cur.vars && Object.hasOwn(cur.vars, name)) return { value: cur.vars[name] };
      cur = cur.parent ? this.threads.get(cur.parent) : undefined;
    }
    return undefined;
  }

  allVariables(th: ThreadData): Record<string, unknown> {
    const chain: ThreadData[] = [];
    let cur: ThreadData | undefined = th;
    while (cur) {
      chain.push(cur);
      cur = cur.parent ? this.threads.get(cur.parent) : undefined;
    }
    const out: Record<string, unknown> = {};
    for (let i = chain.length - 1; i >= 0; i--) Object.assign(out, chain[i]?.vars);
    return out;
  }

  context(th: ThreadData, extra?: ContextExtra): Record<string, unknown> {
    const st = this.state(th);
    const state: Record<string, unknown> = { EnteredTime: isoTime(th.enteredAt), Name: th.state };
    if (st.type === 'Task' || st.type === 'Map' || st.type === 'Parallel') state.RetryCount = th.retryCount;
    const ctx: Record<string, unknown> = {
      Execution: {
        Id: this.record.arn,
        Input: this.inputValue,
        StartTime: isoTime(this.record.startMs),
        Name: this.record.name,
        RoleArn: this.record.roleArn,
        RedriveCount: 0,
      },
      StateMachine: { Id: this.record.smArn, Name: this.record.smName },
      State: state,
    };
    if (extra?.token) ctx.Task = { Token: extra.token };
    if (extra?.item) ctx.Map = { Item: { Index: extra.item.index, Value: extra.item.value } };
    return ctx;
  }

  pathScope(th: ThreadData, input: unknown, extra?: ContextExtra): PathScope {
    return new ThreadScope(this, th, input, extra);
  }

  bindings(
    th: ThreadData,
    states: { input: unknown; result?: unknown; errorOutput?: unknown },
    extra?: ContextExtra,
  ): Bindings {
    const s: Record<string, unknown> = { input: states.input, context: this.context(th, extra) };
    if ('result' in states) s.result = states.result;
    if ('errorOutput' in states) s.errorOutput = states.errorOutput;
    return { ...STEP_FUNCTIONS_JSONATA_FUNCTIONS, ...this.allVariables(th), states: s };
  }

  /** Adds a child thread and queues its first step. */
  startThread(th: ThreadData): void {
    this.addThread(th);
    this.post(th.id, { t: 'run' });
  }

  /** Queues a step of the thread. */
  run(th: ThreadData): void {
    this.post(th.id, { t: 'run' });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Timers

  setTimer(threadId: string, at: number, msg: Message): void {
    this.timers.get(threadId)?.cancel();
    const handle = this.host.clock.setTimer(at, () => {
      this.timers.delete(threadId);
      this.host.post(this, threadId, msg);
    });
    this.timers.set(threadId, handle);
  }

  /** Arms a Wait / retry timer after the next commit. */
  armTimer(th: ThreadData, at: number): void {
    this.host.afterCommit(() => {
      if (this.finished || this.threads.get(th.id) !== th) return;
      this.setTimer(th.id, at, { t: 'timer' });
    });
  }

  cancelTimers(threadId: string): void {
    const t = this.timers.get(threadId);
    if (t) {
      t.cancel();
      this.timers.delete(threadId);
    }
  }
}

/** The scope paths of a thread resolve against (a class rather than closures: this is on the hot path). */
class ThreadScope implements PathScope {
  constructor(
    readonly exec: ExecutionThreads,
    readonly th: ThreadData,
    readonly input: unknown,
    readonly extra: ContextExtra | undefined,
  ) {}

  context(): unknown {
    return this.exec.context(this.th, this.extra);
  }

  variable(name: string): { value: unknown } | undefined {
    return this.exec.variable(this.th, name);
  }
}
