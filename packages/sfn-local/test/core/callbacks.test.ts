import { describe, expect, it } from 'vitest';
import type { LocalStepFunctions } from '../../src/runtime.js';
import { createMachine, details, fullHistory, harness } from './helpers.js';

const WAIT = {
  StartAt: 'Wait',
  States: {
    Wait: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
      Catch: [{ ErrorEquals: ['Rejected'], ResultPath: '$.rejected', Next: 'Caught' }],
      End: true,
    },
    Caught: { Type: 'Pass', End: true },
  },
};

describe('task tokens', () => {
  it('passes the token to the dispatcher and the parameters, records TaskSubmitted, resumes on SendTaskSuccess', async () => {
    const h = await harness(() => ({ MessageId: 'm-1' }));
    try {
      const arn = await createMachine(h.rt, WAIT);
      const { executionArn } = await h.rt.startExecution({ stateMachineArn: arn, input: '{}' });
      await h.rt.idle();
      const req = h.calls[0];
      expect(req?.taskToken).toMatch(/^AQ[A-Za-z0-9_-]{340}$/);
      expect(req?.parameters).toEqual({ QueueUrl: 'q', MessageBody: { token: req?.taskToken } });
      expect((await h.rt.describeExecution({ executionArn })).status).toBe('RUNNING');
      await h.rt.sendTaskSuccess({ taskToken: req?.taskToken as string, output: '{"approved":true}' });
      const done = await h.rt.awaitExecution(executionArn as string);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output as string)).toEqual({ approved: true });
      const types = (await fullHistory(h.rt, executionArn as string)).map((e) => e.type);
      expect(types).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskSubmitted',
        'TaskSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ]);
    } finally {
      await h.rt.close();
    }
  });

  it('accepts a callback sent from inside dispatch, before dispatch returns', async () => {
    let rt: LocalStepFunctions | undefined;
    const h = await harness(async (req) => {
      await rt?.sendTaskSuccess({ taskToken: req.taskToken as string, output: '"early"' });
      return { sent: true };
    });
    rt = h.rt;
    try {
      const arn = await createMachine(h.rt, WAIT);
      const { executionArn } = await h.rt.startExecution({ stateMachineArn: arn });
      const done = await h.rt.awaitExecution(executionArn as string);
      expect(done.output).toBe('"early"');
      const events = await fullHistory(h.rt, executionArn as string);
      const submitted = events.findIndex((e) => e.type === 'TaskSubmitted');
      const succeeded = events.findIndex((e) => e.type === 'TaskSucceeded');
      expect(submitted).toBeGreaterThan(0);
      expect(succeeded).toBeGreaterThan(submitted);
    } finally {
      await h.rt.close();
    }
  });

  it('SendTaskFailure fails the task (catchable); a second callback on the token is TaskTimedOut (API_SendTaskSuccess: the task has already been closed)', async () => {
    const h = await harness(() => ({}));
    try {
      const arn = await createMachine(h.rt, WAIT);
      const { executionArn } = await h.rt.startExecution({ stateMachineArn: arn, input: '{"a":1}' });
      await h.rt.idle();
      const token = h.calls[0]?.taskToken as string;
      await h.rt.sendTaskFailure({ taskToken: token, error: 'Rejected', cause: 'no' });
      const done = await h.rt.awaitExecution(executionArn as string);
      expect(JSON.parse(done.output as string)).toEqual({
        a: 1,
        rejected: { Error: 'Rejected', Cause: 'no' },
      });
      const failed = (await fullHistory(h.rt, executionArn as string)).find((e) => e.type === 'TaskFailed');
      expect(details(failed)).toMatchObject({ error: 'Rejected', cause: 'no', resourceType: 'sqs' });
      await expect(h.rt.sendTaskSuccess({ taskToken: token, output: '{}' })).rejects.toMatchObject({
        name: 'TaskTimedOut',
      });
    } finally {
      await h.rt.close();
    }
  });

  it('refuses malformed tokens, unknown tokens and non-JSON output with the AWS errors', async () => {
    const h = await harness(() => ({}));
    try {
      const arn = await createMachine(h.rt, WAIT);
      await h.rt.startExecution({ stateMachineArn: arn });
      await h.rt.idle();
      const token = h.calls[0]?.taskToken as string;
      await expect(h.rt.sendTaskSuccess({ taskToken: 'garbage', output: '{}' })).rejects.toMatchObject({
        name: 'InvalidToken',
      });
      // A token this runtime never issued is not a valid token (AWS's tokens are opaque and verified).
      await expect(h.rt.sendTaskHeartbeat({ taskToken: `AQ${'A'.repeat(340)}` })).rejects.toMatchObject({
        name: 'InvalidToken',
      });
      await expect(h.rt.sendTaskSuccess({ taskToken: token, output: '{not json' })).rejects.toMatchObject({
        name: 'InvalidOutput',
      });
      // The bad attempt did not consume the token.
      await h.rt.sendTaskSuccess({ taskToken: token, output: '{}' });
    } finally {
      await h.rt.close();
    }
  });

  it('StopExecution aborts a waiting task: signal aborted, token closed, ExecutionAborted with error and cause', async () => {
    const h = await harness(() => new Promise(() => {}));
    try {
      const arn = await createMachine(h.rt, {
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', End: true },
        },
      });
      const { executionArn } = await h.rt.startExecution({ stateMachineArn: arn });
      await h.rt.idle({ includeInFlight: false });
      const req = h.calls[0];
      const out = await h.rt.stopExecution({ executionArn, error: 'Stopped', cause: 'by test' });
      expect(out.stopDate).toBeInstanceOf(Date);
      expect(req?.signal.aborted).toBe(true);
      const d = await h.rt.describeExecution({ executionArn });
      expect([d.status, d.error, d.cause]).toEqual(['ABORTED', 'Stopped', 'by test']);
      const last = (await fullHistory(h.rt, executionArn as string)).at(-1);
      expect(last?.type).toBe('ExecutionAborted');
      expect(details(last)).toEqual({ error: 'Stopped', cause: 'by test' });
      await expect(
        h.rt.sendTaskSuccess({ taskToken: req?.taskToken as string, output: '{}' }),
      ).rejects.toMatchObject({ name: 'TaskTimedOut' });
    } finally {
      await h.rt.close();
    }
  });
});
