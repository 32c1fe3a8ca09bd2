/** Checks that the stack's ports are free before anything starts, so a clash gets one clear message. */
import net from 'node:net';
import {
  ConfigError,
  hostOf,
  SERVICE_NAMES,
  SERVICES,
  type ServiceName,
  type StackConfig,
} from './config.js';

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Throws ConfigError naming every taken port and the flag that moves it. */
export async function assertPortsFree(config: StackConfig): Promise<void> {
  const clashes: string[] = [];
  for (const service of SERVICE_NAMES) {
    const port = config.ports[service];
    if (port === 0) continue;
    if (!(await isFree(port, hostOf(config, service)))) {
      clashes.push(
        `  port ${port} (${SERVICES[service].label}) is already taken: stop what uses it, or start with --${service}-port <n>`,
      );
    }
  }
  if (clashes.length > 0) {
    throw new ConfigError(
      `cannot start: ${clashes.length === 1 ? 'a port is' : 'ports are'} in use\n${clashes.join('\n')}\n` +
        '(is another "npm start" already running?)',
    );
  }
}

/** A free ephemeral port on the host (the last resort of stablePort). */
function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Where chosen ports come from: below Linux's ephemeral range (32768-60999, what `listen(0)` hands out). */
export const PORT_RANGES = {
  /** Ports of a stack started in this process (startStack): chosen again when one was taken meanwhile. */
  started: { from: 20_000, to: 26_000 },
  /**
   * Ports a spawned stack keeps across kills and restarts (process.ts): a range of their own, so no other stack
   * starting in the gap of a restart chooses them.
   */
  kept: { from: 26_000, to: 32_768 },
} as const;

/**
 * A free port in the range (default: the kept ports), not in `taken`: one the OS never hands to another listener or
 * outgoing connection meanwhile.
 */
export async function stablePort(
  host = '127.0.0.1',
  taken: ReadonlySet<number> = new Set(),
  range: { from: number; to: number } = PORT_RANGES.kept,
): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = range.from + Math.floor(Math.random() * (range.to - range.from));
    if (!taken.has(port) && (await isFree(port, host))) return port;
  }
  return freePort(host);
}

/**
 * The stack's ports: each one the configuration names, and for each 0 a distinct free port below the ephemeral range,
 * where no other process's `listen(0)` or outgoing connection is handed it between this choice and the bind.
 */
export async function choosePorts(config: StackConfig): Promise<Record<ServiceName, number>> {
  const ports = { ...config.ports };
  const taken = new Set(Object.values(ports).filter((p) => p !== 0));
  for (const service of SERVICE_NAMES) {
    if (ports[service] !== 0) continue;
    ports[service] = await stablePort(hostOf(config, service), taken, PORT_RANGES.started);
    taken.add(ports[service]);
  }
  return ports;
}

/** Whether an error (or one it was caused by) says an address was already in use. */
export function isAddressInUse(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' || /EADDRINUSE|already in use/.test(e.message))
      return true;
  }
  return false;
}

/**
 * Runs `start` on the configuration's ports (see choosePorts). When it fails because a chosen port was taken between
 * the choice and the bind (two test files starting stacks at once), it runs again on newly chosen ports, up to
 * `attempts` times; `start` must have closed what it started before it rejects. A port the caller named is never
 * changed, so its clash is reported at once.
 */
export async function onChosenPorts<T>(
  config: StackConfig,
  start: (ports: Record<ServiceName, number>) => Promise<T>,
  options: { attempts?: number; onRetry?: (error: unknown) => void } = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  const chosen = SERVICE_NAMES.some((s) => config.ports[s] === 0);
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await choosePorts(config));
    } catch (error) {
      if (!chosen || attempt >= attempts || !isAddressInUse(error)) throw error;
      options.onRetry?.(error);
    }
  }
}
