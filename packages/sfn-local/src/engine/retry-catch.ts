/**
 * A state failed: its Retry rules (backoff, max delay, jitter), then its Catch rules, else the thread fails.
 * `States.Runtime` fails the execution at once; an evaluation failure is recorded as EvaluationFailed first.
 */
import type { CompiledState } from '../definition.js';
import { EvaluationFailure, HeartbeatTimeout, RuntimeFailure, StatesError } from '../errors.js';
import { causePrefix, errorMatches } from './dataflow.js';
import type { MaybePromise, StateEnv, StateOutcome } from './outcome.js';
import * as States from './states.js';
import type { ThreadData } from './types.js';

/** What failure handling needs from the execution. */
export interface FailureHost extends StateEnv {
  readonly finished: boolean;
  emit(th: ThreadData, type: string, key?: string, d?: Record<string, unknown>): number;
  touch(th: ThreadData): void;
  /** Arms the thread's timer (after the next commit). */
  armTimer(th: ThreadData, at: number): void;
  apply(th: ThreadData, st: CompiledState, outcome: StateOutcome): MaybePromise<void>;
  failExecution(th: ThreadData, error: string, cause?: string): void;
  threadFailed(th: ThreadData, error?: string, cause?: string): void;
}

export async function handleFailure(
  host: FailureHost,
  th: ThreadData,
  st: CompiledState,
  err: StatesError,
): Promise<void> {
  if (host.finished || th.done) return;
  if (err instanceof RuntimeFailure) {
    host.failExecution(th, err.error, causePrefix(st, th.enteredEventId) + (err.errorCause ?? ''));
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
    host.emit(th, 'EvaluationFailed', 'evaluationFailedEventDetails', d);
  }
  const error = err.error;
  const matches = (errorEquals: readonly string[]) =>
    errorMatches(errorEquals, error) ||
    (err instanceof HeartbeatTimeout && errorEquals.includes('States.HeartbeatTimeout'));
  // Retry
  const idx = st.retry.findIndex((r) => matches(r.errorEquals));
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
      const until = host.now() + Math.round(delay * 1000);
      th.phase = { t: 'retry', until };
      host.touch(th);
      host.armTimer(th, until);
      return;
    }
  }
  // Not retried: a Map or Parallel state records its failure before it is caught or fails its thread.
  if (st.type === 'Map') host.emit(th, 'MapStateFailed');
  else if (st.type === 'Parallel') host.emit(th, 'ParallelStateFailed');
  // Catch
  const catcher = st.catch.find((c) => matches(c.errorEquals));
  if (catcher) {
    // A failure without an error name (e.g. SendTaskFailure with neither error nor cause) reads as nulls.
    const errorOutput: Record<string, unknown> =
      error === '' ? { Error: null, Cause: cause ?? null } : { Error: error };
    if (cause !== undefined) errorOutput.Cause = cause;
    // A timeout has no cause; AWS's error output still carries `"Cause": ""`.
    else if (error === 'States.Timeout') errorOutput.Cause = '';
    try {
      const outcome = States.catchError(host, th, st, catcher, errorOutput);
      await host.apply(th, st, outcome instanceof Promise ? await outcome : outcome);
    } catch (e) {
      const inner = e instanceof StatesError ? e : new RuntimeFailure(String(e));
      if (inner instanceof RuntimeFailure) {
        host.failExecution(th, inner.error, causePrefix(st, th.enteredEventId) + (inner.errorCause ?? ''));
      } else {
        host.threadFailed(th, inner.error, inner.errorCause);
      }
    }
    return;
  }
  host.threadFailed(th, error === '' ? undefined : error, cause);
}
