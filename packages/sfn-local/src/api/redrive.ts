/**
 * RedriveExecution (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html): a FAILED,
 * ABORTED or TIMED_OUT STANDARD execution that ended less than 14 days ago continues from the top-level state that
 * did not finish, with that state's input and the variables assigned before it; the successful steps are not run
 * again and the history goes on (ExecutionRedriven). The ARN stays the same; `redriveCount` and `redriveDate` grow.
 *
 * Difference: a Parallel or Map state that failed runs all its branches or iterations again (AWS reruns only the
 * failed ones).
 */
import type * as sfn from '@aws-sdk/client-sfn';
import { loadDefinition } from '../definition.js';
import { MAX_HISTORY_EVENTS } from '../engine/limits.js';
import type { ExecutionRecord } from '../engine/types.js';
import { parseExecutionArn } from './arns.js';
import { type ApiContext, apiError } from './context.js';
import type { Executions } from './executions.js';

export const REDRIVE_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;

interface RedrivePoint {
  state: string;
  input: unknown;
  vars?: Record<string, unknown>;
  lastEventId: number;
}

export class Redrive {
  constructor(
    private readonly ctx: ApiContext,
    private readonly executions: () => Executions,
  ) {}

  /** True when RedriveExecution would redrive the execution now; otherwise AWS's `redriveStatusReason`. */
  status(r: ExecutionRecord): true | string {
    if (r.status === 'RUNNING') return 'Execution is RUNNING and cannot be redriven';
    if (r.status === 'SUCCEEDED') return 'Execution is SUCCEEDED and cannot be redriven';
    if (r.express) return 'Execution of an EXPRESS state machine cannot be redriven';
    if (r.stopMs !== undefined && this.ctx.clock.now() - r.stopMs > REDRIVE_WINDOW_MS) {
      return 'Execution redrivable period exceeded';
    }
    const last = this.ctx.store.getEvents(r.arn, { reverse: true, limit: 1 })[0];
    if (last && last.id >= MAX_HISTORY_EVENTS) return 'Execution history event limit exceeded';
    return true;
  }

  #point(r: ExecutionRecord): RedrivePoint | undefined {
    const root = loadDefinition(r.definition, { trusted: true }).root.states;
    const events = this.ctx.store.getEvents(r.arn, { reverse: false, limit: MAX_HISTORY_EVENTS + 10 });
    let open: { state: string; input: unknown } | undefined;
    let vars: Record<string, unknown> | undefined;
    for (const e of events) {
      const name = e.d?.name;
      if (typeof name !== 'string' || !root.has(name)) continue;
      if (e.type.endsWith('StateEntered')) open = { state: name, input: e.d?.input };
      else if (e.type.endsWith('StateExited')) {
        open = undefined;
        const assigned = e.d?.assignedVariables as Record<string, unknown> | undefined;
        if (assigned) vars = { ...(vars ?? {}), ...assigned };
      }
    }
    const lastEventId = events.at(-1)?.id ?? 0;
    return open ? { ...open, ...(vars ? { vars } : {}), lastEventId } : undefined;
  }

  async redriveExecution(input: sfn.RedriveExecutionInput): Promise<sfn.RedriveExecutionOutput> {
    const ref = parseExecutionArn(input.executionArn);
    const r = this.executions().get(ref.arn);
    const status = this.status(r);
    if (status !== true) throw apiError('ExecutionNotRedrivable', `Execution Not Redrivable: '${status}'`);
    // Events of the ending may still sit in the engine's buffer.
    await this.ctx.engine.flushed();
    const point = this.#point(r);
    if (!point) {
      throw apiError(
        'ExecutionNotRedrivable',
        `Execution Not Redrivable: 'No state of ${r.arn} is left to run'`,
      );
    }
    const now = this.ctx.clock.now();
    r.status = 'RUNNING';
    delete r.stopMs;
    delete r.error;
    delete r.cause;
    delete r.output;
    r.redriveCount = (r.redriveCount ?? 0) + 1;
    r.redriveMs = now;
    await this.ctx.engine.redriveExecution(r, point);
    return { redriveDate: new Date(now) };
  }
}
