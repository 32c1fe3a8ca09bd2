/**
 * The local Step Functions runtime: {@link createLocalStepFunctions} opens the store (SQLite under `dataDir`, or
 * memory), resumes every RUNNING execution, and returns the Step Functions API as {@link StepFunctionsService}
 * methods with AWS's semantics and errors. The HTTP server (`local/states/http/`) only (de)serialises these.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type * as sfn from '@aws-sdk/client-sfn';
import { type Clock, realClock } from './clock.js';
import { DefinitionError, loadDefinition } from './definition.js';
import { Engine, MAX_PAYLOAD_BYTES, type StatesLogger, silentLogger } from './engine/engine.js';
import { toHistoryEvent } from './engine/events.js';
import type { ExecutionRecord, ExecutionStatus, StateMachineRecord } from './engine/types.js';
import { StatesApiError, type StepFunctionsService } from './service.js';
import { MemoryStore } from './store/memory.js';
import { SqliteStore } from './store/sqlite.js';
import type { Store } from './store/store.js';
import type { TaskDispatcher } from './tasks.js';

export type { Clock } from './clock.js';
export { realClock, VirtualClock } from './clock.js';
export type { StatesLogger } from './engine/engine.js';

export interface LocalStepFunctionsOptions {
  /** Directory of the SQLite database (`<dataDir>/states.sqlite`); undefined = in memory. */
  dataDir?: string;
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

// biome-ignore lint/suspicious/noControlCharactersInRegex: AWS forbids control characters in names
const NAME_RE = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

function err(type: string, message: string): StatesApiError {
  return new StatesApiError(type, message);
}

function encodeToken(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

function decodeToken<T>(token: string | undefined): T | undefined {
  if (token === undefined || token === '') return undefined;
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    throw err('InvalidToken', `Invalid Token: '${token}'`);
  }
}

function pageSize(max: number | undefined, def = 100): number {
  if (max === undefined || max === 0) return def;
  if (max < 0 || max > 1000 || !Number.isInteger(max)) {
    throw err(
      'ValidationException',
      `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`,
    );
  }
  return max;
}

function requireString(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') {
    throw err(
      'ValidationException',
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return v;
}

class LocalStepFunctionsRuntime extends EventEmitter implements LocalStepFunctions {
  readonly region: string;
  readonly accountId: string;
  readonly recovery = { executions: 0, ms: 0 };
  readonly #store: Store;
  readonly #engine: Engine;
  readonly #clock: Clock;
  readonly #defaultRole: string;
  readonly #awaiters = new Map<string, (() => void)[]>();
  #closed = false;

  constructor(options: LocalStepFunctionsOptions) {
    super();
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.#clock = options.clock ?? realClock;
    this.#defaultRole = options.roleArn ?? `arn:aws:iam::${this.accountId}:role/StepFunctionsLocal`;
    this.#store = options.dataDir ? new SqliteStore(options.dataDir) : new MemoryStore();
    this.#engine = new Engine(
      this.#store,
      options.dispatcher,
      this.#clock,
      this.region,
      this.accountId,
      options.logger ?? silentLogger,
    );
    this.#engine.events.on('executionStatusChanged', (e: ExecutionStatusChange) => {
      this.emit('executionStatusChanged', e);
      if (e.status !== 'RUNNING') {
        const waiters = this.#awaiters.get(e.executionArn);
        if (waiters) {
          this.#awaiters.delete(e.executionArn);
          for (const w of waiters) w();
        }
      }
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

  // ---------------------------------------------------------------------------------------------------------------
  // ARNs

  #smArn(name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }

  #execArn(smName: string, name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:execution:${smName}:${name}`;
  }

  #requireSmArn(arn: unknown): string {
    const s = requireString(arn, 'stateMachineArn');
    if (!/^arn:aws[a-z-]*:states:[^:]*:[^:]*:stateMachine:[^:]+(:[^:]+)?$/.test(s)) {
      throw err('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${s}'`);
    }
    return s;
  }

  #requireExecArn(arn: unknown): string {
    const s = requireString(arn, 'executionArn');
    if (!/^arn:aws[a-z-]*:states:[^:]*:[^:]*:execution:[^:]+:[^:]+$/.test(s)) {
      throw err('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${s}'`);
    }
    return s;
  }

  #getSm(arn: string): StateMachineRecord {
    const sm = this.#store.getStateMachine(arn);
    if (!sm) throw err('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return sm;
  }

  #getExec(arn: string): ExecutionRecord {
    const running = this.#engine.running.get(arn);
    if (running) return running.record;
    const rec = this.#engine.recent.get(arn) ?? this.#store.getExecution(arn);
    if (!rec) throw err('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return rec;
  }

  #validateDefinition(definition: unknown): string {
    const text = requireString(definition, 'definition');
    if (Buffer.byteLength(text) > 1_048_576) {
      throw err('InvalidDefinition', 'Invalid State Machine Definition: definition is larger than 1 MB');
    }
    try {
      loadDefinition(text);
    } catch (e) {
      if (e instanceof DefinitionError) throw err('InvalidDefinition', e.message);
      throw err('InvalidDefinition', `Invalid State Machine Definition: '${String(e)}'`);
    }
    return text;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // State machines

  async createStateMachine(input: sfn.CreateStateMachineInput): Promise<sfn.CreateStateMachineOutput> {
    this.#check();
    const name = requireString(input.name, 'name');
    if (!NAME_RE.test(name)) throw err('InvalidName', `Invalid Name: '${name}'`);
    const definition = this.#validateDefinition(input.definition);
    const type = input.type ?? 'STANDARD';
    if (type !== 'STANDARD' && type !== 'EXPRESS') {
      throw err(
        'ValidationException',
        `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`,
      );
    }
    const roleArn = input.roleArn ?? this.#defaultRole;
    const arn = this.#smArn(name);
    const existing = this.#store.getStateMachine(arn);
    if (existing) {
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type) {
        return { stateMachineArn: arn, creationDate: new Date(existing.createdMs) };
      }
      throw err('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const tags: Record<string, string> = {};
    for (const t of input.tags ?? []) if (t.key) tags[t.key] = t.value ?? '';
    if (Object.keys(tags).length > 50) throw err('TooManyTags', 'Too many tags');
    const now = this.#clock.now();
    const sm: StateMachineRecord = {
      arn,
      name,
      definition,
      roleArn,
      type,
      createdMs: now,
      revisionId: randomUUID(),
      description: input.versionDescription,
      loggingConfiguration: input.loggingConfiguration,
      tracingConfiguration: input.tracingConfiguration,
      tags,
    };
    this.#store.putStateMachine(sm);
    return { stateMachineArn: arn, creationDate: new Date(now) };
  }

  async updateStateMachine(input: sfn.UpdateStateMachineInput): Promise<sfn.UpdateStateMachineOutput> {
    this.#check();
    const arn = this.#requireSmArn(input.stateMachineArn);
    const sm = this.#getSm(arn);
    if (
      input.definition === undefined &&
      input.roleArn === undefined &&
      input.loggingConfiguration === undefined &&
      input.tracingConfiguration === undefined
    ) {
      throw err(
        'MissingRequiredParameter',
        'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
      );
    }
    if (input.definition !== undefined) sm.definition = this.#validateDefinition(input.definition);
    if (input.roleArn !== undefined) sm.roleArn = input.roleArn;
    if (input.loggingConfiguration !== undefined) sm.loggingConfiguration = input.loggingConfiguration;
    if (input.tracingConfiguration !== undefined) sm.tracingConfiguration = input.tracingConfiguration;
    sm.updatedMs = this.#clock.now();
    sm.revisionId = randomUUID();
    this.#store.putStateMachine(sm);
    return { updateDate: new Date(sm.updatedMs), revisionId: sm.revisionId };
  }

  async describeStateMachine(input: sfn.DescribeStateMachineInput): Promise<sfn.DescribeStateMachineOutput> {
    this.#check();
    const sm = this.#getSm(this.#requireSmArn(input.stateMachineArn));
    return this.#describeSm(sm, sm.definition);
  }

  #describeSm(sm: StateMachineRecord, definition: string): sfn.DescribeStateMachineOutput {
    return {
      stateMachineArn: sm.arn,
      name: sm.name,
      status: 'ACTIVE',
      definition,
      roleArn: sm.roleArn,
      type: sm.type,
      creationDate: new Date(sm.createdMs),
      loggingConfiguration: (sm.loggingConfiguration as sfn.LoggingConfiguration) ?? {
        level: 'OFF',
        includeExecutionData: false,
      },
      tracingConfiguration: (sm.tracingConfiguration as sfn.TracingConfiguration) ?? { enabled: false },
      revisionId: sm.revisionId,
      ...(sm.description ? { description: sm.description } : {}),
    };
  }

  async listStateMachines(input: sfn.ListStateMachinesInput = {}): Promise<sfn.ListStateMachinesOutput> {
    this.#check();
    const limit = pageSize(input.maxResults);
    const cursor = decodeToken<{ o: number }>(input.nextToken);
    const all = this.#store
      .listStateMachines()
      .sort((a, b) => a.createdMs - b.createdMs || a.name.localeCompare(b.name));
    const offset = cursor?.o ?? 0;
    const page = all.slice(offset, offset + limit);
    const out: sfn.ListStateMachinesOutput = {
      stateMachines: page.map((sm) => ({
        stateMachineArn: sm.arn,
        name: sm.name,
        type: sm.type,
        creationDate: new Date(sm.createdMs),
      })),
    };
    if (offset + limit < all.length) out.nextToken = encodeToken({ o: offset + limit });
    return out;
  }

  async deleteStateMachine(input: sfn.DeleteStateMachineInput): Promise<sfn.DeleteStateMachineOutput> {
    this.#check();
    const arn = this.#requireSmArn(input.stateMachineArn);
    this.#store.deleteStateMachine(arn);
    return {};
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Executions

  async startExecution(input: sfn.StartExecutionInput): Promise<sfn.StartExecutionOutput> {
    this.#check();
    const smArn = this.#requireSmArn(input.stateMachineArn);
    const sm = this.#getSm(smArn);
    const name = input.name ?? randomUUID();
    if (!NAME_RE.test(name)) throw err('InvalidName', `Invalid Name: '${name}'`);
    const text = input.input ?? '{}';
    if (Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES) {
      throw err(
        'ValidationException',
        "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144",
      );
    }
    try {
      JSON.parse(text);
    } catch (e) {
      throw err('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(e as Error).message}'`);
    }
    const arn = this.#execArn(sm.name, name);
    // A name we generated ourselves (a random UUID) cannot exist yet.
    const existing =
      input.name === undefined
        ? undefined
        : (this.#engine.running.get(arn)?.record ?? this.#store.getExecution(arn));
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === text) {
        return { executionArn: arn, startDate: new Date(existing.startMs) };
      }
      throw err('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const record: ExecutionRecord = {
      arn,
      smArn,
      smName: sm.name,
      name,
      status: 'RUNNING',
      input: text,
      startMs: this.#clock.now(),
      definition: sm.definition,
      roleArn: sm.roleArn,
      ...(input.traceHeader ? { traceHeader: input.traceHeader } : {}),
    };
    await this.#engine.startExecution(record);
    return { executionArn: arn, startDate: new Date(record.startMs) };
  }

  async describeExecution(input: sfn.DescribeExecutionInput): Promise<sfn.DescribeExecutionOutput> {
    this.#check();
    return this.#describe(this.#getExec(this.#requireExecArn(input.executionArn)));
  }

  #describe(r: ExecutionRecord): sfn.DescribeExecutionOutput {
    const out: sfn.DescribeExecutionOutput = {
      executionArn: r.arn,
      stateMachineArn: r.smArn,
      name: r.name,
      status: r.status as sfn.ExecutionStatus,
      startDate: new Date(r.startMs),
      input: r.input,
      inputDetails: { included: true },
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
    if (r.stopMs !== undefined && r.status !== 'RUNNING') out.stopDate = new Date(r.stopMs);
    if (r.status === 'SUCCEEDED') {
      out.output = r.output ?? 'null';
      out.outputDetails = { included: true };
    }
    if (r.error !== undefined) out.error = r.error;
    if (r.cause !== undefined) out.cause = r.cause;
    if (r.traceHeader) out.traceHeader = r.traceHeader;
    if (r.status === 'RUNNING') delete out.redriveStatus;
    return out;
  }

  async listExecutions(input: sfn.ListExecutionsInput): Promise<sfn.ListExecutionsOutput> {
    this.#check();
    const smArn = this.#requireSmArn(input.stateMachineArn);
    this.#getSm(smArn);
    const limit = pageSize(input.maxResults);
    const cursor = decodeToken<{ c: string }>(input.nextToken);
    const page = this.#store.listExecutions({ smArn, status: input.statusFilter, limit, cursor: cursor?.c });
    const out: sfn.ListExecutionsOutput = {
      executions: page.items.map((r) => {
        const item: sfn.ExecutionListItem = {
          executionArn: r.arn,
          stateMachineArn: r.smArn,
          name: r.name,
          status: r.status as sfn.ExecutionStatus,
          startDate: new Date(r.startMs),
        };
        if (r.stopMs !== undefined && r.status !== 'RUNNING') item.stopDate = new Date(r.stopMs);
        return item;
      }),
    };
    if (page.cursor !== undefined) out.nextToken = encodeToken({ c: page.cursor });
    return out;
  }

  async getExecutionHistory(input: sfn.GetExecutionHistoryInput): Promise<sfn.GetExecutionHistoryOutput> {
    this.#check();
    const arn = this.#requireExecArn(input.executionArn);
    this.#getExec(arn);
    // Events of a running execution may still sit in the engine's buffer: make them durable first.
    if (this.#engine.running.get(arn)?.pending.length) await this.#engine.flushed();
    const limit = pageSize(input.maxResults);
    const cursor = decodeToken<{ a: number; r: boolean }>(input.nextToken);
    const reverse = input.reverseOrder === true;
    if (cursor && cursor.r !== reverse) throw err('InvalidToken', `Invalid Token: '${input.nextToken}'`);
    const events = this.#store.getEvents(arn, { reverse, limit: limit + 1, after: cursor?.a });
    const page = events.slice(0, limit);
    const include = input.includeExecutionData !== false;
    const out: sfn.GetExecutionHistoryOutput = { events: page.map((e) => toHistoryEvent(e, include)) };
    const last = page[page.length - 1];
    if (events.length > limit && last) out.nextToken = encodeToken({ a: last.id, r: reverse });
    return out;
  }

  async stopExecution(input: sfn.StopExecutionInput): Promise<sfn.StopExecutionOutput> {
    this.#check();
    const arn = this.#requireExecArn(input.executionArn);
    const rec = this.#getExec(arn);
    const pending = this.#engine.stop(arn, input.error, input.cause);
    if (pending) await pending;
    const after = this.#getExec(arn);
    return { stopDate: new Date(after.stopMs ?? rec.stopMs ?? this.#clock.now()) };
  }

  async describeStateMachineForExecution(
    input: sfn.DescribeStateMachineForExecutionInput,
  ): Promise<sfn.DescribeStateMachineForExecutionOutput> {
    this.#check();
    const rec = this.#getExec(this.#requireExecArn(input.executionArn));
    const sm = this.#store.getStateMachine(rec.smArn);
    return {
      stateMachineArn: rec.smArn,
      name: rec.smName,
      definition: rec.definition,
      roleArn: rec.roleArn,
      updateDate: new Date(sm?.updatedMs ?? sm?.createdMs ?? rec.startMs),
      loggingConfiguration: (sm?.loggingConfiguration as sfn.LoggingConfiguration) ?? {
        level: 'OFF',
        includeExecutionData: false,
      },
      tracingConfiguration: (sm?.tracingConfiguration as sfn.TracingConfiguration) ?? { enabled: false },
      ...(sm?.revisionId ? { revisionId: sm.revisionId } : {}),
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Task tokens

  #token(taskToken: unknown) {
    const token = requireString(taskToken, 'taskToken');
    if (!Engine.isWellFormedToken(token)) throw err('InvalidToken', "Invalid Token: 'Invalid token'");
    const found = this.#engine.lookupToken(token);
    if (!found.entry) {
      if (found.status === 'timedout')
        throw err('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
      throw err('TaskDoesNotExist', "Task Does Not Exist: 'Provided task does not exist anymore'");
    }
    return { token, entry: found.entry };
  }

  async sendTaskSuccess(input: sfn.SendTaskSuccessInput): Promise<sfn.SendTaskSuccessOutput> {
    this.#check();
    const text = requireString(input.output, 'output');
    if (Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES) {
      throw err(
        'ValidationException',
        "1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to 262144",
      );
    }
    let output: unknown;
    try {
      output = JSON.parse(text);
    } catch (e) {
      throw err('InvalidOutput', `Invalid Output: '${(e as Error).message}'`);
    }
    const { token, entry } = this.#token(input.taskToken);
    this.#engine.takeToken(token);
    await this.#engine.postDurable(entry.exec, entry.threadId, {
      t: 'callback',
      attempt: entry.attempt,
      outcome: { kind: 'success', output },
    });
    return {};
  }

  async sendTaskFailure(input: sfn.SendTaskFailureInput): Promise<sfn.SendTaskFailureOutput> {
    this.#check();
    const { token, entry } = this.#token(input.taskToken);
    this.#engine.takeToken(token);
    await this.#engine.postDurable(entry.exec, entry.threadId, {
      t: 'callback',
      attempt: entry.attempt,
      outcome: { kind: 'failure', error: input.error, cause: input.cause },
    });
    return {};
  }

  async sendTaskHeartbeat(input: sfn.SendTaskHeartbeatInput): Promise<sfn.SendTaskHeartbeatOutput> {
    this.#check();
    const { entry } = this.#token(input.taskToken);
    await this.#engine.postDurable(entry.exec, entry.threadId, { t: 'heartbeat', attempt: entry.attempt });
    return {};
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Tags

  #taggable(resourceArn: unknown): StateMachineRecord {
    const arn = requireString(resourceArn, 'resourceArn');
    const sm = this.#store.getStateMachine(arn);
    if (!sm) throw err('ResourceNotFound', `Resource not found: '${arn}'`);
    return sm;
  }

  async tagResource(input: sfn.TagResourceInput): Promise<sfn.TagResourceOutput> {
    this.#check();
    const sm = this.#taggable(input.resourceArn);
    for (const t of input.tags ?? []) if (t.key) sm.tags[t.key] = t.value ?? '';
    if (Object.keys(sm.tags).length > 50) throw err('TooManyTags', `Too many tags: '${sm.arn}'`);
    this.#store.putStateMachine(sm);
    return {};
  }

  async untagResource(input: sfn.UntagResourceInput): Promise<sfn.UntagResourceOutput> {
    this.#check();
    const sm = this.#taggable(input.resourceArn);
    for (const k of input.tagKeys ?? []) delete sm.tags[k];
    this.#store.putStateMachine(sm);
    return {};
  }

  async listTagsForResource(input: sfn.ListTagsForResourceInput): Promise<sfn.ListTagsForResourceOutput> {
    this.#check();
    const sm = this.#taggable(input.resourceArn);
    return { tags: Object.entries(sm.tags).map(([key, value]) => ({ key, value })) };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Local helpers

  idle(options?: { includeInFlight?: boolean }): Promise<void> {
    return this.#engine.idle(options);
  }

  awaitExecution(executionArn: string): Promise<sfn.DescribeExecutionOutput> {
    const rec = this.#getExec(executionArn);
    if (rec.status !== 'RUNNING') return Promise.resolve(this.#describe(rec));
    return new Promise((resolve, reject) => {
      const list = this.#awaiters.get(executionArn) ?? [];
      list.push(() => {
        try {
          resolve(this.#describe(this.#getExec(executionArn)));
        } catch (e) {
          reject(e);
        }
      });
      this.#awaiters.set(executionArn, list);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#engine.close();
    this.#store.close();
  }
}
