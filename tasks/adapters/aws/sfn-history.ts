/** Execution histories from Step Functions (GetExecutionHistory pages, DescribeExecution, ListExecutions). */
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  type SFNClient,
  type HistoryEvent as SfnHistoryEvent,
} from '@aws-sdk/client-sfn';
import type { ExecutionSummary, HistoryEvent } from '../../domain/audit.js';
import type { ExecutionHistory } from '../../ports/execution-history.js';
import { readSettings } from './env.js';
import { sfnClient } from './sfn-callbacks.js';

/** The one `<type>EventDetails` member of an SDK history event. */
export function toHistoryEvent(e: SfnHistoryEvent): HistoryEvent {
  const detailsKey = Object.keys(e).find(
    (k) => k.endsWith('EventDetails') && (e as unknown as Record<string, unknown>)[k] !== undefined,
  );
  return {
    id: e.id ?? 0,
    ...(e.previousEventId !== undefined ? { previousEventId: e.previousEventId } : {}),
    timestamp: (e.timestamp ?? new Date(0)).toISOString(),
    type: e.type ?? 'Unknown',
    ...(detailsKey
      ? { details: (e as unknown as Record<string, unknown>)[detailsKey] as Record<string, unknown> }
      : {}),
  };
}

function toSummary(e: {
  executionArn?: string | undefined;
  name?: string | undefined;
  status?: string | undefined;
  startDate?: Date | undefined;
  stopDate?: Date | undefined;
}): ExecutionSummary {
  return {
    executionArn: e.executionArn ?? '',
    name: e.name ?? '',
    status: (e.status ?? 'RUNNING') as ExecutionSummary['status'],
    startDate: (e.startDate ?? new Date(0)).toISOString(),
    ...(e.stopDate ? { stopDate: e.stopDate.toISOString() } : {}),
  };
}

export class SfnExecutionHistory implements ExecutionHistory {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: () => string,
  ) {}

  executionArnFor(name: string) {
    return `${this.stateMachineArn().replace(':stateMachine:', ':execution:')}:${name}`;
  }

  async describeExecution(executionArn: string) {
    try {
      const r = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
      return toSummary(r);
    } catch (err) {
      if (err instanceof Error && err.name === 'ExecutionDoesNotExist') return undefined;
      throw err;
    }
  }

  async getHistoryPage(executionArn: string, nextToken?: string) {
    const r = await this.sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        nextToken,
        maxResults: 1000,
        includeExecutionData: true,
      }),
    );
    return {
      events: (r.events ?? []).map(toHistoryEvent),
      ...(r.nextToken ? { nextToken: r.nextToken } : {}),
    };
  }

  async listExecutions(options: {
    status?: ExecutionSummary['status'];
    nextToken?: string;
    maxResults?: number;
  }) {
    const r = await this.sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: this.stateMachineArn(),
        ...(options.status ? { statusFilter: options.status } : {}),
        ...(options.nextToken ? { nextToken: options.nextToken } : {}),
        maxResults: options.maxResults ?? 100,
      }),
    );
    return {
      executions: (r.executions ?? []).map(toSummary),
      ...(r.nextToken ? { nextToken: r.nextToken } : {}),
    };
  }
}

export function sfnHistoryFromEnv(
  env: Record<string, string | undefined> = process.env,
): SfnExecutionHistory {
  return new SfnExecutionHistory(sfnClient(), readSettings(env).stateMachineArn);
}
