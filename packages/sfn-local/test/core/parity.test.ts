/**
 * Behaviours where the runtime follows AWS's documentation rather than what it did before; each test names the page.
 */
import { describe, expect, it } from 'vitest';
import { createTaskDispatcher } from '../../src/dispatch/index.js';
import { createLocalStepFunctions } from '../../src/runtime.js';
import { createMachine, details, harness, ROLE, run } from './helpers.js';

const CALLBACK = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';

// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
describe('error names', () => {
  it('a missed heartbeat is caught as States.HeartbeatTimeout; the history still says States.Timeout', async () => {
    // Prepare
    const definition = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: CALLBACK,
          Parameters: { 'token.$': '$$.Task.Token' },
          HeartbeatSeconds: 5,
          Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    };

    // Act
    const r = await run(definition, {}, () => ({}));

    // Assess
    expect(r.status).toBe('SUCCEEDED');
    expect(details(r.events.find((e) => e.type === 'TaskTimedOut'))).toMatchObject({
      error: 'States.Timeout',
    });
    expect(r.output).toEqual({ Error: 'States.Timeout', Cause: '' });
  });

  // States.Timeout: "A Task state either ran longer than the TimeoutSeconds value, or failed to send a heartbeat for
  // a period longer than the HeartbeatSeconds value"; States.HeartbeatTimeout: "available inside the Catch and Retry
  // fields" for a missed heartbeat only.
  it('a missed heartbeat is retried as States.HeartbeatTimeout, then caught as States.Timeout', async () => {
    // Prepare
    const definition = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: CALLBACK,
          Parameters: { 'token.$': '$$.Task.Token' },
          HeartbeatSeconds: 5,
          Retry: [{ ErrorEquals: ['States.HeartbeatTimeout'], MaxAttempts: 2, IntervalSeconds: 1 }],
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    };

    // Act
    const r = await run(definition, {}, () => ({}));

    // Assess
    expect(r.calls).toHaveLength(3);
    expect(r.types.filter((t) => t === 'TaskTimedOut')).toHaveLength(3);
    expect([r.status, r.output]).toEqual(['SUCCEEDED', { Error: 'States.Timeout', Cause: '' }]);
  });

  it('a TimeoutSeconds timeout is not States.HeartbeatTimeout', async () => {
    // Prepare
    const definition = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: CALLBACK,
          Parameters: { 'token.$': '$$.Task.Token' },
          TimeoutSeconds: 5,
          Retry: [{ ErrorEquals: ['States.HeartbeatTimeout'], MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    };

    // Act
    const r = await run(definition, {}, () => ({}));

    // Assess
    expect(r.calls).toHaveLength(1);
    expect([r.status, r.error]).toEqual(['FAILED', 'States.Timeout']);
  });

  it('a caught States.Timeout has "Cause": "" in its error output', async () => {
    // Prepare
    const definition = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: CALLBACK,
          Parameters: { 'token.$': '$$.Task.Token' },
          TimeoutSeconds: 5,
          Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.err', Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    };

    // Act
    const r = await run(definition, { a: 1 }, () => ({}));

    // Assess
    expect(r.output).toEqual({ a: 1, err: { Error: 'States.Timeout', Cause: '' } });
  });
});

// https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
describe('DescribeExecution', () => {
  it('a TIMED_OUT execution carries no error or cause', async () => {
    // Prepare
    const definition = {
      TimeoutSeconds: 5,
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: 60, End: true } },
    };

    // Act
    const r = await run(definition);

    // Assess
    expect([r.status, r.error, r.cause]).toEqual(['TIMED_OUT', undefined, undefined]);
  });
});

// https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
describe('limits', () => {
  it('an execution reaching 25,000 history events fails with States.Runtime', async () => {
    // Prepare: a loop of Pass states (two events each) whose way out is never taken
    const definition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'Loop' },
        Loop: {
          Type: 'Choice',
          Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'End' }],
          Default: 'A',
        },
        End: { Type: 'Succeed' },
      },
    };

    // Act
    const r = await run(definition);

    // Assess
    expect([r.status, r.error]).toEqual(['FAILED', 'States.Runtime']);
    expect(r.events.length).toBeGreaterThanOrEqual(25_000);
    expect(r.events.length).toBeLessThanOrEqual(25_002);
  });

  it('a STANDARD execution times out after one year, even waiting longer', async () => {
    // Prepare
    const definition = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 2 * 31_536_000, End: true } } };

    // Act
    const r = await run(definition);

    // Assess
    expect(r.status).toBe('TIMED_OUT');
    expect(details(r.events.at(-1))).toEqual({
      error: 'States.Timeout',
      cause: 'The execution timed out after 31536000 seconds.',
    });
  });

  it('task parameters over 256 KiB fail the state with States.DataLimitExceeded', async () => {
    // Prepare: the input fits, Parameters doubles it
    const big = 'x'.repeat(150_000);
    const definition = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { 'a.$': '$.big', 'b.$': '$.big' },
          End: true,
        },
      },
    };

    // Act
    const r = await run(definition, { big });

    // Assess
    expect([r.status, r.error]).toEqual(['FAILED', 'States.DataLimitExceeded']);
    expect(r.calls).toHaveLength(0);
  });

  it('assigned variables over 256 KiB fail the state with States.DataLimitExceeded', async () => {
    // Prepare
    const big = 'x'.repeat(150_000);
    const definition = {
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Assign: { 'a.$': '$.big', 'b.$': '$.big' }, OutputPath: null, End: true },
      },
    };

    // Act
    const r = await run(definition, { big });

    // Assess
    expect([r.status, r.error]).toEqual(['FAILED', 'States.DataLimitExceeded']);
  });

  // concepts-error-handling.html, States.DataLimitExceeded: "the output of a state is larger than payload size quota"
  it('a state output over 256 KiB fails the state with States.DataLimitExceeded', async () => {
    // Prepare: the input fits (150,000 bytes), the Pass state's Parameters double it
    const big = 'x'.repeat(150_000);
    const definition = {
      StartAt: 'P',
      States: { P: { Type: 'Pass', Parameters: { 'a.$': '$.big', 'b.$': '$.big' }, End: true } },
    };

    // Act
    const r = await run(definition, { big });

    // Assess
    expect([r.status, r.error]).toEqual(['FAILED', 'States.DataLimitExceeded']);
    expect(r.cause).toContain("The state/task 'P' returned a result with a size exceeding");
  });

  it('exactly 256 KiB of output is within the limit', async () => {
    // Prepare: {"a":"xx…"} is 8 bytes of JSON around the string
    const definition = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };

    // Act
    const r = await run(definition, { a: 'x'.repeat(262_144 - 8) });

    // Assess
    expect(r.status).toBe('SUCCEEDED');
  });

  // state-task.html: TimeoutSeconds/HeartbeatSeconds are positive integers (up to 99999999); the Path forms too.
  it.each([0, -5, 1.5, 100_000_000, '10'])(
    'a TimeoutSecondsPath resolving to %j fails the execution with States.Runtime (not caught)',
    async (timeout) => {
      // Prepare
      const definition = {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: CALLBACK,
            TimeoutSecondsPath: '$.timeout',
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
            End: true,
          },
          Caught: { Type: 'Pass', End: true },
        },
      };

      // Act
      const r = await run(definition, { timeout });

      // Assess
      expect([r.status, r.error]).toEqual(['FAILED', 'States.Runtime']);
      expect(r.calls).toHaveLength(0);
    },
  );

  it('a HeartbeatSecondsPath resolving to 0 fails the execution with States.Runtime', async () => {
    // Prepare
    const definition = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: CALLBACK, HeartbeatSecondsPath: '$.hb', End: true },
      },
    };

    // Act
    const r = await run(definition, { hb: 0 });

    // Assess
    expect([r.status, r.error]).toEqual(['FAILED', 'States.Runtime']);
  });

  it('a HeartbeatSecondsPath not below the timeout fails the execution with States.Runtime', async () => {
    // Prepare (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html)
    const definition = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: CALLBACK,
          TimeoutSecondsPath: '$.timeout',
          HeartbeatSecondsPath: '$.heartbeat',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    };

    // Act
    const r = await run(definition, { timeout: 10, heartbeat: 10 });

    // Assess
    expect([r.status, r.error]).toEqual(['FAILED', 'States.Runtime']);
  });
});

describe('definitions AWS rejects', () => {
  const task = (extra: Record<string, unknown>) => ({
    StartAt: 'T',
    States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, ...extra } },
  });
  const cases: [string, unknown, string][] = [
    // https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
    [
      'HeartbeatSeconds not below TimeoutSeconds',
      task({ TimeoutSeconds: 10, HeartbeatSeconds: 10 }),
      '/States/T/HeartbeatSeconds',
    ],
    // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
    [
      'States.ALL with other errors',
      task({ Retry: [{ ErrorEquals: ['States.ALL', 'X'] }] }),
      '/States/T/Retry/0/ErrorEquals',
    ],
    [
      'States.ALL in a retrier that is not the last',
      task({ Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['X'] }] }),
      '/States/T/Retry/0',
    ],
    [
      'States.ALL in a catcher that is not the last',
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Catch: [
              { ErrorEquals: ['States.ALL'], Next: 'E' },
              { ErrorEquals: ['X'], Next: 'E' },
            ],
            End: true,
          },
          E: { Type: 'Succeed' },
        },
      },
      '/States/T/Catch/0',
    ],
    // https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
    [
      'a lowercase t in a Wait timestamp',
      { StartAt: 'W', States: { W: { Type: 'Wait', Timestamp: '2024-08-18t17:33:00Z', End: true } } },
      '/States/W/Timestamp',
    ],
    [
      'a lowercase z in a Wait timestamp',
      { StartAt: 'W', States: { W: { Type: 'Wait', Timestamp: '2024-08-18T17:33:00z', End: true } } },
      '/States/W/Timestamp',
    ],
    // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (JitterStrategy FULL | NONE)
    [
      'an unknown JitterStrategy',
      task({ Retry: [{ ErrorEquals: ['X'], JitterStrategy: 'HALF' }] }),
      '/States/T/Retry/0/JitterStrategy',
    ],
    // https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
    [
      'an invalid variable name',
      { StartAt: 'P', States: { P: { Type: 'Pass', Assign: { '1st': 1 }, End: true } } },
      '/States/P/Assign/1st',
    ],
  ];

  // AWS's shape: "Invalid State Machine Definition: '<CODE>: <message> at <location>'"
  // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html, InvalidDefinition).
  it.each(cases)('%s is InvalidDefinition', async (_what, definition, location) => {
    // Prepare
    const h = await harness();
    try {
      // Act
      const creating = await createMachine(h.rt, definition).catch((e: unknown) => e);

      // Assess
      expect(creating).toMatchObject({ name: 'InvalidDefinition' });
      expect((creating as Error).message).toMatch(
        new RegExp(
          `^Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: [^']*('[^']*'[^']*)* at ${location}'$`,
        ),
      );
    } finally {
      await h.rt.close();
    }
  });

  it('several problems are each quoted, as AWS lists them', async () => {
    // Prepare
    const h = await harness();
    const definition = task({
      TimeoutSeconds: 10,
      HeartbeatSeconds: 10,
      Retry: [{ ErrorEquals: ['States.ALL', 'X'] }],
    });
    try {
      // Act
      const creating = await createMachine(h.rt, definition).catch((e: unknown) => e);

      // Assess
      expect((creating as Error).message).toMatch(
        /^Invalid State Machine Definition: ''SCHEMA_VALIDATION_FAILED: .* at \/States\/T\/HeartbeatSeconds', 'SCHEMA_VALIDATION_FAILED: .* at \/States\/T\/Retry\/0\/ErrorEquals''$/,
      );
    } finally {
      await h.rt.close();
    }
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html (Express: no .sync, no
  // .waitForTaskToken, no activities)
  it.each([
    ['arn:aws:states:::lambda:invoke.waitForTaskToken', '.waitForTaskToken'],
    ['arn:aws:states:::states:startExecution.sync:2', '.sync'],
    ['arn:aws:states:us-east-1:123456789012:activity:approve', 'Activities'],
  ])('an EXPRESS machine with %s is InvalidDefinition', async (resource, what) => {
    // Prepare
    const h = await harness();
    const definition = JSON.stringify(
      task({ Resource: resource, Parameters: { 'token.$': '$$.Task.Token' } }),
    );
    try {
      // Act
      const express = await h.rt
        .createStateMachine({ name: 'express', type: 'EXPRESS', roleArn: ROLE, definition })
        .catch((e: unknown) => e);
      const standard = await h.rt.createStateMachine({ name: 'standard', roleArn: ROLE, definition });

      // Assess
      expect(express).toMatchObject({ name: 'InvalidDefinition' });
      expect((express as Error).message).toContain(`Express state machine does not support`);
      expect((express as Error).message).toContain(what);
      expect((express as Error).message).toMatch(/ at \/States\/T\/Resource'$/);
      expect(standard.stateMachineArn).toMatch(/:stateMachine:standard$/);
    } finally {
      await h.rt.close();
    }
  });
});

// An integration the local runtime cannot run must not look like a catchable task failure: AWS rejects a definition
// whose resource it does not recognise at CreateStateMachine ("SCHEMA_VALIDATION_FAILED: The resource provided ... is
// not recognized", https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html,
// InvalidDefinition); sfn-local does the same for the integrations it lacks.
describe('unsupported integrations', () => {
  const ECS = {
    StartAt: 'T',
    States: {
      T: {
        Type: 'Task',
        Resource: 'arn:aws:states:::ecs:runTask.sync',
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
        End: true,
      },
      Caught: { Type: 'Pass', End: true },
    },
  };

  it('are rejected by CreateStateMachine, UpdateStateMachine and ValidateStateMachineDefinition, naming the resource', async () => {
    // Prepare
    const dispatcher = createTaskDispatcher();
    const rt = await createLocalStepFunctions({ dispatcher });
    const inBranch = {
      StartAt: 'P',
      States: { P: { Type: 'Parallel', Branches: [ECS], End: true } },
    };
    try {
      const { stateMachineArn } = await rt.createStateMachine({
        name: 'runs',
        roleArn: ROLE,
        definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
      });

      // Act
      const creating = await rt
        .createStateMachine({ name: 'ecs', roleArn: ROLE, definition: JSON.stringify(inBranch) })
        .catch((e: unknown) => e);
      const updating = await rt
        .updateStateMachine({ stateMachineArn, definition: JSON.stringify(ECS) })
        .catch((e: unknown) => e);
      const validated = await rt.validateStateMachineDefinition({ definition: JSON.stringify(ECS) });

      // Assess
      expect(creating).toMatchObject({ name: 'InvalidDefinition' });
      expect((creating as Error).message).toMatch(
        /^Invalid State Machine Definition: 'LOCAL_UNSUPPORTED_INTEGRATION: sfn-local cannot run the resource 'arn:aws:states:::ecs:runTask\.sync': No local integration .* at \/States\/P\/Branches\/0\/States\/T\/Resource'$/,
      );
      expect(updating).toMatchObject({ name: 'InvalidDefinition' });
      expect(validated.result).toBe('FAIL');
      expect(validated.diagnostics?.[0]).toMatchObject({
        severity: 'ERROR',
        code: 'LOCAL_UNSUPPORTED_INTEGRATION',
        location: '/States/T/Resource',
      });
    } finally {
      await rt.close();
      dispatcher.close();
    }
  });

  it.each([
    [
      'arn:aws:states:::aws-sdk:dynamodb:makeCoffee',
      "@aws-sdk/client-dynamodb has no command for action 'makeCoffee'",
    ],
    [
      'arn:aws:states:::aws-sdk:nosuchservice:describeThing',
      "No AWS SDK package for service 'nosuchservice'",
    ],
  ])('%s is rejected when created', async (resource, why) => {
    // Prepare
    const dispatcher = createTaskDispatcher();
    const rt = await createLocalStepFunctions({ dispatcher });
    const definition = { StartAt: 'T', States: { T: { Type: 'Task', Resource: resource, End: true } } };
    try {
      // Act
      const creating = await rt
        .createStateMachine({ name: 'sdk', roleArn: ROLE, definition: JSON.stringify(definition) })
        .catch((e: unknown) => e);

      // Assess
      expect(creating).toMatchObject({ name: 'InvalidDefinition' });
      expect((creating as Error).message).toContain(`cannot run the resource '${resource}': ${why}`);
    } finally {
      await rt.close();
      dispatcher.close();
    }
  });

  it('activities and the supported integrations are accepted', async () => {
    // Prepare
    const dispatcher = createTaskDispatcher();
    const rt = await createLocalStepFunctions({ dispatcher });
    const task = (Resource: string) => ({ Type: 'Task', Resource, Next: 'Done' });
    const definition = {
      StartAt: 'A',
      States: {
        A: task('arn:aws:states:us-east-1:123456789012:activity:approve'),
        Done: {
          Type: 'Parallel',
          End: true,
          Branches: [
            {
              StartAt: 'L',
              States: {
                L: {
                  ...task('arn:aws:lambda:us-east-1:123456789012:function:f'),
                  Next: undefined,
                  End: true,
                },
              },
            },
            {
              StartAt: 'S',
              States: { S: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:listBuckets', End: true } },
            },
            {
              StartAt: 'D',
              States: {
                D: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::dynamodb:putItem',
                  Parameters: { TableName: 't', Item: {} },
                  End: true,
                },
              },
            },
            {
              StartAt: 'W',
              States: {
                W: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
                  Parameters: { 'token.$': '$$.Task.Token' },
                  End: true,
                },
              },
            },
          ],
        },
      },
    };
    try {
      // Act
      const created = await rt.createStateMachine({
        name: 'supported',
        roleArn: ROLE,
        definition: JSON.stringify(definition),
      });

      // Assess
      expect(created.stateMachineArn).toMatch(/:stateMachine:supported$/);
    } finally {
      await rt.close();
      dispatcher.close();
    }
  });

  it('a dispatcher that does not say what it supports keeps the run-time check: States.Runtime, not caught', async () => {
    // Prepare
    const inner = createTaskDispatcher();
    const dispatcher = { dispatch: inner.dispatch };
    const rt = await createLocalStepFunctions({ dispatcher });
    try {
      const { stateMachineArn } = await rt.createStateMachine({
        name: 'ecs',
        roleArn: ROLE,
        definition: JSON.stringify(ECS),
      });

      // Act
      const { executionArn } = await rt.startExecution({ stateMachineArn });
      const done = await rt.awaitExecution(executionArn as string);

      // Assess
      expect([done.status, done.error]).toEqual(['FAILED', 'States.Runtime']);
    } finally {
      await rt.close();
      inner.close();
    }
  });
});

// https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListStateMachines.html ("Each pagination
// token expires after 24 hours. Using an expired pagination token will return an HTTP 400 InvalidToken error.")
describe('page tokens', () => {
  it('expire after 24 hours', async () => {
    // Prepare
    const h = await harness();
    try {
      await createMachine(h.rt, { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
      await createMachine(h.rt, { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
      const first = await h.rt.listStateMachines({ maxResults: 1 });
      const fresh = await h.rt.listStateMachines({ maxResults: 1, nextToken: first.nextToken });

      // Act
      h.clock.advance(24 * 60 * 60 * 1000 + 1);
      const expired = await h.rt
        .listStateMachines({ maxResults: 1, nextToken: first.nextToken })
        .catch((e) => e);

      // Assess
      expect(fresh.stateMachines).toHaveLength(1);
      expect(expired).toMatchObject({ name: 'InvalidToken' });
    } finally {
      await h.rt.close();
    }
  });
});
