/**
 * Executions: StartExecution (plain, version or alias ARN), StartSyncExecution (EXPRESS), DescribeExecution,
 * ListExecutions, GetExecutionHistory, StopExecution, DescribeStateMachineForExecution.
 *
 * EXPRESS executions (https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html) get
 * `express:` ARNs with a unique suffix (StartExecution is not idempotent for them), and DescribeExecution,
 * GetExecutionHistory, StopExecution and ListExecutions do not serve them, as in AWS (there, their history goes to
 * CloudWatch Logs).
 */
import { randomUUID } from 'node:crypto';
import type * as sfn from '@aws-sdk/client-sfn';
import { MAX_PAYLOAD_BYTES } from '../engine/engine.js';
import { toHistoryEvent } from '../engine/events.js';
import type { ExecutionRecord, StateMachineRecord } from '../engine/types.js';
import type { Aliases } from './aliases.js';
import { parseExecutionArn, parseStateMachineArn } from './arns.js';
import { type ApiContext, apiError, pageSize, requireName, validationError } from './context.js';
import type { StateMachines } from './state-machines.js';
import type { Versions } from './versions.js';

interface Target {
  sm: StateMachineRecord;
  definition: string;
  roleArn: string;
  versionArn?: string;
  aliasArn?: string;
}

export class Executions {
  readonly #awaiters = new Map<string, (() => void)[]>();

  constructor(
    private readonly ctx: ApiContext,
    private readonly machines: StateMachines,
    private readonly versions: Versions,
    private readonly aliases: Aliases,
    /** Whether RedriveExecution can redrive this execution now (false: with the reason). */
    private readonly redrivable: (r: ExecutionRecord) => true | string,
  ) {
    ctx.engine.events.on('executionStatusChanged', (e: { executionArn: string; status: string }) => {
      if (e.status === 'RUNNING') return;
      const waiters = this.#awaiters.get(e.executionArn);
      if (!waiters) return;
      this.#awaiters.delete(e.executionArn);
      for (const w of waiters) w();
    });
  }

  /** The record of an execution (running or not); ExecutionDoesNotExist otherwise. */
  get(arn: string): ExecutionRecord {
    const running = this.ctx.engine.running.get(arn);
    if (running) return running.record;
    const rec = this.ctx.engine.recent.get(arn) ?? this.ctx.store.getExecution(arn);
    if (!rec) throw apiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return rec;
  }

  /** A STANDARD execution, for the actions that do not serve EXPRESS ones. */
  #standard(value: unknown, action: string): ExecutionRecord {
    const ref = parseExecutionArn(value);
    if (ref.express) {
      throw apiError(
        'InvalidArn',
        `Invalid Arn: '${action} does not support EXPRESS executions: ${ref.arn}'`,
      );
    }
    return this.get(ref.arn);
  }

  /** Resolves StartExecution's state machine ARN: latest revision, a version, or an alias routing to a version. */
  #target(value: unknown): Target {
    const ref = parseStateMachineArn(value);
    if (ref.kind === 'stateMachine') {
      const sm = this.machines.require(ref.arn);
      return { sm, definition: sm.definition, roleArn: sm.roleArn };
    }
    const sm = this.machines.require(ref.smArn);
    let versionArn = ref.arn;
    let aliasArn: string | undefined;
    if (ref.kind === 'alias') {
      aliasArn = ref.arn;
      versionArn = this.aliases.route(this.aliases.require(ref.arn));
    }
    const version = this.versions.get(versionArn);
    if (!version) throw apiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${versionArn}'`);
    return {
      sm,
      definition: version.definition,
      roleArn: version.roleArn,
      versionArn,
      ...(aliasArn ? { aliasArn } : {}),
    };
  }

  async startExecution(
    input: sfn.StartExecutionInput,
    options: { sync?: boolean } = {},
  ): Promise<{ record: ExecutionRecord; existing: boolean }> {
    const target = this.#target(input.stateMachineArn);
    const express = target.sm.type === 'EXPRESS';
    if (options.sync && !express) {
      throw apiError(
        'StateMachineTypeNotSupported',
        `StartSyncExecution supports EXPRESS state machines only: '${target.sm.arn}'`,
      );
    }
    const name = input.name === undefined ? randomUUID() : requireName(input.name);
    const text = input.input ?? '{}';
    if (Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES) {
      throw validationError(
        `Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES}`,
      );
    }
    try {
      JSON.parse(text);
    } catch (e) {
      throw apiError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: '${(e as Error).message}'`,
      );
    }
    const base = `arn:aws:states:${this.ctx.region}:${this.ctx.accountId}`;
    const arn = express
      ? `${base}:express:${target.sm.name}:${name}:${randomUUID()}`
      : `${base}:execution:${target.sm.name}:${name}`;
    if (!express && input.name !== undefined) {
      const existing = this.ctx.engine.running.get(arn)?.record ?? this.ctx.store.getExecution(arn);
      if (existing) {
        // Idempotent for a RUNNING execution with the same input (STANDARD only).
        if (existing.status === 'RUNNING' && existing.input === text)
          return { record: existing, existing: true };
        throw apiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
      }
    }
    const record: ExecutionRecord = {
      arn,
      smArn: target.sm.arn,
      smName: target.sm.name,
      name,
      status: 'RUNNING',
      input: text,
      startMs: this.ctx.clock.now(),
      definition: target.definition,
      roleArn: target.roleArn,
      ...(input.traceHeader ? { traceHeader: input.traceHeader } : {}),
      ...(target.versionArn ? { versionArn: target.versionArn } : {}),
      ...(target.aliasArn ? { aliasArn: target.aliasArn } : {}),
      ...(express ? { express: true } : {}),
    };
    await this.ctx.engine.startExecution(record);
    return { record, existing: false };
  }

  async startSyncExecution(input: sfn.StartSyncExecutionInput): Promise<sfn.StartSyncExecutionOutput> {
    const { record } = await this.startExecution(input, { sync: true });
    await this.finished(record.arn);
    const r = this.get(record.arn);
    const out: sfn.StartSyncExecutionOutput = {
      executionArn: r.arn,
      stateMachineArn: r.versionArn ?? r.smArn,
      name: r.name,
      startDate: new Date(r.startMs),
      stopDate: new Date(r.stopMs ?? this.ctx.clock.now()),
      status: r.status as sfn.SyncExecutionStatus,
      billingDetails: {
        billedMemoryUsedInMB: 64,
        billedDurationInMilliseconds: Math.max(
          100,
          Math.ceil(((r.stopMs ?? r.startMs) - r.startMs) / 100) * 100,
        ),
      },
    };
    if (input.includedData !== 'METADATA_ONLY') {
      out.input = r.input;
      out.inputDetails = { included: true };
      if (r.status === 'SUCCEEDED') {
        out.output = r.output ?? 'null';
        out.outputDetails = { included: true };
      }
    }
    if (r.status !== 'SUCCEEDED') {
      if (r.error !== undefined) out.error = r.error;
      if (r.cause !== undefined) out.cause = r.cause;
    }
    if (r.traceHeader) out.traceHeader = r.traceHeader;
    return out;
  }

  /** Resolves once the execution is no longer RUNNING. */
  finished(arn: string): Promise<void> {
    if (this.get(arn).status !== 'RUNNING') return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.#awaiters.get(arn) ?? [];
      list.push(resolve);
      this.#awaiters.set(arn, list);
    });
  }

  describeExecution(input: sfn.DescribeExecutionInput): sfn.DescribeExecutionOutput {
    return this.describe(this.#standard(input.executionArn, 'DescribeExecution'));
  }

  describe(r: ExecutionRecord): sfn.DescribeExecutionOutput {
    const out: sfn.DescribeExecutionOutput = {
      executionArn: r.arn,
      stateMachineArn: r.smArn,
      name: r.name,
      status: r.status as sfn.ExecutionStatus,
      startDate: new Date(r.startMs),
      input: r.input,
      inputDetails: { included: true },
      redriveCount: r.redriveCount ?? 0,
    };
    if (r.stopMs !== undefined && r.status !== 'RUNNING') out.stopDate = new Date(r.stopMs);
    if (r.status === 'SUCCEEDED') {
      out.output = r.output ?? 'null';
      out.outputDetails = { included: true };
    }
    // AWS reports error and cause for a FAILED (or stopped) execution, not for a TIMED_OUT one
    // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html).
    if (r.status === 'FAILED' || r.status === 'ABORTED') {
      if (r.error !== undefined) out.error = r.error;
      if (r.cause !== undefined) out.cause = r.cause;
    }
    if (r.traceHeader) out.traceHeader = r.traceHeader;
    if (r.versionArn) out.stateMachineVersionArn = r.versionArn;
    if (r.aliasArn) out.stateMachineAliasArn = r.aliasArn;
    if (r.redriveMs !== undefined) out.redriveDate = new Date(r.redriveMs);
    const redrive = this.redrivable(r);
    if (redrive === true) out.redriveStatus = 'REDRIVABLE';
    else {
      out.redriveStatus = 'NOT_REDRIVABLE';
      out.redriveStatusReason = redrive;
    }
    return out;
  }

  listExecutions(input: sfn.ListExecutionsInput): sfn.ListExecutionsOutput {
    if (input.mapRunArn !== undefined) {
      if (input.stateMachineArn !== undefined) {
        throw validationError('Specify either stateMachineArn or mapRunArn, not both');
      }
      // Distributed Map iterations run inside their parent execution here: a Map Run has no child executions.
      return { executions: [] };
    }
    if (input.stateMachineArn === undefined) {
      throw validationError('Specify either stateMachineArn or mapRunArn');
    }
    const ref = parseStateMachineArn(input.stateMachineArn);
    const smArn = ref.kind === 'stateMachine' ? ref.arn : ref.smArn;
    const sm = this.machines.require(smArn);
    if (sm.type === 'EXPRESS') {
      throw apiError(
        'StateMachineTypeNotSupported',
        `ListExecutions does not support EXPRESS state machines: '${smArn}'`,
      );
    }
    const limit = pageSize(input.maxResults);
    const query = {
      op: 'ListExecutions',
      arn: ref.arn,
      status: input.statusFilter,
      redrive: input.redriveFilter,
    };
    let cursor = this.ctx.pages.read<string>(query, input.nextToken);
    const keep = (r: ExecutionRecord) =>
      (ref.kind === 'stateMachine' ||
        (ref.kind === 'version' ? r.versionArn === ref.arn : r.aliasArn === ref.arn)) &&
      (input.redriveFilter === undefined ||
        (input.redriveFilter === 'REDRIVEN') === (r.redriveCount ?? 0) > 0);
    const items: ExecutionRecord[] = [];
    do {
      const page = this.ctx.store.listExecutions({
        smArn,
        status: input.statusFilter,
        limit: limit - items.length,
        cursor,
      });
      items.push(...page.items.filter(keep));
      cursor = page.cursor;
    } while (cursor !== undefined && items.length < limit);
    return {
      executions: items.map((r) => {
        const item: sfn.ExecutionListItem = {
          executionArn: r.arn,
          stateMachineArn: r.smArn,
          name: r.name,
          status: r.status as sfn.ExecutionStatus,
          startDate: new Date(r.startMs),
        };
        if (r.stopMs !== undefined && r.status !== 'RUNNING') item.stopDate = new Date(r.stopMs);
        if (r.versionArn) item.stateMachineVersionArn = r.versionArn;
        if (r.aliasArn) item.stateMachineAliasArn = r.aliasArn;
        if (r.redriveCount) item.redriveCount = r.redriveCount;
        if (r.redriveMs !== undefined) item.redriveDate = new Date(r.redriveMs);
        return item;
      }),
      ...(cursor !== undefined ? { nextToken: this.ctx.pages.issue(query, cursor) } : {}),
    };
  }

  async getExecutionHistory(input: sfn.GetExecutionHistoryInput): Promise<sfn.GetExecutionHistoryOutput> {
    const rec = this.#standard(input.executionArn, 'GetExecutionHistory');
    const arn = rec.arn;
    // Events of a running execution may still sit in the engine's buffer: make them durable first.
    if (this.ctx.engine.running.get(arn)?.pending.length) await this.ctx.engine.flushed();
    const limit = pageSize(input.maxResults);
    const reverse = input.reverseOrder === true;
    const include = input.includeExecutionData !== false;
    const query = { op: 'GetExecutionHistory', arn, reverse, include };
    const after = this.ctx.pages.read<number>(query, input.nextToken);
    const events = this.ctx.store.getEvents(arn, { reverse, limit: limit + 1, after });
    const page = events.slice(0, limit);
    const out: sfn.GetExecutionHistoryOutput = { events: page.map((e) => toHistoryEvent(e, include)) };
    const last = page[page.length - 1];
    if (events.length > limit && last) out.nextToken = this.ctx.pages.issue(query, last.id);
    return out;
  }

  async stopExecution(input: sfn.StopExecutionInput): Promise<sfn.StopExecutionOutput> {
    const rec = this.#standard(input.executionArn, 'StopExecution');
    const pending = this.ctx.engine.stop(rec.arn, input.error, input.cause);
    if (pending) await pending;
    const after = this.get(rec.arn);
    return { stopDate: new Date(after.stopMs ?? rec.stopMs ?? this.ctx.clock.now()) };
  }

  describeStateMachineForExecution(
    input: sfn.DescribeStateMachineForExecutionInput,
  ): sfn.DescribeStateMachineForExecutionOutput {
    const rec = this.get(parseExecutionArn(input.executionArn).arn);
    const sm = this.ctx.store.getStateMachine(rec.smArn);
    const version = rec.versionArn ? this.versions.get(rec.versionArn) : undefined;
    return {
      stateMachineArn: rec.versionArn ?? rec.smArn,
      name: rec.smName,
      definition: rec.definition,
      roleArn: rec.roleArn,
      updateDate: new Date(version?.createdMs ?? sm?.updatedMs ?? sm?.createdMs ?? rec.startMs),
      loggingConfiguration: (sm?.loggingConfiguration as sfn.LoggingConfiguration) ?? {
        level: 'OFF',
        includeExecutionData: false,
      },
      tracingConfiguration: (sm?.tracingConfiguration as sfn.TracingConfiguration) ?? { enabled: false },
      ...((version?.revisionId ?? sm?.revisionId)
        ? { revisionId: version?.revisionId ?? sm?.revisionId }
        : {}),
    };
  }
}
