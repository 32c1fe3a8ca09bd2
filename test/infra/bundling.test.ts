/**
 * The functions' code: a real esbuild bundle (ESM with the require banner, minified, external source map, SDK
 * included) when the handler exists; a loud placeholder when it does not or when bundling is off.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessTargets } from '../../infra/access.js';
import { ESM_REQUIRE_BANNER, UNUSED_IN_LAMBDA } from '../../infra/bundling.js';
import { readConfig } from '../../infra/config.js';
import { TaskFunctions } from '../../infra/functions.js';
import type { FunctionSpec } from '../../workflows/contracts/functions.js';
import { withoutCfnValidation } from './support.js';

const spec = (name: string, entry: string): FunctionSpec => ({
  name,
  entry,
  description: `test ${name}`,
  trigger: 'workflow',
  access: [],
});

function synth(bundling: boolean, specs: FunctionSpec[]) {
  const outdir = mkdtempSync(join(tmpdir(), 'mo-bundle-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bundle');
  const targets: AccessTargets = {
    table: dynamodb.Table.fromTableName(stack, 'T', 'onboarding'),
    indexNames: [],
    idempotencyTable: dynamodb.Table.fromTableName(stack, 'I', 'idempotency'),
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:x',
    stateMachineName: 'x',
    archiveBucket: s3.Bucket.fromBucketName(stack, 'B', 'archive-bucket'),
    emailIdentityArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
    webBaseUrl: 'https://example.com',
    config: readConfig(() => undefined),
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
  });

  it('is an ES module with the createRequire banner, minified, with an external source map', () => {
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(code).toMatch(/export\{[^}]*as handler\}/);
    // Minified: long lines, no indentation.
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);

    expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    expect(bundle.template.toJSON().Resources).toBeDefined();
    bundle.template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
    });
  });

  it('includes the AWS SDK and zod: only Node built-ins are imported, and the unused credential providers lazily', () => {
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    const staticImports = [
      ...code.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g),
    ].map((m) => m[1]);
    for (const spec of staticImports) expect(spec).toMatch(/^(node:)?[a-z_]+(\/[a-z_]+)?$/);
    const dynamic = [...new Set([...code.matchAll(/import\(["']([^"']+)["']\)/g)].map((m) => m[1]))];
    for (const spec of dynamic.filter((d) => !d?.startsWith('node:')))
      expect(UNUSED_IN_LAMBDA).toContain(spec);
    expect(code).toMatch(/SFNClient|states\.amazonaws|AWSStepFunctions/);
    expect(statSync(join(assetDir, 'index.mjs')).size).toBeLessThan(300 * 1024);
  });

  it('runs: the bundle loads as ESM and the handler answers', async () => {
    const mod = (await import(pathToFileURL(join(assetDir, 'index.mjs')).href)) as {
      handler: (e: unknown) => Promise<unknown>;
    };
    await expect(mod.handler({ name: 'sato' })).resolves.toEqual({ hello: 'sato', region: 'us-east-1' });
    await expect(mod.handler({})).rejects.toThrow(/name/);
  });
});

describe('placeholder code', () => {
  it('a missing handler file: placeholder that fails every call, and a synth warning naming the file', () => {
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
  });

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
