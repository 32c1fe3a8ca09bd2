/**
 * The functions' code: a real esbuild bundle (ESM with the require banner, minified, external source map, the AWS SDK
 * left to the Lambda runtime) when the handler exists; a loud placeholder when it does not or when bundling is off.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessTargets } from '../../infra/access.js';
import { BUNDLING, ESM_REQUIRE_BANNER, RUNTIME_PROVIDED } from '../../infra/bundling.js';
import { readConfig } from '../../infra/config.js';
import { PROJECT_ROOT, TaskFunctions } from '../../infra/functions.js';
import { FUNCTIONS, type FunctionSpec } from '../../workflows/contracts/functions.js';
import { withoutCfnValidation } from './support.js';

const spec = (name: string, entry: string): FunctionSpec => ({
  name,
  entry,
  description: `test ${name}`,
  trigger: 'workflow',
  access: [],
});

/**
 * Assemblies go under the project's node_modules/.cache: a bundle imports the AWS SDK from the runtime, which here is
 * the project's node_modules (as /var/runtime/node_modules is in Lambda).
 */
const CACHE = join(PROJECT_ROOT, 'node_modules', '.cache');
/** A synthesis with real bundling takes seconds alone and much longer on a busy machine. */
const SYNTH_TIMEOUT_MS = 120_000;

function synth(bundling: boolean, specs: FunctionSpec[], context: Record<string, string> = {}) {
  mkdirSync(CACHE, { recursive: true });
  const outdir = mkdtempSync(join(CACHE, 'mo-bundle-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bundle');
  const targets: AccessTargets = {
    table: dynamodb.Table.fromTableName(stack, 'T', 'onboarding'),
    indexNames: [],
    idempotencyTable: dynamodb.Table.fromTableName(stack, 'I', 'idempotency'),
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:x',
    stateMachineName: 'x',
    lifecycleStateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:y',
    archiveBucket: s3.Bucket.fromBucketName(stack, 'B', 'archive-bucket'),
    emailIdentityArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
    webBaseUrl: 'https://example.com',
    config: readConfig((key) => context[key]),
  };
  const fns = new TaskFunctions(stack, 'Fns', {
    targets,
    namePrefix: 'Bundle',
    logRetention: logs.RetentionDays.ONE_DAY,
    bundling,
    specs,
  });
  const template = withoutCfnValidation(() => Template.fromStack(stack));
  return { outdir, stack, fns, template };
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('bundled function', () => {
  let bundle: ReturnType<typeof synth>;
  let assetDir: string;
  beforeAll(() => {
    bundle = synth(true, [spec('hello', 'test/infra/fixtures/hello-handler.ts')]);
    dirs.push(bundle.outdir);
    const [fn] = Object.values(bundle.template.findResources('AWS::Lambda::Function'));
    const key = String((fn?.Properties.Code as { S3Key?: string } | undefined)?.S3Key);
    assetDir = join(bundle.outdir, `asset.${key.replace(/\.zip$/, '')}`);
  }, SYNTH_TIMEOUT_MS);

  it('is an ES module with the createRequire banner, minified, with an external source map', () => {
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(code).toMatch(/export\{[^}]*as handler\}/);
    // Minified: long lines, no indentation.
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);

    expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    bundle.template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      RuntimeManagementConfig: { UpdateRuntimeOn: 'FunctionUpdate' },
    });
  });

  it('bundles zod and leaves the AWS SDK to the runtime: only Node built-ins and @aws-sdk/* packages are imported', () => {
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    const staticImports = [
      ...code.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g),
    ].map((m) => m[1]);
    expect(staticImports).toContain('@aws-sdk/client-sfn');
    for (const spec of staticImports)
      expect(spec).toMatch(/^((node:)?[a-z_]+(\/[a-z_]+)?|@aws-sdk\/[a-z0-9-]+)$/);
    // no SDK internals copied in: the client and its @smithy dependencies come from the runtime
    expect(code).not.toMatch(/states\.amazonaws|AWSStepFunctions|@smithy/);
    expect(code).toMatch(/name is required/);
    expect(statSync(join(assetDir, 'index.mjs')).size).toBeLessThan(100 * 1024);
  });

  it('runs: the bundle loads as ESM and the handler answers', async () => {
    const mod = (await import(pathToFileURL(join(assetDir, 'index.mjs')).href)) as {
      handler: (e: unknown) => Promise<unknown>;
    };
    await expect(mod.handler({ name: 'sato' })).resolves.toEqual({ hello: 'sato', region: 'us-east-1' });
    await expect(mod.handler({})).rejects.toThrow(/name/);
  });
});

describe('runtime version', () => {
  it("pinned to the configured runtime version ARN (and with it the runtime's AWS SDK)", () => {
    // Prepare
    const arn = `arn:aws:lambda:us-east-1::runtime:${'ab12'.repeat(16)}`;

    // Act
    const r = synth(false, [spec('hello', 'test/infra/fixtures/hello-handler.ts')], {
      lambdaRuntimeVersionArn: arn,
    });
    dirs.push(r.outdir);

    // Assess
    r.template.hasResourceProperties('AWS::Lambda::Function', {
      RuntimeManagementConfig: { UpdateRuntimeOn: 'Manual', RuntimeVersionArn: arn },
    });
  });

  it('refuses a value that is not a runtime version ARN', () => {
    // Prepare
    const context = { lambdaRuntimeVersionArn: 'nodejs24.x' };

    // Act
    const read = () => readConfig((key) => context[key as keyof typeof context]);

    // Assess
    expect(read).toThrow(/lambdaRuntimeVersionArn must be a runtime version ARN/);
  });
});

describe('placeholder code', () => {
  it(
    'a missing handler file: placeholder that fails every call, and a synth warning naming the file',
    () => {
      const r = synth(true, [spec('ghost', 'test/infra/fixtures/not-written-yet.ts')]);
      dirs.push(r.outdir);
      expect(r.fns.missingHandlers).toEqual(['ghost']);
      r.template.hasResourceProperties('AWS::Lambda::Function', {
        Code: { ZipFile: Match.stringLikeRegexp('placeholder code; test/infra/fixtures/not-written-yet.ts') },
        Runtime: 'nodejs24.x',
      });
      const warnings = Annotations.fromStack(r.stack).findWarning(
        '*',
        Match.stringLikeRegexp('does not exist yet'),
      );
      expect(warnings.map((w) => w.id)).toEqual(['/Bundle/Fns/ghost']);
    },
    SYNTH_TIMEOUT_MS,
  );

  it('bundling off: no esbuild, placeholder code, no warning (tests, the local stack)', () => {
    const r = synth(false, [spec('hello', 'test/infra/fixtures/hello-handler.ts')]);
    dirs.push(r.outdir);
    expect(r.fns.missingHandlers).toEqual([]);
    r.template.hasResourceProperties('AWS::Lambda::Function', {
      Code: { ZipFile: Match.stringLikeRegexp('was not bundled into this deployment') },
    });
    expect(Annotations.fromStack(r.stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('every function of the catalog, bundled as the stack bundles it', () => {
  it(
    'stays within its size target (300 KB, web 450 KB) and imports only Node built-ins and the runtime SDK',
    async () => {
      // Prepare
      const { build } = await import('esbuild');
      const sizes: Record<string, number> = {};
      const imports = new Set<string>();

      // Act
      for (const fn of FUNCTIONS) {
        const out = await build({
          entryPoints: [join(PROJECT_ROOT, fn.entry)],
          bundle: true,
          platform: 'node',
          format: 'esm',
          target: BUNDLING.target,
          minify: true,
          keepNames: BUNDLING.keepNames ?? false,
          charset: BUNDLING.charset === 'utf8' ? 'utf8' : 'ascii',
          mainFields: [...(BUNDLING.mainFields ?? [])],
          banner: { js: ESM_REQUIRE_BANNER },
          external: [...RUNTIME_PROVIDED],
          write: false,
          metafile: true,
          outfile: 'index.mjs',
          logLevel: 'silent',
        });
        sizes[fn.name] = out.outputFiles[0]?.contents.length ?? 0;
        for (const i of out.metafile.outputs['index.mjs']?.imports ?? []) if (i.external) imports.add(i.path);
      }

      // Assess
      const over = Object.entries(sizes).filter(
        ([name, bytes]) => bytes > (name === 'web' ? 450 : 300) * 1024,
      );
      expect(over).toEqual([]);
      const builtin = (p: string) => p.startsWith('node:') || builtinModules.includes(p);
      expect([...imports].filter((p) => !builtin(p) && !/^@aws-sdk\/[a-z0-9-]+$/.test(p))).toEqual([]);
    },
    SYNTH_TIMEOUT_MS,
  );
});
