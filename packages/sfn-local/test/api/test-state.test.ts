/**
 * TestState (https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html and
 * https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html): one state, its output or
 * error, the next state, mocks, inspection levels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStepFunctions, type LocalStepFunctions } from '../../src/runtime.js';

let runtime: LocalStepFunctions;

beforeAll(async () => {
  runtime = await createLocalStepFunctions({
    dispatcher: { dispatch: async (req) => ({ echo: req.parameters }) },
  });
});

afterAll(async () => {
  await runtime?.close();
});

const state = (s: Record<string, unknown>) => JSON.stringify(s);

describe('TestState', () => {
  it('runs a Pass state and names the next state', async () => {
    // Prepare
    const definition = state({
      Type: 'Pass',
      Parameters: { 'sum.$': 'States.MathAdd($.a, 1)' },
      Next: 'After',
    });

    // Act
    const out = await runtime.testState({ definition, input: '{"a":41}' });

    // Assess
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"sum":42}', nextState: 'After' });
    expect(out.inspectionData).toBeUndefined();
  });

  it('shows the data flow at DEBUG: input, parameters, result, variables', async () => {
    // Prepare
    const definition = state({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { 'n.$': '$.n' },
      Assign: { 'seen.$': '$.echo.n' },
      End: true,
    });

    // Act
    const out = await runtime.testState({ definition, input: '{"n":3}', inspectionLevel: 'DEBUG' });

    // Assess
    expect(out.status).toBe('SUCCEEDED');
    expect(out.inspectionData).toMatchObject({
      input: '{"n":3}',
      afterParameters: '{"n":3}',
      result: '{"echo":{"n":3}}',
      variables: '{"seen":3}',
    });
  });

  it('answers a mocked error with RETRIABLE while a retrier has attempts left, else CAUGHT_ERROR', async () => {
    // Prepare
    const definition = state({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'Handle' }],
      End: true,
    });
    const mock = { errorOutput: { error: 'Boom', cause: 'mocked' } };

    // Act
    const retriable = await runtime.testState({
      definition,
      mock,
      inspectionLevel: 'DEBUG',
      stateConfiguration: { retrierRetryCount: 1 },
    });
    const caught = await runtime.testState({
      definition,
      mock,
      stateConfiguration: { retrierRetryCount: 2 },
    });

    // Assess
    expect(retriable).toMatchObject({ status: 'RETRIABLE', error: 'Boom', cause: 'mocked' });
    expect(retriable.inspectionData?.errorDetails).toEqual({ retryIndex: 0, retryBackoffIntervalSeconds: 6 });
    expect(caught).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'Handle', error: 'Boom' });
    expect(JSON.parse(caught.output as string)).toEqual({ err: { Error: 'Boom', Cause: 'mocked' } });
  });

  it('needs a mock for a Map state and then applies the state data flow to the mocked result', async () => {
    // Prepare
    const definition = state({
      Type: 'Map',
      ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      ResultPath: '$.results',
      End: true,
    });

    // Act
    const unmocked = await runtime.testState({ definition }).catch((e: Error) => e);
    const mocked = await runtime.testState({ definition, input: '{"a":1}', mock: { result: '[1,2]' } });

    // Assess
    expect(unmocked).toMatchObject({ name: 'ValidationException' });
    expect(mocked).toMatchObject({ status: 'SUCCEEDED', output: '{"a":1,"results":[1,2]}' });
  });

  it('reports a Fail state as FAILED with its error and cause', async () => {
    // Prepare
    const definition = JSON.stringify({
      StartAt: 'Bad',
      States: { Bad: { Type: 'Fail', Error: 'Nope', Cause: 'because' } },
    });

    // Act
    const out = await runtime.testState({ definition, stateName: 'Bad' });

    // Assess
    expect(out).toMatchObject({ status: 'FAILED', error: 'Nope', cause: 'because' });
  });
});
