/**
 * `npm run sfn-local -- --port <n> --data <dir> [--handlers <file>] [--host <ip>] [--endpoint <service>=<url> ...]`
 *
 * Runs the local Step Functions runtime on its own, speaking the Step Functions API on localhost.
 * Exit codes: 0 after a clean stop (SIGINT/SIGTERM), 1 when it cannot start, 2 for bad flags.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createTaskDispatcher,
  HandlersFileError,
  type LambdaHandlers,
  loadHandlersFile,
} from './dispatch/index.js';
import { startStatesServer } from './http/index.js';
import {
  createLocalStepFunctions,
  type Durability,
  type RecoveryMode,
  type StatesLogger,
} from './runtime.js';

const USAGE = `Usage: npm run sfn-local -- [options]

Runs the local AWS Step Functions runtime and its API (AWS JSON 1.0) on localhost.

Options:
  --port <n>                 port to listen on (default 8083; 0 = any free port)
  --host <ip>                address to listen on (default 127.0.0.1)
  --data <dir>               keep executions durably in <dir>/states.sqlite (default: in memory)
  --durability normal|full   with --data: normal (default) survives a crash of the process; full (SQLite
                             synchronous=FULL, an fsync per commit) also survives a power loss or an OS crash
  --writer-thread            with --data: a second thread writes the journal's commits to SQLite (faster when a
                             core is free, slower on a busy machine; see the README)
  --recovery fail|redispatch after a restart, a task whose dispatch was in flight: fail (default, as AWS) fails it
                             with States.TaskFailed so Retry/Catch decide; redispatch runs it again
  --handlers <file>          JSON {"<function name or ARN>": "<path to ES module>#<export>"}, paths relative to it
  --endpoint <service>=<url> endpoint for a service's task integrations, repeatable
                             (e.g. dynamodb=http://127.0.0.1:8000, sesv2=http://127.0.0.1:8005)
  --region <region>          region of ARNs and SDK clients (default us-east-1)
  --account-id <id>          account of ARNs (default 123456789012)
  --verbose                  log the runtime's info and debug messages
  --help                     show this help
`;

export interface CliOptions {
  readonly port: number;
  readonly host: string;
  readonly dataDir?: string;
  readonly durability: Durability;
  readonly writerThread?: boolean;
  readonly recovery: RecoveryMode;
  readonly handlersFile?: string;
  readonly endpoints: Record<string, string>;
  readonly region?: string;
  readonly accountId?: string;
  readonly verbose: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses the command line; returns 'help' for --help, throws {@link UsageError} for bad flags. */
export function parseCli(argv: readonly string[]): CliOptions | 'help' {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';

  const port = values.port === undefined ? 8083 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || values.port?.trim() === '') {
    throw new UsageError(`--port must be an integer from 0 to 65535, got '${values.port}'`);
  }
  const endpoints: Record<string, string> = {};
  for (const entry of values.endpoint ?? []) {
    const at = entry.indexOf('=');
    const service = entry.slice(0, at).trim();
    const url = entry.slice(at + 1).trim();
    if (
      at <= 0 ||
      !/^[a-z0-9-]+$|^\*$/.test(service) ||
      !/^https?:\/\/[^/\s]+/.test(url) ||
      !URL.canParse(url)
    ) {
      throw new UsageError(
        `--endpoint must look like <service>=<http(s) URL>, e.g. dynamodb=http://127.0.0.1:8000; got '${entry}'`,
      );
    }
    endpoints[service] = url;
  }
  if (values.data !== undefined && values.data.trim() === '')
    throw new UsageError('--data needs a directory');
  if (values.handlers !== undefined && values.handlers.trim() === '')
    throw new UsageError('--handlers needs a file');
  const durability = values.durability ?? 'normal';
  if (durability !== 'normal' && durability !== 'full') {
    throw new UsageError(`--durability must be normal or full, got '${durability}'`);
  }
  if (durability === 'full' && !values.data) throw new UsageError('--durability full needs --data <dir>');
  if (values['writer-thread'] && !values.data) throw new UsageError('--writer-thread needs --data <dir>');
  const recovery = values.recovery ?? 'fail';
  if (recovery !== 'fail' && recovery !== 'redispatch') {
    throw new UsageError(`--recovery must be fail or redispatch, got '${recovery}'`);
  }
  if (values['account-id'] !== undefined && !/^\d{12}$/.test(values['account-id'])) {
    throw new UsageError(`--account-id must be 12 digits, got '${values['account-id']}'`);
  }
  return {
    port,
    host: values.host ?? '127.0.0.1',
    ...(values.data ? { dataDir: resolve(values.data) } : {}),
    durability,
    ...(values['writer-thread'] ? { writerThread: true } : {}),
    recovery,
    ...(values.handlers ? { handlersFile: resolve(values.handlers) } : {}),
    endpoints,
    ...(values.region ? { region: values.region } : {}),
    ...(values['account-id'] ? { accountId: values['account-id'] } : {}),
    verbose: values.verbose ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      durability: { type: 'string' },
      'writer-thread': { type: 'boolean' },
      recovery: { type: 'string' },
      handlers: { type: 'string' },
      endpoint: { type: 'string', multiple: true },
      region: { type: 'string' },
      'account-id': { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function consoleLogger(verbose: boolean): StatesLogger {
  const quiet = () => undefined;
  return {
    debug: verbose ? (message, ...extra) => console.debug(`[sfn-local] ${message}`, ...extra) : quiet,
    info: verbose ? (message, ...extra) => console.info(`[sfn-local] ${message}`, ...extra) : quiet,
    warn: (message, ...extra) => console.warn(`[sfn-local] ${message}`, ...extra),
    error: (message, ...extra) => console.error(`[sfn-local] ${message}`, ...extra),
  };
}

export async function main(argv: readonly string[]): Promise<void> {
  let options: CliOptions | 'help';
  try {
    options = parseCli(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`sfn-local: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }

  let handlers: LambdaHandlers = {};
  if (options.handlersFile) {
    try {
      handlers = await loadHandlersFile(options.handlersFile);
    } catch (error) {
      console.error(`sfn-local: ${error instanceof HandlersFileError ? error.message : String(error)}`);
      process.exitCode = 1;
      return;
    }
  }

  const dispatcher = createTaskDispatcher({
    handlers,
    endpoints: options.endpoints,
    ...(options.region ? { region: options.region } : {}),
  });
  const runtime = await createLocalStepFunctions({
    dispatcher,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    durability: options.durability,
    ...(options.writerThread ? { writerThread: true } : {}),
    recovery: options.recovery,
    ...(options.region ? { region: options.region } : {}),
    ...(options.accountId ? { accountId: options.accountId } : {}),
    logger: consoleLogger(options.verbose),
  });
  let server: Awaited<ReturnType<typeof startStatesServer>>;
  try {
    server = await startStatesServer({ service: runtime, port: options.port, host: options.host });
  } catch (error) {
    await runtime.close();
    dispatcher.close();
    console.error(`sfn-local: ${(error as Error).message}`);
    process.exitCode = 1;
    return;
  }

  const storage = options.dataDir
    ? `data in ${options.dataDir}, durability ${options.durability}${options.writerThread ? ' (writer thread)' : ''}, recovery ${options.recovery}; resumed ${runtime.recovery.executions} running execution(s) in ${Math.round(runtime.recovery.ms)} ms`
    : 'in memory';
  const banner = [
    `sfn-local: Step Functions API listening on ${server.url} (${storage})`,
    `  region ${runtime.region}, account ${runtime.accountId}`,
    ...(options.handlersFile
      ? [`  ${Object.keys(handlers).length} Lambda handler(s) from ${options.handlersFile}`]
      : []),
    ...Object.entries(options.endpoints).map(([service, url]) => `  endpoint ${service} = ${url}`),
    `Try: AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=${runtime.region} ` +
      `aws stepfunctions list-state-machines --endpoint-url ${server.url}`,
  ];
  // one write, so a reader that waits for the listening line sees the whole banner
  process.stdout.write(`${banner.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`sfn-local: ${signal} again, exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    console.log(`sfn-local: ${signal} received, stopping`);
    try {
      await server.close();
      await runtime.close();
      dispatcher.close();
      console.log('sfn-local: stopped');
    } catch (error) {
      console.error('sfn-local: error while stopping', error);
      process.exitCode = 1;
    }
    // Handler modules may hold timers or sockets of their own; the runtime is closed, so leave now.
    process.exit();
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error('sfn-local: failed to start:', error);
    process.exitCode = 1;
  });
}
