/**
 * Restart: N executions paused on task tokens in the durable store of an sfn-local process (`--durability normal`
 * or `full`); SIGKILL; restart on the same directory; how long until every execution is resumable (listening, all RUNNING, SendTaskSuccess
 * accepted for all) and how many were lost.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sfn from '@aws-sdk/client-sfn';
import { spawnSfnLocal } from '@marketplace-onboarding/sfn-local/process';

const HANDLERS_MODULE = `
import { appendFileSync } from 'node:fs';
export async function park() {
  appendFileSync(process.env.PARK_COUNTER, '.');
  return {};
}
`;

const DEFINITION = {
  StartAt: 'Park',
  States: {
    Park: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'park', Payload: { 'token.$': '$$.Task.Token' } },
      Next: 'Done',
    },
    Done: { Type: 'Pass', End: true },
  },
};

export interface RestartFigures {
  readonly executions: number;
  /** spawn → listening (node + tsx start, recovery of the store, server up) */
  readonly restartToListeningMs: number;
  /** what the runtime reported for its own recovery */
  readonly recoveryReported: string;
  /** spawn → every execution listed RUNNING */
  readonly restartToAllListedMs: number;
  /** spawn → SendTaskSuccess accepted for every token */
  readonly restartToAllResumedMs: number;
  readonly sendTaskSuccessFailures: number;
  readonly succeededAfterRestart: number;
  readonly lost: number;
  readonly setupMs: number;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

function client(url: string): sfn.SFNClient {
  return new sfn.SFNClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

async function countByStatus(c: sfn.SFNClient, stateMachineArn: string, statusFilter: sfn.ExecutionStatus) {
  let count = 0;
  let nextToken: string | undefined;
  do {
    const page = await c.send(
      new sfn.ListExecutionsCommand({ stateMachineArn, statusFilter, maxResults: 1000, nextToken }),
    );
    count += page.executions?.length ?? 0;
    nextToken = page.nextToken;
  } while (nextToken);
  return count;
}

export async function measureRestart(
  executions: number,
  log: (line: string) => void,
  durability: 'normal' | 'full' = 'normal',
): Promise<RestartFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-restart-'));
  const counter = join(dir, 'parked');
  await writeFile(join(dir, 'handlers.mjs'), HANDLERS_MODULE);
  await writeFile(join(dir, 'handlers.json'), JSON.stringify({ park: './handlers.mjs#park' }));
  await writeFile(counter, '');
  const options = {
    dataDir: join(dir, 'data'),
    handlersFile: join(dir, 'handlers.json'),
    args: ['--durability', durability],
    env: { PARK_COUNTER: counter },
  };
  let proc = await spawnSfnLocal(options);
  try {
    const setupStarted = performance.now();
    let c = client(proc.url);
    const { stateMachineArn } = await c.send(
      new sfn.CreateStateMachineCommand({
        name: 'restart-bench',
        definition: JSON.stringify(DEFINITION),
        roleArn: 'arn:aws:iam::123456789012:role/bench',
      }),
    );
    const indexes = Array.from({ length: executions }, (_, i) => i);
    const arns = await mapLimit(indexes, 32, async (i) => {
      const out = await c.send(
        new sfn.StartExecutionCommand({ stateMachineArn, name: `e-${i}`, input: '{}' }),
      );
      return out.executionArn as string;
    });
    log(`  started ${executions} executions`);
    for (;;) {
      if ((await stat(counter)).size >= executions) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const tokens = await mapLimit(arns, 32, async (executionArn) => {
      for (;;) {
        const page = await c.send(new sfn.GetExecutionHistoryCommand({ executionArn, maxResults: 20 }));
        const events = page.events ?? [];
        const scheduled = events.find((e) => e.type === 'TaskScheduled');
        if (scheduled && events.some((e) => e.type === 'TaskSubmitted')) {
          return JSON.parse(scheduled.taskScheduledEventDetails?.parameters ?? '{}').Payload.token as string;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    const setupMs = performance.now() - setupStarted;
    log(`  all ${executions} paused on a task token (setup ${Math.round(setupMs)} ms); SIGKILL`);
    c.destroy();
    await proc.kill('SIGKILL');

    const restarted = performance.now();
    proc = await spawnSfnLocal(options);
    const restartToListeningMs = performance.now() - restarted;
    const recoveryReported = /resumed \d+ running execution\(s\) in \d+ ms/.exec(proc.output())?.[0] ?? 'n/a';
    c = client(proc.url);
    const running = await countByStatus(c, stateMachineArn as string, 'RUNNING');
    const restartToAllListedMs = performance.now() - restarted;
    const results = await mapLimit(tokens, 32, async (taskToken) => {
      try {
        await c.send(new sfn.SendTaskSuccessCommand({ taskToken, output: '{"resumed":true}' }));
        return true;
      } catch {
        return false;
      }
    });
    const restartToAllResumedMs = performance.now() - restarted;
    const failures = results.filter((ok) => !ok).length;
    let succeeded = 0;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      succeeded = await countByStatus(c, stateMachineArn as string, 'SUCCEEDED');
      if (succeeded + failures >= executions) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    c.destroy();
    log(`  after restart: ${running} listed RUNNING, ${succeeded} SUCCEEDED after SendTaskSuccess`);
    return {
      executions,
      restartToListeningMs,
      recoveryReported,
      restartToAllListedMs,
      restartToAllResumedMs,
      sendTaskSuccessFailures: failures,
      succeededAfterRestart: succeeded,
      lost: executions - succeeded,
      setupMs,
    };
  } finally {
    await proc.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}
