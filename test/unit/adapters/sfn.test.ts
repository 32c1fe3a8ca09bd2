import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SfnCallbacks } from '../../../tasks/adapters/aws/sfn-callbacks.js';
import { SfnExecutionHistory } from '../../../tasks/adapters/aws/sfn-history.js';

const sfn = mockClient(SFNClient);
afterEach(() => sfn.reset());
const client = new SFNClient({ region: 'us-east-1' });
const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:MarketplaceOnboarding-Onboarding';
const meta = { $metadata: {} };

describe('SfnCallbacks', () => {
  it('sends the output as JSON with the stored token', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    const r = await new SfnCallbacks(client, () => SM).sendTaskSuccess('tok', { plan: 'Enterprise' });
    expect(r).toEqual({ ok: true });
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 'tok',
      output: '{"plan":"Enterprise"}',
    });
  });

  it.each([
    [new TaskTimedOut({ message: 'Task Timed Out', ...meta }), 'timed-out'],
    [new InvalidToken({ message: 'Invalid Token', ...meta }), 'invalid-token'],
    [new TaskDoesNotExist({ message: 'Task does not exist', ...meta }), 'does-not-exist'],
  ])('maps %s to a clear outcome', async (error, reason) => {
    sfn.on(SendTaskFailureCommand).rejects(error);
    const r = await new SfnCallbacks(client, () => SM).sendTaskFailure('tok', 'Onboarding.Closed', '{}');
    expect(r).toEqual({ ok: false, reason });
  });

  it('lets other errors through and clips error/cause to the service limits', async () => {
    sfn.on(SendTaskFailureCommand).rejects(new Error('ServiceUnavailable'));
    const callbacks = new SfnCallbacks(client, () => SM);
    await expect(callbacks.sendTaskFailure('tok', 'E'.repeat(300), 'c'.repeat(40_000))).rejects.toThrow(
      'ServiceUnavailable',
    );
    const input = sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input;
    expect(input?.error?.length).toBe(256);
    expect(input?.cause?.length).toBe(32_768);
  });

  it.each([
    ['sendTaskSuccess', (c: SfnCallbacks, t: string) => c.sendTaskSuccess(t, {})],
    ['sendTaskFailure', (c: SfnCallbacks, t: string) => c.sendTaskFailure(t, 'E', '')],
    ['sendTaskHeartbeat', (c: SfnCallbacks, t: string) => c.sendTaskHeartbeat(t)],
  ] as const)('%s throws other errors without the token, whatever the service quoted', async (_op, call) => {
    const token = 'AQB8AAAAKgAAAAMAAAAAsecret+token/value==';
    const quoting = new Error(`1 validation error detected: Value '${token}' at 'taskToken' failed`);
    quoting.name = 'ValidationException';
    sfn.onAnyCommand().rejects(quoting);

    const e = (await call(new SfnCallbacks(client, () => SM), token).catch((x: unknown) => x)) as Error;

    expect(e.name).toBe('ValidationException');
    expect(e.message).toContain("Value '[redacted]' at 'taskToken'");
    expect(`${e.message} ${e.stack}`).not.toContain(token);
  });

  it('starts an execution named by the onboarding id; the same name with other input is reported', async () => {
    sfn
      .on(StartExecutionCommand)
      .resolvesOnce({ executionArn: `${SM}:onb-x`, startDate: new Date('2025-04-01T00:00:00Z') })
      .rejects(new ExecutionAlreadyExists({ message: 'exists', ...meta }));
    const callbacks = new SfnCallbacks(client, () => SM);

    const first = await callbacks.startExecution('onb-abcdefghij', { a: 1 });
    const again = await callbacks.startExecution('onb-abcdefghij', { a: 2 });

    expect(first).toEqual({ ok: true, executionArn: `${SM}:onb-x`, startDate: '2025-04-01T00:00:00.000Z' });
    expect(again).toEqual({ ok: false, reason: 'already-exists' });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: SM,
      name: 'onb-abcdefghij',
      input: '{"a":1}',
    });
  });
});

describe('SfnExecutionHistory', () => {
  it('derives execution ARNs and pages the history with the execution data', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        {
          id: 2,
          previousEventId: 1,
          timestamp: new Date('2025-04-01T00:00:01Z'),
          type: 'TaskStateEntered',
          stateEnteredEventDetails: { name: 'Consultation', input: '{}' },
        },
      ],
      nextToken: 'next',
    });
    const history = new SfnExecutionHistory(client, () => SM);

    const arn = history.executionArnFor('onb-abcdefghij');
    const page = await history.getHistoryPage(arn);

    expect(arn).toBe(
      'arn:aws:states:us-east-1:123456789012:execution:MarketplaceOnboarding-Onboarding:onb-abcdefghij',
    );
    expect(page).toEqual({
      events: [
        {
          id: 2,
          previousEventId: 1,
          timestamp: '2025-04-01T00:00:01.000Z',
          type: 'TaskStateEntered',
          details: { name: 'Consultation', input: '{}' },
        },
      ],
      nextToken: 'next',
    });
    expect(sfn.commandCalls(GetExecutionHistoryCommand)[0]?.args[0].input).toMatchObject({
      executionArn: arn,
      includeExecutionData: true,
      maxResults: 1000,
    });
  });

  it('reports an unknown execution as undefined', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'gone', ...meta }));
    expect(await new SfnExecutionHistory(client, () => SM).describeExecution(`${SM}:x`)).toBeUndefined();
  });
});
