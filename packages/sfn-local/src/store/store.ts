/**
 * Where the runtime keeps state machines, executions, their history and the continuation of running executions.
 * Two implementations share this interface and the engine's single code path: {@link MemoryStore} (tests, speed)
 * and {@link SqliteStore} (durable, better-sqlite3 in WAL mode).
 */
import type {
  ExecutionRecord,
  StateMachineRecord,
  StoredEvent,
  ThreadData,
  TokenRecord,
} from '../engine/types.js';

/** Everything one execution changed since the previous commit. */
export interface CommitItem {
  record: ExecutionRecord;
  /** Insert the record (first commit of the execution) rather than update it. */
  isNew: boolean;
  /** Write the record (new or status changed). */
  recordChanged: boolean;
  events: StoredEvent[];
  upserts: ThreadData[];
  deletes: string[];
  /** The execution finished: drop its whole continuation. */
  deleteAllThreads: boolean;
  tokens: TokenRecord[];
}

export interface ExecutionQuery {
  smArn: string;
  status?: string;
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

export interface EventQuery {
  reverse: boolean;
  limit: number;
  /** Continue after this event id (before it when reverse). */
  after?: number;
}

export interface RunningExecution {
  record: ExecutionRecord;
  threads: ThreadData[];
  lastEventId: number;
}

/** Runs an ended execution again to give back its history (engine/replay.ts); the store keeps no engine code. */
export interface HistoryReplayer {
  /** True when a history of `events` events of this definition can be replayed. */
  replayable(definition: string, events: number): boolean;
  /** The history of an execution that ended, run again from its record (timestamps not restored). */
  events(record: ExecutionRecord): StoredEvent[];
}

export interface Store {
  /** True when the store keeps thread checkpoints (and so needs them at every commit). */
  readonly persistent: boolean;
  /**
   * True when every commit waits for the disk (an fsync): the engine then lets concurrent requests of one event-loop
   * turn share a commit. Otherwise a commit is cheap and work starts in the same turn.
   */
  readonly syncedCommits?: boolean;
  /** Applies the changes of several executions in one transaction. */
  commit(items: CommitItem[]): void;

  putStateMachine(sm: StateMachineRecord): void;
  getStateMachine(arn: string): StateMachineRecord | undefined;
  listStateMachines(): StateMachineRecord[];
  deleteStateMachine(arn: string): void;

  /** Other API resources (versions, aliases, activities) as JSON documents by kind and ARN. */
  putResource(kind: string, arn: string, data: unknown): void;
  getResource(kind: string, arn: string): unknown;
  listResources(kind: string): unknown[];
  deleteResource(kind: string, arn: string): void;

  getExecution(arn: string): ExecutionRecord | undefined;
  listExecutions(q: ExecutionQuery): { items: ExecutionRecord[]; cursor?: string };
  getEvents(arn: string, q: EventQuery): StoredEvent[];
  tokenStatus(token: string): TokenRecord['status'] | undefined;

  /** Housekeeping the engine runs when it has nothing else to do (e.g. a WAL checkpoint). */
  maintenance?(): void;

  /** Every RUNNING execution with its checkpointed threads (after a restart). */
  loadRunning(): RunningExecution[];
  close(): void;
}
