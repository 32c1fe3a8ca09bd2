/**
 * The engine: one FIFO work queue for every execution, group commits to the store, task dispatch, task tokens.
 *
 * Work items (a step of a thread, a task result, a callback, a timer) are processed one at a time, in order;
 * JSONPath steps run synchronously, so a burst of work costs no timers and no extra promises. After a burst (or
 * every few dozen items) the changes of every touched execution are committed in one transaction, then what must
 * only happen once state is durable runs: task dispatch, timers, API replies waiting for durability.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Clock } from '../clock.js';
import { loadDefinition } from '../definition.js';
import { StatesApiError } from '../service.js';
import type { Store } from '../store/store.js';
import type { TaskDispatcher } from '../tasks.js';
import { failureMessage, resultMessage, submittedMessage, taskRequest } from './dispatch.js';
import { Execution, type ExecutionHost, type Message } from './execution.js';
import type { RecoveryMode } from './task-lifecycle.js';
import type { ExecutionRecord, TaskInFlight, TokenRecord } from './types.js';

export interface StatesLogger {
  debug(message: string, ...extra: unknown[]): void;
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

export const silentLogger: StatesLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Payload limit of Step Functions (256 KiB), defined in limits.ts. */
export { MAX_PAYLOAD_BYTES } from './limits.js';

interface WorkItem {
  exec: Execution;
  threadId: string;
  msg: Message;
  seq: number;
}

interface CommitWaiter {
  seq: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

interface TokenEntry {
  exec: Execution;
  threadId: string;
  attempt: number;
}

const TOKEN_PREFIX = 'AQ';
const TOKEN_RE = /^AQ[A-Za-z0-9_-]{340}$/;
const COMMIT_EVERY = 64;
const YIELD_AFTER_MS = 8;
/** Quiet time before store housekeeping runs. */
const QUIET_MS = 50;

export class Engine implements ExecutionHost {
  readonly running = new Map<string, Execution>();
  /** Records of recently finished executions (a small cache in front of the store). */
  readonly recent = new Map<string, ExecutionRecord>();
  readonly checkpoints: boolean;
  readonly events = new EventEmitter();
  readonly #tokens = new Map<string, TokenEntry>();
  /** Tokens closed since the last commit (the store does not know them yet). */
  readonly #closedTokens = new Map<string, TokenRecord['status']>();
  #queue: WorkItem[] = [];
  #head = 0;
  #seq = 0;
  #processedSeq = 0;
  #scheduled = false;
  #draining = false;
  #closed = false;
  #closing = false;
  #touched = new Set<Execution>();
  #afterCommit: (() => void)[] = [];
  #commitWaiters: CommitWaiter[] = [];
  #idleWaiters: (() => void)[] = [];
  #inFlight = 0;
  #finished: Execution[] = [];

  constructor(
    readonly store: Store,
    readonly dispatcher: TaskDispatcher,
    readonly clock: Clock,
    readonly region: string,
    readonly accountId: string,
    readonly logger: StatesLogger,
    /** What happens to tasks that were in flight when the process stopped (see {@link RecoveryMode}). */
    readonly recoveryMode: RecoveryMode = 'fail',
  ) {
    this.checkpoints = store.persistent;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Queue

  post(exec: Execution, threadId: string, msg: Message): void {
    if (this.#closed) return;
    this.#queue.push({ exec, threadId, msg, seq: ++this.#seq });
    this.#kick();
  }

  /** Posts a message and resolves once its effects are committed. */
  postDurable(exec: Execution, threadId: string, msg: Message): Promise<void> {
    this.post(exec, threadId, msg);
    return this.#waitForCommit(this.#seq);
  }

  #waitForCommit(seq: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#commitWaiters.push({ seq, resolve, reject });
      this.#kick();
    });
  }

  /** Resolves once everything posted so far is committed. */
  flushed(): Promise<void> {
    return this.#waitForCommit(this.#seq);
  }

  #kick(): void {
    if (this.#scheduled || this.#draining || this.#closed || this.#closing) return;
    this.#scheduled = true;
    // Work starts in the same turn. When a commit waits for the disk (durability full), one event-loop turn lets
    // concurrent requests (StartExecution, callbacks) join the same group commit.
    if (this.store.syncedCommits) {
      setImmediate(() => {
        this.#scheduled = false;
        void this.#drain();
      });
    } else {
      queueMicrotask(() => {
        this.#scheduled = false;
        void this.#drain();
      });
    }
  }

  async #drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      let sinceCommit = 0;
      let started = performance.now();
      while (this.#head < this.#queue.length && !this.#closing) {
        const item = this.#queue[this.#head] as WorkItem;
        this.#queue[this.#head] = undefined as unknown as WorkItem;
        this.#head++;
        if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
          this.#queue = this.#queue.slice(this.#head);
          this.#head = 0;
        }
        try {
          const r = item.exec.handle(item.threadId, item.msg);
          if (r) await r;
        } catch (e) {
          this.logger.error('execution step failed', {
            executionArn: item.exec.record.arn,
            error: String(e),
          });
          try {
            const th = item.exec.threads.get('r');
            if (th) item.exec.failExecution(th, 'States.Runtime', `Internal error: ${String(e)}`);
          } catch {
            // contained: one failing execution never disturbs another
          }
        }
        this.#touched.add(item.exec);
        this.#processedSeq = item.seq;
        // Commit every few dozen items, and yield to I/O (API requests, task results) after a few ms of work even
        // when the items are long (a thread runs up to STEP_BUDGET states per item).
        const late = performance.now() - started > YIELD_AFTER_MS;
        if (++sinceCommit >= COMMIT_EVERY || late) {
          this.#commit();
          sinceCommit = 0;
          if (late) {
            await new Promise((r) => setImmediate(r));
            started = performance.now();
          }
        }
      }
      this.#commit();
    } finally {
      this.#draining = false;
    }
    if (this.#head < this.#queue.length && !this.#closed) this.#kick();
    else {
      this.#checkIdle();
      this.#scheduleMaintenance();
    }
  }

  #maintenanceTimer: NodeJS.Timeout | undefined;
  #lastActive = 0;

  /**
   * Store housekeeping (writing the journal's batch to the tables, a WAL checkpoint) once the engine has had no work
   * for QUIET_MS: a steady stream of requests never waits behind it.
   */
  #scheduleMaintenance(): void {
    this.#lastActive = performance.now();
    this.#armMaintenance(QUIET_MS);
  }

  #armMaintenance(delay: number): void {
    if (!this.store.maintenance || this.#maintenanceTimer || this.#closed || this.#closing) return;
    this.#maintenanceTimer = setTimeout(() => {
      this.#maintenanceTimer = undefined;
      if (this.#closed || this.#closing) return;
      const quiet = performance.now() - this.#lastActive;
      if (this.busy || quiet < QUIET_MS) {
        this.#armMaintenance(Math.max(1, QUIET_MS - quiet));
        return;
      }
      try {
        this.store.maintenance?.();
      } catch (e) {
        this.logger.warn('store maintenance failed', { error: String(e) });
      }
    }, delay);
    this.#maintenanceTimer.unref?.();
  }

  touched(exec: Execution): void {
    this.#touched.add(exec);
  }

  afterCommit(fn: () => void): void {
    this.#afterCommit.push(fn);
  }

  #commit(): void {
    if (this.#closed) return;
    const items = [];
    for (const exec of this.#touched) {
      const done = exec.finished;
      const upserts = [];
      if (!done) {
        for (const id of exec.dirty) {
          const th = exec.threads.get(id);
          if (th) upserts.push(th);
        }
      }
      items.push({
        record: exec.record,
        isNew: exec.isNew,
        recordChanged: exec.recordDirty,
        events: exec.pending,
        upserts,
        deletes: done ? [] : [...exec.gone],
        deleteAllThreads: done,
        tokens: exec.tokenChanges,
      });
      exec.pending = [];
      exec.dirty.clear();
      exec.gone.clear();
      exec.tokenChanges = [];
      exec.isNew = false;
      exec.recordDirty = false;
    }
    this.#touched.clear();
    try {
      this.store.commit(items);
    } catch (e) {
      this.logger.error('commit failed', { error: String(e) });
      const waiters = this.#commitWaiters;
      this.#commitWaiters = [];
      for (const w of waiters) w.reject(e);
      return;
    }
    this.#closedTokens.clear();
    const fns = this.#afterCommit;
    this.#afterCommit = [];
    for (const fn of fns) {
      try {
        fn();
      } catch (e) {
        this.logger.error('after-commit action failed', { error: String(e) });
      }
    }
    const finished = this.#finished;
    this.#finished = [];
    for (const exec of finished) {
      this.logger.debug('execution finished', { executionArn: exec.record.arn, status: exec.record.status });
      this.running.delete(exec.record.arn);
      this.recent.set(exec.record.arn, exec.record);
      if (this.recent.size > 1000) {
        const oldest = this.recent.keys().next().value;
        if (oldest !== undefined) this.recent.delete(oldest);
      }
      this.events.emit('executionStatusChanged', {
        executionArn: exec.record.arn,
        stateMachineArn: exec.record.smArn,
        status: exec.record.status,
      });
    }
    if (this.#commitWaiters.length) {
      const keep: CommitWaiter[] = [];
      for (const w of this.#commitWaiters) {
        if (w.seq <= this.#processedSeq) w.resolve();
        else keep.push(w);
      }
      this.#commitWaiters = keep;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Executions

  /** Creates and starts an execution; resolves once ExecutionStarted is committed. */
  startExecution(record: ExecutionRecord): Promise<void> {
    // Validated when the state machine was created or updated.
    const machine = loadDefinition(record.definition, { trusted: true });
    const exec = new Execution(this, record, machine);
    this.running.set(record.arn, exec);
    exec.start();
    this.events.emit('executionStatusChanged', {
      executionArn: record.arn,
      stateMachineArn: record.smArn,
      status: 'RUNNING',
    });
    return this.#waitForCommit(this.#seq);
  }

  /**
   * Runs an ended execution again from `state` (RedriveExecution); `record` is already RUNNING again. Resolves once
   * ExecutionRedriven is committed.
   */
  redriveExecution(
    record: ExecutionRecord,
    from: { state: string; input: unknown; vars?: Record<string, unknown>; lastEventId: number },
  ): Promise<void> {
    const machine = loadDefinition(record.definition, { trusted: true });
    const exec = new Execution(this, record, machine, from.lastEventId + 1);
    this.recent.delete(record.arn);
    this.running.set(record.arn, exec);
    exec.redrive(from.state, from.input, from.vars, record.redriveCount ?? 1);
    this.events.emit('executionStatusChanged', {
      executionArn: record.arn,
      stateMachineArn: record.smArn,
      status: 'RUNNING',
    });
    return this.#waitForCommit(this.#seq);
  }

  /** Resumes the RUNNING executions of the store (after a restart). */
  recover(): number {
    const running = this.store.loadRunning();
    for (const r of running) {
      try {
        const machine = loadDefinition(r.record.definition, { trusted: true });
        const exec = new Execution(this, r.record, machine, r.lastEventId + 1);
        this.running.set(r.record.arn, exec);
        for (const th of r.threads) {
          const p = th.phase;
          if (p.t === 'task' && p.task.token && !p.task.early) {
            this.#tokens.set(p.task.token, { exec, threadId: th.id, attempt: p.task.attempt });
          }
        }
        exec.resume(r.threads, this.recoveryMode);
      } catch (e) {
        this.logger.error('could not resume execution', { executionArn: r.record.arn, error: String(e) });
      }
    }
    // Runs what waits for a commit (timers re-armed from their deadlines).
    this.#commit();
    if (running.length) this.logger.info('resumed running executions', { count: running.length });
    return running.length;
  }

  executionFinished(exec: Execution): void {
    this.#finished.push(exec);
  }

  stop(arn: string, error?: string, cause?: string): Promise<void> | undefined {
    const exec = this.running.get(arn);
    if (!exec) return undefined;
    return this.postDurable(exec, 'r', { t: 'stop', error, cause });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Tokens

  newToken(): string {
    return TOKEN_PREFIX + randomBytes(255).toString('base64url');
  }

  static isWellFormedToken(token: string): boolean {
    return TOKEN_RE.test(token);
  }

  tokenOpened(rec: TokenRecord): void {
    const exec = this.running.get(rec.execArn);
    if (exec) this.#tokens.set(rec.token, { exec, threadId: rec.threadId, attempt: rec.attempt });
  }

  tokenClosed(token: string, status: TokenRecord['status']): void {
    this.#tokens.delete(token);
    this.#closedTokens.set(token, status);
  }

  /**
   * Finds an open token; `undefined` with the reason (`timedout`, `closed`, `done`, `unknown`) otherwise.
   * Taking a token for success/failure closes it at once, so a second callback is refused.
   */
  lookupToken(token: string): { entry?: TokenEntry; status: TokenRecord['status'] | 'unknown' } {
    const entry = this.#tokens.get(token);
    if (entry) return { entry, status: 'open' };
    const status = this.#closedTokens.get(token) ?? this.store.tokenStatus(token) ?? 'unknown';
    return { status: status === 'open' ? 'closed' : status };
  }

  /** The resource of the task an open token belongs to (e.g. an activity ARN). */
  tokenResource(entry: TokenEntry): string | undefined {
    const phase = entry.exec.threads.get(entry.threadId)?.phase;
    return phase && (phase.t === 'task' || phase.t === 'task-start') ? phase.task.resource : undefined;
  }

  takeToken(token: string): void {
    this.#tokens.delete(token);
    this.#closedTokens.set(token, 'done');
  }

  // -------------------------------------------------------------------------------------------------------------
  // Dispatch

  dispatch(exec: Execution, threadId: string, task: TaskInFlight): AbortController {
    const controller = new AbortController();
    const submitted = task.sync
      ? (response: unknown) => {
          if (!controller.signal.aborted) this.post(exec, threadId, submittedMessage(task, response));
        }
      : undefined;
    const request = taskRequest(exec, threadId, task, controller.signal, submitted);
    this.#inFlight++;
    let promise: Promise<unknown>;
    try {
      promise = Promise.resolve(this.dispatcher.dispatch(request));
    } catch (e) {
      promise = Promise.reject(e);
    }
    promise
      .then(
        (value) => {
          if (!controller.signal.aborted) this.post(exec, threadId, resultMessage(task, value));
        },
        (e: unknown) => {
          if (!controller.signal.aborted) this.post(exec, threadId, failureMessage(task, e));
        },
      )
      .finally(() => {
        this.#inFlight--;
        this.#checkIdle();
      });
    return controller;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Idle and shutdown

  get busy(): boolean {
    return this.#scheduled || this.#draining || this.#head < this.#queue.length;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Resolves once the queue is empty and (unless told otherwise) no dispatch is in flight. */
  async idle(options: { includeInFlight?: boolean } = {}): Promise<void> {
    const include = options.includeInFlight ?? true;
    let stable = 0;
    while (stable < 2) {
      await new Promise((r) => setImmediate(r));
      if (!this.busy && (!include || this.#inFlight === 0)) stable++;
      else stable = 0;
    }
  }

  #checkIdle(): void {
    if (this.busy || this.#inFlight > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  async close(): Promise<void> {
    if (this.#closed || this.#closing) return;
    // Let the current work item finish; what is still queued resumes from the checkpoint after a restart.
    this.#closing = true;
    if (this.#maintenanceTimer) clearTimeout(this.#maintenanceTimer);
    while (this.#draining) await new Promise((r) => setImmediate(r));
    this.#commit();
    this.#closed = true;
    for (const exec of this.running.values()) exec.shutdown();
    const waiters = this.#commitWaiters;
    this.#commitWaiters = [];
    for (const w of waiters) {
      w.reject(
        new StatesApiError(
          'ServiceUnavailable',
          'The local Step Functions runtime closed before the request completed',
          503,
        ),
      );
    }
  }
}
