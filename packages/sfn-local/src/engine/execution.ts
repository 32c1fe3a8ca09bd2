/**
 * One execution: its threads (root, Parallel branches, Map iterations), the history events they emit, and the
 * handling of everything that moves it on (a step, a task result, a callback, a timer, StopExecution).
 *
 * All mutation happens inside {@link Execution.handle}, called by the engine's single work queue, so a thread is
 * never touched by two things at once. What the durable store needs after a step (new events, changed and finished
 * threads, tokens, the record) is collected here and taken by the engine at commit time.
 *
 * What a state does is computed by states.ts as a {@link StateOutcome} and applied here ({@link Execution.apply});
 * fan-out (fan-out.ts) and tasks (task-lifecycle.ts) work on the execution through the interfaces they declare.
 */
import type { CompiledState } from '../definition.js';
import { RuntimeFailure, StatesError } from '../errors.js';
import { stateEventType } from './events.js';
import { ExecutionThreads } from './execution-threads.js';
import type { FanOutHost } from './fan-out.js';
import * as FanOuts from './fan-out.js';
import { exceedsPayloadLimit, executionTimeLimitSeconds, MAX_HISTORY_EVENTS } from './limits.js';
import type { Message } from './messages.js';
import type { MaybePromise, StateOutcome } from './outcome.js';
import { type FailureHost, handleFailure } from './retry-catch.js';
import * as States from './states.js';
import { type RecoveryMode, TaskLifecycle, type TaskOwner } from './task-lifecycle.js';
import { type ExecutionRecord, type FanOut, NOT_TRUNCATED, type ThreadData } from './types.js';

export type { ExecutionHost } from './execution-threads.js';
export type { Message } from './messages.js';

/** State transitions one thread makes before it yields to other work. */
const STEP_BUDGET = 250;

export class Execution extends ExecutionThreads implements FanOutHost, TaskOwner, FailureHost {
  private readonly tasks = new TaskLifecycle(this);

  // -------------------------------------------------------------------------------------------------------------
  // Starting and resuming

  /** Emits ExecutionStarted and creates the root thread. */
  start(): void {
    this.isNew = true;
    this.recordDirty = true;
    this.pushEvent('ExecutionStarted', 0, true, 'executionStartedEventDetails', {
      input: this.inputValue,
      inputDetails: NOT_TRUNCATED,
      roleArn: this.record.roleArn,
    });
    this.startRoot(this.machine.root.startAt, this.inputValue, 0);
  }

  /** The root thread enters `state` with `input` (and the variables assigned before, on a redrive). */
  private startRoot(state: string, input: unknown, last: number, vars?: Record<string, unknown>): void {
    const root: ThreadData = {
      id: 'r',
      scope: '',
      kind: 'root',
      state,
      input,
      enteredEventId: 0,
      enteredAt: this.host.clock.now(),
      retryCount: 0,
      phase: { t: 'enter' },
      last,
      ...(vars ? { vars } : {}),
    };
    this.addThread(root);
    this.post(root.id, { t: 'run' });
    this.armExecutionTimeout();
  }

  /**
   * RedriveExecution: the ended execution continues with `state` (the top-level state that did not finish), its
   * input and the variables assigned before it; `ExecutionRedriven` is the first event of the new attempt.
   */
  redrive(
    state: string,
    input: unknown,
    vars: Record<string, unknown> | undefined,
    redriveCount: number,
  ): void {
    this.recordDirty = true;
    const id = this.pushEvent(
      'ExecutionRedriven',
      this.nextEventId - 1,
      true,
      'executionRedrivenEventDetails',
      {
        redriveCount,
      },
    );
    this.startRoot(state, input, id, vars);
  }

  /** Re-creates threads from a checkpoint and re-arms what they wait for (after a restart). */
  resume(threads: ThreadData[], recovery: RecoveryMode = 'fail'): void {
    for (const th of threads) this.threads.set(th.id, th);
    for (const th of threads) {
      if (th.done) continue;
      const p = th.phase;
      switch (p.t) {
        case 'enter':
        case 'run':
        case 'task-start':
          this.post(th.id, { t: 'run' });
          break;
        case 'wait':
        case 'retry':
          this.armTimer(th, p.until);
          break;
        case 'task':
          this.tasks.resume(th, p.task, recovery);
          break;
        case 'children':
          break;
      }
    }
    this.armExecutionTimeout();
  }

  private get timeLimitSeconds(): number | undefined {
    return executionTimeLimitSeconds(this.record.express === true, this.machine.timeoutSeconds);
  }

  private armExecutionTimeout(): void {
    const t = this.timeLimitSeconds;
    if (t === undefined) return;
    const at = this.record.startMs + t * 1000;
    this.host.afterCommit(() => {
      if (this.finished) return;
      const handle = this.host.clock.setTimer(at, () => this.host.post(this, 'r', { t: 'exec-timeout' }));
      this.timers.set('exec', handle);
    });
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
      const cause = `The execution timed out after ${this.timeLimitSeconds} seconds.`;
      const d = { error: 'States.Timeout', cause };
      this.finishExecution('TIMED_OUT', 'ExecutionTimedOut', 'executionTimedOutEventDetails', 0, d);
      return;
    }
    const th = this.threads.get(threadId);
    if (!th || th.done) return;
    try {
      switch (msg.t) {
        case 'run':
          await this.advance(th);
          this.checkHistoryLimit();
          return;
        case 'timer':
          await this.onTimer(th);
          break;
        case 'task-result':
          await this.tasks.onResult(th, msg);
          break;
        case 'task-submitted':
          this.tasks.onSubmitted(th, msg.attempt, msg.value);
          break;
        case 'callback':
          await this.tasks.onCallback(th, msg.attempt, msg.outcome);
          break;
        case 'heartbeat':
          this.tasks.onHeartbeat(th, msg.attempt);
          break;
        case 'task-timeout':
          this.tasks.onTimeout(th, msg.attempt);
          break;
      }
    } catch (e) {
      await this.onStateError(th, e);
    }
    if (!this.finished && !th.done && this.threads.get(th.id) === th && th.phase.t === 'enter') {
      await this.advance(th);
    }
    this.checkHistoryLimit();
  }

  /** Reaching 25,000 history events fails the execution with States.Runtime (not retried, not caught). */
  private checkHistoryLimit(): void {
    if (this.finished || this.nextEventId <= MAX_HISTORY_EVENTS) return;
    const root = this.threads.get('r');
    if (root) {
      this.failExecution(
        root,
        'States.Runtime',
        `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}).`,
      );
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
          this.post(th.id, { t: 'run' });
          return;
        }
        this.enterState(th);
      } else if (p.t === 'run') {
        try {
          const st = this.state(th);
          const outcome = States.runState(this, th, st);
          const applied = this.apply(th, st, outcome instanceof Promise ? await outcome : outcome);
          if (applied) await applied;
        } catch (e) {
          await this.onStateError(th, e);
        }
      } else if (p.t === 'task-start') {
        if (first) this.tasks.start(th, p.task);
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
    const d = { name: st.name, input: th.input, inputDetails: NOT_TRUNCATED };
    th.enteredEventId = this.emit(th, stateEventType(st.type, 'Entered'), 'stateEnteredEventDetails', d);
    th.phase = { t: 'run' };
    this.touch(th);
  }

  /** Applies what a state does (computed by states.ts) to the thread. */
  apply(th: ThreadData, st: CompiledState, outcome: StateOutcome): MaybePromise<void> {
    switch (outcome.kind) {
      case 'exit':
        this.exitState(th, st, outcome.output, outcome.assigned, outcome.next);
        return;
      case 'fail':
        this.threadFailed(th, outcome.error, outcome.cause);
        return;
      case 'wait':
        th.phase = { t: 'wait', until: outcome.until };
        this.touch(th);
        this.armTimer(th, outcome.until);
        return;
      case 'task':
        this.tasks.schedule(th, st, outcome.parameters, outcome.options);
        return;
      case 'parallel':
        FanOuts.startParallel(this, th, st, outcome.input);
        return;
      case 'map':
        return FanOuts.startMap(this, th, st, outcome.items, outcome.maxConcurrency, outcome.tolerated);
    }
  }

  /** A Task, Parallel or Map state has its result: leave the state with it (errors go to Retry/Catch). */
  completeState(th: ThreadData, st: CompiledState, result: unknown): MaybePromise<void> {
    try {
      const outcome = States.completeState(this, th, st, result);
      if (outcome instanceof Promise) {
        return outcome.then((o) => this.apply(th, st, o)).catch((e) => this.onStateError(th, e));
      }
      return this.apply(th, st, outcome);
    } catch (e) {
      return this.onStateError(th, e);
    }
  }

  /** Leaves the state with `output`: emits `<Type>StateExited`, applies Assign, moves to the next state or ends. */
  private exitState(
    th: ThreadData,
    st: CompiledState,
    output: unknown,
    assigned?: unknown,
    next?: string,
  ): void {
    if (exceedsPayloadLimit(output)) {
      throw new StatesError(
        'States.DataLimitExceeded',
        `The state/task '${st.name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
      );
    }
    if (assigned !== undefined && assigned !== null && exceedsPayloadLimit(assigned)) {
      throw new StatesError(
        'States.DataLimitExceeded',
        `The state '${st.name}' assigned variables with a size exceeding the maximum number of bytes service limit.`,
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
    this.emit(th, stateEventType(st.type, 'Exited'), 'stateExitedEventDetails', d);
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
  // Timers

  private async onTimer(th: ThreadData): Promise<void> {
    const failure = this.tasks.takePendingFailure(th.id);
    if (failure) {
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
      const st = this.state(th);
      const outcome = States.finishWait(this, th, st);
      await this.apply(th, st, outcome instanceof Promise ? await outcome : outcome);
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

  /** A state failed: Retry, then Catch, else the thread fails (retry-catch.ts). */
  failState(th: ThreadData, st: CompiledState, err: StatesError): Promise<void> {
    return handleFailure(this, th, st, err);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Thread and execution ends

  threadSucceeded(th: ThreadData, output: unknown): void {
    if (th.kind === 'root') {
      const d = { output, outputDetails: NOT_TRUNCATED };
      this.finishExecution(
        'SUCCEEDED',
        'ExecutionSucceeded',
        'executionSucceededEventDetails',
        th.last,
        d,
        output,
      );
      return;
    }
    th.done = { ok: true, output };
    this.cancelTimers(th.id);
    this.touch(th);
    const parent = th.parent ? this.threads.get(th.parent) : undefined;
    if (parent) FanOuts.childSucceeded(this, parent, th);
  }

  threadFailed(th: ThreadData, error?: string, cause?: string): void {
    if (th.kind === 'root') {
      const d = errorDetails(error, cause);
      this.finishExecution('FAILED', 'ExecutionFailed', 'executionFailedEventDetails', th.last, d);
      return;
    }
    th.done = { ok: false, error, cause };
    this.cancelTimers(th.id);
    this.touch(th);
    const parent = th.parent ? this.threads.get(th.parent) : undefined;
    if (parent) {
      void FanOuts.childFailed(this, parent, th).catch((e) => this.onStateError(parent, e));
    }
  }

  /** Fails the whole execution at once (States.Runtime and other terminal errors). */
  failExecution(th: ThreadData, error: string, cause?: string): void {
    const d = errorDetails(error, cause);
    this.finishExecution('FAILED', 'ExecutionFailed', 'executionFailedEventDetails', th.last, d);
  }

  /** StopExecution. */
  abortExecution(error?: string, cause?: string): void {
    const d = errorDetails(error, cause);
    this.finishExecution('ABORTED', 'ExecutionAborted', 'executionAbortedEventDetails', 0, d);
  }

  /** Ends the execution with its last event; the record takes the status, output, error and cause. */
  private finishExecution(
    status: ExecutionRecord['status'],
    type: string,
    key: string,
    prev: number,
    d: { output?: unknown; error?: string; cause?: string },
    output?: unknown,
  ): void {
    if (this.finished) return;
    this.pushEvent(type, prev, true, key, d);
    this.finished = true;
    const rec = this.record;
    rec.status = status;
    rec.stopMs = this.host.clock.now();
    if (status === 'SUCCEEDED') rec.output = JSON.stringify(output === undefined ? null : output);
    if (d.error !== undefined) rec.error = d.error;
    if (d.cause !== undefined) rec.cause = d.cause;
    this.recordDirty = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    this.tasks.closeAll();
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
    if (p.t === 'task' || p.t === 'task-start') this.tasks.end(th, p.task, 'closed');
    if (p.t !== 'enter') {
      const st = this.state(th);
      if (!th.silent) this.pushEvent(stateEventType(st.type, 'Aborted'), cursor, false);
    }
    th.done = { ok: false, error: 'States.Aborted' };
    this.cancelTimers(th.id);
    this.touch(th);
  }

  /** The runtime closes: cancel timers and abort in-flight tasks, record nothing (the checkpoint stays). */
  shutdown(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    this.tasks.abortAll();
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
}

/** The error and cause members of an event's details, when given. */
function errorDetails(error?: string, cause?: string): { error?: string; cause?: string } {
  const d: { error?: string; cause?: string } = {};
  if (error !== undefined) d.error = error;
  if (cause !== undefined) d.cause = cause;
  return d;
}
