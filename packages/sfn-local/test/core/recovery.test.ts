/**
 * After a crash: what happens to a task whose dispatch was in flight (`recovery`), and how hard a commit holds
 * (`durability`). AWS Standard workflows run a task at most once and report an invocation they cannot confirm as
 * `States.TaskFailed` ("An attempt was made to invoke the Lambda function. Step Functions cannot determine whether
 * Lambda successfully received the call and executed the function."), which Retry and Catch handle
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/express-at-least-once-execution.html).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock.js';
import { createLocalStepFunctions, type LocalStepFunctions, type RecoveryMode } from '../../src/runtime.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { TaskRequest } from '../../src/tasks.js';
import { fullHistory, ROLE } from './helpers.js';

const AMBIGUOUS =
  'An attempt was made to invoke the Lambda function. Step Functions cannot determine whether Lambda successfully received the call and executed the function.';

const DEFINITION = {
  StartAt: 'Work',
  States: {
    Work: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work',
      Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 5, MaxAttempts: 1 }],
      End: true,
    },
  },
};

describe('recovery of a task in flight at a crash', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'states-recovery-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts an execution whose task never answers, closes the runtime, and opens it again with `recovery`. */
  async function crashWithTaskInFlight(recovery?: RecoveryMode) {
    const clock = new VirtualClock(Date.UTC(2024, 0, 1));
    const calls: TaskRequest[] = [];
    let firstLife = true;
    const dispatcher = {
      dispatch(req: TaskRequest): Promise<unknown> {
        calls.push(req);
        return firstLife ? new Promise(() => {}) : Promise.resolve({ ran: calls.length });
      },
    };
    const options = { dataDir: dir, dispatcher, clock, ...(recovery ? { recovery } : {}) };
    const first = await createLocalStepFunctions(options);
    const { stateMachineArn } = await first.createStateMachine({
      name: 'in-flight',
      definition: JSON.stringify(DEFINITION),
      roleArn: ROLE,
    });
    const { executionArn } = await first.startExecution({ stateMachineArn, input: '{}' });
    await first.idle({ includeInFlight: false });
    await first.close();
    firstLife = false;
    const rt: LocalStepFunctions = await createLocalStepFunctions(options);
    return { rt, clock, calls, executionArn: executionArn as string };
  }

  it('by default fails the task with States.TaskFailed and the ambiguous-invocation cause; Retry runs it again', async () => {
    // Prepare
    const { rt, clock, calls, executionArn } = await crashWithTaskInFlight();
    try {
      // Act
      await rt.idle({ includeInFlight: false });
      clock.advance(5_000);
      const done = await rt.awaitExecution(executionArn);

      // Assess
      expect(done.status).toBe('SUCCEEDED');
      expect(done.output).toBe('{"ran":2}');
      expect(calls).toHaveLength(2);
      const events = await fullHistory(rt, executionArn);
      const failed = events.find((e) => e.type === 'LambdaFunctionFailed');
      expect(failed?.lambdaFunctionFailedEventDetails).toEqual({
        error: 'States.TaskFailed',
        cause: AMBIGUOUS,
      });
      expect(events.map((e) => e.type)).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionFailed',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ]);
    } finally {
      await rt.close();
    }
  });

  it('without a Retry that matches, the ambiguous failure fails the execution (nothing runs twice)', async () => {
    // Prepare
    const noRetry = structuredClone(DEFINITION) as { States: { Work: { Retry?: unknown } } };
    noRetry.States.Work.Retry = undefined;
    const clock = new VirtualClock(Date.UTC(2024, 0, 1));
    const calls: TaskRequest[] = [];
    const dispatcher = {
      dispatch(req: TaskRequest): Promise<unknown> {
        calls.push(req);
        return new Promise(() => {});
      },
    };
    const first = await createLocalStepFunctions({ dataDir: dir, dispatcher, clock });
    const { stateMachineArn } = await first.createStateMachine({
      name: 'no-retry',
      definition: JSON.stringify(noRetry),
      roleArn: ROLE,
    });
    const { executionArn } = await first.startExecution({ stateMachineArn });
    await first.idle({ includeInFlight: false });
    await first.close();

    // Act
    const rt = await createLocalStepFunctions({ dataDir: dir, dispatcher, clock });
    try {
      const done = await rt.awaitExecution(executionArn as string);

      // Assess
      expect(done.status).toBe('FAILED');
      expect(done.error).toBe('States.TaskFailed');
      expect(done.cause).toBe(AMBIGUOUS);
      expect(calls).toHaveLength(1);
    } finally {
      await rt.close();
    }
  });

  it("with recovery 'redispatch' runs the task again and records its second start", async () => {
    // Prepare
    const { rt, calls, executionArn } = await crashWithTaskInFlight('redispatch');
    try {
      // Act
      const done = await rt.awaitExecution(executionArn);

      // Assess
      expect(done.status).toBe('SUCCEEDED');
      expect(done.output).toBe('{"ran":2}');
      expect(calls).toHaveLength(2);
      const types = (await fullHistory(rt, executionArn)).map((e) => e.type);
      expect(types).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionStarted',
        'LambdaFunctionSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ]);
    } finally {
      await rt.close();
    }
  });
});

describe('durability of commits', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'states-durability-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs SQLite with synchronous=NORMAL by default and FULL with durability 'full'", () => {
    // Prepare
    const normal = new SqliteStore(join(dir, 'normal'));
    const full = new SqliteStore(join(dir, 'full'), { durability: 'full' });
    try {
      // Act
      const modes = [normal.synchronous(), full.synchronous()];

      // Assess
      expect(modes).toEqual(['NORMAL', 'FULL']);
    } finally {
      normal.close();
      full.close();
    }
  });

  it("keeps executions across a restart with durability 'full'", async () => {
    // Prepare
    const dispatcher = { dispatch: async () => ({ ok: true }) };
    const first = await createLocalStepFunctions({ dataDir: dir, dispatcher, durability: 'full' });
    const { stateMachineArn } = await first.createStateMachine({
      name: 'full',
      definition: JSON.stringify(DEFINITION),
      roleArn: ROLE,
    });
    const { executionArn } = await first.startExecution({ stateMachineArn, name: 'kept' });
    await first.awaitExecution(executionArn as string);
    await first.close();

    // Act
    const rt = await createLocalStepFunctions({ dataDir: dir, dispatcher, durability: 'full' });
    try {
      const described = await rt.describeExecution({ executionArn });

      // Assess
      expect(described.status).toBe('SUCCEEDED');
      expect(described.output).toBe('{"ok":true}');
    } finally {
      await rt.close();
    }
  });
});
