/**
 * The Step Functions API end to end: @aws-sdk/client-sfn → HTTP server → the real runtime (in memory) →
 * dispatcher → in-process Lambda handlers.
 */
import * as sfn from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaskDispatcher, type LocalTaskDispatcher } from '../../src/dispatch/index.js';
import { type StatesServer, startStatesServer } from '../../src/http/index.js';
import { createLocalStepFunctions, type LocalStepFunctions } from '../../src/runtime.js';

const ROLE = 'arn:aws:iam::123456789012:role/sfn';

let runtime: LocalStepFunctions;
let dispatcher: LocalTaskDispatcher;
let server: StatesServer;
let client: sfn.SFNClient;

/** Task tokens handed to the `notify` function, by execution ARN, with waiters for the next one. */
const tokens = new Map<string, string[]>();
const tokenWaiters = new Map<string, (token: string) => void>();

function nextToken(executionArn: string): Promise<string> {
  const queued = tokens.get(executionArn)?.shift();
  if (queued) return Promise.resolve(queued);
  return new Promise((resolve) => tokenWaiters.set(executionArn, resolve));
}

beforeAll(async () => {
  dispatcher = createTaskDispatcher({
    handlers: {
      notify: async (event: { token: string; executionArn: string }) => {
        const waiter = tokenWaiters.get(event.executionArn);
        if (waiter) {
          tokenWaiters.delete(event.executionArn);
          waiter(event.token);
        } else {
          tokens.set(event.executionArn, [...(tokens.get(event.executionArn) ?? []), event.token]);
        }
        return { notified: true };
      },
      double: async (event: { n: number }) => ({ n: event.n * 2 }),
    },
  });
  runtime = await createLocalStepFunctions({ dispatcher });
  server = await startStatesServer({ service: runtime, port: 0 });
  client = new sfn.SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await runtime?.close();
  dispatcher?.close();
});

const callbackDefinition = (timeoutSeconds = 3600) =>
  JSON.stringify({
    StartAt: 'Approve',
    States: {
      Approve: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: 'notify',
          Payload: { 'token.$': '$$.Task.Token', 'executionArn.$': '$$.Execution.Id' },
        },
        TimeoutSeconds: timeoutSeconds,
        Next: 'Done',
      },
      Done: { Type: 'Pass', End: true },
    },
  });

const lambdaDefinition = JSON.stringify({
  StartAt: 'Double',
  States: {
    Double: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:double',
      Next: 'Again',
    },
    Again: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'double', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      End: true,
    },
  },
});

async function createMachine(name: string, definition: string): Promise<string> {
  const out = await client.send(new sfn.CreateStateMachineCommand({ name, definition, roleArn: ROLE }));
  return out.stateMachineArn as string;
}

async function finished(executionArn: string): Promise<sfn.DescribeExecutionOutput> {
  await runtime.awaitExecution(executionArn);
  return client.send(new sfn.DescribeExecutionCommand({ executionArn }));
}

describe('state machines', () => {
  it('creates, describes, lists with paging, updates and deletes', async () => {
    const arns = [];
    for (const n of [1, 2, 3]) arns.push(await createMachine(`crud-${n}`, lambdaDefinition));
    expect(arns[0]).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:crud-1');

    const described = await client.send(new sfn.DescribeStateMachineCommand({ stateMachineArn: arns[0] }));
    expect(described).toMatchObject({ name: 'crud-1', status: 'ACTIVE', type: 'STANDARD', roleArn: ROLE });
    expect(JSON.parse(described.definition ?? '')).toEqual(JSON.parse(lambdaDefinition));
    expect(described.creationDate).toBeInstanceOf(Date);
    expect(Math.abs((described.creationDate?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);

    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new sfn.ListStateMachinesCommand({ maxResults: 2, nextToken }));
      expect(page.stateMachines?.length).toBeLessThanOrEqual(2);
      seen.push(...(page.stateMachines ?? []).map((m) => m.name ?? ''));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(expect.arrayContaining(['crud-1', 'crud-2', 'crud-3']));
    expect(new Set(seen).size).toBe(seen.length);

    const updated = await client.send(
      new sfn.UpdateStateMachineCommand({ stateMachineArn: arns[1], definition: callbackDefinition() }),
    );
    expect(updated.updateDate).toBeInstanceOf(Date);
    const afterUpdate = await client.send(new sfn.DescribeStateMachineCommand({ stateMachineArn: arns[1] }));
    expect(JSON.parse(afterUpdate.definition ?? '')).toEqual(JSON.parse(callbackDefinition()));

    await client.send(new sfn.DeleteStateMachineCommand({ stateMachineArn: arns[2] }));
    await expect(
      client.send(new sfn.StartExecutionCommand({ stateMachineArn: arns[2] })),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
  });

  it('rejects an invalid definition with InvalidDefinition and the reason', async () => {
    const bad = JSON.stringify({ StartAt: 'Nowhere', States: { A: { Type: 'Pass', End: true } } });
    const error = client.send(
      new sfn.CreateStateMachineCommand({ name: 'bad', definition: bad, roleArn: ROLE }),
    );
    await expect(error).rejects.toBeInstanceOf(sfn.InvalidDefinition);
    await expect(error).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: expect.stringContaining('Nowhere'),
    });
    await expect(
      client.send(
        new sfn.CreateStateMachineCommand({ name: 'bad2', definition: '{not json', roleArn: ROLE }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidDefinition' });
  });

  it('answers unknown machines with StateMachineDoesNotExist', async () => {
    await expect(
      client.send(
        new sfn.DescribeStateMachineCommand({
          stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:missing',
        }),
      ),
    ).rejects.toBeInstanceOf(sfn.StateMachineDoesNotExist);
  });
});

describe('executions', () => {
  it('runs Lambda tasks to SUCCEEDED and describes the execution and its machine', async () => {
    const stateMachineArn = await createMachine('lambda-run', lambdaDefinition);
    const started = await client.send(
      new sfn.StartExecutionCommand({ stateMachineArn, name: 'r1', input: '{"n":3}' }),
    );
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:lambda-run:r1');
    expect(started.startDate).toBeInstanceOf(Date);

    const done = await finished(started.executionArn as string);
    expect(done).toMatchObject({ status: 'SUCCEEDED', name: 'r1', stateMachineArn, input: '{"n":3}' });
    expect(JSON.parse(done.output ?? '')).toEqual({ n: 12 });
    expect(done.stopDate).toBeInstanceOf(Date);

    const forExecution = await client.send(
      new sfn.DescribeStateMachineForExecutionCommand({ executionArn: started.executionArn }),
    );
    expect(forExecution).toMatchObject({ name: 'lambda-run', stateMachineArn });
    expect(JSON.parse(forExecution.definition ?? '')).toEqual(JSON.parse(lambdaDefinition));
  });

  it('is idempotent on the name while running with the same input, else ExecutionAlreadyExists', async () => {
    const stateMachineArn = await createMachine('idem', callbackDefinition());
    const first = await client.send(
      new sfn.StartExecutionCommand({ stateMachineArn, name: 'once', input: '{"a":1}' }),
    );
    const again = await client.send(
      new sfn.StartExecutionCommand({ stateMachineArn, name: 'once', input: '{"a":1}' }),
    );
    expect(again.executionArn).toBe(first.executionArn);

    const different = client.send(
      new sfn.StartExecutionCommand({ stateMachineArn, name: 'once', input: '{"a":2}' }),
    );
    await expect(different).rejects.toBeInstanceOf(sfn.ExecutionAlreadyExists);
    await expect(different).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });

    await client.send(new sfn.StopExecutionCommand({ executionArn: first.executionArn }));
    await expect(
      client.send(new sfn.StartExecutionCommand({ stateMachineArn, name: 'once', input: '{"a":1}' })),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('rejects input that is not JSON with InvalidExecutionInput', async () => {
    const stateMachineArn = await createMachine('bad-input', lambdaDefinition);
    await expect(
      client.send(new sfn.StartExecutionCommand({ stateMachineArn, input: '{"n":' })),
    ).rejects.toBeInstanceOf(sfn.InvalidExecutionInput);
  });

  it('answers unknown executions with ExecutionDoesNotExist', async () => {
    const executionArn = 'arn:aws:states:us-east-1:123456789012:execution:lambda-run:nope';
    await expect(client.send(new sfn.DescribeExecutionCommand({ executionArn }))).rejects.toBeInstanceOf(
      sfn.ExecutionDoesNotExist,
    );
    await expect(client.send(new sfn.GetExecutionHistoryCommand({ executionArn }))).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
  });

  it('stops an execution (ABORTED) and lists executions by status with paging', async () => {
    const stateMachineArn = await createMachine('listing', callbackDefinition());
    const arns: string[] = [];
    for (const name of ['l1', 'l2', 'l3', 'l4', 'l5']) {
      arns.push(
        (await client.send(new sfn.StartExecutionCommand({ stateMachineArn, name }))).executionArn as string,
      );
    }
    const stopped = await client.send(
      new sfn.StopExecutionCommand({ executionArn: arns[0], error: 'Cancelled', cause: 'by the test' }),
    );
    expect(stopped.stopDate).toBeInstanceOf(Date);
    expect(await finished(arns[0] as string)).toMatchObject({
      status: 'ABORTED',
      error: 'Cancelled',
      cause: 'by the test',
    });

    const running: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new sfn.ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 2, nextToken }),
      );
      expect(page.executions?.length).toBeLessThanOrEqual(2);
      for (const e of page.executions ?? []) {
        expect(e.status).toBe('RUNNING');
        expect(e.startDate).toBeInstanceOf(Date);
        running.push(e.executionArn as string);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    expect(running.sort()).toEqual(arns.slice(1).sort());

    const aborted = await client.send(
      new sfn.ListExecutionsCommand({ stateMachineArn, statusFilter: 'ABORTED' }),
    );
    expect(aborted.executions?.map((e) => e.executionArn)).toEqual([arns[0]]);
    for (const executionArn of arns.slice(1))
      await client.send(new sfn.StopExecutionCommand({ executionArn }));
  });
});

describe('history', () => {
  it('pages, reverses and leaves out execution data on request', async () => {
    const stateMachineArn = await createMachine('history', lambdaDefinition);
    const { executionArn } = await client.send(
      new sfn.StartExecutionCommand({ stateMachineArn, input: '{"n":1}' }),
    );
    await finished(executionArn as string);

    const all = await client.send(new sfn.GetExecutionHistoryCommand({ executionArn }));
    const events = all.events ?? [];
    expect(events[0]).toMatchObject({ id: 1, previousEventId: 0, type: 'ExecutionStarted' });
    expect(events[0]?.timestamp).toBeInstanceOf(Date);
    expect(events[0]?.executionStartedEventDetails?.input).toBe('{"n":1}');
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(events.map((e) => e.type)).toContain('LambdaFunctionScheduled');
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));

    const paged: sfn.HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new sfn.GetExecutionHistoryCommand({ executionArn, maxResults: 3, nextToken }),
      );
      expect(page.events?.length).toBeLessThanOrEqual(3);
      paged.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(paged.map((e) => e.id)).toEqual(events.map((e) => e.id));

    const reversed = await client.send(
      new sfn.GetExecutionHistoryCommand({ executionArn, reverseOrder: true }),
    );
    expect(reversed.events?.map((e) => e.id)).toEqual(events.map((e) => e.id).reverse());

    const lean = await client.send(
      new sfn.GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }),
    );
    expect(lean.events?.[0]?.executionStartedEventDetails?.input).toBeUndefined();
    expect(lean.events?.at(-1)?.executionSucceededEventDetails?.output).toBeUndefined();
  });
});

describe('task tokens', () => {
  it('resumes a paused execution with SendTaskSuccess, once', async () => {
    const stateMachineArn = await createMachine('callback', callbackDefinition());
    const { executionArn } = await client.send(new sfn.StartExecutionCommand({ stateMachineArn }));
    const taskToken = await nextToken(executionArn as string);

    await client.send(new sfn.SendTaskHeartbeatCommand({ taskToken }));
    await client.send(new sfn.SendTaskSuccessCommand({ taskToken, output: '{"approved":true}' }));
    const done = await finished(executionArn as string);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '')).toEqual({ approved: true });

    // A closed task's token is TaskTimedOut ("the task associated with the token has already been closed"):
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html
    const twice = client.send(new sfn.SendTaskSuccessCommand({ taskToken, output: '{}' }));
    await expect(twice).rejects.toBeInstanceOf(sfn.TaskTimedOut);
  });

  it('fails a paused execution with SendTaskFailure', async () => {
    const stateMachineArn = await createMachine('callback-fail', callbackDefinition());
    const { executionArn } = await client.send(new sfn.StartExecutionCommand({ stateMachineArn }));
    const taskToken = await nextToken(executionArn as string);
    await client.send(new sfn.SendTaskFailureCommand({ taskToken, error: 'Rejected', cause: 'no budget' }));
    expect(await finished(executionArn as string)).toMatchObject({
      status: 'FAILED',
      error: 'Rejected',
      cause: 'no budget',
    });
  });

  it('answers bad tokens and bad output with the AWS errors', async () => {
    await expect(
      client.send(new sfn.SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })),
    ).rejects.toBeInstanceOf(sfn.InvalidToken);
    await expect(
      client.send(new sfn.SendTaskHeartbeatCommand({ taskToken: 'not-a-token' })),
    ).rejects.toMatchObject({
      name: 'InvalidToken',
    });

    const stateMachineArn = await createMachine('callback-output', callbackDefinition());
    const { executionArn } = await client.send(new sfn.StartExecutionCommand({ stateMachineArn }));
    const taskToken = await nextToken(executionArn as string);
    await expect(
      client.send(new sfn.SendTaskSuccessCommand({ taskToken, output: '{"unterminated":' })),
    ).rejects.toBeInstanceOf(sfn.InvalidOutput);
    const description = await client.send(new sfn.DescribeExecutionCommand({ executionArn }));
    expect(description.status).toBe('RUNNING');
    await client.send(new sfn.StopExecutionCommand({ executionArn }));
    await expect(
      client.send(new sfn.SendTaskSuccessCommand({ taskToken, output: '{}' })),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  // https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskHeartbeat.html (TaskTimedOut: "the
  // task associated with the token has already been closed"), likewise SendTaskFailure and SendTaskSuccess.
  it('answers all three callbacks on the token of a closed task with TaskTimedOut', async () => {
    // Prepare
    const stateMachineArn = await createMachine('callback-closed', callbackDefinition());
    const { executionArn } = await client.send(new sfn.StartExecutionCommand({ stateMachineArn }));
    const taskToken = await nextToken(executionArn as string);
    await client.send(new sfn.SendTaskSuccessCommand({ taskToken, output: '{}' }));
    await finished(executionArn as string);

    // Act
    const answers = await Promise.allSettled([
      client.send(new sfn.SendTaskSuccessCommand({ taskToken, output: '{}' })),
      client.send(new sfn.SendTaskFailureCommand({ taskToken, error: 'E' })),
      client.send(new sfn.SendTaskHeartbeatCommand({ taskToken })),
    ]);

    // Assess
    expect(answers.map((a) => (a.status === 'rejected' ? (a.reason as Error).name : 'answered'))).toEqual([
      'TaskTimedOut',
      'TaskTimedOut',
      'TaskTimedOut',
    ]);
  });

  it('answers a token whose task timed out with TaskTimedOut', async () => {
    const stateMachineArn = await createMachine('callback-timeout', callbackDefinition(1));
    const { executionArn } = await client.send(new sfn.StartExecutionCommand({ stateMachineArn }));
    const taskToken = await nextToken(executionArn as string);
    const done = await finished(executionArn as string);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    await expect(
      client.send(new sfn.SendTaskSuccessCommand({ taskToken, output: '{}' })),
    ).rejects.toBeInstanceOf(sfn.TaskTimedOut);
  });
});

describe('tags', () => {
  it('tags, lists and untags a state machine', async () => {
    const resourceArn = await createMachine('tagged', lambdaDefinition);
    await client.send(
      new sfn.TagResourceCommand({
        resourceArn,
        tags: [
          { key: 'team', value: 'sales' },
          { key: 'env', value: 'local' },
        ],
      }),
    );
    const listed = await client.send(new sfn.ListTagsForResourceCommand({ resourceArn }));
    expect(listed.tags).toEqual(
      expect.arrayContaining([
        { key: 'team', value: 'sales' },
        { key: 'env', value: 'local' },
      ]),
    );
    await client.send(new sfn.UntagResourceCommand({ resourceArn, tagKeys: ['env'] }));
    expect((await client.send(new sfn.ListTagsForResourceCommand({ resourceArn }))).tags).toEqual([
      { key: 'team', value: 'sales' },
    ]);
    await expect(
      client.send(
        new sfn.ListTagsForResourceCommand({
          resourceArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:none',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFound' });
  });
});
