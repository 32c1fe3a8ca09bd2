import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/engine/types.js';
import { decodeEvents, encodeEvents } from '../../src/store/event-codec.js';

describe('event batch codec', () => {
  it('round-trips events exactly, shared values written once', () => {
    const shared = { big: 'x'.repeat(200), n: [1, 2] };
    const events: StoredEvent[] = [
      {
        id: 4,
        prev: 3,
        ts: 1_000,
        type: 'PassStateEntered',
        key: 'stateEnteredEventDetails',
        d: { name: 'A', input: shared, inputDetails: { truncated: false } },
      },
      {
        id: 5,
        prev: 4,
        ts: 1_002,
        type: 'PassStateExited',
        key: 'stateExitedEventDetails',
        d: {
          name: 'A',
          output: shared,
          outputDetails: { truncated: false },
          assignedVariables: { v: 1 },
          assignedVariablesDetails: { truncated: false },
        },
      },
      { id: 6, prev: 0, ts: 1_003, type: 'MapStateSucceeded' },
      { id: 7, prev: 4, ts: 1_009, type: 'LambdaFunctionStarted' },
      {
        id: 8,
        prev: 7,
        ts: 1_010,
        type: 'CustomThing',
        key: 'customEventDetails',
        d: { inputDetails: { truncated: true } },
      },
      { id: 9, prev: 8, ts: 1_011, type: 'ExecutionAborted', key: 'executionAbortedEventDetails', d: {} },
    ];
    const text = encodeEvents(events);
    expect(text.split('x'.repeat(200)).length - 1).toBe(1);
    expect(decodeEvents(text)).toEqual(events);
  });

  it('writes consecutive events as columns (version 4) and reads them back exactly', () => {
    // Prepare: a Pass chain as the engine records it (each output is the next input, one object)
    const events: StoredEvent[] = [
      {
        id: 1,
        prev: 0,
        ts: 5_000,
        type: 'ExecutionStarted',
        key: 'executionStartedEventDetails',
        d: { input: { a: 1 }, inputDetails: { truncated: false }, roleArn: 'arn:aws:iam::1:role/r' },
      },
    ];
    let value: Record<string, unknown> = { a: 1 };
    for (let n = 1; n <= 20; n++) {
      const output = { ...value, [`p${n}`]: n, text: 'quote " and \\ and é and \u2028' };
      const entered = events.length + 1;
      events.push(
        {
          id: entered,
          prev: n === 1 ? 0 : entered - 1,
          ts: 5_000 + n,
          type: 'PassStateEntered',
          key: 'stateEnteredEventDetails',
          d: { name: `P${n}`, input: value, inputDetails: { truncated: false } },
        },
        {
          id: entered + 1,
          prev: entered,
          ts: 5_000 + n,
          type: 'PassStateExited',
          key: 'stateExitedEventDetails',
          d: { name: `P${n}`, output, outputDetails: { truncated: false }, undefinedMember: undefined },
        },
      );
      value = output;
    }
    events.push({
      id: 42,
      prev: 41,
      ts: 5_030,
      type: 'ExecutionSucceeded',
      key: 'executionSucceededEventDetails',
      d: { output: value },
    });

    // Act
    const text = encodeEvents(events);
    const decoded = decodeEvents(text);

    // Assess: version 4, exact content (an undefined member is left out as JSON leaves it out), each output once
    expect(JSON.parse(text).v).toBe(4);
    expect(decoded).toEqual(JSON.parse(JSON.stringify(events)));
    expect(text.split('"p20":20').length - 1).toBe(1);
  });

  it('keeps events whose ids are not consecutive in version 3, and still reads version 3 text', () => {
    // Prepare
    const events: StoredEvent[] = [
      { id: 3, prev: 2, ts: 10, type: 'WaitStateEntered', key: 'stateEnteredEventDetails', d: { name: 'W' } },
      { id: 7, prev: 3, ts: 12, type: 'WaitStateExited', key: 'stateExitedEventDetails', d: { name: 'W' } },
    ];
    const v3 = JSON.stringify({
      v: 3,
      t0: 10,
      e: [
        [3, 1, 0, 14, 6, { name: 'W' }],
        [7, 4, 2, 15, 7, { name: 'W' }],
      ],
    });

    // Act
    const text = encodeEvents(events);

    // Assess
    expect(JSON.parse(text).v).toBe(3);
    expect(decodeEvents(text)).toEqual(events);
    expect(decodeEvents(v3)).toEqual(events);
  });
});
