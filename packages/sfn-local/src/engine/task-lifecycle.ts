/**
 * The life of a Task state's task: scheduled, started (dispatched once the step is committed), then ended by its
 * result, a callback (task token), a timeout or a missed heartbeat, with the history events of each step. It owns
 * the execution's open task tokens and the dispatches in flight.
 */
import type { CompiledState } from '../definition.js';
import { HeartbeatTimeout, RuntimeFailure, StatesError } from '../errors.js';
import { resourceInfo } from './events.js';
import { checkIntegrationParameters } from './integrations.js';
import { checkTaskParameters, checkTaskSeconds } from './limits.js';
import type { Message } from './messages.js';
import type { MaybePromise, TaskOptions } from './outcome.js';
import {
  type CallbackOutcome,
  NOT_TRUNCATED,
  type TaskInFlight,
  type ThreadData,
  type TokenRecord,
} from './types.js';

/**
 * What happens after a restart to a task whose dispatch was in flight: `fail` it with the ambiguous-invocation
 * cause (Retry decides; AWS Standard workflows run a task at most once), or `redispatch` it (at least once).
 */
export type RecoveryMode = 'fail' | 'redispatch';

/**
 * The cause AWS gives when it cannot tell whether an invocation ran (reported as States.TaskFailed); for other
 * integrations the same words name the service call.
 */
export function ambiguousInvocationCause(
  task: Pick<TaskInFlight, 'lambda' | 'resource' | 'resourceType'>,
): string {
  if (task.lambda || task.resourceType === 'lambda') {
    return 'An attempt was made to invoke the Lambda function. Step Functions cannot determine whether Lambda successfully received the call and executed the function.';
  }
  return `An attempt was made to call ${task.resource}. Step Functions cannot determine whether the service successfully received the call and ran it.`;
}

/** What the task lifecycle needs from the execution it belongs to. */
export interface TaskOwner {
  readonly finished: boolean;
  readonly executionArn: string;
  readonly nextEventId: number;
  readonly region: string;
  now(): number;
  emit(th: ThreadData, type: string, key?: string, d?: Record<string, unknown>): number;
  touch(th: ThreadData): void;
  state(th: ThreadData): CompiledState;
  post(threadId: string, msg: Message): void;
  afterCommit(fn: () => void): void;
  dispatch(threadId: string, task: TaskInFlight): AbortController;
  /** A token was opened or closed: recorded at the next commit, and known to the engine. */
  tokenChanged(token: TokenRecord): void;
  setTimer(threadId: string, at: number, msg: Message): void;
  cancelTimers(threadId: string): void;
  failState(th: ThreadData, st: CompiledState, err: StatesError): Promise<void>;
  completeState(th: ThreadData, st: CompiledState, result: unknown): MaybePromise<void>;
}

export class TaskLifecycle {
  private readonly controllers = new Map<number, AbortController>();
  /** Open task tokens by attempt (the attempt is the id of the task's scheduled event). */
  private readonly tokens = new Map<number, string>();
  /** Timeouts recorded and waiting to fail their state as a step of its own. */
  private readonly pendingFailures = new Map<string, StatesError>();

  constructor(private readonly owner: TaskOwner) {}

  /** Records TaskScheduled (or LambdaFunctionScheduled) and yields; the next step starts the task. */
  schedule(th: ThreadData, st: CompiledState, parameters: unknown, opts: TaskOptions): void {
    const owner = this.owner;
    const resource = st.raw.Resource as string;
    const info = resourceInfo(resource);
    checkIntegrationParameters(info, parameters);
    checkTaskSeconds(opts.timeoutSeconds, opts.heartbeatSeconds);
    checkTaskParameters(st.name, parameters);
    let attempt: number;
    if (info.lambda) {
      const d: Record<string, unknown> = { resource, input: parameters, inputDetails: NOT_TRUNCATED };
      if (opts.timeoutSeconds !== undefined) d.timeoutInSeconds = opts.timeoutSeconds;
      attempt = owner.emit(th, 'LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', d);
    } else if (info.activity) {
      const d: Record<string, unknown> = { resource, input: parameters, inputDetails: NOT_TRUNCATED };
      if (opts.timeoutSeconds !== undefined) d.timeoutInSeconds = opts.timeoutSeconds;
      if (opts.heartbeatSeconds !== undefined) d.heartbeatInSeconds = opts.heartbeatSeconds;
      attempt = owner.emit(th, 'ActivityScheduled', 'activityScheduledEventDetails', d);
    } else {
      const d: Record<string, unknown> = {
        resourceType: info.resourceType,
        resource: info.resourceName,
        region: owner.region,
        parameters,
      };
      if (opts.timeoutSeconds !== undefined) d.timeoutInSeconds = opts.timeoutSeconds;
      if (opts.heartbeatSeconds !== undefined) d.heartbeatInSeconds = opts.heartbeatSeconds;
      attempt = owner.emit(th, 'TaskScheduled', 'taskScheduledEventDetails', d);
    }
    if (attempt === 0) attempt = -owner.nextEventId - Math.floor(Math.random() * 1e9);
    const task: TaskInFlight = {
      attempt,
      resource,
      parameters,
      lambda: info.lambda,
      ...(info.activity ? { activity: true } : {}),
      sync: info.sync || undefined,
      resourceType: info.resourceType,
      resourceName: info.resourceName,
      token: opts.token,
      timeoutSeconds: opts.timeoutSeconds,
      heartbeatSeconds: opts.heartbeatSeconds,
    };
    if (opts.token) {
      this.tokens.set(attempt, opts.token);
      owner.tokenChanged({
        token: opts.token,
        execArn: owner.executionArn,
        threadId: th.id,
        attempt,
        status: 'open',
      });
    }
    th.phase = { t: 'task-start', task };
    owner.touch(th);
    owner.post(th.id, { t: 'run' });
  }

  /** Records TaskStarted; the task is dispatched and its timers armed once that is committed. */
  start(th: ThreadData, task: TaskInFlight): void {
    const owner = this.owner;
    this.emitStarted(th, task);
    const now = owner.now();
    if (task.timeoutSeconds !== undefined) task.timeoutAt = now + task.timeoutSeconds * 1000;
    // Heartbeats arrive through a task token (SendTaskHeartbeat): a request-response task has none to miss.
    if (task.heartbeatSeconds !== undefined && task.token && !task.sync) {
      task.heartbeatAt = now + task.heartbeatSeconds * 1000;
    }
    th.phase = { t: 'task', task };
    owner.touch(th);
    owner.afterCommit(() => {
      if (owner.finished || th.phase.t !== 'task' || th.phase.task !== task) return;
      this.armTimers(th, task);
      this.controllers.set(task.attempt, owner.dispatch(th.id, task));
    });
  }

  /**
   * After a restart, the task of a thread checkpointed while it ran. A task waiting for its callback (submitted)
   * keeps waiting, and a callback recorded early is delivered. A task whose dispatch was in flight may or may not
   * have run: with `recovery: 'fail'` (the default, as AWS Standard workflows) it fails with `States.TaskFailed`
   * and the ambiguous-invocation cause, so the state's Retry and Catch decide; with `'redispatch'` it is started
   * again (at least once), recorded as a second TaskStarted.
   */
  resume(th: ThreadData, task: TaskInFlight, recovery: RecoveryMode): void {
    const owner = this.owner;
    if (task.token) this.tokens.set(task.attempt, task.token);
    if (task.submitted && !task.sync) {
      this.armTimers(th, task);
      return;
    }
    if (task.token && task.early && !task.sync) {
      // The callback already arrived and was recorded; the dispatch result is not needed any more.
      this.armTimers(th, task);
      task.submitted = true;
      owner.post(th.id, { t: 'callback', attempt: task.attempt, outcome: task.early });
      task.early = undefined;
      return;
    }
    if (recovery === 'fail') {
      const cause = ambiguousInvocationCause(task);
      this.end(th, task, 'closed');
      this.emitFailed(th, task, 'States.TaskFailed', cause);
      owner.touch(th);
      // Failed as a step of its own, like a timeout: Retry or Catch of the state decide.
      this.pendingFailures.set(th.id, new StatesError('States.TaskFailed', cause));
      owner.post(th.id, { t: 'timer' });
      return;
    }
    this.emitStarted(th, task);
    owner.touch(th);
    this.armTimers(th, task);
    owner.afterCommit(() => {
      if (owner.finished || th.phase.t !== 'task' || th.phase.task !== task) return;
      this.controllers.set(task.attempt, owner.dispatch(th.id, task));
    });
  }

  private armTimers(th: ThreadData, task: TaskInFlight): void {
    const at = Math.min(
      task.timeoutAt ?? Number.POSITIVE_INFINITY,
      task.heartbeatAt ?? Number.POSITIVE_INFINITY,
    );
    if (!Number.isFinite(at)) return;
    this.owner.setTimer(th.id, at, { t: 'task-timeout', attempt: task.attempt });
  }

  private activeTask(th: ThreadData, attempt: number): TaskInFlight | undefined {
    const p = th.phase;
    return p.t === 'task' && p.task.attempt === attempt ? p.task : undefined;
  }

  /** The task ends (or its state is aborted): timers cancelled, dispatch aborted, token closed. */
  end(th: ThreadData, task: TaskInFlight, tokenStatus: TokenRecord['status']): void {
    this.owner.cancelTimers(th.id);
    this.controllers.get(task.attempt)?.abort();
    this.controllers.delete(task.attempt);
    if (task.token) this.closeToken(task.attempt, tokenStatus);
  }

  private closeToken(attempt: number, status: TokenRecord['status']): void {
    const token = this.tokens.get(attempt);
    if (!token) return;
    this.tokens.delete(attempt);
    this.owner.tokenChanged({ token, execArn: this.owner.executionArn, threadId: '', attempt, status });
  }

  /** The execution ended: every dispatch aborted, every token closed. */
  closeAll(): void {
    this.abortAll();
    for (const attempt of [...this.tokens.keys()]) this.closeToken(attempt, 'closed');
  }

  /** The runtime closes: abort the dispatches in flight and record nothing (the checkpoint stays). */
  abortAll(): void {
    for (const c of this.controllers.values()) c.abort();
    this.controllers.clear();
  }

  /** A timeout recorded for the thread, to fail its state now (see {@link onTimeout}). */
  takePendingFailure(threadId: string): StatesError | undefined {
    const failure = this.pendingFailures.get(threadId);
    if (failure) this.pendingFailures.delete(threadId);
    return failure;
  }

  private emitStarted(th: ThreadData, task: TaskInFlight): void {
    // An activity starts when a worker takes it (ActivityStarted, recorded as its submission).
    if (task.activity) return;
    if (task.lambda) this.owner.emit(th, 'LambdaFunctionStarted');
    else {
      this.owner.emit(th, 'TaskStarted', 'taskStartedEventDetails', {
        resourceType: task.resourceType,
        resource: task.resourceName,
      });
    }
  }

  private emitSucceeded(th: ThreadData, task: TaskInFlight, output: unknown): void {
    if (task.activity) {
      this.owner.emit(th, 'ActivitySucceeded', 'activitySucceededEventDetails', {
        output,
        outputDetails: NOT_TRUNCATED,
      });
    } else if (task.lambda) {
      this.owner.emit(th, 'LambdaFunctionSucceeded', 'lambdaFunctionSucceededEventDetails', {
        output,
        outputDetails: NOT_TRUNCATED,
      });
    } else {
      this.owner.emit(th, 'TaskSucceeded', 'taskSucceededEventDetails', {
        resourceType: task.resourceType,
        resource: task.resourceName,
        output,
        outputDetails: NOT_TRUNCATED,
      });
    }
  }

  private emitFailed(th: ThreadData, task: TaskInFlight, error?: string, cause?: string): void {
    const d: Record<string, unknown> = {};
    if (error !== undefined && error !== '') d.error = error;
    if (cause !== undefined) d.cause = cause;
    if (task.activity) this.owner.emit(th, 'ActivityFailed', 'activityFailedEventDetails', d);
    else if (task.lambda) this.owner.emit(th, 'LambdaFunctionFailed', 'lambdaFunctionFailedEventDetails', d);
    else {
      this.owner.emit(th, 'TaskFailed', 'taskFailedEventDetails', {
        resourceType: task.resourceType,
        resource: task.resourceName,
        ...d,
      });
    }
  }

  private emitSubmitted(th: ThreadData, task: TaskInFlight, output: unknown): void {
    if (task.activity) {
      const workerName = (output as { workerName?: unknown } | null)?.workerName;
      this.owner.emit(
        th,
        'ActivityStarted',
        'activityStartedEventDetails',
        typeof workerName === 'string' ? { workerName } : {},
      );
      return;
    }
    this.owner.emit(th, 'TaskSubmitted', 'taskSubmittedEventDetails', {
      resourceType: task.resourceType,
      resource: task.resourceName,
      output,
      outputDetails: NOT_TRUNCATED,
    });
  }

  /** The dispatch answered: the task's result (or, for a token task, its submission). */
  async onResult(th: ThreadData, msg: Extract<Message, { t: 'task-result' }>): Promise<void> {
    const owner = this.owner;
    const task = this.activeTask(th, msg.attempt);
    if (!task || (task.submitted && !task.sync)) return;
    this.controllers.delete(task.attempt);
    const st = owner.state(th);
    if (!msg.ok) {
      this.end(th, task, 'closed');
      this.emitFailed(th, task, msg.error, msg.cause);
      owner.touch(th);
      // A dispatcher answers `States.Runtime` for a resource it cannot run: the execution fails, uncaught.
      const failure =
        msg.error === 'States.Runtime'
          ? new RuntimeFailure(msg.cause ?? '')
          : new StatesError(msg.error, msg.cause);
      await owner.failState(th, st, failure);
      return;
    }
    if (task.token && !task.sync) {
      task.submitted = true;
      this.emitSubmitted(th, task, msg.value);
      owner.touch(th);
      if (task.early) {
        const early = task.early;
        task.early = undefined;
        await this.onCallback(th, task.attempt, early);
      }
      return;
    }
    if (task.sync && !task.submitted) {
      task.submitted = true;
      this.emitSubmitted(th, task, msg.value);
      if (task.early) {
        const early = task.early;
        task.early = undefined;
        await this.onCallback(th, task.attempt, early);
        return;
      }
    }
    this.end(th, task, 'closed');
    this.emitSucceeded(th, task, msg.value);
    owner.touch(th);
    const r = owner.completeState(th, st, msg.value);
    if (r) await r;
  }

  /** A `.sync` task was submitted (its job started); the result comes later. */
  onSubmitted(th: ThreadData, attempt: number, value: unknown): void {
    const task = this.activeTask(th, attempt);
    if (!task?.sync || task.submitted) return;
    task.submitted = true;
    this.emitSubmitted(th, task, value);
    this.owner.touch(th);
  }

  /** SendTaskSuccess / SendTaskFailure (kept for later when the task was not submitted yet). */
  async onCallback(th: ThreadData, attempt: number, outcome: CallbackOutcome): Promise<void> {
    const owner = this.owner;
    const task = this.activeTask(th, attempt);
    if (!task) return;
    if (!task.submitted) {
      task.early = outcome;
      owner.touch(th);
      return;
    }
    const st = owner.state(th);
    this.end(th, task, 'done');
    if (outcome.kind === 'success') {
      this.emitSucceeded(th, task, outcome.output);
      owner.touch(th);
      const r = owner.completeState(th, st, outcome.output);
      if (r) await r;
    } else {
      this.emitFailed(th, task, outcome.error, outcome.cause);
      owner.touch(th);
      await owner.failState(th, st, new StatesError(outcome.error ?? '', outcome.cause));
    }
  }

  /** SendTaskHeartbeat: the heartbeat deadline moves on. */
  onHeartbeat(th: ThreadData, attempt: number): void {
    const task = this.activeTask(th, attempt);
    if (!task || task.heartbeatSeconds === undefined) return;
    task.heartbeatAt = this.owner.now() + task.heartbeatSeconds * 1000;
    this.owner.touch(th);
    this.owner.cancelTimers(th.id);
    this.owner.afterCommit(() => {
      if (this.activeTask(th, attempt) === task) this.armTimers(th, task);
    });
  }

  /** A task timer fired: records TaskTimedOut when the timeout or the heartbeat deadline passed. */
  onTimeout(th: ThreadData, attempt: number): void {
    const owner = this.owner;
    const task = this.activeTask(th, attempt);
    if (!task) return;
    const now = owner.now();
    const heartbeat = task.heartbeatAt !== undefined && task.heartbeatAt <= now;
    const timeout = task.timeoutAt !== undefined && task.timeoutAt <= now;
    if (!heartbeat && !timeout) {
      this.armTimers(th, task);
      return;
    }
    // Step Functions records a missed heartbeat as States.Timeout too; Retry/Catch also see it as HeartbeatTimeout.
    const error = 'States.Timeout';
    this.end(th, task, 'timedout');
    if (task.activity) owner.emit(th, 'ActivityTimedOut', 'activityTimedOutEventDetails', { error });
    else if (task.lambda)
      owner.emit(th, 'LambdaFunctionTimedOut', 'lambdaFunctionTimedOutEventDetails', { error });
    else {
      owner.emit(th, 'TaskTimedOut', 'taskTimedOutEventDetails', {
        resourceType: task.resourceType,
        resource: task.resourceName,
        error,
      });
    }
    owner.touch(th);
    // The failure is handled as a step of its own, after other work already queued (as AWS orders it).
    this.pendingFailures.set(th.id, heartbeat && !timeout ? new HeartbeatTimeout() : new StatesError(error));
    owner.post(th.id, { t: 'timer' });
  }
}
