import { describe, expect, it } from 'vitest';
import { details, run } from './helpers.js';

describe('JSONPath states', () => {
  it('Pass: InputPath, Parameters with paths, context object and intrinsics, ResultPath, OutputPath', async () => {
    const r = await run(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Pass',
            InputPath: '$.in',
            Parameters: {
              'copy.$': '$.v',
              'name.$': '$$.State.Name',
              'sum.$': 'States.MathAdd($.v, 1)',
              nested: { 'arr.$': 'States.Array($.v)' },
            },
            ResultPath: '$.res',
            OutputPath: '$.res',
            End: true,
          },
        },
      },
      { in: { v: 1 }, other: true },
    );
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ copy: 1, name: 'P', sum: 2, nested: { arr: [1] } });
    expect(r.types).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('Pass: Result, ResultPath null keeps the input, null InputPath/OutputPath give {}', async () => {
    const r = await run(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Result: { x: 1 }, ResultPath: null, Next: 'B' },
          B: { Type: 'Pass', InputPath: null, ResultPath: '$.b', Next: 'C' },
          C: { Type: 'Pass', OutputPath: null, End: true },
        },
      },
      { keep: 1 },
    );
    expect(r.output).toEqual({});
    const exitedB = r.events.find((e) => e.type === 'PassStateExited' && details(e).name === 'B');
    expect(JSON.parse(details(exitedB).output as string)).toEqual({ keep: 1, b: {} });
  });

  it('a Parameters path that finds nothing fails the execution with States.Runtime', async () => {
    const r = await run({
      StartAt: 'P',
      States: { P: { Type: 'Pass', Parameters: { 'v.$': '$.missing' }, End: true } },
    });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toContain(
      "The JSONPath '$.missing' specified for the field 'v.$' could not be found in the input",
    );
    expect(r.cause).toContain('(entered at the event id #2)');
  });

  it('Choice: every comparison family, And/Or/Not, type tests, Default, and NoChoiceMatched', async () => {
    const def = (rule: Record<string, unknown>) => ({
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Pass', Result: 'yes', End: true },
        No: { Type: 'Pass', Result: 'no', End: true },
      },
    });
    const input = {
      s: 'abc',
      n: 5,
      b: true,
      t: '2024-01-02T00:00:00Z',
      t2: '2024-01-01T00:00:00Z',
      nul: null,
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ Variable: '$.s', StringEquals: 'abc' }, 'yes'],
      [{ Variable: '$.s', StringMatches: 'a*c' }, 'yes'],
      [{ Variable: '$.s', StringLessThan: 'abd' }, 'yes'],
      [{ Variable: '$.n', NumericGreaterThanEquals: 5 }, 'yes'],
      [{ Variable: '$.n', NumericEqualsPath: '$.n' }, 'yes'],
      [{ Variable: '$.n', StringEquals: '5' }, 'no'],
      [{ Variable: '$.b', BooleanEquals: true }, 'yes'],
      [{ Variable: '$.t', TimestampGreaterThanPath: '$.t2' }, 'yes'],
      [{ Variable: '$.nul', IsNull: true }, 'yes'],
      [{ Variable: '$.missing', IsPresent: false }, 'yes'],
      [{ Variable: '$.t', IsTimestamp: true }, 'yes'],
      [{ And: [{ Variable: '$.n', IsNumeric: true }, { Not: { Variable: '$.s', IsString: false } }] }, 'yes'],
      [
        {
          Or: [
            { Variable: '$.n', NumericLessThan: 0 },
            { Variable: '$.b', IsBoolean: true },
          ],
        },
        'yes',
      ],
    ];
    for (const [rule, expected] of cases) {
      const r = await run(def(rule), input);
      expect(r.output, JSON.stringify(rule)).toBe(expected);
    }
    const none = await run(
      {
        StartAt: 'C',
        States: {
          C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'E' }] },
          E: { Type: 'Succeed' },
        },
      },
      { n: 2 },
    );
    expect(none.status).toBe('FAILED');
    expect(none.error).toBe('States.NoChoiceMatched');
  });

  it('Wait: Seconds, SecondsPath, Timestamp and TimestampPath on the virtual clock; bad SecondsPath fails', async () => {
    const r = await run(
      {
        StartAt: 'W1',
        States: {
          W1: { Type: 'Wait', Seconds: 30, Next: 'W2' },
          W2: { Type: 'Wait', SecondsPath: '$.s', Next: 'W3' },
          W3: { Type: 'Wait', Timestamp: '2024-01-01T01:00:00Z', Next: 'W4' },
          W4: { Type: 'Wait', TimestampPath: '$.ts', End: true },
        },
      },
      { s: 10, ts: '2024-01-01T02:00:00Z' },
    );
    expect(r.status).toBe('SUCCEEDED');
    const exits = r.events.filter((e) => e.type === 'WaitStateExited').map((e) => e.timestamp?.toISOString());
    expect(exits).toEqual([
      '2024-01-01T00:00:30.000Z',
      '2024-01-01T00:00:40.000Z',
      '2024-01-01T01:00:00.000Z',
      '2024-01-01T02:00:00.000Z',
    ]);
    const bad = await run(
      { StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.s', End: true } } },
      { s: -1 },
    );
    expect(bad.error).toBe('States.Runtime');
    expect(bad.cause).toContain('The SecondsPath parameter references a negative value: $.s == -1');
  });

  it('Succeed and Fail (Error/Cause and ErrorPath/CausePath)', async () => {
    const ok = await run({ StartAt: 'S', States: { S: { Type: 'Succeed', OutputPath: '$.a' } } }, { a: 7 });
    expect(ok.output).toBe(7);
    expect(ok.types).toEqual([
      'ExecutionStarted',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    const fail = await run({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E', Cause: 'C' } } });
    expect([fail.status, fail.error, fail.cause]).toEqual(['FAILED', 'E', 'C']);
    expect(fail.types).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
    const paths = await run(
      {
        StartAt: 'F',
        States: { F: { Type: 'Fail', ErrorPath: '$.e', CausePath: "States.Format('at {}', $.where)" } },
      },
      { e: 'Boom', where: 'here' },
    );
    expect([paths.error, paths.cause]).toEqual(['Boom', 'at here']);
  });

  it('Parallel: branch outputs in order, ResultSelector, branch failure fails the state', async () => {
    const r = await run(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'a', End: true } } },
              {
                StartAt: 'B',
                States: {
                  B: { Type: 'Wait', Seconds: 5, Next: 'B2' },
                  B2: { Type: 'Pass', Result: 'b', End: true },
                },
              },
            ],
            ResultSelector: { 'both.$': '$' },
            End: true,
          },
        },
      },
      {},
    );
    expect(r.output).toEqual({ both: ['a', 'b'] });
    expect(r.types.filter((t) => t.startsWith('Parallel'))).toEqual([
      'ParallelStateEntered',
      'ParallelStateStarted',
      'ParallelStateSucceeded',
      'ParallelStateExited',
    ]);
    const failed = await run({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100, End: true } } },
            { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'BranchError', Cause: 'x' } } },
          ],
          End: true,
        },
      },
    });
    expect([failed.status, failed.error]).toEqual(['FAILED', 'BranchError']);
    expect(failed.types).toContain('WaitStateAborted');
    expect(failed.types).toContain('ParallelStateFailed');
  });

  it('Map: ItemsPath, ItemSelector with $$.Map.Item, MaxConcurrency, output order', async () => {
    const r = await run(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemsPath: '$.items',
            MaxConcurrency: 2,
            ItemSelector: { 'i.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value', 'k.$': '$.k' },
            ItemProcessor: { StartAt: 'X', States: { X: { Type: 'Pass', End: true } } },
            ResultPath: '$.out',
            End: true,
          },
        },
      },
      { items: ['a', 'b', 'c'], k: 1 },
    );
    expect(r.output.out).toEqual([
      { i: 0, v: 'a', k: 1 },
      { i: 1, v: 'b', k: 1 },
      { i: 2, v: 'c', k: 1 },
    ]);
    const started = r.events.find((e) => e.type === 'MapStateStarted');
    expect(details(started)).toEqual({ length: 3 });
    expect(r.types.filter((t) => t === 'MapIterationSucceeded')).toHaveLength(3);
  });

  it('Map: a task in an iteration is dispatched with the iteration index', async () => {
    const r = await run(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: {
              StartAt: 'T',
              States: {
                T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', End: true },
              },
            },
            End: true,
          },
        },
      },
      ['a', 'b', 'c'],
      (req) => `${String(req.parameters)}${req.mapItemIndex}`,
    );
    expect(r.output).toEqual(['a0', 'b1', 'c2']);
    expect(r.calls.map((c) => c.mapItemIndex).sort()).toEqual([0, 1, 2]);
  });

  it('Map: tolerated failures, and the threshold error when exceeded', async () => {
    const def = (tolerated: number) => ({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ToleratedFailureCount: tolerated,
          ItemProcessor: {
            StartAt: 'C',
            States: {
              C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'F' }], Default: 'OK' },
              F: { Type: 'Fail', Error: 'Two' },
              OK: { Type: 'Pass', End: true },
            },
          },
          End: true,
        },
      },
    });
    const ok = await run(def(1), [1, 2, 3]);
    expect(ok.status).toBe('SUCCEEDED');
    expect(ok.output[0]).toBe(1);
    expect(ok.output[2]).toBe(3);
    const ko = await run(def(0), [1, 2, 3]);
    expect(ko.error).toBe('States.ExceedToleratedFailureThreshold');
  });

  it('a JSONata-only field in a JSONPath state is refused at CreateStateMachine', async () => {
    const r = await run({ StartAt: 'A', States: { A: { Type: 'Pass', Output: 1, End: true } } }).catch(
      (e: Error) => e,
    );
    expect(r).toBeInstanceOf(Error);
    expect((r as Error).name).toBe('InvalidDefinition');
    expect((r as Error).message).toContain(
      "The field 'Output' is not supported for the JSONPath query language",
    );
  });

  it('Assign in JSONPath mode: variables from the result, visible in later states and inside a Map', async () => {
    const ok = await run({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Result: { v: 3, list: [1, 2] }, Assign: { 'x.$': '$.v', y: 'const' }, Next: 'M' },
        M: {
          Type: 'Map',
          ItemsPath: '$.list',
          ItemProcessor: {
            StartAt: 'I',
            States: {
              I: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($, $x)', 'y.$': '$y' }, End: true },
            },
          },
          End: true,
        },
      },
    });
    expect(ok.output).toEqual([
      { sum: 4, y: 'const' },
      { sum: 5, y: 'const' },
    ]);
    const exited = ok.events.find((e) => e.type === 'PassStateExited');
    expect(details(exited).assignedVariables).toEqual({ x: '3', y: '"const"' });
  });
});
