import { describe, expect, it } from 'vitest';
import { TaskError } from '../../src/tasks.js';
import { createMachine, details, harness, run, runToEnd } from './helpers.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:f';

describe('Retry and Catch', () => {
  it('retries with IntervalSeconds, BackoffRate and MaxDelaySeconds on the virtual clock, then succeeds', async () => {
    let n = 0;
    const r = await run(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: LAMBDA,
            Retry: [
              {
                ErrorEquals: ['Flaky'],
                IntervalSeconds: 2,
                BackoffRate: 3,
                MaxAttempts: 3,
                MaxDelaySeconds: 10,
              },
            ],
            End: true,
          },
        },
      },
      {},
      () => {
        n++;
        if (n <= 3) throw new TaskError('Flaky', `attempt ${n}`);
        return { done: n };
      },
    );
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ done: 4 });
    const t0 = r.events[0]?.timestamp?.getTime() ?? 0;
    const scheduled = r.events
      .filter((e) => e.type === 'LambdaFunctionScheduled')
      .map((e) => ((e.timestamp?.getTime() ?? 0) - t0) / 1000);
    // 2 s, then 2*3 = 6 s, then min(18, 10) = 10 s
    expect(scheduled).toEqual([0, 2, 8, 18]);
    expect(r.types.filter((t) => t === 'LambdaFunctionFailed')).toHaveLength(3);
  });

  it('uses only the first matching retrier; exhausted retries fall through to Catch with ResultPath', async () => {
    const r = await run(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Retry: [
              { ErrorEquals: ['States.TaskFailed'], MaxAttempts: 1, IntervalSeconds: 1 },
              { ErrorEquals: ['States.ALL'], MaxAttempts: 5 },
            ],
            Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'Handled' }],
            End: true,
          },
          Handled: { Type: 'Pass', End: true },
        },
      },
      { keep: 1 },
      () => {
        throw new TaskError('Custom', 'went wrong');
      },
    );
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ keep: 1, err: { Error: 'Custom', Cause: 'went wrong' } });
    expect(r.calls).toHaveLength(2);
    expect(r.types).toContain('TaskStateExited');
  });

  it('States.TaskFailed does not match States.Timeout; States.ALL does; States.Runtime is never caught', async () => {
    const timeout = await run(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: LAMBDA,
            TimeoutSeconds: 5,
            Catch: [
              { ErrorEquals: ['States.TaskFailed'], Next: 'Wrong' },
              { ErrorEquals: ['States.ALL'], Next: 'Right' },
            ],
            End: true,
          },
          Wrong: { Type: 'Pass', Result: 'wrong', End: true },
          Right: { Type: 'Pass', Result: 'right', End: true },
        },
      },
      {},
      () => new Promise(() => {}),
    );
    expect(timeout.output).toBe('right');
    expect(timeout.types).toContain('LambdaFunctionTimedOut');
    const runtime = await run(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: LAMBDA,
            OutputPath: '$.nope',
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'C' }],
            End: true,
          },
          C: { Type: 'Pass', End: true },
        },
      },
      {},
      () => ({}),
    );
    expect([runtime.status, runtime.error]).toEqual(['FAILED', 'States.Runtime']);
  });

  it('TimeoutSecondsPath and HeartbeatSeconds: a missed heartbeat times the task out', async () => {
    const h = await harness();
    try {
      const arn = await createMachine(h.rt, {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
            TimeoutSecondsPath: '$.timeout',
            HeartbeatSeconds: 10,
            Parameters: { 'token.$': '$$.Task.Token' },
            End: true,
          },
        },
      });
      const { executionArn } = await h.rt.startExecution({ stateMachineArn: arn, input: '{"timeout": 100}' });
      await h.rt.idle();
      const token = h.calls[0]?.taskToken as string;
      h.clock.advance(8_000);
      await h.rt.sendTaskHeartbeat({ taskToken: token });
      h.clock.advance(8_000); // 16 s since start: the heartbeat at 8 s kept it alive
      await h.rt.idle();
      expect((await h.rt.describeExecution({ executionArn })).status).toBe('RUNNING');
      h.clock.advance(3_000); // 19 s: 11 s since the heartbeat
      const done = await h.rt.awaitExecution(executionArn as string);
      expect([done.status, done.error]).toEqual(['FAILED', 'States.Timeout']);
      await expect(h.rt.sendTaskSuccess({ taskToken: token, output: '{}' })).rejects.toMatchObject({
        name: 'TaskTimedOut',
      });
      const scheduled = (await h.rt.getExecutionHistory({ executionArn })).events?.find(
        (e) => e.type === 'TaskScheduled',
      );
      expect(details(scheduled)).toMatchObject({ timeoutInSeconds: 100, heartbeatInSeconds: 10 });
    } finally {
      await h.rt.close();
    }
  });

  it('Map retry re-runs every iteration; Catch on Map gets the iteration error', async () => {
    const r = await run(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            MaxConcurrency: 1,
            ItemProcessor: {
              StartAt: 'F',
              States: { F: { Type: 'Fail', Error: 'ItemError', Cause: 'bad item' } },
            },
            Retry: [{ ErrorEquals: ['ItemError'], MaxAttempts: 1, IntervalSeconds: 1 }],
            Catch: [{ ErrorEquals: ['ItemError'], Next: 'C' }],
            End: true,
          },
          C: { Type: 'Pass', End: true },
        },
      },
      [1],
    );
    expect(r.output).toEqual({ Error: 'ItemError', Cause: 'bad item' });
    expect(r.types.filter((t) => t === 'MapStateStarted')).toHaveLength(2);
    expect(r.types.filter((t) => t === 'MapStateFailed')).toHaveLength(1);
  });

  it('a dispatch result over 256 KiB is States.DataLimitExceeded, catchable', async () => {
    const r = await run(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: LAMBDA,
            Catch: [{ ErrorEquals: ['States.DataLimitExceeded'], Next: 'C' }],
            End: true,
          },
          C: { Type: 'Pass', End: true },
        },
      },
      {},
      () => ({ big: 'x'.repeat(300_000) }),
    );
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as { Error: string }).Error).toBe('States.DataLimitExceeded');
  });

  it('an execution-level TimeoutSeconds ends the execution TIMED_OUT', async () => {
    const h = await harness();
    try {
      const arn = await createMachine(h.rt, {
        TimeoutSeconds: 30,
        StartAt: 'W',
        States: { W: { Type: 'Wait', Seconds: 100, End: true } },
      });
      const r = await runToEnd(h, arn);
      expect(r.status).toBe('TIMED_OUT');
      expect(r.types.at(-1)).toBe('ExecutionTimedOut');
    } finally {
      await h.rt.close();
    }
  });

  it('one failing execution does not disturb another running beside it', async () => {
    const h = await harness((req) => {
      const p = req.parameters as { bad?: boolean };
      if (p.bad) {
        const circular: Record<string, unknown> = {};
        circular.self = circular;
        return circular;
      }
      return { fine: true };
    });
    try {
      const arn = await createMachine(h.rt, {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: LAMBDA,
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'C' }],
            End: true,
          },
          C: { Type: 'Pass', End: true },
        },
      });
      const bad = await h.rt.startExecution({ stateMachineArn: arn, input: '{"bad":true}' });
      const good = await h.rt.startExecution({ stateMachineArn: arn, input: '{"bad":false}' });
      const [b, g] = await Promise.all([
        h.rt.awaitExecution(bad.executionArn as string),
        h.rt.awaitExecution(good.executionArn as string),
      ]);
      expect([b.status, b.error]).toEqual(['FAILED', 'States.Runtime']);
      expect(b.cause).toContain('not JSON');
      expect([g.status, g.output]).toEqual(['SUCCEEDED', '{"fine":true}']);
    } finally {
      await h.rt.close();
    }
  });
});
