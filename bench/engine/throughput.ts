/**
 * State transitions per second of our runtime (in memory and durable) and of aws-local-stepfunctions, on the
 * same JSONPath definitions, executions run one after another in-process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { createTaskDispatcher } from '../../local/states/dispatch/index.js';
import { createLocalStepFunctions } from '../../local/states/runtime.js';
import type { BenchDefinition } from './definitions.js';

export type Engine = 'ours (in memory)' | 'ours (durable)' | 'aws-local-stepfunctions';

export interface ThroughputOptions {
  /** Executions per round. */
  readonly executions: number;
  /** Measured rounds (one more, unmeasured, warms up). */
  readonly rounds: number;
}

/** Transitions per second, one figure per measured round. */
export async function measureOurs(
  bench: BenchDefinition,
  durable: boolean,
  options: ThroughputOptions,
): Promise<number[]> {
  const dataDir = durable ? await mkdtemp(join(tmpdir(), 'bench-engine-')) : undefined;
  const dispatcher = createTaskDispatcher();
  const runtime = await createLocalStepFunctions({ dispatcher, ...(dataDir ? { dataDir } : {}) });
  try {
    const { stateMachineArn } = await runtime.createStateMachine({
      name: 'bench',
      definition: JSON.stringify(bench.definition),
      roleArn: 'arn:aws:iam::123456789012:role/bench',
    });
    const input = JSON.stringify(bench.input);
    const figures: number[] = [];
    for (let round = 0; round <= options.rounds; round++) {
      const started = performance.now();
      for (let i = 0; i < options.executions; i++) {
        const { executionArn } = await runtime.startExecution({ stateMachineArn, input });
        const done = await runtime.awaitExecution(executionArn as string);
        if (done.status !== 'SUCCEEDED' || !bench.verify(JSON.parse(done.output ?? 'null'))) {
          throw new Error(
            `${bench.name}: execution ended ${done.status} ${done.error ?? ''} ${done.cause ?? ''}`,
          );
        }
      }
      const seconds = (performance.now() - started) / 1000;
      if (round > 0) figures.push((options.executions * bench.transitions) / seconds);
    }
    return figures;
  } finally {
    await runtime.close();
    dispatcher.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

export async function measurePeer(bench: BenchDefinition, options: ThroughputOptions): Promise<number[]> {
  const machine = new StateMachine(
    bench.definition as unknown as ConstructorParameters<typeof StateMachine>[0],
  );
  const figures: number[] = [];
  for (let round = 0; round <= options.rounds; round++) {
    const started = performance.now();
    for (let i = 0; i < options.executions; i++) {
      const output = await machine.run(bench.input as never).result;
      if (!bench.verify(output))
        throw new Error(`${bench.name}: aws-local-stepfunctions produced ${JSON.stringify(output)}`);
    }
    const seconds = (performance.now() - started) / 1000;
    if (round > 0) figures.push((options.executions * bench.transitions) / seconds);
  }
  return figures;
}
