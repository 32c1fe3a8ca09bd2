/**
 * The size of every Lambda bundle exactly as the stack ships it: the app is synthesized with real esbuild bundling
 * into a temporary directory and each function's asset (index.mjs: minified, AWS SDK included) is measured. For a
 * handler that does not exist yet, the stack ships a placeholder; it is listed as missing.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildOnboardingApp } from '../../infra/build.js';
import { BUNDLING, ESM_REQUIRE_BANNER } from '../../infra/bundling.js';
import { FUNCTION_METADATA_KEY, PROJECT_ROOT } from '../../infra/functions.js';
import { FUNCTIONS } from '../../workflows/contracts/functions.js';
import type { AslStateMachine } from '../../workflows/asl.js';
import { definitionFromTemplate } from '../../workflows/asl.js';

export interface BundleFigure {
  readonly name: string;
  /** undefined when the handler file is missing (placeholder shipped). */
  readonly bytes?: number;
  readonly gzipBytes?: number;
  /** For comparison: the same bundle with the Lambda runtime's AWS SDK instead of a bundled one. */
  readonly withoutSdkBytes?: number;
  /** The largest packages in the bundle, KB. */
  readonly top?: readonly (readonly [string, number])[];
}

export interface SynthesizedApp {
  readonly bundles: readonly BundleFigure[];
  /** The state machine definition from the same template, functions as `…:function:<catalog name>`. */
  readonly asl: AslStateMachine;
  readonly synthMs: number;
}

type Resources = Record<
  string,
  { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, string> }
>;

export async function synthesizeAndMeasure(): Promise<SynthesizedApp> {
  const outdir = mkdtempSync(join(tmpdir(), 'mo-bench-'));
  const before = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    const t0 = performance.now();
    const { app, stack } = buildOnboardingApp({ bundling: true, nag: false, outdir });
    const assembly = app.synth();
    const synthMs = performance.now() - t0;
    const template = assembly.getStackByName(stack.stackName).template as { Resources: Resources };
    const bundles: BundleFigure[] = [];
    for (const r of Object.values(template.Resources)) {
      if (r.Type !== 'AWS::Lambda::Function') continue;
      const name = String(r.Metadata?.[FUNCTION_METADATA_KEY]);
      const code = r.Properties.Code as { S3Key?: string; ZipFile?: string };
      if (!code.S3Key) {
        bundles.push({ name });
        continue;
      }
      const file = join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs');
      const entry = FUNCTIONS.find((f) => f.name === name)?.entry as string;
      bundles.push({
        name,
        bytes: statSync(file).size,
        gzipBytes: gzipSync(readFileSync(file)).length,
        ...(await composition(entry)),
      });
    }
    const catalogName = (logicalId: string) =>
      template.Resources[logicalId]?.Metadata?.[FUNCTION_METADATA_KEY];
    const asl = definitionFromTemplate(template as never, {
      getAtt: (id) => `arn:aws:lambda:us-east-1:123456789012:function:${catalogName(id) ?? id}`,
    });
    return { bundles: bundles.sort((a, b) => a.name.localeCompare(b.name)), asl, synthMs };
  } finally {
    if (before === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = before;
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** esbuild with the stack's options, once with the SDK (for the composition) and once without it. */
async function composition(entry: string): Promise<Pick<BundleFigure, 'withoutSdkBytes' | 'top'>> {
  const options = {
    entryPoints: [join(PROJECT_ROOT, entry)],
    bundle: true,
    platform: 'node' as const,
    format: 'esm' as const,
    target: BUNDLING.target ?? 'node24',
    minify: true,
    keepNames: true,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    write: false,
    metafile: true,
    outfile: 'index.mjs',
    logLevel: 'silent' as const,
  };
  const withSdk = await build({ ...options, external: [...(BUNDLING.externalModules ?? [])] });
  const withoutSdk = await build({ ...options, external: ['@aws-sdk/*', '@smithy/*'] });
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(withSdk.metafile?.outputs['index.mjs']?.inputs ?? {})) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.split('/').slice(0, 2).join('/');
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + input.bytesInOutput);
  }
  return {
    withoutSdkBytes: withoutSdk.outputFiles?.[0]?.contents.length ?? 0,
    top: [...byPackage]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([p, n]) => [p, Math.round(n / 1024)] as const),
  };
}
