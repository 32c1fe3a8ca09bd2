/**
 * The actions beyond state machines and executions, through @aws-sdk/client-sfn over HTTP: versions and aliases,
 * activities with a worker, ValidateStateMachineDefinition, StartSyncExecution and EXPRESS semantics, Map Runs,
 * tags with AWS's limits, page tokens, DeleteStateMachine. Each test names the AWS documentation it follows.
 */
import * as sfn from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatesServer, startStatesServer } from '../../src/http/index.js';
import { createLocalStepFunctions, type LocalStepFunctions } from '../../src/runtime.js';

const ROLE = 'arn:aws:iam::123456789012:role/sfn';
const PASS = (result: unknown) =>
  JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });

/** The error a call rejects with (awaited where it is made, so no rejection is left unhandled). */
async function failure(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

let runtime: LocalStepFunctions;
let server: StatesServer;
let client: sfn.SFNClient;

beforeAll(async () => {
  runtime = await createLocalStepFunctions({
    dispatcher: { dispatch: async () => ({ dispatched: true }) },
    activityPollMs: 200,
  });
  server = await startStatesServer({ service: runtime, port: 0 });
  client = new sfn.SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    // StartSyncExecution's endpoint has the host prefix `sync-` (sync-states.<region>.amazonaws.com); against a
    // local endpoint the SDK must not prepend it.
    disableHostPrefix: true,
  });
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  await runtime?.close();
});

async function machine(name: string, definition: string, type?: sfn.StateMachineType): Promise<string> {
  const out = await client.send(new sfn.CreateStateMachineCommand({ name, definition, roleArn: ROLE, type }));
  return out.stateMachineArn as string;
}

async function run(stateMachineArn: string): Promise<sfn.DescribeExecutionOutput> {
  const { executionArn } = await client.send(new sfn.StartExecutionCommand({ stateMachineArn }));
  await runtime.awaitExecution(executionArn as string);
  return client.send(new sfn.DescribeExecutionCommand({ executionArn }));
}

// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html
describe('versions', () => {
  it('publishes on create and update, numbers from 1, idempotent per revision, lists newest first', async () => {
    // Prepare
    const created = await client.send(
      new sfn.CreateStateMachineCommand({
        name: 'versioned',
        definition: PASS(1),
        roleArn: ROLE,
        publish: true,
      }),
    );
    const smArn = created.stateMachineArn as string;

    // Act
    const again = await client.send(new sfn.PublishStateMachineVersionCommand({ stateMachineArn: smArn }));
    const updated = await client.send(
      new sfn.UpdateStateMachineCommand({ stateMachineArn: smArn, definition: PASS(2), publish: true }),
    );
    const listed = await client.send(new sfn.ListStateMachineVersionsCommand({ stateMachineArn: smArn }));
    const v1 = await client.send(new sfn.DescribeStateMachineCommand({ stateMachineArn: `${smArn}:1` }));

    // Assess
    expect(created.stateMachineVersionArn).toBe(`${smArn}:1`);
    expect(again.stateMachineVersionArn).toBe(`${smArn}:1`);
    expect(updated.stateMachineVersionArn).toBe(`${smArn}:2`);
    expect(listed.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([
      `${smArn}:2`,
      `${smArn}:1`,
    ]);
    expect(JSON.parse(v1.definition as string).States.P.Result).toBe(1);
  });

  it('refuses to publish a stale revisionId (ConflictException)', async () => {
    // Prepare
    const smArn = await machine('stale-revision', PASS(1));

    // Act
    const publishing = await failure(
      client.send(
        new sfn.PublishStateMachineVersionCommand({
          stateMachineArn: smArn,
          revisionId: 'not-the-current-one',
        }),
      ),
    );

    // Assess
    expect(publishing).toBeInstanceOf(sfn.ConflictException);
  });
});

// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-alias.html
describe('aliases', () => {
  it('routes StartExecution by weight and records the version and alias on the execution', async () => {
    // Prepare
    const smArn = await machine('aliased', PASS('v1'));
    await client.send(new sfn.PublishStateMachineVersionCommand({ stateMachineArn: smArn }));
    await client.send(new sfn.UpdateStateMachineCommand({ stateMachineArn: smArn, definition: PASS('v2') }));
    await client.send(new sfn.PublishStateMachineVersionCommand({ stateMachineArn: smArn }));
    const { stateMachineAliasArn } = await client.send(
      new sfn.CreateStateMachineAliasCommand({
        name: 'PROD',
        routingConfiguration: [{ stateMachineVersionArn: `${smArn}:1`, weight: 100 }],
      }),
    );

    // Act
    const viaAlias = await run(stateMachineAliasArn as string);
    await client.send(
      new sfn.UpdateStateMachineAliasCommand({
        stateMachineAliasArn,
        routingConfiguration: [
          { stateMachineVersionArn: `${smArn}:1`, weight: 0 },
          { stateMachineVersionArn: `${smArn}:2`, weight: 100 },
        ],
      }),
    );
    const shifted = await run(stateMachineAliasArn as string);
    const viaVersion = await run(`${smArn}:1`);
    const deleting = await failure(
      client.send(new sfn.DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${smArn}:2` })),
    );

    // Assess
    expect(stateMachineAliasArn).toBe(`${smArn}:PROD`);
    expect(viaAlias).toMatchObject({
      output: '"v1"',
      stateMachineAliasArn,
      stateMachineVersionArn: `${smArn}:1`,
    });
    expect(shifted).toMatchObject({ output: '"v2"', stateMachineVersionArn: `${smArn}:2` });
    expect(viaVersion.stateMachineAliasArn).toBeUndefined();
    expect(deleting).toBeInstanceOf(sfn.ConflictException);
  });

  it('refuses weights that do not add up to 100 and a numeric name', async () => {
    // Prepare
    const smArn = await machine('bad-alias', PASS(1));
    await client.send(new sfn.PublishStateMachineVersionCommand({ stateMachineArn: smArn }));

    // Act
    const weights = await failure(
      client.send(
        new sfn.CreateStateMachineAliasCommand({
          name: 'half',
          routingConfiguration: [{ stateMachineVersionArn: `${smArn}:1`, weight: 50 }],
        }),
      ),
    );
    const numeric = await failure(
      client.send(
        new sfn.CreateStateMachineAliasCommand({
          name: '7',
          routingConfiguration: [{ stateMachineVersionArn: `${smArn}:1`, weight: 100 }],
        }),
      ),
    );

    // Assess
    expect(weights).toBeInstanceOf(sfn.ValidationException);
    expect(numeric).toBeInstanceOf(sfn.ValidationException);
  });
});

// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html
describe('activities', () => {
  it('hands a scheduled task to a GetActivityTask worker that answers with SendTaskSuccess', async () => {
    // Prepare
    const { activityArn } = await client.send(new sfn.CreateActivityCommand({ name: 'approve' }));
    const smArn = await machine(
      'with-activity',
      JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', Resource: activityArn, End: true } } }),
    );
    const { executionArn } = await client.send(
      new sfn.StartExecutionCommand({ stateMachineArn: smArn, input: '{"order":7}' }),
    );

    // Act
    const task = await client.send(new sfn.GetActivityTaskCommand({ activityArn, workerName: 'w1' }));
    await client.send(new sfn.SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"ok":true}' }));
    const done = await runtime.awaitExecution(executionArn as string);
    const { events = [] } = await client.send(new sfn.GetExecutionHistoryCommand({ executionArn }));

    // Assess
    expect(JSON.parse(task.input as string)).toEqual({ order: 7 });
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}' });
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'ActivityScheduled',
      'ActivityStarted',
      'ActivitySucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[2]?.activityScheduledEventDetails).toMatchObject({
      resource: activityArn,
      input: '{"order":7}',
    });
    expect(events[3]?.activityStartedEventDetails).toEqual({ workerName: 'w1' });
  });

  it('answers a poll without a task with no token, and describes, lists and deletes activities', async () => {
    // Prepare
    const { activityArn } = await client.send(new sfn.CreateActivityCommand({ name: 'idle-activity' }));

    // Act
    const empty = await client.send(new sfn.GetActivityTaskCommand({ activityArn }));
    const described = await client.send(new sfn.DescribeActivityCommand({ activityArn }));
    const listed = await client.send(new sfn.ListActivitiesCommand({}));
    await client.send(new sfn.DeleteActivityCommand({ activityArn }));
    const gone = await failure(client.send(new sfn.DescribeActivityCommand({ activityArn })));

    // Assess
    expect(empty.taskToken).toBeUndefined();
    expect(described.name).toBe('idle-activity');
    expect(listed.activities?.map((a) => a.name)).toContain('idle-activity');
    expect(gone).toBeInstanceOf(sfn.ActivityDoesNotExist);
  });

  // https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html: TaskDoesNotExist is
  // "The activity does not exist."; TaskTimedOut "the task associated with the token has already been closed".
  it('answers TaskDoesNotExist for a task of a deleted activity, TaskTimedOut once the task closed', async () => {
    // Prepare
    const { activityArn } = await client.send(new sfn.CreateActivityCommand({ name: 'deleted-activity' }));
    const smArn = await machine(
      'with-deleted-activity',
      JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', Resource: activityArn, End: true } } }),
    );
    const { executionArn } = await client.send(new sfn.StartExecutionCommand({ stateMachineArn: smArn }));
    const task = await client.send(new sfn.GetActivityTaskCommand({ activityArn, workerName: 'w2' }));
    await client.send(new sfn.DeleteActivityCommand({ activityArn }));

    // Act
    const deleted = await failure(
      client.send(new sfn.SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{}' })),
    );
    const heartbeat = await failure(
      client.send(new sfn.SendTaskHeartbeatCommand({ taskToken: task.taskToken })),
    );
    await client.send(new sfn.StopExecutionCommand({ executionArn }));
    const closed = await failure(
      client.send(new sfn.SendTaskFailureCommand({ taskToken: task.taskToken, error: 'E' })),
    );

    // Assess
    expect(deleted).toBeInstanceOf(sfn.TaskDoesNotExist);
    expect(heartbeat).toBeInstanceOf(sfn.TaskDoesNotExist);
    expect(closed).toBeInstanceOf(sfn.TaskTimedOut);
  });
});

// https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html
describe('ValidateStateMachineDefinition', () => {
  it('reports OK, or FAIL with coded diagnostics and their location', async () => {
    // Prepare
    const bad = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } });

    // Act
    const ok = await client.send(new sfn.ValidateStateMachineDefinitionCommand({ definition: PASS(1) }));
    const fail = await client.send(new sfn.ValidateStateMachineDefinitionCommand({ definition: bad }));

    // Assess
    expect(ok).toMatchObject({ result: 'OK', diagnostics: [] });
    expect(fail.result).toBe('FAIL');
    expect(fail.diagnostics?.[0]).toMatchObject({
      severity: 'ERROR',
      code: 'MISSING_TRANSITION_TARGET',
      location: '/States/A',
    });
  });
});

// https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html
describe('EXPRESS state machines', () => {
  it('StartSyncExecution returns the result; the execution has an express: ARN and no DescribeExecution', async () => {
    // Prepare
    const smArn = await machine('express-sync', PASS({ fast: true }), 'EXPRESS');
    const standard = await machine('standard-sync', PASS(1));

    // Act
    const out = await client.send(new sfn.StartSyncExecutionCommand({ stateMachineArn: smArn, input: '{}' }));
    const describing = await failure(
      client.send(new sfn.DescribeExecutionCommand({ executionArn: out.executionArn })),
    );
    const listing = await failure(client.send(new sfn.ListExecutionsCommand({ stateMachineArn: smArn })));
    const onStandard = await failure(
      client.send(new sfn.StartSyncExecutionCommand({ stateMachineArn: standard })),
    );

    // Assess
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"fast":true}' });
    expect(out.executionArn).toMatch(
      /^arn:aws:states:us-east-1:123456789012:express:express-sync:[^:]+:[^:]+$/,
    );
    expect(describing).toBeInstanceOf(sfn.InvalidArn);
    expect(listing).toBeInstanceOf(sfn.StateMachineTypeNotSupported);
    expect(onStandard).toBeInstanceOf(sfn.StateMachineTypeNotSupported);
  });

  it('rejects .waitForTaskToken in an EXPRESS definition', async () => {
    // Prepare
    const definition = JSON.stringify({
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', End: true },
      },
    });

    // Act
    const creating = await failure(machine('express-callback', definition, 'EXPRESS'));

    // Assess
    expect(creating).toBeInstanceOf(sfn.InvalidDefinition);
  });
});

// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html
describe('Map Runs', () => {
  it('lists and describes the Map Run of a Distributed Map', async () => {
    // Prepare
    const smArn = await machine(
      'distributed',
      JSON.stringify({
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemsPath: '$.items',
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
              StartAt: 'P',
              States: { P: { Type: 'Pass', End: true } },
            },
            End: true,
          },
        },
      }),
    );
    const { executionArn } = await client.send(
      new sfn.StartExecutionCommand({ stateMachineArn: smArn, input: '{"items":[1,2,3]}' }),
    );
    await runtime.awaitExecution(executionArn as string);

    // Act
    const runs = await client.send(new sfn.ListMapRunsCommand({ executionArn }));
    const mapRunArn = runs.mapRuns?.[0]?.mapRunArn;
    const run = await client.send(new sfn.DescribeMapRunCommand({ mapRunArn }));

    // Assess
    expect(runs.mapRuns).toHaveLength(1);
    expect(run).toMatchObject({ executionArn, status: 'SUCCEEDED', itemCounts: { total: 3, succeeded: 3 } });
  });
});

// https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#concepts-tagging
describe('tags', () => {
  it('tags state machines and activities, at most 50 per resource, keys up to 128 characters', async () => {
    // Prepare
    const smArn = await machine('tagged', PASS(1));
    const { activityArn } = await client.send(new sfn.CreateActivityCommand({ name: 'tagged-activity' }));
    const fifty = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));

    // Act
    await client.send(new sfn.TagResourceCommand({ resourceArn: smArn, tags: fifty }));
    await client.send(
      new sfn.TagResourceCommand({ resourceArn: activityArn, tags: [{ key: 'team', value: 'a' }] }),
    );
    const tooMany = await failure(
      client.send(new sfn.TagResourceCommand({ resourceArn: smArn, tags: [{ key: 'one-more' }] })),
    );
    const tooLong = await failure(
      client.send(
        new sfn.TagResourceCommand({ resourceArn: activityArn, tags: [{ key: 'k'.repeat(129), value: '' }] }),
      ),
    );
    const activityTags = await client.send(new sfn.ListTagsForResourceCommand({ resourceArn: activityArn }));

    // Assess
    expect(tooMany).toBeInstanceOf(sfn.TooManyTags);
    expect(tooLong).toBeInstanceOf(sfn.ValidationException);
    expect(activityTags.tags).toEqual([{ key: 'team', value: 'a' }]);
  });
});

// https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html ("Keep all other
// arguments unchanged"; an expired or foreign token is InvalidToken)
describe('page tokens', () => {
  it('are opaque and valid only for the query that issued them', async () => {
    // Prepare
    const a = await machine('paged-a', PASS(1));
    const b = await machine('paged-b', PASS(1));
    for (const arn of [a, a, b]) await run(arn);

    // Act
    const first = await client.send(new sfn.ListExecutionsCommand({ stateMachineArn: a, maxResults: 1 }));
    const second = await client.send(
      new sfn.ListExecutionsCommand({ stateMachineArn: a, maxResults: 1, nextToken: first.nextToken }),
    );
    const foreign = await failure(
      client.send(
        new sfn.ListExecutionsCommand({ stateMachineArn: b, maxResults: 1, nextToken: first.nextToken }),
      ),
    );
    const forged = await failure(
      client.send(
        new sfn.ListExecutionsCommand({
          stateMachineArn: a,
          nextToken: Buffer.from('{"c":"0"}').toString('base64url'),
        }),
      ),
    );

    // Assess
    expect(second.executions).toHaveLength(1);
    expect(second.executions?.[0]?.executionArn).not.toBe(first.executions?.[0]?.executionArn);
    expect(foreign).toBeInstanceOf(sfn.InvalidToken);
    expect(forged).toBeInstanceOf(sfn.InvalidToken);
  });
});

// https://docs.aws.amazon.com/step-functions/latest/apireference/API_DeleteStateMachine.html
describe('DeleteStateMachine', () => {
  it('stops the running executions and removes the versions and aliases', async () => {
    // Prepare
    const smArn = await machine(
      'doomed',
      JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }),
    );
    await client.send(new sfn.PublishStateMachineVersionCommand({ stateMachineArn: smArn }));
    await client.send(
      new sfn.CreateStateMachineAliasCommand({
        name: 'live',
        routingConfiguration: [{ stateMachineVersionArn: `${smArn}:1`, weight: 100 }],
      }),
    );
    const { executionArn } = await client.send(new sfn.StartExecutionCommand({ stateMachineArn: smArn }));

    // Act
    await client.send(new sfn.DeleteStateMachineCommand({ stateMachineArn: smArn }));
    const execution = await client.send(new sfn.DescribeExecutionCommand({ executionArn }));
    const alias = await failure(
      client.send(new sfn.DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${smArn}:live` })),
    );
    const described = await failure(
      client.send(new sfn.DescribeStateMachineCommand({ stateMachineArn: smArn })),
    );

    // Assess
    expect(execution.status).toBe('ABORTED');
    expect(alias).toBeInstanceOf(sfn.ResourceNotFound);
    expect(described).toBeInstanceOf(sfn.StateMachineDoesNotExist);
  });
});

// https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
describe('DescribeExecution redrive fields', () => {
  it('a RUNNING or SUCCEEDED execution is NOT_REDRIVABLE with AWS reason text', async () => {
    // Prepare
    const smArn = await machine('redrive-fields', PASS(1));

    // Act
    const done = await run(smArn);

    // Assess
    expect(done).toMatchObject({
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
    });
  });
});
