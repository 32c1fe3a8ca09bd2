import { describe, expect, it } from 'vitest';
import { details, run } from './helpers.js';

describe('JSONata states', () => {
  it('Pass with Output and Assign; variables read in later states; $states.input and $states.context', async () => {
    const r = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'A',
        States: {
          A: {
            Type: 'Pass',
            Assign: { total: '{% $sum($states.input.values) %}', who: '{% $states.context.State.Name %}' },
            Output: { doubled: '{% $states.input.values.($ * 2) %}' },
            Next: 'B',
          },
          B: {
            Type: 'Pass',
            Output: '{% { "total": $total, "who": $who, "first": $states.input.doubled[0] } %}',
            End: true,
          },
        },
      },
      { values: [1, 2, 3] },
    );
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ total: 6, who: 'A', first: 2 });
    const exited = r.events.find((e) => e.type === 'PassStateExited');
    expect(details(exited).assignedVariables).toEqual({ total: '6', who: '"A"' });
  });

  it('Step Functions functions: $partition, $range, $hash, $parse, $uuid, $random(seed)', async () => {
    const r = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: {
          Type: 'Pass',
          Output: {
            p: '{% $partition([1,2,3,4,5], 2) %}',
            r: '{% $range(0, 6, 3) %}',
            h: "{% $hash('input data', 'SHA-1') %}",
            j: '{% $parse(\'{"a":1}\') %}',
            u: '{% $length($uuid()) %}',
            s: '{% $random(42) = $random(42) %}',
          },
          End: true,
        },
      },
    });
    expect(r.output).toEqual({
      p: [[1, 2], [3, 4], [5]],
      r: [0, 3, 6],
      h: 'aaff4a450a104cd177d28d18d74485e8cae074b7',
      j: { a: 1 },
      u: 36,
      s: true,
    });
  });

  it('an expression that returns nothing fails with States.QueryEvaluationError and an EvaluationFailed event', async () => {
    const r = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: { A: { Type: 'Pass', Output: { x: '{% $doesNotExist %}' }, End: true } },
    });
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(r.cause).toBe(
      "An error occurred while executing the state 'A' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Output/x' returned nothing (undefined).",
    );
    const ev = r.events.find((e) => e.type === 'EvaluationFailed');
    expect(details(ev)).toMatchObject({
      error: 'States.QueryEvaluationError',
      location: 'Output/x',
      state: 'A',
    });
  });

  it('Choice with Condition, rule Output/Assign, and the state Assign on Default', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            {
              Condition: '{% $states.input.n > 1 %}',
              Output: { big: true },
              Assign: { path: 'rule' },
              Next: 'E',
            },
          ],
          Default: 'E',
          Assign: { path: 'default' },
        },
        E: { Type: 'Pass', Output: '{% { "path": $path, "in": $states.input } %}', End: true },
      },
    };
    expect((await run(def, { n: 5 })).output).toEqual({ path: 'rule', in: { big: true } });
    expect((await run(def, { n: 0 })).output).toEqual({ path: 'default', in: { n: 0 } });
  });

  it('Task with Arguments and Output over $states.result; Wait with a Seconds expression', async () => {
    const r = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'W',
        States: {
          W: { Type: 'Wait', Seconds: '{% $states.input.delay %}', Next: 'T' },
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Arguments: { FunctionName: 'f', Payload: { v: '{% $states.input.v %}' } },
            Output: '{% $states.result.Payload.v + 1 %}',
            End: true,
          },
        },
      },
      { delay: 5, v: 41 },
      (req) => ({ Payload: (req.parameters as { Payload: unknown }).Payload, StatusCode: 200 }),
    );
    expect(r.output).toBe(42);
    expect(r.calls[0]?.parameters).toEqual({ FunctionName: 'f', Payload: { v: 41 } });
    const scheduled = r.events.find((e) => e.type === 'TaskScheduled');
    expect(details(scheduled)).toMatchObject({ resourceType: 'lambda', resource: 'invoke' });
  });

  it('Map with Items, ItemSelector ($states.context.Map.Item) and Parallel with Arguments', async () => {
    const r = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          Items: '{% [10, 20] %}',
          ItemSelector: {
            i: '{% $states.context.Map.Item.Index %}',
            v: '{% $states.context.Map.Item.Value %}',
          },
          ItemProcessor: { StartAt: 'X', States: { X: { Type: 'Pass', End: true } } },
          Next: 'P',
        },
        P: {
          Type: 'Parallel',
          Arguments: '{% { "n": $count($states.input) } %}',
          Branches: [
            { StartAt: 'Y', States: { Y: { Type: 'Pass', Output: '{% $states.input.n %}', End: true } } },
          ],
          Output: '{% $states.result[0] %}',
          End: true,
        },
      },
    });
    expect(r.output).toBe(2);
    const mapExit = r.events.find((e) => e.type === 'MapStateExited');
    expect(JSON.parse(details(mapExit).output as string)).toEqual([
      { i: 0, v: 10 },
      { i: 1, v: 20 },
    ]);
  });

  it('mixes query languages per state', async () => {
    const r = await run(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Parameters: { 'x.$': '$.x' }, Next: 'B' },
          B: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.x * 10 %}', End: true },
        },
      },
      { x: 4 },
    );
    expect(r.output).toBe(40);
  });
});
