/**
 * The synthesized template of the CDK app, as the local stack reads it. Synthesis runs in a child process and its
 * result is cached under the data folder, keyed by a hash of everything that shapes the template (infra/,
 * workflows/, the function catalogue and table layout, the installed aws-cdk-lib), so a restart without changes
 * skips it.
 *
 * With `artifacts`, the app is synthesized WITH bundling (esbuild, as `cdk deploy` ships it) into a cloud assembly that
 * is kept and shared: node_modules/.cache/marketplace-onboarding/artifacts/<hash>/, the hash also covering the code
 * that is bundled (tasks/, web/, the lockfile). Every stack of a test run (and every later run without changes)
 * reuses the one bundling synth; a lock makes concurrent starters wait for the first one.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CfnTemplate } from './template.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const INPUTS = ['infra', 'workflows', 'tasks/table.ts', 'cdk.json', 'node_modules/aws-cdk-lib/package.json'];
/** What the bundles are made of, on top of INPUTS. */
const BUNDLE_INPUTS = ['tasks', 'web', 'package-lock.json', 'tsconfig.json'];
/** Where bundling synths are kept (beside the project's node_modules, where the runtime-provided SDK resolves). */
export const ARTIFACTS_DIR = path.join(ROOT, 'node_modules/.cache/marketplace-onboarding/artifacts');

export interface SynthesizedStack {
  readonly stackName: string;
  readonly template: CfnTemplate;
  /** True when the template came from the cache. */
  readonly cached: boolean;
  /** With `artifacts`: the cloud assembly holding each function's bundle (`asset.<hash>/`). */
  readonly assemblyDir?: string;
  /** With `artifacts`: the imports the bundles leave to the Lambda runtime (infra/bundling.ts RUNTIME_PROVIDED). */
  readonly runtimeProvided?: readonly string[];
}

/**
 * The workflow's waits, in seconds: the same definition with other numbers (CDK props of OnboardingWorkflow).
 * The local stack waits seconds where AWS needs minutes (the simulator publishes an offer in about 1.5 s);
 * tests shorten stage timeouts to exercise the timeout paths.
 */
export interface WorkflowPacing {
  readonly stageTimeoutSeconds?: Readonly<Record<string, number>>;
  readonly offerPolling?: { firstWaitSeconds: number; maxWaitSeconds: number; maxChecks: number };
  readonly activationRetry?: { intervalSeconds: number; maxDelaySeconds: number; maxAttempts: number };
  readonly acceptanceGraceSeconds?: number;
}

/** The local stack's pacing: offers are polled every few seconds, activation retried every few seconds. */
export const LOCAL_PACING: WorkflowPacing = {
  offerPolling: { firstWaitSeconds: 2, maxWaitSeconds: 10, maxChecks: 30 },
  activationRetry: { intervalSeconds: 2, maxDelaySeconds: 10, maxAttempts: 8 },
};

export interface SynthOptions {
  /** Where cached templates are kept. */
  readonly cacheDir: string;
  /** @default LOCAL_PACING */
  readonly pacing?: WorkflowPacing;
  /** CDK context over cdk.json's (e.g. the vendor's SaaS settings of the sample SaaS). */
  readonly context?: Record<string, unknown>;
  /** Synthesize with bundling and keep the cloud assembly (the local stack's `--artifacts`). */
  readonly artifacts?: boolean;
}

const IGNORED = new Set(['node_modules', '.data', 'cdk.out']);

async function listFiles(entry: string): Promise<string[]> {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return [];
  const names = await readdir(full).catch(() => null);
  if (!names) return [full];
  const found: string[] = [];
  for (const name of names.sort())
    if (!IGNORED.has(name)) found.push(...(await listFiles(path.join(entry, name))));
  return found;
}

/** A hash of every input of the template. */
export async function templateInputsHash(extra = '', inputs: readonly string[] = INPUTS): Promise<string> {
  const hash = createHash('sha256').update(extra);
  for (const entry of inputs) {
    for (const file of await listFiles(entry)) {
      hash
        .update(path.relative(ROOT, file))
        .update('\0')
        .update(await readFile(file))
        .update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

async function runSynthChild(args: readonly string[]): Promise<void> {
  const tsx = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
  try {
    await promisify(execFile)(
      process.execPath,
      [tsx, path.join(ROOT, 'local/stack/synth-child.ts'), ...args],
      {
        cwd: ROOT,
        // CDK_VALIDATION=false skips aws-cdk-lib's built-in CloudFormation template validation (a WASM pass of ~2.5 s):
        // `npm run synth`, the deploy and the infra tests validate the same template; the local stack only reads it.
        env: {
          ...process.env,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          CDK_VALIDATION: 'false',
        },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`synthesizing the CDK app failed:\n${stderr.trim() || (error as Error).message}`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A lock older than this is left over by a starter that died mid-synth. */
const STALE_LOCK_MS = 5 * 60_000;
/** Bundling synths kept besides the current one. */
const KEPT_ASSEMBLIES = 4;

/** The bundling synth, kept under ARTIFACTS_DIR/<hash>/ and shared by every stack that needs the same one. */
async function synthesizeArtifacts(workflow: string, context: string): Promise<SynthesizedStack> {
  const key = await templateInputsHash(`${workflow}\0${context}`, [...INPUTS, ...BUNDLE_INPUTS]);
  const assemblyDir = path.join(ARTIFACTS_DIR, key);
  const file = path.join(assemblyDir, 'local-template.json');
  const read = async (cached: boolean): Promise<SynthesizedStack> => {
    const { stackName, template, runtimeProvided } = JSON.parse(await readFile(file, 'utf8')) as {
      stackName: string;
      template: SynthesizedStack['template'];
      runtimeProvided?: string[];
    };
    return { stackName, template, cached, assemblyDir, runtimeProvided: runtimeProvided ?? [] };
  };
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const lock = `${assemblyDir}.lock`;
  for (;;) {
    if (existsSync(file)) return read(true);
    try {
      await mkdir(lock);
      break;
    } catch {
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
      else await sleep(500);
    }
  }
  try {
    if (existsSync(file)) return read(true);
    // Assemblies of older sources are of no further use: the newest few are kept for stacks still running on them,
    // and any younger than an hour (a running stack starts a function's sandbox on its first invocation).
    const kept = await Promise.all(
      (await readdir(ARTIFACTS_DIR))
        .filter((name) => name !== key && !name.includes('.'))
        .map(async (name) => ({ name, mtime: (await stat(path.join(ARTIFACTS_DIR, name))).mtimeMs })),
    );
    kept.sort((a, b) => b.mtime - a.mtime);
    for (const { name, mtime } of kept.slice(KEPT_ASSEMBLIES))
      if (Date.now() - mtime > 3600_000)
        await rm(path.join(ARTIFACTS_DIR, name), { recursive: true, force: true });
    const building = `${assemblyDir}.${process.pid}.building`;
    await rm(building, { recursive: true, force: true });
    await runSynthChild([path.join(building, 'local-template.json'), workflow, context, building]);
    await rename(building, assemblyDir);
    return read(false);
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

export async function synthesize(options: SynthOptions): Promise<SynthesizedStack> {
  const workflow = JSON.stringify(options.pacing ?? LOCAL_PACING);
  const context = JSON.stringify(options.context ?? {});
  if (options.artifacts) return synthesizeArtifacts(workflow, context);
  const key = await templateInputsHash(`${workflow}\0${context}`);
  const file = path.join(options.cacheDir, `template-${key}.json`);
  if (existsSync(file)) {
    try {
      const { stackName, template } = JSON.parse(await readFile(file, 'utf8')) as Omit<
        SynthesizedStack,
        'cached'
      >;
      if (stackName && template) return { stackName, template, cached: true };
    } catch {
      // A damaged cache entry (a crash mid-write, a full disk) is a cache miss: synthesize again below.
    }
  }
  await mkdir(options.cacheDir, { recursive: true });
  // Older templates are of no further use.
  for (const name of await readdir(options.cacheDir)) {
    if (name.startsWith('template-')) await rm(path.join(options.cacheDir, name), { force: true });
  }
  const partial = `${file}.${process.pid}.tmp`;
  await runSynthChild([partial, workflow, context]);
  await rename(partial, file);
  const { stackName, template } = JSON.parse(await readFile(file, 'utf8')) as Omit<
    SynthesizedStack,
    'cached'
  >;
  return { stackName, template, cached: false };
}
