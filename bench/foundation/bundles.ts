/**
 * The size of every Lambda bundle exactly as the stack ships it: the app is synthesized with real esbuild bundling
 * into a temporary directory and each function's asset (index.mjs: minified, the AWS SDK left to the runtime) is
 * measured, with its cold import time (fresh process, median). For comparison, the same entry with the SDK bundled
 * (the option not taken, docs/decisions/bundles.md), and two minimal handlers: one with no SDK, one with one DynamoDB
 * client (bundled, and left to the runtime). For a handler that does not exist yet, the stack ships a placeholder;
 * it is listed as missing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import { buildOnboardingApp } from '../../infra/build.js';
import { BUNDLING, ESM_REQUIRE_BANNER, RUNTIME_PROVIDED } from '../../infra/bundling.js';
import { FUNCTION_METADATA_KEY, PROJECT_ROOT } from '../../infra/functions.js';
import type { AslStateMachine } from '../../workflows/asl.js';
import { definitionFromTemplate } from '../../workflows/asl.js';
import { FUNCTIONS } from '../../workflows/contracts/functions.js';
import { coldImports, type ImportProbe } from './cold-import.js';

export interface BundleFigure {
  readonly name: string;
  /** undefined when the handler file is missing (placeholder shipped). */
  readonly bytes?: number;
  readonly gzipBytes?: number;
  /** For comparison: the same entry with the AWS SDK bundled instead of taken from the runtime. */
  readonly withSdkBytes?: number;
  /** Median cold import of that SDK-bundled variant, ms. */
  readonly withSdkImportMs?: number;
  /** The largest packages in the shipped bundle, KB. */
  readonly top?: readonly (readonly [string, number])[];
  /** Median cold import of the shipped bundle, ms (undefined when it could not be imported: see importError). */
  readonly importMs?: number;
  readonly importError?: string;
}

export interface MinimalFigure {
  readonly name: string;
  readonly bytes: number;
  readonly importMs: number;
}

export interface SynthesizedApp {
  readonly bundles: readonly BundleFigure[];
  readonly minimal: readonly MinimalFigure[];
  /** The state machine definition from the same template, functions as `…:function:<catalog name>`. */
  readonly asl: AslStateMachine;
  readonly synthMs: number;
}

type Resources = Record<
  string,
  { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, string> }
>;

/** Under the project, so that the bundles' `@aws-sdk/*` imports resolve to its node_modules (the "runtime's" SDK). */
function workDir(prefix: string): string {
  const cache = join(PROJECT_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  return mkdtempSync(join(cache, prefix));
}

/** A function's environment from the template; references (tokens) become a well-formed placeholder. */
function environmentOf(resource: Resources[string]): Record<string, string> {
  const vars = ((resource.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
    ?.Variables ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' ? v : `bench-${k.toLowerCase()}`]),
  );
}

export async function synthesizeAndMeasure(options: { importRuns?: number } = {}): Promise<SynthesizedApp> {
  const runs = options.importRuns ?? 7;
  const outdir = workDir('mo-bench-');
  const before = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    const t0 = performance.now();
    const { app, stack } = buildOnboardingApp({ bundling: true, nag: false, outdir });
    const assembly = app.synth();
    const synthMs = performance.now() - t0;
    const template = assembly.getStackByName(stack.stackName).template as { Resources: Resources };
    const sized: (BundleFigure & { probes?: [ImportProbe, ImportProbe] })[] = [];
    for (const r of Object.values(template.Resources)) {
      if (r.Type !== 'AWS::Lambda::Function') continue;
      const name = String(r.Metadata?.[FUNCTION_METADATA_KEY]);
      const code = r.Properties.Code as { S3Key?: string; ZipFile?: string };
      if (!code.S3Key) {
        sized.push({ name });
        continue;
      }
      const file = join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs');
      const entry = FUNCTIONS.find((f) => f.name === name)?.entry as string;
      const withSdkFile = join(outdir, `with-sdk-${name}.mjs`);
      const env = environmentOf(r);
      sized.push({
        name,
        bytes: statSync(file).size,
        gzipBytes: gzipSync(readFileSync(file)).length,
        ...(await composition(join(PROJECT_ROOT, entry), withSdkFile)),
        probes: [
          { file, env },
          { file: withSdkFile, env },
        ],
      });
    }
    const minimal = await minimalHandlers(outdir);
    // every import measured in the same rounds (a busy machine slows them alike)
    const probes = [...sized.flatMap((b) => b.probes ?? []), ...minimal.map((m) => m.probe)];
    const results = coldImports(probes, runs);
    const next = () => results.shift() ?? { error: 'not measured' };
    const bundles: BundleFigure[] = sized.map(({ probes: withProbes, ...b }) => {
      if (!withProbes) return b;
      const shipped = next();
      const withSdk = next();
      return {
        ...b,
        ...('ms' in shipped ? { importMs: shipped.ms } : { importError: shipped.error }),
        ...('ms' in withSdk ? { withSdkImportMs: withSdk.ms } : {}),
      };
    });
    const minimalFigures = minimal.map(({ name, bytes }) => {
      const r = next();
      return { name, bytes, importMs: 'ms' in r ? r.ms : Number.NaN };
    });
    const catalogName = (logicalId: string) =>
      template.Resources[logicalId]?.Metadata?.[FUNCTION_METADATA_KEY];
    const asl = definitionFromTemplate(template as never, {
      getAtt: (id) => `arn:aws:lambda:us-east-1:123456789012:function:${catalogName(id) ?? id}`,
    });
    return {
      bundles: bundles.sort((a, b) => a.name.localeCompare(b.name)),
      minimal: minimalFigures,
      asl,
      synthMs,
    };
  } finally {
    if (before === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = before;
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** esbuild with the stack's options. */
function options(
  entry: string,
  external: readonly string[],
): BuildOptions & { write: false; metafile: true } {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLING.target ?? 'node24',
    minify: true,
    keepNames: BUNDLING.keepNames ?? false,
    charset: BUNDLING.charset === 'utf8' ? 'utf8' : 'ascii',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    write: false,
    metafile: true,
    outfile: 'index.mjs',
    logLevel: 'silent',
    external: [...external],
  };
}

/** The shipped bundle's largest packages, and the same entry with the SDK bundled (written for the import). */
async function composition(
  entry: string,
  withSdkFile: string,
): Promise<Pick<BundleFigure, 'withSdkBytes' | 'top'>> {
  const shipped = await build(options(entry, RUNTIME_PROVIDED));
  const withSdk = await build(options(entry, []));
  writeFileSync(withSdkFile, withSdk.outputFiles[0]?.contents ?? new Uint8Array());
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(shipped.metafile.outputs['index.mjs']?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.split('/').slice(0, 2).join('/');
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + input.bytesInOutput);
  }
  return {
    withSdkBytes: withSdk.outputFiles[0]?.contents.length ?? 0,
    top: [...byPackage]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([p, n]) => [p, Math.round(n / 1024)] as const),
  };
}

/** The two minimal handlers of issue 14: no SDK; one DynamoDB client, bundled and left to the runtime. */
async function minimalHandlers(
  outdir: string,
): Promise<{ name: string; bytes: number; probe: ImportProbe }[]> {
  const dir = join(PROJECT_ROOT, 'bench', 'foundation', 'minimal');
  const cases: [string, string, readonly string[]][] = [
    ['minimal, no SDK', 'no-sdk.ts', []],
    ['minimal, DynamoDB client bundled', 'dynamodb.ts', []],
    ['minimal, DynamoDB client from the runtime', 'dynamodb.ts', RUNTIME_PROVIDED],
  ];
  const out: { name: string; bytes: number; probe: ImportProbe }[] = [];
  for (const [i, [name, file, external]] of cases.entries()) {
    const result = await build(options(join(dir, file), external));
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    const target = join(outdir, `minimal-${i}.mjs`);
    writeFileSync(target, code);
    out.push({ name, bytes: code.length, probe: { file: target, env: { TABLE_NAME: 'bench' } } });
  }
  return out;
}
