/** Shared helpers for the runtime core tests: an in-memory runtime on a virtual clock, and a one-call run. */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { VirtualClock } from '../../src/clock.js';
import { createLocalStepFunctions, type LocalStepFunctions } from '../../src/runtime.js';
import type { TaskDispatcher, TaskRequest } from '../../src/tasks.js';

export const ROLE = 'arn:aws:iam::123456789012:role/test';

export interface Harness {
  rt: LocalStepFunctions;
  clock: VirtualClock;
  calls: TaskRequest[];
}

/** A dispatcher that records calls and answers with `handler` (default: echo the parameters). */
export function recordingDispatcher(
  calls: TaskRequest[],
  handler: (req: TaskRequest) => unknown | Promise<unknown> = (req) => req.parameters,
): TaskDispatcher {
  return {
    async dispatch(req) {
      calls.push(req);
      return handler(req);
    },
  };
}

export async function harness(
  handler?: (req: TaskRequest) => unknown | Promise<unknown>,
  options: { dataDir?: string; clock?: VirtualClock } = {},
): Promise<Harness> {
  const clock = options.clock ?? new VirtualClock(Date.UTC(2024, 0, 1));
  const calls: TaskRequest[] = [];
  const rt = await createLocalStepFunctions({
    dispatcher: recordingDispatcher(calls, handler),
    clock,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });
  return { rt, clock, calls };
}

let counter = 0;

export async function createMachine(
  rt: LocalStepFunctions,
  definition: unknown,
  name?: string,
): Promise<string> {
  const { stateMachineArn } = await rt.createStateMachine({
    name: name ?? `sm-${++counter}`,
    definition: JSON.stringify(definition),
    roleArn: ROLE,
  });
  return stateMachineArn as string;
}

export async function fullHistory(rt: LocalStepFunctions, executionArn: string): Promise<HistoryEvent[]> {
  const out: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await rt.getExecutionHistory({ executionArn, maxResults: 1000, nextToken });
    out.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

export function details(e: HistoryEvent | undefined): Record<string, unknown> {
  if (!e) return {};
  for (const [k, v] of Object.entries(e)) if (k.endsWith('EventDetails')) return v as Record<string, unknown>;
  return {};
}

/** Starts an execution and drives the virtual clock until it ends (or nothing is left to do). */
export async function runToEnd(h: Harness, stateMachineArn: string, input: unknown = {}) {
  const { executionArn } = await h.rt.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  const arn = executionArn as string;
  for (let i = 0; i < 10_000; i++) {
    // Test dispatchers answer at once (or never): in-flight dispatches are not waited for.
    await h.rt.idle({ includeInFlight: false });
    const d = await h.rt.describeExecution({ executionArn: arn });
    if (d.status !== 'RUNNING') break;
    if (!h.clock.runNext()) break;
  }
  const d = await h.rt.describeExecution({ executionArn: arn });
  const events = await fullHistory(h.rt, arn);
  return {
    arn,
    status: d.status,
    output: d.output !== undefined ? JSON.parse(d.output) : undefined,
    error: d.error,
    cause: d.cause,
    events,
    types: events.map((e) => e.type as string),
  };
}

/** Runs a definition on a fresh harness and closes it. */
export async function run(
  definition: unknown,
  input: unknown = {},
  handler?: (req: TaskRequest) => unknown | Promise<unknown>,
) {
  const h = await harness(handler);
  try {
    const arn = await createMachine(h.rt, definition);
    return { ...(await runToEnd(h, arn, input)), calls: h.calls };
  } finally {
    await h.rt.close();
  }
}
