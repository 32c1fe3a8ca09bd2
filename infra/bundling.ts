/**
 * How every Lambda is bundled: esbuild (the locally installed one, no Docker), ESM with a `require` shim for the
 * CommonJS dependencies that still call it, minified, with external source maps, the AWS SDK bundled (pinned to our
 * lock file's versions instead of the runtime's), for the Node.js runtime the functions run on.
 */
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, LogLevel, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';

/** The newest Node.js runtime this aws-cdk-lib offers (cdk-nag AwsSolutions-L1 wants the latest). */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const ARCHITECTURE = lambda.Architecture.ARM_64;

/** Lets bundled CommonJS code call `require` inside an ES module. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * Credential providers a Lambda function never reaches: the SDK's default chain takes the credentials from the
 * environment variables Lambda sets (fromEnv) before it would lazily import any of these. They stay dynamic imports,
 * resolved from the runtime's own SDK if ever needed, and keep ~135 KB out of every bundle.
 */
export const UNUSED_IN_LAMBDA = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-login',
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/nested-clients',
  '@aws-sdk/token-providers',
  '@smithy/credential-provider-imds',
];

export const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  // A linked map (`//# sourceMappingURL`), which NODE_OPTIONS=--enable-source-maps follows for stack traces.
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  bundleAwsSDK: true,
  externalModules: UNUSED_IN_LAMBDA,
  forceDockerBundling: false,
  logLevel: LogLevel.ERROR,
  // Keep class names so errors logged by Powertools still read `ValidationError`, not `e`.
  keepNames: true,
};
