/**
 * Map Runs of Distributed Map states: DescribeMapRun, ListMapRuns, UpdateMapRun
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html).
 *
 * Here a Distributed Map runs its iterations inside the parent execution (no child executions), so a Map Run is
 * read from its execution: the live counts from the running Map state, the outcome from the history
 * (MapRunStarted / MapRunSucceeded / MapRunFailed). UpdateMapRun changes the running Map state's concurrency and
 * tolerated failures; a larger concurrency takes effect as iterations finish.
 */
import type * as sfn from '@aws-sdk/client-sfn';
import type { FanOut, StoredEvent } from '../engine/types.js';
import { parseExecutionArn, requireMapRunArn } from './arns.js';
import { type ApiContext, apiError, pageSize, slicePage, validationError } from './context.js';
import type { Executions } from './executions.js';

interface MapRunView {
  arn: string;
  executionArn: string;
  startMs: number;
  stopMs?: number;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  total: number;
  fan?: FanOut;
}

const MAP_RUN_RE = /^(arn:aws[a-z-]*:states:[^:]*:[^:]*):mapRun:([^/:]+)\/[^:]+:(.+)-\d+$/;

export class MapRuns {
  constructor(
    private readonly ctx: ApiContext,
    private readonly executions: Executions,
  ) {}

  #events(executionArn: string): StoredEvent[] {
    return this.ctx.store.getEvents(executionArn, { reverse: false, limit: 1_000_000 });
  }

  #runs(executionArn: string, events: StoredEvent[]): MapRunView[] {
    const record = this.executions.get(executionArn);
    const running = this.ctx.engine.running.get(executionArn);
    const fans = new Map<string, FanOut>();
    for (const th of running?.threads.values() ?? []) {
      if (th.phase.t === 'children' && th.phase.fan.mapRunArn) fans.set(th.phase.fan.mapRunArn, th.phase.fan);
    }
    const runs: MapRunView[] = [];
    const open: MapRunView[] = [];
    let lastLength = 0;
    for (const e of events) {
      if (e.type === 'MapStateStarted') lastLength = Number(e.d?.length ?? 0);
      if (e.type === 'MapRunStarted') {
        const arn = String(e.d?.mapRunArn);
        const fan = fans.get(arn);
        const run: MapRunView = {
          arn,
          executionArn,
          startMs: e.ts,
          status: 'RUNNING',
          total: fan?.items?.length ?? lastLength,
          ...(fan ? { fan } : {}),
        };
        runs.push(run);
        open.push(run);
      } else if (e.type === 'MapRunSucceeded' || e.type === 'MapRunFailed' || e.type === 'MapRunAborted') {
        const run = open.pop();
        if (run) {
          run.status =
            e.type === 'MapRunSucceeded' ? 'SUCCEEDED' : e.type === 'MapRunFailed' ? 'FAILED' : 'ABORTED';
          run.stopMs = e.ts;
        }
      }
    }
    if (record.status !== 'RUNNING') {
      for (const run of open) {
        run.status = 'ABORTED';
        run.stopMs = record.stopMs;
      }
    }
    return runs;
  }

  #find(mapRunArn: unknown): MapRunView {
    const arn = requireMapRunArn(mapRunArn);
    const m = MAP_RUN_RE.exec(arn);
    const notFound = apiError('ResourceNotFound', `Resource not found: '${arn}'`);
    if (!m) throw notFound;
    const executionArn = `${m[1]}:execution:${m[2]}:${m[3]}`;
    try {
      this.executions.get(executionArn);
    } catch {
      throw notFound;
    }
    const run = this.#runs(executionArn, this.#events(executionArn)).find((r) => r.arn === arn);
    if (!run) throw notFound;
    return run;
  }

  describeMapRun(input: sfn.DescribeMapRunInput): sfn.DescribeMapRunOutput {
    const run = this.#find(input.mapRunArn);
    const fan = run.fan;
    const counts = fan
      ? {
          pending: run.total - fan.started,
          running: fan.running,
          succeeded: fan.done,
          failed: fan.failed,
          timedOut: 0,
          aborted: 0,
          total: run.total,
          resultsWritten: 0,
        }
      : {
          pending: 0,
          running: 0,
          succeeded: run.status === 'SUCCEEDED' ? run.total : 0,
          failed: run.status === 'FAILED' ? run.total : 0,
          timedOut: 0,
          aborted: run.status === 'ABORTED' ? run.total : 0,
          total: run.total,
          resultsWritten: 0,
        };
    return {
      mapRunArn: run.arn,
      executionArn: run.executionArn,
      status: run.status,
      startDate: new Date(run.startMs),
      ...(run.stopMs !== undefined ? { stopDate: new Date(run.stopMs) } : {}),
      maxConcurrency: fan?.maxConcurrency ?? 0,
      toleratedFailurePercentage: fan?.toleratedPercentage ?? 0,
      toleratedFailureCount: fan?.toleratedCount ?? 0,
      itemCounts: counts,
      executionCounts: counts,
      redriveCount: 0,
    };
  }

  listMapRuns(input: sfn.ListMapRunsInput): sfn.ListMapRunsOutput {
    const executionArn = parseExecutionArn(input.executionArn).arn;
    this.executions.get(executionArn);
    const limit = pageSize(input.maxResults);
    const query = { op: 'ListMapRuns', executionArn };
    const offset = this.ctx.pages.read<number>(query, input.nextToken) ?? 0;
    const runs = this.#runs(executionArn, this.#events(executionArn));
    const page = slicePage(runs, offset, limit);
    return {
      mapRuns: page.items.map((r) => ({
        executionArn: r.executionArn,
        mapRunArn: r.arn,
        stateMachineArn: r.arn.replace(':mapRun:', ':stateMachine:').replace(/:[^:]+$/, ''),
        startDate: new Date(r.startMs),
        ...(r.stopMs !== undefined ? { stopDate: new Date(r.stopMs) } : {}),
      })),
      ...(page.next !== undefined ? { nextToken: this.ctx.pages.issue(query, page.next) } : {}),
    };
  }

  updateMapRun(input: sfn.UpdateMapRunInput): sfn.UpdateMapRunOutput {
    if (
      input.maxConcurrency === undefined &&
      input.toleratedFailureCount === undefined &&
      input.toleratedFailurePercentage === undefined
    ) {
      throw validationError(
        'At least one of maxConcurrency, toleratedFailureCount or toleratedFailurePercentage must be specified',
      );
    }
    if (input.toleratedFailurePercentage !== undefined) {
      const pct = input.toleratedFailurePercentage;
      if (pct < 0 || pct > 100) {
        throw validationError(
          `Value '${pct}' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have value between 0 and 100`,
        );
      }
    }
    const run = this.#find(input.mapRunArn);
    if (run.status !== 'RUNNING' || !run.fan) {
      throw validationError(`Map Run is not running: '${run.arn}'`);
    }
    const exec = this.ctx.engine.running.get(run.executionArn);
    const thread = exec
      ? [...exec.threads.values()].find((th) => th.phase.t === 'children' && th.phase.fan === run.fan)
      : undefined;
    if (input.maxConcurrency !== undefined) run.fan.maxConcurrency = input.maxConcurrency;
    if (input.toleratedFailureCount !== undefined) run.fan.toleratedCount = input.toleratedFailureCount;
    if (input.toleratedFailurePercentage !== undefined)
      run.fan.toleratedPercentage = input.toleratedFailurePercentage;
    if (exec && thread) {
      exec.touch(thread);
      this.ctx.engine.touched(exec);
    }
    return {};
  }
}
