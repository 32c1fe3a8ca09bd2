/**
 * The JSONPath state machines both engines run in the throughput benchmark, with the number of state
 * transitions (states entered) one execution makes, so figures compare like with like.
 */

export interface BenchDefinition {
  readonly name: string;
  readonly definition: Record<string, unknown>;
  readonly input: unknown;
  /** States entered by one execution (Map iterations' states included). */
  readonly transitions: number;
  /** Checks an execution's output. */
  readonly verify: (output: unknown) => boolean;
}

export function passChain(length = 50): BenchDefinition {
  const states: Record<string, unknown> = {};
  for (let i = 1; i <= length; i++) {
    states[`P${i}`] =
      i < length
        ? { Type: 'Pass', ResultPath: `$.p${i % 5}`, Result: i, Next: `P${i + 1}` }
        : { Type: 'Pass', ResultPath: '$.last', Result: i, End: true };
  }
  return {
    name: `Pass chain (${length} states)`,
    definition: { StartAt: 'P1', States: states },
    input: { start: true },
    transitions: length,
    verify: (output) => (output as { last?: number }).last === length,
  };
}

export function choiceLoop(iterations = 1000): BenchDefinition {
  return {
    name: `Choice loop (${iterations} iterations)`,
    definition: {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Parameters: { 'i.$': '$.start' }, Next: 'Check' },
        Check: {
          Type: 'Choice',
          Choices: [{ Variable: '$.i', NumericLessThan: iterations, Next: 'Increment' }],
          Default: 'Done',
        },
        Increment: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Check' },
        Done: { Type: 'Succeed' },
      },
    },
    input: { start: 0 },
    // Init, then (Check, Increment) per iteration, then the last Check and Done
    transitions: 1 + 2 * iterations + 2,
    verify: (output) => (output as { i?: number }).i === iterations,
  };
}

export function mapOver(items = 100): BenchDefinition {
  return {
    name: `Map over ${items} items`,
    definition: {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 0,
          Iterator: {
            StartAt: 'Double',
            States: {
              Double: { Type: 'Pass', Parameters: { 'v.$': 'States.MathAdd($.n, $.n)' }, Next: 'Tag' },
              Tag: { Type: 'Pass', Result: 'done', ResultPath: '$.tag', End: true },
            },
          },
          End: true,
        },
      },
    },
    input: { items: Array.from({ length: items }, (_, n) => ({ n })) },
    transitions: 1 + 2 * items,
    verify: (output) =>
      Array.isArray(output) &&
      output.length === items &&
      (output[items - 1] as { v?: number }).v === 2 * (items - 1),
  };
}
