/**
 * The data of a running execution: records as the store keeps them and the continuation of every thread
 * (the root of the execution, a Parallel branch, a Map iteration). Everything here is plain JSON so that the
 * durable store can checkpoint it and a restarted runtime can resume from it.
 */

export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE';

/** One history event. JSON-text fields of the API (`input`, `output`, `parameters`...) hold parsed values here. */
export interface StoredEvent {
  id: number;
  prev: number;
  /** epoch ms */
  ts: number;
  type: string;
  /** The `*EventDetails` key, when the event has details. */
  key?: string;
  d?: Record<string, unknown>;
}

export interface StateMachineRecord {
  arn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  createdMs: number;
  updatedMs?: number;
  revisionId: string;
  description?: string;
  loggingConfiguration?: unknown;
  tracingConfiguration?: unknown;
  tags: Record<string, string>;
  /** Number of the last published version (numbers are never reused). */
  lastVersion?: number;
}

export interface ExecutionRecord {
  arn: string;
  smArn: string;
  smName: string;
  name: string;
  status: ExecutionStatus;
  /** JSON text as given to StartExecution. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startMs: number;
  stopMs?: number;
  /** The definition this execution runs (a snapshot taken at start). */
  definition: string;
  roleArn: string;
  traceHeader?: string;
  /** Started through a version ARN, or through an alias (which routed to `versionArn`). */
  versionArn?: string;
  aliasArn?: string;
  /** An EXPRESS execution (`express:` ARN): not visible to DescribeExecution / GetExecutionHistory. */
  express?: boolean;
  /** RedriveExecution: how many times, and when last. */
  redriveCount?: number;
  redriveMs?: number;
}

export interface TokenRecord {
  token: string;
  execArn: string;
  threadId: string;
  attempt: number;
  status: 'open' | 'done' | 'timedout' | 'closed';
}

/** What a thread is doing inside its current state. */
export type Phase =
  /** Not yet entered: the next step emits `<Type>StateEntered`. */
  | { t: 'enter' }
  /** Entered; the next step runs (or re-runs, after a retry) the state's body. */
  | { t: 'run' }
  /** `TaskScheduled` emitted; the next step emits `TaskStarted` and dispatches. */
  | { t: 'task-start'; task: TaskInFlight }
  /** Dispatched; waiting for the dispatcher's result, a callback, a timeout or a heartbeat. */
  | { t: 'task'; task: TaskInFlight }
  /** Wait state until `until` (epoch ms). */
  | { t: 'wait'; until: number }
  /** Waiting before a retry. */
  | { t: 'retry'; until: number }
  /** Parallel / Map: children run. */
  | { t: 'children'; fan: FanOut };

export interface TaskInFlight {
  /** Unique per attempt (the id of its TaskScheduled / LambdaFunctionScheduled event). */
  attempt: number;
  resource: string;
  parameters: unknown;
  lambda: boolean;
  /** An activity task: Activity* events (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html). */
  activity?: boolean;
  /** `.sync` / `.sync:2`: request-response for the dispatcher, with TaskSubmitted recorded. */
  sync?: boolean;
  /** For the events: e.g. resourceType `lambda`, resource `invoke.waitForTaskToken`. */
  resourceType: string;
  resourceName: string;
  token?: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  /** Absolute deadlines, epoch ms. */
  timeoutAt?: number;
  heartbeatAt?: number;
  /** The dispatch returned (for token tasks: TaskSubmitted recorded). */
  submitted?: boolean;
  /** A callback that arrived before dispatch returned. */
  early?: CallbackOutcome;
}

export type CallbackOutcome =
  | { kind: 'success'; output: unknown }
  | { kind: 'failure'; error?: string; cause?: string };

export interface FanOut {
  kind: 'parallel' | 'map';
  /** Child thread ids by index (undefined = not started yet). */
  children: (string | undefined)[];
  /** Map: the items (after ItemsPath / Items). */
  items?: unknown[];
  /** Map: the effective state input (after InputPath) for ItemSelector. */
  selectorInput?: unknown;
  outputs: unknown[];
  done: number;
  failed: number;
  started: number;
  running: number;
  maxConcurrency: number;
  toleratedCount?: number;
  toleratedPercentage?: number;
  /** Id of the last MapIterationSucceeded (for the previousEventId of MapStateSucceeded). */
  lastIterationEventId?: number;
  /** Distributed map: a map run ARN; children run without history events. */
  mapRunArn?: string;
}

export interface ThreadData {
  id: string;
  parent?: string;
  /** Key of the scope (States block) the thread runs in. */
  scope: string;
  kind: 'root' | 'branch' | 'iteration';
  index?: number;
  /** Children of a distributed Map record no events. */
  silent?: boolean;
  state: string;
  /** The raw input of the current state. */
  input: unknown;
  enteredEventId: number;
  /** previousEventId of the Entered event (EvaluationFailed points there). */
  enteredPrev?: number;
  enteredAt: number;
  /** Retries made in the current state ($$.State.RetryCount) and per retrier. */
  retryCount: number;
  attempts?: number[];
  phase: Phase;
  /** Variables assigned in this thread's scope. */
  vars?: Record<string, unknown>;
  /** Id of the last event of this thread (previousEventId of the next one). */
  last: number;
  /** Once finished: the outcome the parent reads. */
  done?: { ok: true; output: unknown } | { ok: false; error?: string; cause?: string };
}

/** `{ truncated: false }`, shared by every event that has one (never mutated; the API layer hands out copies). */
export const NOT_TRUNCATED: { readonly truncated: false } = Object.freeze({ truncated: false });
