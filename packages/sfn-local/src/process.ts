/**
 * Runs `sfn-local` (`cli.ts` under tsx from source, `cli.js` when built) as a child process, for the crash test and the restart benchmark.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** Under tsx (this file is .ts) the CLI is cli.ts and needs tsx's loader; built, it is cli.js beside this file. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const CLI = join(import.meta.dirname, FROM_SOURCE ? 'cli.ts' : 'cli.js');

export interface SfnLocalProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Milliseconds from spawn until it printed its listening line. */
  readonly startupMs: number;
  /** Everything it printed so far. */
  output(): string;
  /** Sends a signal and resolves once the process exited. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  readonly dataDir?: string;
  readonly handlersFile?: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** @default 60 s */
  readonly startTimeoutMs?: number;
}

export function spawnSfnLocal(options: SpawnOptions = {}): Promise<SfnLocalProcess> {
  const args = [...(FROM_SOURCE ? ['--import', 'tsx'] : []), CLI, '--port', '0'];
  if (options.dataDir) args.push('--data', options.dataDir);
  if (options.handlersFile) args.push('--handlers', options.handlersFile);
  args.push(...(options.args ?? []));
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sfn-local did not start within ${options.startTimeoutMs ?? 60_000} ms:\n${output}`));
    }, options.startTimeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          child,
          startupMs: performance.now() - started,
          output: () => output,
          kill: (signal) => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`sfn-local exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  });
}
