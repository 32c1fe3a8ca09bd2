/**
 * Profiling helper for the engine benchmark: runs one definition on our runtime, without the peer, so a CPU profile
 * shows only the engine.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/engine/profile.ts pass|choice|map memory|durable [executions]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalStepFunctions, createTaskDispatcher } from '@marketplace-onboarding/sfn-local';
import { choiceLoop, mapOver, passChain } from './definitions.js';

const [which = 'pass', store = 'memory', count = '2000'] = process.argv.slice(2);
const bench = which === 'choice' ? choiceLoop(1000) : which === 'map' ? mapOver(100) : passChain(50);
const executions = Number(count);
const dataDir = store === 'durable' ? await mkdtemp(join(tmpdir(), 'bench-profile-')) : undefined;
const dispatcher = createTaskDispatcher();
const runtime = await createLocalStepFunctions({ dispatcher, ...(dataDir ? { dataDir } : {}) });
const { stateMachineArn } = await runtime.createStateMachine({
  name: 'profile',
  definition: JSON.stringify(bench.definition),
  roleArn: 'arn:aws:iam::123456789012:role/bench',
});
const started = performance.now();
for (let i = 0; i < executions; i++) {
  const { executionArn } = await runtime.startExecution({
    stateMachineArn,
    input: JSON.stringify(bench.input),
  });
  await runtime.awaitExecution(executionArn as string);
}
const seconds = (performance.now() - started) / 1000;
console.log(
  `${bench.name}, ${store}: ${Math.round((executions * bench.transitions) / seconds)} transitions/s`,
);
await runtime.close();
dispatcher.close();
if (dataDir) await rm(dataDir, { recursive: true, force: true });
