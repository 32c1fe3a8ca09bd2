/**
 * One execution: its threads (root, Parallel branches, Map iterations), the history events they emit, and the
 * handling of everything that moves it on (a step, a task result, a callback, a timer, StopExecution).
 *
 * All mutation happens inside {@link Execution.handle}, called by the engine's single work queue, so a thread is
 * never touched by two things at once. What the durable store needs after a step (new events, changed and finished
 * threads, tokens, the record) is collected here and taken by the engine at commit time.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { CompiledMachine, CompiledState } from '../definition.js';
import { EvaluationFailure, RuntimeFailure, StatesError } from '../errors.js';
import type { Bindings } from '../json/jsonata.js';
import { STEP_FUNCTIONS_JSONATA_FUNCTIONS } from '../json/jsonata.js';
import { jsonText } from '../json/text.js';
import { applyResultPath, causePrefix, errorMatches, isoTime } from './dataflow.js';
import { resourceInfo } from './events.js';
import { checkIntegrationParameters } from './integrations.js';
import * as States from './states.js';
import type { PathScope } from './template.js';
import {
  type CallbackOutcome,
  type ExecutionRecord,
  type FanOut,
  NOT_TRUNCATED,
  type StoredEvent,
  type TaskInFlight,
  type ThreadData,
  type TokenRecord,
} from './types.js';

export type Message =
  | { t: 'run' }
  | { t: 'timer' }
  | { t: 'task-timeout'; attempt: number }
  | { t: 'task-submitted'; attempt: number; value: unknown }
  | { t: 'task-result'; attempt: number; ok: true; value: unknown }
  | { t: 'task-result'; attempt: number; ok: false; error: string; cause?: string }
  | { t: 'callback'; attempt: number; outcome: CallbackOutcome }
  | { t: 'heartbeat'; attempt: number }
  | { t: 'stop'; error?: string; cause?: string }
  | { t: 'exec-timeout' };

/** What an execution needs from the engine that runs it. */
export interface ExecutionHost {
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  post(exec: Execution, threadId: string, msg: Message): void;
  afterCommit(fn: () => void): void;
  dispatch(exec: Execution, threadId: string, task: TaskInFlight): AbortController;
  newToken(): string;
  tokenOpened(token: TokenRecord): void;
  tokenClosed(token: string, status: TokenRecord['status']): void;
  executionFinished(exec: Execution): void;
  /** Called when a thread changed, so the engine knows the execution has something to commit. */
  touched(exec: Execution): void;
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

/** Step Functions' payload limit: 256 KiB of UTF-8. */
const PAYLOAD_LIMIT = 262_144;
/** Upper bounds of the UTF-8 JSON size of objects already measured (values are never mutated). */
const bounds = new WeakMap<object, number>();

/**
 * An upper bound of a value's JSON size in bytes, cheap to compute: sub-objects measured before (a state's
 * output shares most of its input) are not walked again.
 */
function sizeBound(v: unknown): number {
  if (v === null || v === undefined) return 4;
  switch (typeof v) {
    case 'string':
      return v.length * 6 + 2;
    case 'number':
      return 24;
    case 'boolean':
      return 5;
    case 'object': {
      const known = bounds.get(v);
      if (known !== undefined) return known;
      let n = 2;
      if (Array.isArray(v)) for (const x of v) n += sizeBound(x) + 1;
      else {
        const o = v as Record<string, unknown>;
        for (const k in o) n += k.length * 6 + 4 + sizeBound(o[k]);
      }
      // Only large values are remembered: a WeakMap entry per small object costs more than walking it again.
      if (n > 16_384) bounds.set(v, n);
      return n;
    }
    default:
      return 4;
  }
}

function exceedsPayloadLimit(v: unknown): boolean {
  if (sizeBound(v) <= PAYLOAD_LIMIT) return false;
  return Buffer.byteLength(jsonText(v, false), 'utf8') > PAYLOAD_LIMIT;
}

/** State transitions one thread makes before it yields to other work. */
const STEP_BUDGET = 250;

export class Execution {
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
  private readonly timers = new Map<string, TimerHandle>();
  private readonly controllers = new Map<number, AbortController>();
  private readonly tokens = new Map<number, string>();

  constructor(
    readonly host: ExecutionHost,
    readonly record: ExecutionRecord,
    readonly machine: CompiledMachine,
    nextEventId = 1,
  ) {
    this.nextEventId = nextEventId;
    this.inputValue = JSON.parse(record.input);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Starting and resuming

  /** Emits ExecutionStarted and creates the root thread. */
  start(): void {
    const now = this.host.clock.now();
    this.isNew = true;
    this.recordDirty = true;
    this.pushEvent('ExecutionStarted', 0, true, 'executionStartedEventDetails', {
      input: this.inputValue,
      inputDetails: NOT_TRUNCATED,
      roleArn: this.record.roleArn,
    });
    const root: ThreadData = {
      id: 'r',
      scope: '',
      kind: 'root',
      state: this.machine.root.startAt,
      input: this.inputValue,
      enteredEventId: 0,
      enteredAt: now,
      retryCount: 0,
      phase: { t: 'enter' },
      last: 0,
    };
    this.addThread(root);
    this.host.post(this, root.id, { t: 'run' });
    this.armExecutionTimeout();
  }

  /** Re-creates threads from a checkpoint and re-arms what they wait for (after a restart). */
  resume(threads: ThreadData[]): void {
    for (const th of threads) this.threads.set(th.id, th);
    for (const th of threads) {
      if (th.done) continue;
      const p = th.phase;
      switch (p.t) {
        case 'enter':
        case 'run':
        case 'task-start':
          this.host.post(this, th.id, { t: 'run' });
          break;
        case 'wait':
        case 'retry':
          this.armTimer(th, p.until);
          break;
        case 'task':
          if (p.task.token) this.tokens.set(p.task.attempt, p.task.token);
          this.armTaskTimers(th, p.task);
          if (!p.task.submitted || p.task.sync) {
            if (p.task.token && p.task.early && !p.task.sync) {
              // The callback already arrived and was recorded; the dispatch result is not needed any more.
              p.task.submitted = true;
              this.host.post(this, th.id, { t: 'callback', attempt: p.task.attempt, outcome: p.task.early });
              p.task.early = undefined;
            } else {
              this.controllers.set(p.task.attempt, this.host.dispatch(this, th.id, p.task));
            }
          }
          break;
        case 'children':
          break;
      }
    }
    this.armExecutionTimeout();
  }

  private armExecutionTimeout(): void {
    const t = this.machine.timeoutSeconds;
    if (t === undefined) return;
    const at = this.record.startMs + t * 1000;
    this.host.afterCommit(() => {
      if (this.finished) return;
      const handle = this.host.clock.setTimer(at, () => this.host.post(this, 'r', { t: 'exec-timeout' }));
      this.timers.set('exec', handle);
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Events

  private pushEvent(
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

  private removeThread(th: ThreadData): void {
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

  context(
    th: ThreadData,
    extra?: { token?: string; item?: { index: number; value: unknown } },
  ): Record<string, unknown> {
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

  pathScope(th: ThreadData, input: unknown, extra?: Parameters<Execution['context']>[1]): PathScope {
    return new ThreadScope(this, th, input, extra);
  }

  bindings(
    th: ThreadData,
    states: { input: unknown; result?: unknown; errorOutput?: unknown },
    extra?: Parameters<Execution['context']>[1],
  ): Bindings {
    const s: Record<string, unknown> = { input: states.input, context: this.context(th, extra) };
    if ('result' in states) s.result = states.result;
    if ('errorOutput' in states) s.errorOutput = states.errorOutput;
    return { ...STEP_FUNCTIONS_JSONATA_FUNCTIONS, ...this.allVariables(th), states: s };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Message handling

  async handle(threadId: string, msg: Message): Promise<void> {
    if (this.finished) return;
    if (msg.t === 'stop') {
      this.abortExecution(msg.error, msg.cause);
      return;
    }
    if (msg.t === 'exec-timeout') {
      this.finishExecution(
        'TIMED_OUT',
        'ExecutionTimedOut',
        'executionTimedOutEventDetails',
        {
          error: 'States.Timeout',
          cause: `The execution timed out after ${this.machine.timeoutSeconds} seconds.`,
        },
        0,
      );
      return;
    }
    const th = this.threads.get(threadId);
    if (!th || th.done) return;
    try {
      switch (msg.t) {
        case 'run':
          await this.advance(th);
          return;
        case 'timer':
          await this.onTimer(th);
          break;
        case 'task-result':
          await this.onTaskResult(th, msg);
          break;
        case 'task-submitted':
          this.onTaskSubmitted(th, msg.attempt, msg.value);
          break;
        case 'callback':
          await this.onCallback(th, msg.attempt, msg.outcome);
          break;
        case 'heartbeat':
          this.onHeartbeat(th, msg.attempt);
          break;
        case 'task-timeout':
          await this.onTaskTimeout(th, msg.attempt);
          break;
      }
    } catch (e) {
      await this.onStateError(th, e);
    }
    if (!this.finished && !th.done && this.threads.get(th.id) === th && th.phase.t === 'enter') {
      await this.advance(th);
    }
  }

  /** Runs the thread until it blocks (task, wait, children), ends, or has used its step budget. */
  async advance(th: ThreadData): Promise<void> {
    let first = true;
    let steps = 0;
    for (;;) {
      if (this.finished || th.done || this.threads.get(th.id) !== th) return;
      const p = th.phase;
      if (p.t === 'enter') {
        if (++steps > STEP_BUDGET) {
          this.touch(th);
          this.host.post(this, th.id, { t: 'run' });
          return;
        }
        this.enterState(th);
      } else if (p.t === 'run') {
        try {
          const r = States.runState(this, th, this.state(th));
          if (r) await r;
        } catch (e) {
          await this.onStateError(th, e);
        }
      } else if (p.t === 'task-start') {
        if (first) this.startTask(th, p.task);
        return;
      } else {
        return;
      }
      first = false;
    }
  }

  private enterState(th: ThreadData): void {
    const st = this.state(th);
    th.enteredAt = this.host.clock.now();
    th.retryCount = 0;
    th.attempts = undefined;
    th.enteredPrev = th.last;
    th.enteredEventId = this.emit(th, `${st.type}StateEntered`, 'stateEnteredEventDetails', {
      name: st.name,
      input: th.input,
      inputDetails: NOT_TRUNCATED,
    });
    th.phase = { t: 'run' };
    this.touch(th);
  }

  /** Leaves the state with `output`: emits `<Type>StateExited`, applies Assign, moves to the next state or ends. */
  exitState(th: ThreadData, st: CompiledState, output: unknown, assigned?: unknown, next?: string): void {
    if (exceedsPayloadLimit(output)) {
      throw new StatesError(
        'States.DataLimitExceeded',
        `The state/task '${st.name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
      );
    }
    const d: Record<string, unknown> = { name: st.name, output, outputDetails: NOT_TRUNCATED };
    if (assigned !== undefined && assigned !== null && typeof assigned === 'object') {
      const vars = assigned as Record<string, unknown>;
      if (Object.keys(vars).length > 0) {
        d.assignedVariables = vars;
        d.assignedVariablesDetails = NOT_TRUNCATED;
      }
      th.vars = th.vars ? { ...th.vars, ...vars } : { ...vars };
    }
    this.emit(th, `${st.type}StateExited`, 'stateExitedEventDetails', d);
    const target = next ?? st.next;
    if (target === undefined || (next === undefined && st.end)) {
      this.threadSucceeded(th, output);
      return;
    }
    th.state = target;
    th.input = output;
    th.phase = { t: 'enter' };
    this.touch(th);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Tasks

  /** Records TaskScheduled (or LambdaFunctionScheduled) and yields; the next step starts the task. */
  scheduleTask(
    th: ThreadData,
    st: CompiledState,
    parameters: unknown,
    opts: { token?: string; timeoutSeconds?: number; heartbeatSeconds?: number },
  ): void {
    const resource = st.raw.Resource as string;
    const info = resourceInfo(resource);
    checkIntegrationParameters(info, parameters);
    let attempt: number;
    if (info.lambda) {
      const d: Record<string, unknown> = { resource, input: parameters, inputDetails: NOT_TRUNCATED };
      if (opts.timeoutSeconds !== undefined) d.timeoutInSeconds = opts.timeoutSeconds;
      attempt = this.emit(th, 'LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', d);
    } else {
      const d: Record<string, unknown> = {
        resourceType: info.resourceType,
        resource: info.resourceName,
        region: this.host.region,
        parameters,
      };
      if (opts.timeoutSeconds !== undefined) d.timeoutInSeconds = opts.timeoutSeconds;
      if (opts.heartbeatSeconds !== undefined) d.heartbeatInSeconds = opts.heartbeatSeconds;
      attempt = this.emit(th, 'TaskScheduled', 'taskScheduledEventDetails', d);
    }
    if (attempt === 0) attempt = -this.nextEventId - Math.floor(Math.random() * 1e9);
    const task: TaskInFlight = {
      attempt,
      resource,
      parameters,
      lambda: info.lambda,
      sync: info.sync || undefined,
      resourceType: info.resourceType,
      resourceName: info.resourceName,
      token: opts.token,
      timeoutSeconds: opts.timeoutSeconds,
      heartbeatSeconds: opts.heartbeatSeconds,
    };
    if (opts.token) {
      this.tokens.set(attempt, opts.token);
      const rec: TokenRecord = {
        token: opts.token,
        execArn: this.record.arn,
        threadId: th.id,
        attempt,
        status: 'open',
      };
      this.tokenChanges.push(rec);
      this.host.tokenOpened(rec);
    }
    th.phase = { t: 'task-start', task };
    this.touch(th);
    this.host.post(this, th.id, { t: 'run' });
  }

  private startTask(th: ThreadData, task: TaskInFlight): void {
    if (task.lambda) this.emit(th, 'LambdaFunctionStarted');
    else {
      this.emit(th, 'TaskStarted', 'taskStartedEventDetails', {
        resourceType: task.resourceType,
        resource: task.resourceName,
      });
    }
    const now = this.host.clock.now();
    if (task.timeoutSeconds !== undefined) task.timeoutAt = now + task.timeoutSeconds * 1000;
    // Heartbeats arrive through a task token (SendTaskHeartbeat): a request-response task has none to miss.
    if (task.heartbeatSeconds !== undefined && task.token && !task.sync) {
      task.heartbeatAt = now + task.heartbeatSeconds * 1000;
    }
    th.phase = { t: 'task', task };
    this.touch(th);
    this.host.afterCommit(() => {
      if (this.finished || th.phase.t !== 'task' || th.phase.task !== task) return;
      this.armTaskTimers(th, task);
      this.controllers.set(task.attempt, this.host.dispatch(this, th.id, task));
    });
  }

  private armTaskTimers(th: ThreadData, task: TaskInFlight): void {
    const at = Math.min(
      task.timeoutAt ?? Number.POSITIVE_INFINITY,
      task.heartbeatAt ?? Number.POSITIVE_INFINITY,
    );
    if (!Number.isFinite(at)) return;
    this.setTimer(th.id, at, { t: 'task-timeout', attempt: task.attempt });
  }

  private activeTask(th: ThreadData, attempt: number): TaskInFlight | undefined {
    const p = th.phase;
    return p.t === 'task' && p.task.attempt === attempt ? p.task : undefined;
  }

  private endTask(th: ThreadData, task: TaskInFlight, tokenStatus: TokenRecord['status']): void {
    this.cancelTimers(th.id);
    this.controllers.get(task.attempt)?.abort();
    this.controllers.delete(task.attempt);
    if (task.token) this.closeToken(task.attempt, tokenStatus);
  }

  private closeToken(attempt: number, status: TokenRecord['status']): void {
    const token = this.tokens.get(attempt);
    if (!token) return;
    this.tokens.delete(attempt);
    this.tokenChanges.push({ token, execArn: this.record.arn, threadId: '', attempt, status });
    this.host.tokenClosed(token, status);
  }

  private emitTaskSucceeded(th: ThreadData, task: TaskInFlight, output: unknown): void {
    if (task.lambda) {
      this.emit(th, 'LambdaFunctionSucceeded', 'lambdaFunctionSucceededEventDetails', {
        output,
        outputDetails: NOT_TRUNCATED,
      });
    } else {
      this.emit(th, 'TaskSucceeded', 'taskSucceededEventDetails', {
        resourceType: task.resourceType,
        resource: task.resourceName,
        output,
        outputDetails: NOT_TRUNCATED,
      });
    }
  }

  private emitTaskFailed(th: ThreadData, task: TaskInFlight, error?: string, cause?: string): void {
    const d: Record<string, unknown> = {};
    if (error !== undefined && error !== '') d.error = error;
    if (cause !== undefined) d.cause = cause;
    if (task.lambda) this.emit(th, 'LambdaFunctionFailed', 'lambdaFunctionFailedEventDetails', d);
    else {
      this.emit(th, 'TaskFailed', 'taskFailedEventDetails', {
        resourceType: task.resourceType,
        resource: task.resourceName,
        ...d,
      });
    }
  }

  private async onTaskResult(th: ThreadData, msg: Extract<Message, { t: 'task-result' }>): Promise<void> {
    const task = this.activeTask(th, msg.attempt);
    if (!task || (task.submitted && !task.sync)) return;
    this.controllers.delete(task.attempt);
    const st = this.state(th);
    if (!msg.ok) {
      this.endTask(th, task, 'closed');
      this.emitTaskFailed(th, task, msg.error, msg.cause);
      this.touch(th);
      await this.failState(th, st, new StatesError(msg.error, msg.cause));
      return;
    }
    if (task.token && !task.sync) {
      task.submitted = true;
      this.emitTaskSubmitted(th, task, msg.value);
      this.touch(th);
      if (task.early) {
        const early = task.early;
        task.early = undefined;
        await this.onCallback(th, task.attempt, early);
      }
      return;
    }
    if (task.sync && !task.submitted) {
      task.submitted = true;
      this.emitTaskSubmitted(th, task, msg.value);
      if (task.early) {
        const early = task.early;
        task.early = undefined;
        await this.onCallback(th, task.attempt, early);
        return;
      }
    }
    this.endTask(th, task, 'closed');
    this.emitTaskSucceeded(th, task, msg.value);
    this.touch(th);
    const r = States.completeTask(this, th, st, msg.value);
    if (r) await r;
  }

  private emitTaskSubmitted(th: ThreadData, task: TaskInFlight, output: unknown): void {
    this.emit(th, 'TaskSubmitted', 'taskSubmittedEventDetails', {
      resourceType: task.resourceType,
      resource: task.resourceName,
      output,
      outputDetails: NOT_TRUNCATED,
    });
  }

  private onTaskSubmitted(th: ThreadData, attempt: number, value: unknown): void {
    const task = this.activeTask(th, attempt);
    if (!task?.sync || task.submitted) return;
    task.submitted = true;
    this.emitTaskSubmitted(th, task, value);
    this.touch(th);
  }

  private async onCallback(th: ThreadData, attempt: number, outcome: CallbackOutcome): Promise<void> {
    const task = this.activeTask(th, attempt);
    if (!task) return;
    if (!task.submitted) {
      task.early = outcome;
      this.touch(th);
      return;
    }
    const st = this.state(th);
    if (outcome.kind === 'success') {
      this.endTask(th, task, 'done');
      this.emitTaskSucceeded(th, task, outcome.output);
      this.touch(th);
      const r = States.completeTask(this, th, st, outcome.output);
      if (r) await r;
    } else {
      this.endTask(th, task, 'done');
      this.emitTaskFailed(th, task, outcome.error, outcome.cause);
      this.touch(th);
      await this.failState(th, st, new StatesError(outcome.error ?? '', outcome.cause));
    }
  }

  private onHeartbeat(th: ThreadData, attempt: number): void {
    const task = this.activeTask(th, attempt);
    if (!task || task.heartbeatSeconds === undefined) return;
    task.heartbeatAt = this.host.clock.now() + task.heartbeatSeconds * 1000;
    this.touch(th);
    this.cancelTimers(th.id);
    this.host.afterCommit(() => {
      if (this.activeTask(th, attempt) === task) this.armTaskTimers(th, task);
    });
  }

  private async onTaskTimeout(th: ThreadData, attempt: number): Promise<void> {
    const task = this.activeTask(th, attempt);
    if (!task) return;
    const now = this.host.clock.now();
    const heartbeat = task.heartbeatAt !== undefined && task.heartbeatAt <= now;
    const timeout = task.timeoutAt !== undefined && task.timeoutAt <= now;
    if (!heartbeat && !timeout) {
      this.armTaskTimers(th, task);
      return;
    }
    // Step Functions reports a missed heartbeat as States.Timeout too.
    const error = timeout || heartbeat ? 'States.Timeout' : 'States.HeartbeatTimeout';
    this.endTask(th, task, 'timedout');
    if (task.lambda) this.emit(th, 'LambdaFunctionTimedOut', 'lambdaFunctionTimedOutEventDetails', { error });
    else {
      this.emit(th, 'TaskTimedOut', 'taskTimedOutEventDetails', {
        resourceType: task.resourceType,
        resource: task.resourceName,
        error,
      });
    }
    this.touch(th);
    // The failure is handled as a step of its own, after other work already queued (as AWS orders it).
    this.pendingFailures.set(th.id, new StatesError(error));
    this.host.post(this, th.id, { t: 'timer' });
  }

  private readonly pendingFailures = new Map<string, StatesError>();

  // -------------------------------------------------------------------------------------------------------------
  // Timers

  private setTimer(threadId: string, at: number, msg: Message): void {
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

  private cancelTimers(threadId: string): void {
    const t = this.timers.get(threadId);
    if (t) {
      t.cancel();
      this.timers.delete(threadId);
    }
  }

  private async onTimer(th: ThreadData): Promise<void> {
    const failure = this.pendingFailures.get(th.id);
    if (failure) {
      this.pendingFailures.delete(th.id);
      await this.failState(th, this.state(th), failure);
      return;
    }
    const p = th.phase;
    if (p.t !== 'wait' && p.t !== 'retry') return;
    if (p.until > this.host.clock.now()) {
      this.armTimer(th, p.until);
      return;
    }
    if (p.t === 'wait') {
      const r = States.finishWait(this, th, this.state(th));
      if (r) await r;
    } else {
      th.phase = { t: 'run' };
      this.touch(th);
    }
    await this.advance(th);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Errors

  async onStateError(th: ThreadData, e: unknown): Promise<void> {
    if (this.finished || th.done) return;
    const err =
      e instanceof StatesError
        ? e
        : new RuntimeFailure(`Internal error: ${e instanceof Error ? e.message : String(e)}`);
    let st: CompiledState;
    try {
      st = this.state(th);
    } catch {
      this.failExecution(th, err.error, err.errorCause);
      return;
    }
    await this.failState(th, st, err);
  }

  /** A state failed: Retry, then Catch, else the thread fails. `States.Runtime` fails the execution at once. */
  async failState(th: ThreadData, st: CompiledState, err: StatesError): Promise<void> {
    if (this.finished || th.done) return;
    if (err instanceof RuntimeFailure) {
      this.failExecution(th, err.error, causePrefix(st, th.enteredEventId) + (err.errorCause ?? ''));
      return;
    }
    let cause = err.errorCause;
    if (err instanceof EvaluationFailure) {
      cause = causePrefix(st, th.enteredEventId) + (err.errorCause ?? '');
      const d: Record<string, unknown> = { error: err.error, cause };
      if (err.location) d.location = err.location;
      d.state = st.name;
      // AWS points EvaluationFailed at the event before the state was entered, except for a Wait, whose time is
      // evaluated once the state has been entered.
      if (st.type !== 'Wait' && th.enteredPrev !== undefined) th.last = th.enteredPrev;
      this.emit(th, 'EvaluationFailed', 'evaluationFailedEventDetails', d);
    }
    const error = err.error;
    // Retry
    const idx = st.retry.findIndex((r) => errorMatches(r.errorEquals, error));
    const retrier = idx >= 0 ? st.retry[idx] : undefined;
    if (retrier) {
      const attempts = th.attempts ?? [];
      const done = attempts[idx] ?? 0;
      if (done < retrier.maxAttempts) {
        let delay = retrier.intervalSeconds * retrier.backoffRate ** done;
        if (retrier.maxDelaySeconds !== undefined) delay = Math.min(delay, retrier.maxDelaySeconds);
        if (retrier.jitter === 'FULL') delay = Math.random() * delay;
        attempts[idx] = done + 1;
        th.attempts = attempts;
        th.retryCount++;
        const until = this.host.clock.now() + Math.round(delay * 1000);
        th.phase = { t: 'retry', until };
        this.touch(th);
        this.armTimer(th, until);
        return;
      }
    }
    // Not retried: a Map or Parallel state records its failure before it is caught or fails its thread.
    if (st.type === 'Map') this.emit(th, 'MapStateFailed');
    else if (st.type === 'Parallel') this.emit(th, 'ParallelStateFailed');
    // Catch
    const catcher = st.catch.find((c) => errorMatches(c.errorEquals, error));
    if (catcher) {
      // A failure without an error name (e.g. SendTaskFailure with neither error nor cause) reads as nulls.
      const errorOutput: Record<string, unknown> =
        error === '' ? { Error: null, Cause: cause ?? null } : { Error: error };
      if (cause !== undefined) errorOutput.Cause = cause;
      try {
        const r = States.catchError(this, th, st, catcher, errorOutput);
        if (r) await r;
      } catch (e) {
        const inner = e instanceof StatesError ? e : new RuntimeFailure(String(e));
        if (inner instanceof RuntimeFailure) {
          this.failExecution(th, inner.error, causePrefix(st, th.enteredEventId) + (inner.errorCause ?? ''));
        } else {
          this.threadFailed(th, inner.error, inner.errorCause);
        }
      }
      return;
    }
    this.threadFailed(th, error === '' ? undefined : error, cause);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Thread and execution ends

  threadSucceeded(th: ThreadData, output: unknown): void {
    if (th.kind === 'root') {
      this.finishExecution(
        'SUCCEEDED',
        'ExecutionSucceeded',
        'executionSucceededEventDetails',
        { output, outputDetails: NOT_TRUNCATED },
        th.last,
        output,
      );
      return;
    }
    th.done = { ok: true, output };
    this.cancelTimers(th.id);
    this.touch(th);
    const parent = th.parent ? this.threads.get(th.parent) : undefined;
    if (parent) States.childSucceeded(this, parent, th);
  }

  threadFailed(th: ThreadData, error?: string, cause?: string): void {
    if (th.kind === 'root') {
      const d: Record<string, unknown> = {};
      if (error !== undefined) d.error = error;
      if (cause !== undefined) d.cause = cause;
      this.finishExecution(
        'FAILED',
        'ExecutionFailed',
        'executionFailedEventDetails',
        d,
        th.last,
        undefined,
        error,
        cause,
      );
      return;
    }
    th.done = { ok: false, error, cause };
    this.cancelTimers(th.id);
    this.touch(th);
    const parent = th.parent ? this.threads.get(th.parent) : undefined;
    if (parent) {
      void States.childFailed(this, parent, th).catch((e) => this.onStateError(parent, e));
    }
  }

  /** Fails the whole execution at once (States.Runtime and other terminal errors). */
  failExecution(th: ThreadData, error: string, cause?: string): void {
    const d: Record<string, unknown> = { error };
    if (cause !== undefined) d.cause = cause;
    this.finishExecution(
      'FAILED',
      'ExecutionFailed',
      'executionFailedEventDetails',
      d,
      th.last,
      undefined,
      error,
      cause,
    );
  }

  /** StopExecution. */
  abortExecution(error?: string, cause?: string): void {
    const d: Record<string, unknown> = {};
    if (error !== undefined) d.error = error;
    if (cause !== undefined) d.cause = cause;
    this.finishExecution(
      'ABORTED',
      'ExecutionAborted',
      'executionAbortedEventDetails',
      d,
      0,
      undefined,
      error,
      cause,
    );
  }

  private finishExecution(
    status: ExecutionRecord['status'],
    type: string,
    key: string,
    d: Record<string, unknown>,
    prev: number,
    output?: unknown,
    error?: string,
    cause?: string,
  ): void {
    if (this.finished) return;
    this.pushEvent(type, prev, true, key, d);
    this.finished = true;
    const rec = this.record;
    rec.status = status;
    rec.stopMs = this.host.clock.now();
    if (status === 'SUCCEEDED') rec.output = JSON.stringify(output === undefined ? null : output);
    if (error !== undefined) rec.error = error;
    if (cause !== undefined) rec.cause = cause;
    if (status === 'TIMED_OUT') {
      rec.error = d.error as string;
      rec.cause = d.cause as string;
    }
    this.recordDirty = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    for (const c of this.controllers.values()) c.abort();
    this.controllers.clear();
    for (const attempt of [...this.tokens.keys()]) this.closeToken(attempt, 'closed');
    for (const id of this.threads.keys()) this.gone.add(id);
    this.threads.clear();
    this.dirty.clear();
    this.host.touched(this);
    this.host.executionFinished(this);
  }

  /**
   * Aborts a running thread because a sibling failed: `<Type>StateAborted` for the state it is in (and the same for
   * its own children, depth first), timers cancelled, tasks aborted, tokens closed.
   */
  abortThread(th: ThreadData, cursor: number): void {
    if (th.done) return;
    const p = th.phase;
    if (p.t === 'children') {
      for (const id of p.fan.children) {
        const child = id ? this.threads.get(id) : undefined;
        if (child && !child.done) this.abortThread(child, cursor);
      }
    }
    if (p.t === 'task' || p.t === 'task-start') this.endTask(th, p.task, 'closed');
    if (p.t !== 'enter') {
      const st = this.state(th);
      if (!th.silent) {
        const id = this.nextEventId;
        this.pushEvent(`${st.type}StateAborted`, cursor, false);
        void id;
      }
    }
    th.done = { ok: false, error: 'States.Aborted' };
    this.cancelTimers(th.id);
    this.touch(th);
  }

  /** The runtime closes: cancel timers and abort in-flight tasks, record nothing (the checkpoint stays). */
  shutdown(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    for (const c of this.controllers.values()) c.abort();
    this.controllers.clear();
  }

  /** Drops finished child threads of a fan-out once the parent has its result. */
  releaseChildren(fan: FanOut): void {
    for (const id of fan.children) {
      const child = id ? this.threads.get(id) : undefined;
      if (!child) continue;
      if (child.phase.t === 'children') this.releaseChildren(child.phase.fan);
      this.removeThread(child);
    }
  }

  /** Applies a task result and the task's ResultPath (used by tests of the data flow). */
  static resultPath = applyResultPath;
}

/** The scope paths of a thread resolve against (a class rather than closures: this is on the hot path). */
class ThreadScope implements PathScope {
  constructor(
    readonly exec: Execution,
    readonly th: ThreadData,
    readonly input: unknown,
    readonly extra: Parameters<Execution['context']>[1],
  ) {}

  context(): unknown {
    return this.exec.context(this.th, this.extra);
  }

  variable(name: string): { value: unknown } | undefined {
    return this.exec.variable(this.th, name);
  }
}
