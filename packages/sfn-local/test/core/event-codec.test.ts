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
});
