/**
 * How every Lambda is bundled: esbuild (the locally installed one, no Docker), ESM with a `require` shim for the
 * CommonJS dependencies that still call it, minified, with external source maps, for the Node.js runtime the functions
 * run on. The AWS SDK for JavaScript v3 is NOT bundled: every `@aws-sdk/*` import is left to the copy the Lambda
 * runtime ships (docs/decisions/bundles.md: the measured sizes, cold imports and what this costs), and the runtime
 * version is pinned (runtimeManagement below) so that copy changes only when we deploy.
 */
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  Charset,
  LogLevel,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';

/** The newest Node.js runtime this aws-cdk-lib offers (cdk-nag AwsSolutions-L1 wants the latest). */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const ARCHITECTURE = lambda.Architecture.ARM_64;

/** Lets bundled CommonJS code call `require` inside an ES module. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * Imports left to the Lambda runtime: its AWS SDK for JavaScript v3 (every client, lib-dynamodb and their @smithy
 * dependencies live in the runtime's node_modules). Nothing else is external: Powertools, zod, hono are bundled.
 */
export const RUNTIME_PROVIDED = ['@aws-sdk/*'];

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
  bundleAwsSDK: false,
  externalModules: RUNTIME_PROVIDED,
  forceDockerBundling: false,
  logLevel: LogLevel.ERROR,
  // No keepNames (it costs the web bundle 24 KB): every error class of ours names itself (`override readonly name`),
  // as the SDK's, zod's and Powertools' do, so logs and Step Functions still read `ConcurrentUpdateError`, not `e`.
  keepNames: false,
  // Japanese words as UTF-8 bytes, not `\uXXXX` escapes (6 bytes each): the web bundle is ~16 KB smaller
  charset: Charset.UTF8,
};

/**
 * Which runtime version (and so which AWS SDK) the functions run on. With an ARN (`-c lambdaRuntimeVersionArn=…`,
 * read from a deployed function's RuntimeVersionConfig): exactly that version until the ARN is changed. Without one:
 * FUNCTION_UPDATE, the newest runtime version at each deployment and never a silent update in between, so the SDK a
 * deployment was checked against stays the one it runs on.
 */
export function runtimeManagement(runtimeVersionArn?: string): lambda.RuntimeManagementMode {
  return runtimeVersionArn
    ? lambda.RuntimeManagementMode.manual(runtimeVersionArn)
    : lambda.RuntimeManagementMode.FUNCTION_UPDATE;
}
