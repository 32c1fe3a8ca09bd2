/**
 * State transitions per second of our runtime (in memory and durable) and of aws-local-stepfunctions, on the
 * same JSONPath definitions, in-process. The three engines are measured in interleaved rounds (the order rotates
 * each round), so a busy machine slows all of them alike; per-round ratios are reported next to the medians.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalStepFunctions, createTaskDispatcher } from '@marketplace-onboarding/sfn-local';
import { StateMachine } from 'aws-local-stepfunctions';
import type { BenchDefinition } from './definitions.js';

export interface ThroughputOptions {
  /** Executions per round. */
  readonly executions: number;
  /** Measured rounds. */
  readonly rounds: number;
  /** Unmeasured rounds first. @default 2 */
  readonly warmupRounds?: number;
  /** Executions in flight at once. @default 1 (one after another) */
  readonly concurrency?: number;
}

export interface ThroughputFigures {
  /** transitions per second, one per measured round */
  readonly peer: number[];
  readonly memory: number[];
  readonly durable: number[];
  /** durable with the writer thread (`writerThread: true`) */
  readonly threaded: number[];
}

interface Runner {
  /** Runs one round; resolves with transitions per second. */
  round(): Promise<number>;
  close(): Promise<void>;
}

/** Runs `count` jobs with at most `concurrency` in flight. */
async function inFlight(count: number, concurrency: number, job: () => Promise<void>): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      await job();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

async function timed(
  bench: BenchDefinition,
  options: ThroughputOptions,
  job: () => Promise<void>,
): Promise<number> {
  const started = performance.now();
  await inFlight(options.executions, options.concurrency ?? 1, job);
  return (options.executions * bench.transitions) / ((performance.now() - started) / 1000);
}

async function oursRunner(
  bench: BenchDefinition,
  durable: boolean,
  options: ThroughputOptions,
  writerThread = false,
): Promise<Runner> {
  const dataDir = durable ? await mkdtemp(join(tmpdir(), 'bench-engine-')) : undefined;
  const dispatcher = createTaskDispatcher();
  const runtime = await createLocalStepFunctions({
    dispatcher,
    ...(dataDir ? { dataDir, writerThread } : {}),
  });
  const { stateMachineArn } = await runtime.createStateMachine({
    name: 'bench',
    definition: JSON.stringify(bench.definition),
    roleArn: 'arn:aws:iam::123456789012:role/bench',
  });
  const input = JSON.stringify(bench.input);
  return {
    round: () =>
      timed(bench, options, async () => {
        const { executionArn } = await runtime.startExecution({ stateMachineArn, input });
        const done = await runtime.awaitExecution(executionArn as string);
        if (done.status !== 'SUCCEEDED' || !bench.verify(JSON.parse(done.output ?? 'null'))) {
          throw new Error(
            `${bench.name}: execution ended ${done.status} ${done.error ?? ''} ${done.cause ?? ''}`,
          );
        }
      }),
    close: async () => {
      await runtime.close();
      dispatcher.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function peerRunner(bench: BenchDefinition, options: ThroughputOptions): Runner {
  const machine = new StateMachine(
    bench.definition as unknown as ConstructorParameters<typeof StateMachine>[0],
  );
  return {
    round: () =>
      timed(bench, options, async () => {
        const output = await machine.run(bench.input as never).result;
        if (!bench.verify(output)) {
          throw new Error(`${bench.name}: aws-local-stepfunctions produced ${JSON.stringify(output)}`);
        }
      }),
    close: async () => undefined,
  };
}

export async function measureThroughput(
  bench: BenchDefinition,
  options: ThroughputOptions,
): Promise<ThroughputFigures> {
  const runners = {
    peer: peerRunner(bench, options),
    memory: await oursRunner(bench, false, options),
    durable: await oursRunner(bench, true, options),
    threaded: await oursRunner(bench, true, options, true),
  };
  const figures: ThroughputFigures = { peer: [], memory: [], durable: [], threaded: [] };
  const order = ['peer', 'memory', 'durable', 'threaded'] as const;
  try {
    for (const name of order)
      for (let i = 0; i < (options.warmupRounds ?? 2); i++) await runners[name].round();
    for (let round = 0; round < options.rounds; round++) {
      for (let k = 0; k < order.length; k++) {
        const name = order[(round + k) % order.length] as (typeof order)[number];
        figures[name].push(await runners[name].round());
      }
    }
    return figures;
  } finally {
    for (const name of order) await runners[name].close();
  }
}
