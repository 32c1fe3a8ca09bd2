/**
 * Crash test: sfn-local is killed with SIGKILL while executions wait in Wait states, run a slow task and wait on
 * task tokens; restarted on the same data directory with `--recovery redispatch`, every execution finishes, none is
 * lost, and the only task that runs twice is the one in flight at the kill (at-least-once re-dispatch; the default
 * recovery fails such a task instead, see test/core/recovery.test.ts). With the default recovery, a task in flight at
 * the kill is not run again: it fails with States.TaskFailed and AWS's ambiguous-invocation cause, and its Catch
 * decides (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sfn from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SfnLocalProcess, spawnSfnLocal } from '../../src/process.js';

const HANDLERS_MODULE = `
import { appendFileSync, readFileSync } from 'node:fs';
const log = process.env.CRASH_LOG;
const record = (entry) => appendFileSync(log, JSON.stringify(entry) + '\\n');
const entries = () => readFileSync(log, 'utf8').split('\\n').filter(Boolean).map((l) => JSON.parse(l));

export async function step(event) {
  record({ fn: 'step', name: event.name, step: event.step });
  return { ...event, steps: [...(event.steps ?? []), event.step] };
}

export async function park(event) {
  record({ fn: 'park', name: event.name });
  return { parked: true };
}

export async function slow(event) {
  const earlier = entries().filter((e) => e.fn === 'slow' && e.phase === 'start' && e.name === event.name).length;
  record({ fn: 'slow', phase: 'start', name: event.name });
  await new Promise((resolve) => setTimeout(resolve, earlier === 0 ? 120000 : 10));
  record({ fn: 'slow', phase: 'end', name: event.name });
  return { slow: 'done' };
}
`;

const FN = 'arn:aws:lambda:us-east-1:123456789012:function';
const DEFINITION = {
  StartAt: 'Before',
  States: {
    Before: {
      Type: 'Task',
      Resource: `${FN}:step`,
      Parameters: { 'name.$': '$.name', 'kind.$': '$.kind', step: 'before' },
      Next: 'Route',
    },
    Route: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.kind', StringEquals: 'wait', Next: 'Sleep' },
        { Variable: '$.kind', StringEquals: 'park', Next: 'Park' },
      ],
      Default: 'Slow',
    },
    Sleep: { Type: 'Wait', Seconds: 4, Next: 'After' },
    Park: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'park', Payload: { 'name.$': '$.name', 'token.$': '$$.Task.Token' } },
      ResultPath: '$.callback',
      Next: 'After',
    },
    Slow: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'slow', Payload: { 'name.$': '$.name' } },
      ResultSelector: { 'slow.$': '$.Payload.slow' },
      ResultPath: '$.slow',
      Next: 'After',
    },
    After: {
      Type: 'Task',
      Resource: `${FN}:step`,
      Parameters: { 'name.$': '$.name', 'steps.$': '$.steps', step: 'after' },
      ResultPath: '$.after',
      End: true,
    },
  },
};

const KINDS = { wait: 4, park: 4, slow: 3 } as const;
const NAMES = Object.entries(KINDS).flatMap(([kind, count]) =>
  Array.from({ length: count }, (_, i) => ({ kind, name: `${kind}-${i + 1}` })),
);

interface LogEntry {
  fn: string;
  name: string;
  step?: string;
  phase?: string;
}

let dir: string;
let proc: SfnLocalProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfn-crash-'));
  await writeFile(join(dir, 'handlers.mjs'), HANDLERS_MODULE);
  await writeFile(
    join(dir, 'handlers.json'),
    JSON.stringify({ step: './handlers.mjs#step', park: './handlers.mjs#park', slow: './handlers.mjs#slow' }),
  );
  await writeFile(join(dir, 'invocations.log'), '');
});

afterAll(async () => {
  await proc?.kill('SIGKILL');
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

async function logEntries(): Promise<LogEntry[]> {
  const text = await readFile(join(dir, 'invocations.log'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogEntry);
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

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const spawnOptions = (args: string[] = ['--recovery', 'redispatch'], data = 'data') => ({
  dataDir: join(dir, data),
  handlersFile: join(dir, 'handlers.json'),
  args,
  env: { CRASH_LOG: join(dir, 'invocations.log') },
});

describe('sfn-local under SIGKILL', () => {
  it('resumes every execution after a restart, losing none and repeating only the in-flight task', async () => {
    // Prepare
    proc = await spawnSfnLocal(spawnOptions());
    let client = clientFor(proc.url);
    const { stateMachineArn } = await client.send(
      new sfn.CreateStateMachineCommand({
        name: 'crash',
        definition: JSON.stringify(DEFINITION),
        roleArn: 'arn:aws:iam::123456789012:role/sfn',
      }),
    );
    const arns = new Map<string, string>();
    for (const { kind, name } of NAMES) {
      const started = await client.send(
        new sfn.StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ kind, name }) }),
      );
      arns.set(name, started.executionArn as string);
    }

    // Every execution is where we want it at the kill: in its Wait, submitted to a token, or inside the slow task.
    const tokens = new Map<string, string>();
    await until('all executions in place', async () => {
      for (const { kind, name } of NAMES) {
        const events = await history(client, arns.get(name) as string);
        const types = events.map((e) => e.type);
        if (kind === 'wait' && !types.includes('WaitStateEntered')) return undefined;
        if (kind === 'park') {
          if (!types.includes('TaskSubmitted')) return undefined;
          const scheduled = events.find((e) => e.type === 'TaskScheduled');
          const parameters = JSON.parse(scheduled?.taskScheduledEventDetails?.parameters ?? '{}');
          tokens.set(name, parameters.Payload.token);
        }
        if (kind === 'slow' && !types.includes('TaskStarted')) return undefined;
      }
      const slowStarts = (await logEntries()).filter((e) => e.fn === 'slow' && e.phase === 'start');
      return slowStarts.length === KINDS.slow ? true : undefined;
    });
    expect(tokens.size).toBe(KINDS.park);

    // Act
    const killed = await proc.kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    client.destroy();

    proc = await spawnSfnLocal(spawnOptions());
    // Assess
    client = clientFor(proc.url);
    const listed = await client.send(new sfn.ListExecutionsCommand({ stateMachineArn }));
    // none lost, none failed; the waits and the re-dispatched slow tasks may already have finished
    expect(listed.executions?.map((e) => e.name).sort()).toEqual(NAMES.map(({ name }) => name).sort());
    for (const execution of listed.executions ?? []) {
      const parked = execution.name?.startsWith('park-');
      expect(execution.status, execution.name).toMatch(parked ? /^RUNNING$/ : /^(RUNNING|SUCCEEDED)$/);
    }

    for (const [name, taskToken] of tokens) {
      await client.send(
        new sfn.SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ approvedFor: name }) }),
      );
    }
    await until('all executions succeeded', async () => {
      const done = await client.send(
        new sfn.ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }),
      );
      return done.executions?.length === NAMES.length ? true : undefined;
    });
    const all = await client.send(new sfn.ListExecutionsCommand({ stateMachineArn }));
    expect(all.executions?.map((e) => e.status)).toEqual(NAMES.map(() => 'SUCCEEDED'));

    for (const { kind, name } of NAMES) {
      const out = await client.send(new sfn.DescribeExecutionCommand({ executionArn: arns.get(name) }));
      const output = JSON.parse(out.output ?? '{}');
      expect(output.after.steps, name).toEqual(['before', 'after']);
      if (kind === 'park') expect(output.callback, name).toEqual({ approvedFor: name });
      if (kind === 'slow') expect(output.slow, name).toEqual({ slow: 'done' });
    }
    const entries = await logEntries();
    const count = (predicate: (e: LogEntry) => boolean) => entries.filter(predicate).length;
    for (const { kind, name } of NAMES) {
      expect(
        count((e) => e.fn === 'step' && e.name === name && e.step === 'before'),
        `${name} before`,
      ).toBe(1);
      expect(
        count((e) => e.fn === 'step' && e.name === name && e.step === 'after'),
        `${name} after`,
      ).toBe(1);
      if (kind === 'park')
        expect(
          count((e) => e.fn === 'park' && e.name === name),
          `${name} park`,
        ).toBe(1);
      if (kind === 'slow') {
        // in flight at the kill: dispatched again after the restart (at-least-once), finished once
        expect(
          count((e) => e.fn === 'slow' && e.name === name && e.phase === 'start'),
          `${name} slow start`,
        ).toBe(2);
        expect(
          count((e) => e.fn === 'slow' && e.name === name && e.phase === 'end'),
          `${name} slow end`,
        ).toBe(1);
      }
    }
    client.destroy();
    const stopped = await proc.kill('SIGTERM');
    expect(stopped.code).toBe(0);
    proc = undefined;
  }, 120_000);

  it('by default fails the task in flight at the kill with the ambiguous-invocation cause, runs it once, and its Catch decides', async () => {
    // Prepare
    proc = await spawnSfnLocal(spawnOptions([], 'data-fail'));
    let client = clientFor(proc.url);
    const definition = {
      StartAt: 'Slow',
      States: {
        Slow: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'slow', Payload: { 'name.$': '$.name' } },
          Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Ambiguous' }],
          End: true,
        },
        Ambiguous: { Type: 'Pass', End: true },
      },
    };
    const { stateMachineArn } = await client.send(
      new sfn.CreateStateMachineCommand({
        name: 'crash-fail',
        definition: JSON.stringify(definition),
        roleArn: 'arn:aws:iam::123456789012:role/sfn',
      }),
    );
    const { executionArn } = await client.send(
      new sfn.StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ name: 'once' }) }),
    );
    await until('the slow task started', async () =>
      (await logEntries()).some((e) => e.fn === 'slow' && e.name === 'once') ? true : undefined,
    );

    // Act
    await proc.kill('SIGKILL');
    client.destroy();
    proc = await spawnSfnLocal(spawnOptions([], 'data-fail'));
    client = clientFor(proc.url);
    const done = await until('the execution ended', async () => {
      const d = await client.send(new sfn.DescribeExecutionCommand({ executionArn }));
      return d.status === 'RUNNING' ? undefined : d;
    });
    const events = await history(client, executionArn as string);

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}').error).toMatchObject({ Error: 'States.TaskFailed' });
    const failed = events.find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ error: 'States.TaskFailed' });
    expect(failed?.taskFailedEventDetails?.cause).toMatch(/cannot determine whether/);
    expect(events.filter((e) => e.type === 'TaskStarted')).toHaveLength(1);
    expect((await logEntries()).filter((e) => e.fn === 'slow' && e.name === 'once')).toHaveLength(1);
    client.destroy();
    await proc.kill('SIGTERM');
    proc = undefined;
  }, 60_000);
});
