/**
 * Replayed histories (engine/replay.ts): an execution of Pass/Choice/Succeed/Fail states that ran from start to
 * SUCCEEDED in one commit is stored as its record and its timestamps; reading its history runs it again. Each
 * history read from the durable store must be the one the in-memory runtime gives for the same run (same events,
 * ids, details and timestamps), before and after a restart, in pages both ways; what cannot be replayed is stored
 * as events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock.js';
import { replayableDefinition } from '../../src/engine/replay.js';
import type { StoredEvent } from '../../src/engine/types.js';
import { createLocalStepFunctions, type LocalStepFunctions } from '../../src/runtime.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { fullHistory, ROLE } from './helpers.js';

const START = Date.UTC(2024, 0, 1);
const dispatcher = {
  async dispatch() {
    return { ok: true };
  },
};

function chain(length: number): Record<string, unknown> {
  const states: Record<string, unknown> = {};
  for (let i = 1; i <= length; i++) {
    states[`P${i}`] =
      i < length
        ? { Type: 'Pass', ResultPath: `$.p${i % 3}`, Result: { i }, Next: `P${i + 1}` }
        : { Type: 'Pass', ResultPath: '$.last', Result: i, End: true };
  }
  return { StartAt: 'P1', States: states };
}

/** Data states of most kinds: paths, intrinsics, variables, a Choice with several rules, Succeed. */
const DATA_STATES = {
  StartAt: 'Shape',
  States: {
    Shape: {
      Type: 'Pass',
      InputPath: '$.order',
      Parameters: {
        'id.$': '$.id',
        'total.$': 'States.MathAdd($.amount, 5)',
        'label.$': "States.Format('order {}', $.id)",
        'parts.$': "States.StringSplit($.code, '-')",
        fixed: [1, { a: null }],
      },
      ResultPath: '$.shaped',
      OutputPath: '$.shaped',
      Assign: { 'seen.$': '$.id' },
      Next: 'Route',
    },
    Route: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.total', NumericGreaterThan: 1000, Next: 'Big' },
        {
          And: [
            { Variable: '$.label', StringMatches: 'order *' },
            { Variable: '$.id', IsPresent: true },
          ],
          Next: 'Small',
        },
      ],
      Default: 'Big',
    },
    Big: { Type: 'Pass', Result: 'big', ResultPath: '$.size', Next: 'Done' },
    Small: {
      Type: 'Pass',
      Parameters: { 'size.$': 'States.JsonToString($.parts)', 'id.$': '$seen' },
      Next: 'Done',
    },
    Done: { Type: 'Succeed', OutputPath: '$' },
  },
};

const INPUT = { order: { id: 'o-1', amount: 20, code: 'a-b-c' }, noise: 'x'.repeat(50) };

async function runtime(dataDir?: string): Promise<LocalStepFunctions> {
  return createLocalStepFunctions({
    dispatcher,
    clock: new VirtualClock(START),
    ...(dataDir ? { dataDir } : {}),
  });
}

async function runOn(rt: LocalStepFunctions, definition: unknown, input: unknown, name: string) {
  const { stateMachineArn } = await rt.createStateMachine({
    name: 'm',
    definition: JSON.stringify(definition),
    roleArn: ROLE,
  });
  const { executionArn } = await rt.startExecution({ stateMachineArn, name, input: JSON.stringify(input) });
  const done = await rt.awaitExecution(executionArn as string);
  return { executionArn: executionArn as string, done };
}

/** The stored batches of the execution: 5 = replayed, 4 = events. */
function batchVersions(dataDir: string): number[] {
  const db = new Database(join(dataDir, 'states.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT data FROM events ORDER BY key').all() as { data: string }[]).map(
      (r) => (JSON.parse(r.data) as { v: number }).v,
    );
  } finally {
    db.close();
  }
}

describe('replayed histories in the durable store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'states-replayed-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['a Pass chain', chain(40), { start: true }],
    ['paths, intrinsics, variables, Choice, Succeed', DATA_STATES, INPUT],
    ['the other Choice branch', DATA_STATES, { ...INPUT, order: { ...INPUT.order, amount: 5000 } }],
  ])(
    '%s: the history equals the in-memory one, before and after a restart',
    async (_label, definition, input) => {
      // Prepare
      const memory = await runtime();
      const expected = await runOn(memory, definition, input, 'same');
      const expectedHistory = await fullHistory(memory, expected.executionArn);
      await memory.close();

      // Act
      let durable = await runtime(dir);
      const run = await runOn(durable, definition, input, 'same');
      const before = await fullHistory(durable, run.executionArn);
      await durable.close();
      durable = await runtime(dir);
      const after = await fullHistory(durable, run.executionArn);
      await durable.close();

      // Assess
      expect(run.done.status).toBe('SUCCEEDED');
      expect(run.done.output).toBe(expected.done.output);
      expect(batchVersions(dir)).toEqual([5]);
      expect(before).toEqual(expectedHistory);
      expect(after).toEqual(expectedHistory);
    },
  );

  it('pages a replayed history both ways', async () => {
    // Prepare
    const rt = await runtime(dir);
    try {
      const { executionArn } = await runOn(rt, chain(30), {}, 'paged');

      // Act
      const pages: Record<string, number[]> = {};
      for (const reverseOrder of [false, true]) {
        const ids: number[] = [];
        let nextToken: string | undefined;
        do {
          const page = await rt.getExecutionHistory({ executionArn, maxResults: 7, reverseOrder, nextToken });
          ids.push(...(page.events ?? []).map((e) => e.id as number));
          nextToken = page.nextToken;
        } while (nextToken);
        pages[String(reverseOrder)] = ids;
      }

      // Assess
      expect(batchVersions(dir)).toEqual([5]);
      expect(pages.false).toEqual(Array.from({ length: 62 }, (_, i) => i + 1));
      expect(pages.true).toEqual(Array.from({ length: 62 }, (_, i) => 62 - i));
    } finally {
      await rt.close();
    }
  });

  it.each([
    [
      'the context object',
      {
        StartAt: 'P',
        States: { P: { Type: 'Pass', Parameters: { 't.$': '$$.State.EnteredTime' }, End: true } },
      },
    ],
    [
      'a random intrinsic',
      { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'u.$': 'States.UUID()' }, End: true } } },
    ],
    [
      'a task',
      {
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', End: true },
        },
      },
    ],
    ['a failure', { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E', Cause: 'c' } } }],
  ])('stores events as they are with %s', async (_label, definition) => {
    // Prepare
    const rt = await runtime(dir);
    try {
      // Act
      const { executionArn } = await runOn(rt, definition, {}, 'kept');
      const events = await fullHistory(rt, executionArn);

      // Assess
      expect(events.length).toBeGreaterThan(2);
      expect(batchVersions(dir).every((v) => v === 4)).toBe(true);
    } finally {
      await rt.close();
    }
  });

  it('a replay that would differ from the events fails the commit while checks are on (as in these tests)', () => {
    // Prepare: a replayer that forgets the last event
    const definition = JSON.stringify(chain(1));
    const events: StoredEvent[] = [
      { id: 1, prev: 0, ts: START, type: 'ExecutionStarted', key: 'executionStartedEventDetails', d: {} },
      { id: 2, prev: 1, ts: START, type: 'ExecutionSucceeded', key: 'executionSucceededEventDetails', d: {} },
    ];
    const store = new SqliteStore(dir, {
      replayer: { replayable: () => true, events: () => events.slice(0, -1).map((e) => ({ ...e })) },
    });
    const record = {
      arn: 'arn:aws:states:us-east-1:123456789012:execution:m:x',
      smArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m',
      smName: 'm',
      name: 'x',
      status: 'SUCCEEDED' as const,
      input: '{}',
      output: '{}',
      startMs: START,
      stopMs: START,
      definition,
      roleArn: ROLE,
    };
    const item = { record, isNew: true, recordChanged: true, upserts: [], deletes: [], tokens: [] };

    // Act
    const commit = () => store.commit([{ ...item, events, deleteAllThreads: true }]);

    // Assess
    try {
      expect(commit).toThrow(/differs from its events/);
      expect(store.getExecution(record.arn)).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('tells replayable definitions by their parsed text (a JSON escape hides no context object)', () => {
    // Prepare
    const pass = (parameters: string) =>
      `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{${parameters}},"End":true}}}`;

    // Act
    const verdicts = [
      replayableDefinition(pass('"n.$":"States.MathAdd($.n, 1)"')),
      replayableDefinition(pass('"t.$":"\\u0024\\u0024.State.EnteredTime"')),
      replayableDefinition(pass('"u.$":"States\\u002eUUID()"')),
    ];

    // Assess
    expect(verdicts).toEqual([true, false, false]);
  });
});
