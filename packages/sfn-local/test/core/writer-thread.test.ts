import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionRecord, StoredEvent } from '../../src/engine/types.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { CommitItem } from '../../src/store/store.js';

const record = (n: number, status: ExecutionRecord['status']): ExecutionRecord => ({
  arn: `arn:aws:states:us-east-1:123456789012:execution:sm:run-${n}`,
  smArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:sm',
  smName: 'sm',
  name: `run-${n}`,
  status,
  input: '{}',
  startMs: 1_000 + n,
  definition: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}',
  roleArn: 'arn:aws:iam::123456789012:role/r',
});

const events = (first: number, count: number): StoredEvent[] =>
  Array.from({ length: count }, (_, k) => ({
    id: first + k,
    prev: first + k - 1,
    ts: 2_000,
    type: 'PassStateEntered',
    key: 'stateEnteredEventDetails',
    d: { name: `P${first + k}`, input: { k } },
  }));

const commit = (n: number, isNew: boolean, first: number, status: ExecutionRecord['status']): CommitItem => ({
  record: record(n, status),
  isNew,
  recordChanged: true,
  events: events(first, 5),
  upserts: [],
  deletes: [],
  deleteAllThreads: status !== 'RUNNING',
  tokens: [
    { token: `tok-${n}-${first}`, execArn: record(n, status).arn, threadId: 'r', attempt: 0, status: 'open' },
  ],
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfn-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SqliteStore with a writer thread', () => {
  it('writes journaled commits on its own thread; reads see them; a reopened store has them, no journal left', async () => {
    // Prepare
    const store = new SqliteStore(dir, { writerThread: true });

    // Act: 300 executions, two commits each (the second ends them), then reads that need the tables
    for (let n = 0; n < 300; n++) store.commit([commit(n, true, 1, 'RUNNING')]);
    for (let n = 0; n < 300; n++) store.commit([commit(n, false, 6, 'SUCCEEDED')]);
    const history = store.getEvents(record(299, 'SUCCEEDED').arn, { reverse: false, limit: 100 });
    const listed = store.listExecutions({ smArn: record(0, 'RUNNING').smArn, limit: 1000 });
    const threadedAfterReads = store.threaded;
    store.close();
    const leftOver = (await readdir(dir)).filter((f) => f.startsWith('journal'));
    const reopened = new SqliteStore(dir);

    // Assess
    expect(threadedAfterReads).toBe(true);
    expect(history.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(listed.items).toHaveLength(300);
    expect(listed.items.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(leftOver).toEqual([]);
    expect(reopened.getExecution(record(7, 'SUCCEEDED').arn)?.status).toBe('SUCCEEDED');
    expect(reopened.getEvents(record(7, 'SUCCEEDED').arn, { reverse: true, limit: 1 })[0]?.id).toBe(10);
    expect(reopened.tokenStatus('tok-7-6')).toBe('open');
    reopened.close();
  });

  it('answers reads of the newest record and token status before the tables have them', () => {
    // Prepare
    const store = new SqliteStore(dir, { writerThread: true });
    store.commit([commit(1, true, 1, 'RUNNING')]);

    const done = commit(1, false, 6, 'SUCCEEDED');

    // Act
    store.commit([{ ...done, tokens: done.tokens.map((t) => ({ ...t, status: 'done' as const })) }]);
    const rec = store.getExecution(record(1, 'SUCCEEDED').arn);
    const token = store.tokenStatus('tok-1-6');
    store.close();

    // Assess
    expect(rec?.status).toBe('SUCCEEDED');
    expect(rec?.definition).toBe(record(1, 'SUCCEEDED').definition);
    expect(token).toBe('done');
  });
});
