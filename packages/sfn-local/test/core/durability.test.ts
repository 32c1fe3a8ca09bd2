import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock.js';
import { createLocalStepFunctions } from '../../src/runtime.js';
import type { TaskRequest } from '../../src/tasks.js';
import { fullHistory, ROLE } from './helpers.js';

/**
 * Close and re-open the runtime on the same data directory while executions are paused on a task token, waiting in
 * a Wait state, and running a task whose dispatch never returned; then prove each goes on and completes.
 */
describe('durability across a restart', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'states-core-durable-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const DEFINITION = {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'Approve',
            States: {
              Approve: {
                Type: 'Task',
                Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
                Parameters: { 'token.$': '$$.Task.Token' },
                TimeoutSeconds: 3600,
                End: true,
              },
            },
          },
          {
            StartAt: 'Sleep',
            States: {
              Sleep: { Type: 'Wait', Seconds: 300, Next: 'Woke' },
              Woke: { Type: 'Pass', Result: 'woke', End: true },
            },
          },
          {
            StartAt: 'Each',
            States: {
              Each: {
                Type: 'Map',
                ItemsPath: '$.items',
                ItemProcessor: {
                  StartAt: 'Work',
                  States: {
                    Work: {
                      Type: 'Task',
                      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work',
                      End: true,
                    },
                  },
                },
                End: true,
              },
            },
          },
        ],
        Next: 'After',
      },
      After: { Type: 'Pass', End: true },
    },
  };

  it('resumes paused, waiting and in-flight work where it stood (recovery: redispatch)', async () => {
    // Prepare
    const clock = new VirtualClock(Date.UTC(2024, 0, 1));
    const calls: TaskRequest[] = [];
    let firstLife = true;
    const dispatcher = {
      dispatch(req: TaskRequest): Promise<unknown> {
        calls.push(req);
        if (req.taskToken) return Promise.resolve({ MessageId: 'm' });
        const item = req.parameters as { n: number; slow?: boolean };
        // The slow item never answers before the restart: it is in flight when the runtime closes.
        if (item.slow && firstLife) return new Promise(() => {});
        return Promise.resolve({ done: item.n });
      },
    };
    let rt = await createLocalStepFunctions({ dataDir: dir, dispatcher, clock, recovery: 'redispatch' });
    const { stateMachineArn } = await rt.createStateMachine({
      name: 'durable',
      definition: JSON.stringify(DEFINITION),
      roleArn: ROLE,
    });
    const { executionArn } = await rt.startExecution({
      stateMachineArn,
      name: 'survivor',
      input: JSON.stringify({ items: [{ n: 1 }, { n: 2, slow: true }] }),
    });
    const arn = executionArn as string;
    await rt.idle({ includeInFlight: false });
    const token = calls.find((c) => c.taskToken)?.taskToken as string;
    expect(token).toBeDefined();
    const before = await fullHistory(rt, arn);
    expect(before.map((e) => e.type)).toContain('WaitStateEntered');
    clock.advance(100_000); // 100 s of the 300 s wait pass before the crash
    await rt.close();

    // Act
    firstLife = false;
    rt = await createLocalStepFunctions({ dataDir: dir, dispatcher, clock, recovery: 'redispatch' });
    try {
      // Assess
      expect(rt.recovery.executions).toBe(1);
      await rt.idle({ includeInFlight: false });
      expect((await rt.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
      // The token issued before the restart is still valid.
      await rt.sendTaskSuccess({ taskToken: token, output: '{"approved":true}' });
      // The wait re-armed from its absolute deadline: 200 s are left, not 300.
      clock.advance(199_000);
      await rt.idle({ includeInFlight: false });
      expect((await rt.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
      clock.advance(1_000);
      const done = await rt.awaitExecution(arn);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output as string)).toEqual([
        { approved: true },
        'woke',
        [{ done: 1 }, { done: 2 }],
      ]);

      // Nothing ran twice but the task that was in flight (at-least-once): item 1 once, item 2 twice, the token task once.
      const work = calls.filter((c) => !c.taskToken).map((c) => (c.parameters as { n: number }).n);
      expect(work.filter((n) => n === 1)).toHaveLength(1);
      expect(work.filter((n) => n === 2)).toHaveLength(2);
      expect(calls.filter((c) => c.taskToken)).toHaveLength(1);

      // One history, ids contiguous, the events from before the restart kept as they were.
      const after = await fullHistory(rt, arn);
      expect(after.map((e) => e.id)).toEqual(after.map((_, i) => i + 1));
      expect(after.slice(0, before.length).map((e) => e.type)).toEqual(before.map((e) => e.type));
      expect(after.filter((e) => e.type === 'WaitStateExited')).toHaveLength(1);
      // The second start of the task that was in flight is in the history.
      expect(after.filter((e) => e.type === 'LambdaFunctionStarted')).toHaveLength(3);
      expect(after.at(-1)?.type).toBe('ExecutionSucceeded');
    } finally {
      await rt.close();
    }
  });

  it('a SendTaskSuccess that returned is not lost by an immediate close', async () => {
    const clock = new VirtualClock(Date.UTC(2024, 0, 1));
    const tokens: string[] = [];
    const dispatcher = {
      async dispatch(req: TaskRequest) {
        if (req.taskToken) tokens.push(req.taskToken);
        return {};
      },
    };
    const def = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken', Next: 'W' },
        W: { Type: 'Wait', Seconds: 10, End: true },
      },
    };
    let rt = await createLocalStepFunctions({ dataDir: dir, dispatcher, clock });
    const { stateMachineArn } = await rt.createStateMachine({
      name: 'cb',
      definition: JSON.stringify(def),
      roleArn: ROLE,
    });
    const { executionArn } = await rt.startExecution({ stateMachineArn });
    await rt.idle();
    await rt.sendTaskSuccess({ taskToken: tokens[0] as string, output: '{"ok":1}' });
    await rt.close();
    rt = await createLocalStepFunctions({ dataDir: dir, dispatcher, clock });
    try {
      const events = await fullHistory(rt, executionArn as string);
      expect(events.map((e) => e.type)).toContain('TaskSucceeded');
      await expect(
        rt.sendTaskSuccess({ taskToken: tokens[0] as string, output: '{}' }),
      ).rejects.toMatchObject({
        name: 'TaskTimedOut',
      });
      clock.advance(10_000);
      const done = await rt.awaitExecution(executionArn as string);
      expect(done.output).toBe('{"ok":1}');
    } finally {
      await rt.close();
    }
  });

  it('keeps finished executions and their history across a restart', async () => {
    const dispatcher = {
      async dispatch() {
        return null;
      },
    };
    let rt = await createLocalStepFunctions({ dataDir: dir, dispatcher });
    const { stateMachineArn } = await rt.createStateMachine({
      name: 'kept',
      definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 1, End: true } } }),
      roleArn: ROLE,
    });
    const { executionArn } = await rt.startExecution({ stateMachineArn, name: 'one' });
    await rt.awaitExecution(executionArn as string);
    await rt.close();
    rt = await createLocalStepFunctions({ dataDir: dir, dispatcher });
    try {
      expect(rt.recovery.executions).toBe(0);
      expect((await rt.describeExecution({ executionArn })).output).toBe('1');
      expect((await rt.listExecutions({ stateMachineArn })).executions?.map((e) => e.name)).toEqual(['one']);
      expect((await fullHistory(rt, executionArn as string)).map((e) => e.type)).toEqual([
        'ExecutionStarted',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ]);
      await expect(rt.startExecution({ stateMachineArn, name: 'one' })).rejects.toMatchObject({
        name: 'ExecutionAlreadyExists',
      });
    } finally {
      await rt.close();
    }
  });

  it('pages a long history stored in several batches, both directions', async () => {
    const dispatcher = {
      async dispatch() {
        return null;
      },
    };
    const rt = await createLocalStepFunctions({ dataDir: dir, dispatcher });
    try {
      const states: Record<string, unknown> = {};
      for (let i = 0; i < 300; i++)
        states[`S${i}`] = i === 299 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `S${i + 1}` };
      const { stateMachineArn } = await rt.createStateMachine({
        name: 'long',
        definition: JSON.stringify({ StartAt: 'S0', States: states }),
        roleArn: ROLE,
      });
      const { executionArn } = await rt.startExecution({ stateMachineArn });
      await rt.awaitExecution(executionArn as string);
      for (const reverseOrder of [false, true]) {
        const ids: number[] = [];
        let nextToken: string | undefined;
        do {
          const page = await rt.getExecutionHistory({ executionArn, maxResults: 7, reverseOrder, nextToken });
          ids.push(...(page.events ?? []).map((e) => e.id as number));
          nextToken = page.nextToken;
        } while (nextToken);
        const expected = Array.from({ length: 602 }, (_, i) => (reverseOrder ? 602 - i : i + 1));
        expect(ids).toEqual(expected);
      }
    } finally {
      await rt.close();
    }
  });
});
