import type { ExecutionSummary, HistoryEvent } from '../domain/audit.js';

export interface ExecutionHistory {
  /** The execution ARN of the onboarding state machine's execution with that name. */
  executionArnFor(name: string): string;
  /** Undefined if Step Functions does not know it (never started, or older than its retention). */
  describeExecution(executionArn: string): Promise<ExecutionSummary | undefined>;
  /** One page, oldest first. Throws if the execution does not exist. */
  getHistoryPage(
    executionArn: string,
    nextToken?: string,
  ): Promise<{ events: HistoryEvent[]; nextToken?: string }>;
  listExecutions(options: {
    status?: ExecutionSummary['status'];
    nextToken?: string;
    maxResults?: number;
  }): Promise<{ executions: ExecutionSummary[]; nextToken?: string }>;
}
