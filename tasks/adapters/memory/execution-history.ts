import type { ExecutionSummary, HistoryEvent } from '../../domain/audit.js';
import type { ExecutionHistory } from '../../ports/execution-history.js';
import { clone, decodeOffset, encodeOffset } from './cursor.js';

/** GetExecutionHistory/DescribeExecution/ListExecutions in memory; pages of `pageSize` events. */
export class MemoryExecutionHistory implements ExecutionHistory {
  readonly executions = new Map<string, { summary: ExecutionSummary; events: HistoryEvent[] }>();
  pageSize = 100;
  pagesServed = 0;

  constructor(
    private readonly stateMachineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:Onboarding',
  ) {}

  executionArnFor(name: string) {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  add(summary: ExecutionSummary, events: HistoryEvent[]) {
    this.executions.set(summary.executionArn, { summary: clone(summary), events: clone(events) });
  }

  /** Simulates Step Functions' retention: the execution is gone. */
  forget(executionArn: string) {
    this.executions.delete(executionArn);
  }

  async describeExecution(executionArn: string) {
    const e = this.executions.get(executionArn);
    return e ? clone(e.summary) : undefined;
  }

  async getHistoryPage(executionArn: string, nextToken?: string) {
    const e = this.executions.get(executionArn);
    if (!e) throw new Error(`ExecutionDoesNotExist: ${executionArn}`);
    this.pagesServed += 1;
    const start = decodeOffset(nextToken);
    const events = clone(e.events.slice(start, start + this.pageSize));
    const next = start + this.pageSize;
    return next < e.events.length ? { events, nextToken: encodeOffset(next) } : { events };
  }

  async listExecutions(options: {
    status?: ExecutionSummary['status'];
    nextToken?: string;
    maxResults?: number;
  }) {
    const all = [...this.executions.values()]
      .map((e) => e.summary)
      .filter((s) => !options.status || s.status === options.status)
      .sort((a, b) => b.startDate.localeCompare(a.startDate));
    const start = decodeOffset(options.nextToken);
    const max = options.maxResults ?? 100;
    const executions = clone(all.slice(start, start + max));
    return start + max < all.length ? { executions, nextToken: encodeOffset(start + max) } : { executions };
  }
}
