/**
 * Crash test for group commits: sfn-local is killed with SIGKILL while executions run long chains of Pass and
 * Choice states (the states it runs in memory and writes to its journal in batches). Restarted on the same data
 * directory, every execution completes, and each history is gap-free: ids 1..n without a hole or a repeat, every
 * previousEventId points back, every state entered is exited once, and the loop ran exactly as many times as asked.
 * Both durability modes, and with the writer thread.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sfn from '@aws-sdk/client-sfn';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SfnLocalProcess, spawnSfnLocal } from '../../src/process.js';

const ITERATIONS = 3000;
const EXECUTIONS = 8;
const DEFINITION = {
  StartAt: 'Init',
  States: {
    Init: { Type: 'Pass', Parameters: { i: 0 }, Next: 'Check' },
    Check: {
      Type: 'Choice',
      Choices: [{ Variable: '$.i', NumericLessThan: ITERATIONS, Next: 'Increment' }],
      Default: 'Done',
    },
    Increment: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Check' },
    Done: { Type: 'Succeed' },
  },
};
// ExecutionStarted, Init, ITERATIONS x (Check, Increment), the last Check, Done, ExecutionSucceeded
const EVENTS = 1 + 2 + ITERATIONS * 4 + 2 + 2 + 1;
const SHORT_EXECUTIONS = 20;
/** A short chain: each execution runs start to end in one commit, kept as a replayed history (engine/replay.ts). */
const SHORT = {
  StartAt: 'S1',
  States: Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [
      `S${i + 1}`,
      i < 9
        ? { Type: 'Pass', ResultPath: `$.s${i + 1}`, Result: i + 1, Next: `S${i + 2}` }
        : { Type: 'Pass', ResultPath: '$.last', Result: 10, End: true },
    ]),
  ),
};

let dir: string;
let proc: SfnLocalProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfn-crash-chain-'));
});

// Each case's process ends with it, also when the case fails (the next case sets `proc` anew).
afterEach(async () => {
  await proc?.kill('SIGKILL');
  proc = undefined;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function clientFor(url: string): sfn.SFNClient {
  return new sfn.SFNClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

async function history(client: sfn.SFNClient, executionArn: string): Promise<sfn.HistoryEvent[]> {
  const events: sfn.HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new sfn.GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each([
  ['normal', 'normal', []],
  ['full', 'full', []],
  ['normal, --writer-thread', 'normal', ['--writer-thread']],
])('sfn-local --durability %s killed in the middle of long Pass chains', (label, mode, extra) => {
  it('completes every execution after the restart with a gap-free history', async () => {
    // Prepare
    const options = {
      dataDir: join(dir, label.replace(/\W+/g, '-')),
      args: ['--durability', mode, ...extra],
    };
    proc = await spawnSfnLocal(options);
    let client = clientFor(proc.url);
    const { stateMachineArn } = await client.send(
      new sfn.CreateStateMachineCommand({
        name: 'chain',
        definition: JSON.stringify(DEFINITION),
        roleArn: 'arn:aws:iam::123456789012:role/sfn',
      }),
    );
    const shortMachine = await client.send(
      new sfn.CreateStateMachineCommand({
        name: 'short',
        definition: JSON.stringify(SHORT),
        roleArn: 'arn:aws:iam::123456789012:role/sfn',
      }),
    );
    const started = await Promise.all(
      Array.from({ length: EXECUTIONS }, (_, n) =>
        client.send(new sfn.StartExecutionCommand({ stateMachineArn, name: `chain-${n}` })),
      ),
    );
    const arns = started.map((s) => s.executionArn as string);
    const first = arns[0] as string;
    await until('the first execution a hundred events in', async () => {
      const page = await client.send(
        new sfn.GetExecutionHistoryCommand({ executionArn: first, reverseOrder: true, maxResults: 1 }),
      );
      return (page.events?.[0]?.id ?? 0) > 100 ? true : undefined;
    });

    // Act: kill it mid-chain, restart on the same data
    const running = await client.send(
      new sfn.ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 100 }),
    );
    // Short executions acknowledged after that read, most of which end within their start's commit (replayed
    // histories, journaled like any other commit).
    const shorts = (
      await Promise.all(
        Array.from({ length: SHORT_EXECUTIONS }, (_, n) =>
          client.send(
            new sfn.StartExecutionCommand({
              stateMachineArn: shortMachine.stateMachineArn,
              name: `short-${n}`,
              input: JSON.stringify({ n }),
            }),
          ),
        ),
      )
    ).map((s) => s.executionArn as string);
    // One more start acknowledged after that read (a read writes the journal's batch to the tables), then a moment
    // without reads: the kill finds acknowledged commits that are only in the journal.
    const late = await client.send(new sfn.StartExecutionCommand({ stateMachineArn, name: 'chain-late' }));
    arns.push(late.executionArn as string);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await proc.kill('SIGKILL');
    const segments = (await readdir(options.dataDir)).filter((f) => /^journal-\d+\.log$/.test(f));
    const journal = { size: 0 };
    for (const f of segments) journal.size += (await stat(join(options.dataDir, f))).size;
    proc = await spawnSfnLocal(options);
    client = clientFor(proc.url);
    const statuses = await until('every execution finished', async () => {
      const all = await Promise.all(
        arns.map((executionArn) => client.send(new sfn.DescribeExecutionCommand({ executionArn }))),
      );
      return all.every((d) => d.status !== 'RUNNING') ? all : undefined;
    });

    // Assess
    expect(running.executions?.length).toBeGreaterThan(0);
    expect(journal.size).toBeGreaterThan(0);
    const lateAfter = statuses.find((d) => d.executionArn === late.executionArn);
    expect(lateAfter?.startDate?.getTime()).toBe(late.startDate?.getTime());
    for (const d of statuses) {
      expect(d.status).toBe('SUCCEEDED');
      expect(JSON.parse(d.output ?? 'null')).toEqual({ i: ITERATIONS });
    }
    for (const arn of arns) {
      const events = await history(client, arn);
      expect(events.map((e) => e.id)).toEqual(Array.from({ length: EVENTS }, (_, k) => k + 1));
      // As on AWS, ExecutionStarted and the first state entered have previousEventId 0; after that, a chain.
      expect(events.slice(0, 2).map((e) => e.previousEventId)).toEqual([0, 0]);
      for (const e of events.slice(2)) {
        expect(e.previousEventId).toBe((e.id as number) - 1);
      }
      const count = (type: string) => events.filter((e) => e.type === type).length;
      expect(count('ExecutionStarted')).toBe(1);
      expect(count('ExecutionSucceeded')).toBe(1);
      expect(count('ChoiceStateEntered')).toBe(ITERATIONS + 1);
      expect(count('ChoiceStateExited')).toBe(ITERATIONS + 1);
      expect(count('PassStateEntered')).toBe(ITERATIONS + 1);
      expect(count('PassStateExited')).toBe(ITERATIONS + 1);
    }
    for (const [n, arn] of shorts.entries()) {
      const d = await client.send(new sfn.DescribeExecutionCommand({ executionArn: arn }));
      const expectedOutput = { n, s1: 1, s2: 2, s3: 3, s4: 4, s5: 5, s6: 6, s7: 7, s8: 8, s9: 9, last: 10 };
      expect(d.status).toBe('SUCCEEDED');
      expect(JSON.parse(d.output ?? 'null')).toEqual(expectedOutput);
      const events = await history(client, arn);
      expect(events.map((e) => e.id)).toEqual(Array.from({ length: 22 }, (_, k) => k + 1));
      expect(events.map((e) => e.type)).toEqual([
        'ExecutionStarted',
        ...Array.from({ length: 10 }, () => ['PassStateEntered', 'PassStateExited']).flat(),
        'ExecutionSucceeded',
      ]);
      expect(events[0]?.executionStartedEventDetails?.input).toBe(JSON.stringify({ n }));
      expect(events[2]?.stateExitedEventDetails).toMatchObject({
        name: 'S1',
        output: JSON.stringify({ n, s1: 1 }),
      });
      expect(JSON.parse(events[21]?.executionSucceededEventDetails?.output ?? 'null')).toEqual(
        expectedOutput,
      );
      for (const e of events.slice(2)) expect(e.previousEventId).toBe((e.id as number) - 1);
    }
    await proc.kill('SIGKILL');
    proc = undefined;
    // The histories of short executions that ended within their start's commit were kept as replayed batches
    // (version 5), not as events (a commit may also come between a start and its states: those keep events).
    const db = new Database(join(options.dataDir, 'states.sqlite'), { readonly: true });
    const replayed = db.prepare(`SELECT count(*) FROM events WHERE data LIKE '{"v":5,%'`).pluck().get();
    db.close();
    expect(replayed).toBeGreaterThan(0);
  }, 120_000);
});
