/**
 * RedriveExecution (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html): continue a
 * failed execution from the state that failed, with the same ARN, input and variables; the successful steps are not
 * run again.
 */
import { describe, expect, it } from 'vitest';
import { createMachine, fullHistory, harness } from '../core/helpers.js';

describe('RedriveExecution', () => {
  it('continues a FAILED execution from the failed state and keeps the steps that succeeded', async () => {
    // Prepare: the task fails on its first call only
    let calls = 0;
    const h = await harness((req) => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('flaky'), { name: 'Flaky' });
      return { got: req.parameters };
    });
    try {
      const arn = await createMachine(h.rt, {
        StartAt: 'Prepare',
        States: {
          Prepare: { Type: 'Pass', Assign: { order: 42 }, Next: 'Call' },
          Call: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { 'order.$': '$order' },
            End: true,
          },
        },
      });
      const { executionArn } = await h.rt.startExecution({ stateMachineArn: arn, input: '{"a":1}' });
      const failed = await h.rt.awaitExecution(executionArn as string);

      // Act
      const out = await h.rt.redriveExecution({ executionArn });
      const done = await h.rt.awaitExecution(executionArn as string);
      const types = (await fullHistory(h.rt, executionArn as string)).map((e) => e.type);
      const again = h.rt.redriveExecution({ executionArn }).catch((e: Error) => e);

      // Assess
      expect(failed).toMatchObject({ status: 'FAILED', redriveStatus: 'REDRIVABLE', redriveCount: 0 });
      expect(out.redriveDate).toBeInstanceOf(Date);
      expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, output: '{"got":{"order":42}}' });
      expect(done.redriveDate).toBeInstanceOf(Date);
      expect(types.filter((t) => t === 'PassStateEntered')).toHaveLength(1);
      expect(types).toContain('ExecutionRedriven');
      expect(types.indexOf('ExecutionRedriven')).toBe(types.indexOf('ExecutionFailed') + 1);
      expect(await again).toMatchObject({ name: 'ExecutionNotRedrivable' });
    } finally {
      await h.rt.close();
    }
  });

  it('lists redriven executions with redriveFilter', async () => {
    // Prepare
    let calls = 0;
    const h = await harness(() => {
      calls++;
      if (calls === 1) throw new Error('once');
      return {};
    });
    try {
      const arn = await createMachine(h.rt, {
        StartAt: 'T',
        States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } },
      });
      const { executionArn } = await h.rt.startExecution({ stateMachineArn: arn });
      await h.rt.awaitExecution(executionArn as string);
      await h.rt.redriveExecution({ executionArn });
      await h.rt.awaitExecution(executionArn as string);

      // Act
      const redriven = await h.rt.listExecutions({ stateMachineArn: arn, redriveFilter: 'REDRIVEN' });
      const notRedriven = await h.rt.listExecutions({ stateMachineArn: arn, redriveFilter: 'NOT_REDRIVEN' });

      // Assess
      expect(redriven.executions?.map((e) => e.executionArn)).toEqual([executionArn]);
      expect(notRedriven.executions).toEqual([]);
    } finally {
      await h.rt.close();
    }
  });
});
