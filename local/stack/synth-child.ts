/**
 * Synthesizes the CDK app without bundling or cdk-nag and writes the stack's template to the file named by argv[2]
 * (as JSON: { stackName, template }). Runs in a child process so aws-cdk-lib never loads into the stack's process.
 * argv[3], when given, is a JSON {@link WorkflowPacing}: the workflow's waits in seconds (see synth.ts); argv[4], CDK
 * context over cdk.json's (the sample SaaS's provisioning and buyerOidc settings). argv[5], when given, is a folder:
 * the app is then synthesized WITH bundling into that folder (the cloud assembly: each function's `asset.<hash>/`
 * holding the esbuild bundle the template's Code points to, kept for the local stack's artifacts mode).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { buildOnboardingApp } from '../../infra/build.js';
import { RUNTIME_PROVIDED } from '../../infra/bundling.js';
import { readConfig } from '../../infra/config.js';
import type { WorkflowPacing } from './synth.js';

const [out, pacingJson, contextJson, assemblyDir] = process.argv.slice(2);
if (!out) {
  console.error('usage: synth-child <out.json> [workflow pacing JSON] [context JSON] [assembly dir]');
  process.exit(2);
}
const pacing = (pacingJson ? JSON.parse(pacingJson) : {}) as WorkflowPacing;
const s = (seconds: number) => Duration.seconds(seconds);
const workflow = {
  ...(pacing.stageTimeoutSeconds
    ? {
        stageTimeouts: Object.fromEntries(
          Object.entries(pacing.stageTimeoutSeconds).map(([k, v]) => [k, s(v)]),
        ),
      }
    : {}),
  ...(pacing.offerPolling
    ? {
        offerPolling: {
          firstWait: s(pacing.offerPolling.firstWaitSeconds),
          maxWait: s(pacing.offerPolling.maxWaitSeconds),
          maxChecks: pacing.offerPolling.maxChecks,
        },
      }
    : {}),
  ...(pacing.activationRetry
    ? {
        activationRetry: {
          interval: s(pacing.activationRetry.intervalSeconds),
          maxDelay: s(pacing.activationRetry.maxDelaySeconds),
          maxAttempts: pacing.activationRetry.maxAttempts,
        },
      }
    : {}),
  ...(pacing.acceptanceGraceSeconds !== undefined
    ? { acceptanceGrace: s(pacing.acceptanceGraceSeconds) }
    : {}),
};
// The CDK CLI passes cdk.json's context to the app; in-process synthesis reads it itself.
const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context?: Record<string, unknown>;
};
const context: Record<string, unknown> = {
  ...cdkJson.context,
  ...(JSON.parse(contextJson || '{}') as Record<string, unknown>),
};
// Locally the simulator also sends AWS Marketplace's SNS subscription messages, so the optional SNS path is on.
const { productCode, marketplaceRegion } = readConfig((key) => context[key]);
context.marketplaceSnsTopicArn ??= `arn:aws:sns:${marketplaceRegion}:287250355862:aws-mp-subscription-notification-${productCode}`;
// Asset metadata (aws:asset:path on each function) names the folder of its bundle in the cloud assembly.
if (assemblyDir) context['aws:cdk:enable-asset-metadata'] = true;
const outdir = assemblyDir ?? mkdtempSync(path.join(os.tmpdir(), 'mo-synth-'));
try {
  const bundling = assemblyDir !== undefined;
  const { app, stack } = buildOnboardingApp({ bundling, nag: false, outdir, workflow, context });
  const template = app.synth().getStackByName(stack.stackName).template as unknown;
  // With the bundles: which imports they leave to the Lambda runtime (the artifact workers allow only those).
  const runtimeProvided = bundling ? RUNTIME_PROVIDED : undefined;
  writeFileSync(out, JSON.stringify({ stackName: stack.stackName, template, runtimeProvided }));
} finally {
  if (!assemblyDir) rmSync(outdir, { recursive: true, force: true });
}
