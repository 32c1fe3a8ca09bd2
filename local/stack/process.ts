/**
 * `npm start` as a child process (one node process with tsx's loader, so a signal reaches the stack itself), for
 * the restart test and the stack benchmark.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_NAMES, type ServiceName } from './config.js';
import { stablePort } from './ports.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface StackProcess {
  readonly ports: Readonly<Record<ServiceName, number>>;
  readonly url: (service: ServiceName) => string;
  /** Milliseconds from spawn until the ready banner. */
  readonly startupMs: number;
  readonly child: ChildProcess;
  output(): string;
  /** Sends the signal and resolves once the process exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePorts(): Promise<Record<ServiceName, number>> {
  // the spawned stack keeps these ports across kills and restarts: take them outside the ephemeral range
  const ports = {} as Record<ServiceName, number>;
  for (const s of SERVICE_NAMES) ports[s] = await stablePort('127.0.0.1', new Set(Object.values(ports)));
  return ports;
}

export async function spawnStack(options: {
  dataDir: string;
  ports: Readonly<Record<ServiceName, number>>;
  env?: Readonly<Record<string, string>>;
  timeoutMs?: number;
}): Promise<StackProcess> {
  // STACK_NODE_ARGS: extra node flags for the stack process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it.
  const nodeArgs = process.env.STACK_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const args = [...nodeArgs, '--import', 'tsx', 'local/stack.ts', '--data', options.dataDir];
  for (const s of SERVICE_NAMES) args.push(`--${s}-port`, String(options.ports[s]));
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const startupMs = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // not left running (holding the ports and the data folder) after the caller gives up
      reject(new Error(`npm start did not get ready:\n${output}`));
    }, options.timeoutMs ?? 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Marketplace Onboarding is running')) {
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    ports: options.ports,
    url: (s) => `http://127.0.0.1:${options.ports[s]}`,
    startupMs,
    child,
    output: () => output,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
}
