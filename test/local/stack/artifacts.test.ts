/**
 * The artifacts mode's sandboxes (local/stack/artifacts.ts) on small bundles built here with esbuild: a bundling
 * defect that only shows when the bundle runs (a dynamic require in ESM, a package left out of the bundle that the
 * Lambda runtime does not provide, a file read beside the module that the bundle does not carry) fails the invocation as it would in Lambda, and each function sees its own
 * environment. The procedure on the real bundles: e2e-procedure.test.ts.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArtifactFunctions, artifactFunctions } from '../../../local/stack/artifacts.js';
import { invokeHandler } from '../../../local/stack/functions.js';
import type { LocalFunction } from '../../../local/stack/resources.js';
import { ARTIFACTS_DIR } from '../../../local/stack/synth.js';

const BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** Sources of the fixture functions; the catalogue names are real ones (the sandboxes look their trigger up). */
const SOURCES = {
  // A CommonJS-style require in an ES module bundle without the require banner: esbuild leaves a shim that throws.
  'create-offer': `export const handler = async () => require('node:os').platform();`,
  // A package left external that the Lambda runtime does not ship (only the AWS SDK v3 is there).
  'check-offer': `import { z } from 'zod'; export const handler = async () => z.string().parse('ok');`,
  // The AWS SDK, external as infra/bundling.ts leaves it: the runtime provides it.
  'extend-offer': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
    export const handler = async () => ({ sdk: typeof DynamoDBClient, own: process.env.OWN, other: process.env.OTHER ?? null });`,
  // A file read next to the module at import, which the bundler does not copy into the asset.
  'send-offer-notice': `import { readFileSync } from 'node:fs';
    const template = readFileSync(new URL('./mail-template.html', import.meta.url), 'utf8');
    export const handler = async () => template;`,
  // The same require, with the banner infra/bundling.ts adds.
  'close-onboarding': `export const handler = async () => ({ platform: require('node:os').platform(), own: process.env.OWN });`,
} as const;
type Fixture = keyof typeof SOURCES;

let dir: string;
let sandboxes: ArtifactFunctions;
const functions: LocalFunction[] = [];

beforeAll(async () => {
  // Under the project (as the synthesized assemblies are): the project's node_modules hold zod, so only the
  // sandbox's resolution rule can make the left-out package fail.
  await mkdir(path.dirname(ARTIFACTS_DIR), { recursive: true });
  dir = await mkdtemp(path.join(path.dirname(ARTIFACTS_DIR), 'test-'));
  for (const [name, source] of Object.entries(SOURCES)) {
    await build({
      stdin: { contents: source, resolveDir: process.cwd(), loader: 'ts' },
      outfile: path.join(dir, `asset.${name}`, 'index.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['@aws-sdk/*', 'zod'],
      ...(name === 'close-onboarding' ? { banner: { js: BANNER } } : {}),
      logLevel: 'silent',
    });
    functions.push({
      logicalId: `Fn${name.replace(/-/g, '')}`,
      catalogName: name,
      functionName: name,
      arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
      environment: { OWN: `value of ${name}` },
      timeoutSeconds: 10,
      memoryMb: 256,
      handler: 'index.handler',
      assetPath: `asset.${name}`,
    });
  }
  sandboxes = artifactFunctions({
    assemblyDir: dir,
    functions,
    runtimeProvided: ['@aws-sdk/*'],
    environmentOf: (fn) => ({ ...fn.environment }),
  });
});

afterAll(async () => {
  await sandboxes?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const invoke = (name: Fixture) => {
  const fn = functions.find((f) => f.catalogName === name);
  const handler = sandboxes.handlers.get(name);
  if (!fn || !handler) throw new Error(`no fixture ${name}`);
  return invokeHandler(handler, fn, {});
};

describe('a bundle runs as Lambda would run it', () => {
  it('fails a dynamic require in an ES module bundle without the require banner', async () => {
    // Act
    const result = invoke('create-offer');

    // Assess
    await expect(result).rejects.toThrow(/Dynamic require of "node:os" is not supported/);
  });

  it('fails a package the bundle left out and the Lambda runtime does not provide, at import', async () => {
    // Act
    const result = invoke('check-offer');

    // Assess
    await expect(result).rejects.toMatchObject({
      name: 'Runtime.ImportModuleError',
      message: expect.stringMatching(/Cannot find package 'zod'.*provides only the AWS SDK v3/),
    });
  });

  it('fails a file the handler reads beside itself that the bundle does not carry, at import', async () => {
    // Act
    const result = invoke('send-offer-notice');

    // Assess
    await expect(result).rejects.toMatchObject({
      name: 'Runtime.ImportModuleError',
      message: expect.stringMatching(/ENOENT.*mail-template\.html/),
    });
  });

  it('resolves the AWS SDK from the runtime and gives each function its own environment only', async () => {
    // Act
    const sdk = await invoke('extend-offer');
    const banner = await invoke('close-onboarding');

    // Assess
    expect(sdk).toEqual({ sdk: 'function', own: 'value of extend-offer', other: null });
    expect(banner).toEqual({ platform: process.platform, own: 'value of close-onboarding' });
    expect(sandboxes.coldStarts.get('extend-offer')).toBe(1);
  });

  it('keeps a sandbox warm across invocations', async () => {
    // Act
    await invoke('extend-offer');
    await invoke('extend-offer');

    // Assess
    expect(sandboxes.coldStarts.get('extend-offer')).toBe(1);
  });
});
