/**
 * The local Step Functions runtime: {@link createLocalStepFunctions} opens the store (SQLite under `dataDir`, or
 * memory), resumes every RUNNING execution, and returns the Step Functions API as {@link StepFunctionsService}
 * methods with AWS's semantics and errors. The HTTP server (`http/`) only (de)serialises these.
 */
import { EventEmitter } from 'node:events';
import type * as sfn from '@aws-sdk/client-sfn';
import { Activities } from './api/activities.js';
import { Aliases } from './api/aliases.js';
import { Callbacks } from './api/callbacks.js';
import type { ApiContext } from './api/context.js';
import { Executions } from './api/executions.js';
import { MapRuns } from './api/map-runs.js';
import { PageTokens } from './api/paging.js';
import { Resources } from './api/records.js';
import { Redrive } from './api/redrive.js';
import { StateMachines } from './api/state-machines.js';
import { Tagging } from './api/tagging.js';
import { TestStates } from './api/test-state.js';
import { validateStateMachineDefinition } from './api/validate-definition.js';
import { Versions } from './api/versions.js';
import { type Clock, realClock } from './clock.js';
import { Engine, type StatesLogger, silentLogger } from './engine/engine.js';
import { historyReplayer } from './engine/replay.js';
import type { RecoveryMode } from './engine/task-lifecycle.js';
import type { ExecutionStatus } from './engine/types.js';
import { StatesApiError, type StepFunctionsService } from './service.js';
import { MemoryStore } from './store/memory.js';
import { type Durability, SqliteStore } from './store/sqlite.js';
import type { Store } from './store/store.js';
import type { TaskDispatcher } from './tasks.js';

export type { Clock } from './clock.js';
export { realClock, VirtualClock } from './clock.js';
export type { StatesLogger } from './engine/engine.js';
export type { RecoveryMode } from './engine/task-lifecycle.js';
export type { Durability } from './store/sqlite.js';

export interface LocalStepFunctionsOptions {
  /** Directory of the SQLite database (`<dataDir>/states.sqlite`); undefined = in memory. */
  dataDir?: string;
  /**
   * With `dataDir`: `normal` (default) survives a crash of the process; `full` (SQLite synchronous=FULL) also
   * survives a power loss or an OS crash, at the cost of an fsync per commit. See store/sqlite.ts.
   */
  durability?: Durability;
  /**
   * With `dataDir`: a second thread writes the journal's commits to the SQLite tables (see store/sqlite.ts). Faster
   * when a core is free; on a machine with no spare core it competes with the engine's thread. Default false.
   */
  writerThread?: boolean;
  /**
   * After a restart, a task whose dispatch was in flight: `fail` (default, as AWS Standard workflows) fails it with
   * States.TaskFailed and the ambiguous-invocation cause, so Retry/Catch decide; `redispatch` runs it again.
   */
  recovery?: RecoveryMode;
  dispatcher: TaskDispatcher;
  /** Default `us-east-1`. */
  region?: string;
  /** Default `123456789012`. */
  accountId?: string;
  /** Default: the real clock. */
  clock?: Clock;
  logger?: StatesLogger;
  /** Role ARN recorded when CreateStateMachine gives none. */
  roleArn?: string;
  /** How long GetActivityTask waits for a task before answering without one. Default 60 s, as AWS. */
  activityPollMs?: number;
}

export interface ExecutionStatusChange {
  executionArn: string;
  stateMachineArn: string;
  status: ExecutionStatus;
}

export interface LocalStepFunctions extends StepFunctionsService {
  readonly region: string;
  readonly accountId: string;
  /** What recovery did when this instance opened its data directory. */
  readonly recovery: { executions: number; ms: number };
  /** Stops timers, aborts in-flight tasks, closes the database. Idempotent. */
  close(): Promise<void>;
  /**
   * Resolves once no execution has runnable work and (unless `includeInFlight: false`) no task dispatch is in
   * flight: everything left waits on a timer or a task token.
   */
  idle(options?: { includeInFlight?: boolean }): Promise<void>;
  /** Resolves with DescribeExecution once the execution is no longer RUNNING. */
  awaitExecution(executionArn: string): Promise<sfn.DescribeExecutionOutput>;
  on(event: 'executionStatusChanged', listener: (e: ExecutionStatusChange) => void): this;
  off(event: 'executionStatusChanged', listener: (e: ExecutionStatusChange) => void): this;
}

export async function createLocalStepFunctions(
  options: LocalStepFunctionsOptions,
): Promise<LocalStepFunctions> {
  const runtime = new LocalStepFunctionsRuntime(options);
  runtime.start();
  return runtime;
}

// -----------------------------------------------------------------------------------------------------------------

/** The API: each group of actions lives in its module under `api/`; this class wires them to one engine. */
class LocalStepFunctionsRuntime extends EventEmitter implements LocalStepFunctions {
  readonly region: string;
  readonly accountId: string;
  readonly recovery = { executions: 0, ms: 0 };
  readonly #store: Store;
  readonly #engine: Engine;
  readonly #activities: Activities;
  readonly #machines: StateMachines;
  readonly #versions: Versions;
  readonly #aliases: Aliases;
  readonly #executions: Executions;
  readonly #callbacks: Callbacks;
  readonly #tagging: Tagging;
  readonly #mapRuns: MapRuns;
  readonly #testStates: TestStates;
  readonly #redrive: Redrive;
  readonly #unsupported: ApiContext['unsupportedIntegration'];
  #closed = false;

  constructor(options: LocalStepFunctionsOptions) {
    super();
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    const clock = options.clock ?? realClock;
    this.#store = options.dataDir
      ? new SqliteStore(options.dataDir, {
          durability: options.durability ?? 'normal',
          writerThread: options.writerThread ?? false,
          replayer: historyReplayer(this.region, this.accountId),
        })
      : new MemoryStore();
    const resources = new Resources(this.#store);
    // Activities are a resource of the API: their tasks wait for GetActivityTask instead of going to the dispatcher.
    let activities: Activities | undefined;
    const dispatcher = {
      dispatch: (request: Parameters<TaskDispatcher['dispatch']>[0]) =>
        (activities as Activities).dispatcher(options.dispatcher).dispatch(request),
    };
    this.#engine = new Engine(
      this.#store,
      dispatcher,
      clock,
      this.region,
      this.accountId,
      options.logger ?? silentLogger,
      options.recovery ?? 'fail',
    );
    const ctx: ApiContext = {
      region: this.region,
      accountId: this.accountId,
      store: this.#store,
      engine: this.#engine,
      clock,
      pages: new PageTokens(clock),
      defaultRoleArn: options.roleArn ?? `arn:aws:iam::${this.accountId}:role/StepFunctionsLocal`,
      unsupportedIntegration: (resource) =>
        (activities as Activities).dispatcher(options.dispatcher).unsupported?.(resource),
    };
    this.#unsupported = ctx.unsupportedIntegration;
    activities = new Activities(ctx, resources, options.activityPollMs);
    this.#activities = activities;
    this.#versions = new Versions(ctx, resources);
    this.#aliases = new Aliases(ctx, resources, this.#versions);
    this.#machines = new StateMachines(ctx, this.#versions, this.#aliases);
    const redrive = new Redrive(ctx, () => this.#executions);
    this.#redrive = redrive;
    this.#executions = new Executions(ctx, this.#machines, this.#versions, this.#aliases, (r) =>
      redrive.status(r),
    );
    this.#callbacks = new Callbacks(ctx, (arn) => resources.get('activity', arn) !== undefined);
    this.#tagging = new Tagging(ctx, resources);
    this.#mapRuns = new MapRuns(ctx, this.#executions);
    // TestState runs the state on a runtime of its own (in memory, virtual clock), with this one's dispatcher.
    this.#testStates = new TestStates(
      options.dispatcher,
      (o) =>
        createLocalStepFunctions({
          ...o,
          region: this.region,
          accountId: this.accountId,
          logger: options.logger,
        }),
      () => clock.now(),
    );
    this.#engine.events.on('executionStatusChanged', (e: ExecutionStatusChange) => {
      this.emit('executionStatusChanged', e);
    });
  }

  start(): void {
    const t0 = performance.now();
    this.recovery.executions = this.#engine.recover();
    this.recovery.ms = performance.now() - t0;
  }

  #check(): void {
    if (this.#closed)
      throw new StatesApiError('ServiceUnavailable', 'The local Step Functions runtime is closed', 503);
  }

  /** Runs an action once the runtime is known to be open; synchronous actions reject rather than throw. */
  async #run<T>(action: () => T | Promise<T>): Promise<T> {
    this.#check();
    return action();
  }

  // State machines, versions, aliases, definitions ------------------------------------------------------------------

  createStateMachine(input: sfn.CreateStateMachineInput) {
    return this.#run(() => this.#machines.createStateMachine(input));
  }
  updateStateMachine(input: sfn.UpdateStateMachineInput) {
    return this.#run(() => this.#machines.updateStateMachine(input));
  }
  describeStateMachine(input: sfn.DescribeStateMachineInput) {
    return this.#run(() => this.#machines.describeStateMachine(input));
  }
  listStateMachines(input: sfn.ListStateMachinesInput = {}) {
    return this.#run(() => this.#machines.listStateMachines(input));
  }
  deleteStateMachine(input: sfn.DeleteStateMachineInput) {
    return this.#run(() => this.#machines.deleteStateMachine(input));
  }
  publishStateMachineVersion(input: sfn.PublishStateMachineVersionInput) {
    return this.#run(() => this.#versions.publishStateMachineVersion(input));
  }
  listStateMachineVersions(input: sfn.ListStateMachineVersionsInput) {
    return this.#run(() => this.#versions.listStateMachineVersions(input));
  }
  deleteStateMachineVersion(input: sfn.DeleteStateMachineVersionInput) {
    return this.#run(() =>
      this.#versions.deleteStateMachineVersion(input, (arn) => this.#aliases.referencing(arn)),
    );
  }
  createStateMachineAlias(input: sfn.CreateStateMachineAliasInput) {
    return this.#run(() => this.#aliases.createStateMachineAlias(input));
  }
  updateStateMachineAlias(input: sfn.UpdateStateMachineAliasInput) {
    return this.#run(() => this.#aliases.updateStateMachineAlias(input));
  }
  describeStateMachineAlias(input: sfn.DescribeStateMachineAliasInput) {
    return this.#run(() => this.#aliases.describeStateMachineAlias(input));
  }
  listStateMachineAliases(input: sfn.ListStateMachineAliasesInput) {
    return this.#run(() => this.#aliases.listStateMachineAliases(input));
  }
  deleteStateMachineAlias(input: sfn.DeleteStateMachineAliasInput) {
    return this.#run(() => this.#aliases.deleteStateMachineAlias(input));
  }
  validateStateMachineDefinition(input: sfn.ValidateStateMachineDefinitionInput) {
    return this.#run(() => validateStateMachineDefinition(input, this.#unsupported));
  }
  testState(input: sfn.TestStateInput) {
    return this.#run(() => this.#testStates.testState(input));
  }

  // Executions -------------------------------------------------------------------------------------------------------

  async startExecution(input: sfn.StartExecutionInput): Promise<sfn.StartExecutionOutput> {
    const { record } = await this.#run(() => this.#executions.startExecution(input));
    return { executionArn: record.arn, startDate: new Date(record.startMs) };
  }
  startSyncExecution(input: sfn.StartSyncExecutionInput) {
    return this.#run(() => this.#executions.startSyncExecution(input));
  }
  describeExecution(input: sfn.DescribeExecutionInput) {
    return this.#run(() => this.#executions.describeExecution(input));
  }
  listExecutions(input: sfn.ListExecutionsInput) {
    return this.#run(() => this.#executions.listExecutions(input));
  }
  getExecutionHistory(input: sfn.GetExecutionHistoryInput) {
    return this.#run(() => this.#executions.getExecutionHistory(input));
  }
  stopExecution(input: sfn.StopExecutionInput) {
    return this.#run(() => this.#executions.stopExecution(input));
  }
  redriveExecution(input: sfn.RedriveExecutionInput) {
    return this.#run(() => this.#redrive.redriveExecution(input));
  }
  describeStateMachineForExecution(input: sfn.DescribeStateMachineForExecutionInput) {
    return this.#run(() => this.#executions.describeStateMachineForExecution(input));
  }
  describeMapRun(input: sfn.DescribeMapRunInput) {
    return this.#run(() => this.#mapRuns.describeMapRun(input));
  }
  listMapRuns(input: sfn.ListMapRunsInput) {
    return this.#run(() => this.#mapRuns.listMapRuns(input));
  }
  updateMapRun(input: sfn.UpdateMapRunInput) {
    return this.#run(() => this.#mapRuns.updateMapRun(input));
  }

  // Activities and task tokens ---------------------------------------------------------------------------------------

  createActivity(input: sfn.CreateActivityInput) {
    return this.#run(() => this.#activities.createActivity(input));
  }
  deleteActivity(input: sfn.DeleteActivityInput) {
    return this.#run(() => this.#activities.deleteActivity(input));
  }
  describeActivity(input: sfn.DescribeActivityInput) {
    return this.#run(() => this.#activities.describeActivity(input));
  }
  listActivities(input: sfn.ListActivitiesInput = {}) {
    return this.#run(() => this.#activities.listActivities(input));
  }
  getActivityTask(input: sfn.GetActivityTaskInput) {
    return this.#run(() => this.#activities.getActivityTask(input));
  }
  sendTaskSuccess(input: sfn.SendTaskSuccessInput) {
    return this.#run(() => this.#callbacks.sendTaskSuccess(input));
  }
  sendTaskFailure(input: sfn.SendTaskFailureInput) {
    return this.#run(() => this.#callbacks.sendTaskFailure(input));
  }
  sendTaskHeartbeat(input: sfn.SendTaskHeartbeatInput) {
    return this.#run(() => this.#callbacks.sendTaskHeartbeat(input));
  }

  // Tags -------------------------------------------------------------------------------------------------------------

  tagResource(input: sfn.TagResourceInput) {
    return this.#run(() => this.#tagging.tagResource(input));
  }
  untagResource(input: sfn.UntagResourceInput) {
    return this.#run(() => this.#tagging.untagResource(input));
  }
  listTagsForResource(input: sfn.ListTagsForResourceInput) {
    return this.#run(() => this.#tagging.listTagsForResource(input));
  }

  // Local helpers ----------------------------------------------------------------------------------------------------

  idle(options?: { includeInFlight?: boolean }): Promise<void> {
    return this.#engine.idle(options);
  }

  async awaitExecution(executionArn: string): Promise<sfn.DescribeExecutionOutput> {
    await this.#executions.finished(executionArn);
    return this.#executions.describe(this.#executions.get(executionArn));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#activities.close();
    await this.#engine.close();
    this.#store.close();
  }
}
