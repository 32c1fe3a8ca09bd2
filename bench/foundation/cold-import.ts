/**
 * Cold import time of a bundle: a fresh `node` process imports the module (what Lambda's init phase does before the
 * first event) and reports the time of that import alone, without Node's own start-up. Several runs, the median.
 * Bundles that leave the AWS SDK to the runtime must sit where `@aws-sdk/*` resolves: under the project, whose
 * node_modules plays the runtime's /var/runtime/node_modules.
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const PROBE =
  'const t0 = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t0));';

/** The environment a function finds in Lambda (values only need to be well-formed: nothing is called). */
const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  // the local Node may be older than the runtime's; the SDK's notice about it is noise here
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** One import of `file` in a new process, ms; throws with the child's error if it cannot load. */
export function coldImportOnce(file: string, env: Record<string, string> = {}): number {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', PROBE, pathToFileURL(file).href], {
    env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return Number(out);
}

export interface ImportProbe {
  readonly file: string;
  readonly env?: Record<string, string>;
}

/**
 * Median import ms of each probe over `runs` rounds; within a round every probe runs once, so a busy machine slows
 * all of them alike and the figures of one run stay comparable. A probe that fails to load gets its error instead.
 */
export function coldImports(
  probes: readonly ImportProbe[],
  runs = 7,
): ({ ms: number } | { error: string })[] {
  const times: number[][] = probes.map(() => []);
  const errors: (string | undefined)[] = probes.map(() => undefined);
  for (let round = 0; round < runs; round++) {
    for (const [i, probe] of probes.entries()) {
      if (errors[i]) continue;
      try {
        times[i]?.push(coldImportOnce(probe.file, probe.env));
      } catch (e) {
        errors[i] =
          String((e as { stderr?: string }).stderr || e)
            .split('\n')
            .find((line) => /Error/.test(line)) ?? 'failed';
      }
    }
  }
  return probes.map((_, i) => {
    const error = errors[i];
    return error ? { error } : { ms: median(times[i] ?? []) };
  });
}
