/**
 * What a state does, as data: the state functions (state-types/) compute a {@link StateOutcome} from the thread and
 * the definition, and the execution applies it (events, threads, timers, tasks). They read the execution only
 * through {@link StateEnv}.
 */
import type { Bindings } from '../json/jsonata.js';
import type { PathScope } from './template.js';
import type { ThreadData } from './types.js';

/** Context object members that only exist inside a task (its token) or a Map iteration (its item). */
export interface ContextExtra {
  token?: string;
  item?: { index: number; value: unknown };
}

/** What a state function may read from the execution it runs in. */
export interface StateEnv {
  /** The scope JSONPath paths and intrinsic functions of a thread resolve against. */
  pathScope(th: ThreadData, input: unknown, extra?: ContextExtra): PathScope;
  /** The JSONata bindings of a thread: `$states`, its variables and the Step Functions functions. */
  bindings(
    th: ThreadData,
    states: { input: unknown; result?: unknown; errorOutput?: unknown },
    extra?: ContextExtra,
  ): Bindings;
  now(): number;
  /** A new task token (for `.waitForTaskToken` and `.sync` tasks). */
  newToken(): string;
}

export interface TaskOptions {
  token?: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

export interface ToleratedFailures {
  count?: number;
  pct?: number;
}

export type StateOutcome =
  /** Leave the state with `output` (to `next`, else the state's own Next or End). */
  | { kind: 'exit'; output: unknown; assigned?: unknown; next?: string }
  /** The thread fails (a Fail state). */
  | { kind: 'fail'; error?: string; cause?: string }
  /** Wait until a time (epoch ms). */
  | { kind: 'wait'; until: number }
  /** Schedule the state's task with these parameters. */
  | { kind: 'task'; parameters: unknown; options: TaskOptions }
  /** Start the branches of a Parallel state with this input. */
  | { kind: 'parallel'; input: unknown }
  /**
   * Start the iterations of a Map state. `tolerated` is read after MapStateStarted is recorded (a bad
   * ToleratedFailure* path fails the state after that event, as on AWS).
   */
  | { kind: 'map'; items: unknown[]; maxConcurrency: number; tolerated: () => ToleratedFailures };

export type MaybePromise<T> = T | Promise<T>;
