/**
 * Synthesizes the CDK app without bundling or cdk-nag and writes the stack's template to the file named by argv[2]
 * (as JSON: { stackName, template }). Runs in a child process so aws-cdk-lib never loads into the stack's process.
 * argv[3], when given, is a JSON object of workflow settings (stage timeouts in seconds) for tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { buildOnboardingApp } from '../../infra/build.js';

const [out, workflowJson] = process.argv.slice(2);
if (!out) {
  console.error('usage: synth-child <out.json> [workflow settings JSON]');
  process.exit(2);
}
const settings = workflowJson
  ? (JSON.parse(workflowJson) as { stageTimeoutSeconds?: Record<string, number> })
  : {};
const stageTimeouts = Object.fromEntries(
  Object.entries(settings.stageTimeoutSeconds ?? {}).map(([stage, seconds]) => [
    stage,
    Duration.seconds(seconds),
  ]),
);
const outdir = mkdtempSync(path.join(os.tmpdir(), 'mo-synth-'));
try {
  const { app, stack } = buildOnboardingApp({
    bundling: false,
    nag: false,
    outdir,
    ...(Object.keys(stageTimeouts).length > 0 ? { workflow: { stageTimeouts } } : {}),
  });
  const template = app.synth().getStackByName(stack.stackName).template as unknown;
  writeFileSync(out, JSON.stringify({ stackName: stack.stackName, template }));
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
