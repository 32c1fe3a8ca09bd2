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

export const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.EXTERNAL,
  sourcesContent: false,
  bundleAwsSDK: true,
  externalModules: [],
  forceDockerBundling: false,
  logLevel: LogLevel.ERROR,
  // Keep class names so errors logged by Powertools still read `ValidationError`, not `e`.
  keepNames: true,
};
