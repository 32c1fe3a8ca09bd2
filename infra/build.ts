/**
 * Builds the CDK app in-process: `infra/app.ts` (cdk synth / deploy), the tests, the benchmark and the local stack
 * all call this. cdk-nag's AwsSolutions checks are part of the app (set `nag: false` to check separately).
 */
import { App, Validations } from 'aws-cdk-lib';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config.js';
import { OnboardingStack, type OnboardingStackProps } from './stack.js';

export interface BuildOptions {
  /**
   * false: no esbuild runs, every function gets placeholder code (fast; tests and the local stack).
   * @default true
   */
  readonly bundling?: boolean;
  /** Extra CDK context (the configuration keys of infra/config.ts, CDK feature flags). */
  readonly context?: Record<string, unknown>;
  /**
   * Where the cloud assembly is written.
   * @default - a temporary directory (or CDK_OUTDIR when the CDK CLI runs the app)
   */
  readonly outdir?: string;
  /**
   * Run cdk-nag AwsSolutions checks.
   * @default true
   */
  readonly nag?: boolean;
  /** Workflow timeouts/polling overrides (e.g. short ones for the local stack). */
  readonly workflow?: OnboardingStackProps['workflow'];
}

/**
 * CDK feature flags: the ones aws-cdk-lib recommends for new projects (what `cdk init` writes into cdk.json), plus
 * those this app relies on. Values in cdk.json win over these.
 */
export const FEATURE_FLAGS: Readonly<Record<string, unknown>> = {
  ...CURRENTLY_RECOMMENDED_FLAGS,
  // S3 server access logs granted by bucket policy, not by the legacy LogDeliveryWrite ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

export function buildOnboardingApp(options: BuildOptions = {}): { app: App; stack: OnboardingStack } {
  const app = new App({
    context: { ...FEATURE_FLAGS, ...options.context },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const config = readConfig((key) => app.node.tryGetContext(key));
  const stack = new OnboardingStack(app, config.stackName, {
    stackName: config.stackName,
    description:
      'Marketplace Onboarding: AWS Marketplace private-offer procedure as one Step Functions workflow',
    config,
    ...(options.bundling === undefined ? {} : { bundling: options.bundling }),
    ...(options.workflow ? { workflow: options.workflow } : {}),
  });
  if (options.nag ?? true) {
    // cdk-nag 3 is a policy-validation plugin: a finding that is not acknowledged (infra/nag.ts) stops synthesis.
    // Acknowledgements are also written into each resource's Metadata (cdk_nag.rules_to_suppress) for audit.
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
    );
  }
  return { app, stack };
}
