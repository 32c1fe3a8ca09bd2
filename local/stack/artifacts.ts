/**
 * The local stack's artifacts mode (`npm start -- --artifacts`): each task function runs from the bundle its Lambda
 * resource points to in the synthesized cloud assembly (`asset.<hash>/index.mjs`, built by esbuild exactly as
 * `cdk deploy` uploads it), in its own worker thread with its own environment from the template, instead of from
 * the TypeScript sources in the stack's process. A worker starts on a function's first invocation (a cold start) and
 * serves the later ones; one that dies (an uncaught error, process.exit) is replaced on the next invocation.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import { FUNCTIONS } from '../../workflows/contracts/functions.js';
import type { Handler } from './functions.js';
import type { LocalFunction } from './resources.js';

/** Variables the stack sets for the web app only; a task function gets them when its template names them. */
const WEB_ONLY = [
  'SESSION_SECRET',
  'STAFF_AUTH',
  'STAFF_USERS_FILE',
  'WEB_BASE_URL',
  'MARKETPLACE_OFFER_URL_BASE',
];

/**
 * One function's environment in its sandbox: the stack's environment computed for this function alone (its own
 * template variables, resolved, with the local endpoints and credentials), minus what only the web app is given,
 * plus what the Lambda runtime sets.
 */
export function sandboxEnvironment(
  fn: LocalFunction,
  stackEnvironmentOf: (fn: LocalFunction) => Record<string, string>,
): Record<string, string> {
  const env = stackEnvironmentOf(fn);
  for (const name of WEB_ONLY) if (!(name in fn.environment)) delete env[name];
  return {
    ...env,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs',
    _HANDLER: fn.handler,
  };
}

export interface ArtifactFunctionsOptions {
  /** The cloud assembly folder (SynthesizedStack.assemblyDir). */
  readonly assemblyDir: string;
  readonly functions: readonly LocalFunction[];
  /** Each function's environment (see sandboxEnvironment). */
  readonly environmentOf: (fn: LocalFunction) => Record<string, string>;
  /** Bare imports the Lambda runtime provides (infra/bundling.ts RUNTIME_PROVIDED): nothing else resolves. */
  readonly runtimeProvided: readonly string[];
}

export interface ArtifactFunctions {
  /** Handlers by catalogue name, for every function that is not served over HTTP. */
  readonly handlers: Map<string, Handler>;
  /** Workers started so far (cold starts), by catalogue name. */
  readonly coldStarts: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: string;
  readonly error?: { name: string; message: string; stack: string };
}

/** The file `Handler` names in the asset (`index.handler` -> index.mjs, index.js or index.cjs). */
export function handlerFile(assetDir: string, handler: string): { file: string; exportName: string } {
  const dot = handler.lastIndexOf('.');
  const moduleName = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  for (const ext of ['.mjs', '.js', '.cjs']) {
    const file = path.join(assetDir, `${moduleName}${ext}`);
    if (existsSync(file)) return { file, exportName };
  }
  throw new Error(`${assetDir} has no ${moduleName}.mjs/.js/.cjs for the Handler ${handler}`);
}

class Sandbox {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  starts = 0;

  constructor(
    private readonly fn: LocalFunction,
    private readonly assetDir: string,
    private readonly env: Record<string, string>,
    private readonly runtimeProvided: readonly string[],
  ) {}

  private start(): Worker {
    const { file, exportName } = handlerFile(this.assetDir, this.fn.handler);
    const worker = new Worker(new URL('./artifact-worker.mjs', import.meta.url), {
      env: this.env,
      // A clean Node: no TypeScript loader or test hooks of this process.
      execArgv: [],
      workerData: {
        file,
        handlerName: exportName,
        assetDir: this.assetDir,
        runtimeProvided: [...this.runtimeProvided],
      },
      // Lambda's memory setting, as the heap limit of the sandbox.
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, this.fn.memoryMb) },
    });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      waiting?.resolve(reply);
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, waiting] of this.pending) {
        this.pending.delete(id);
        waiting.reject(error);
      }
    };
    worker.on('error', (error) =>
      fail(runtimeError('Runtime.ExitError', `${this.fn.catalogName}: ${error.message}`)),
    );
    worker.on('exit', (code) =>
      fail(runtimeError('Runtime.ExitError', `${this.fn.catalogName}: the sandbox exited (code ${code})`)),
    );
    this.starts++;
    return worker;
  }

  async invoke(event: unknown, context: Context): Promise<unknown> {
    this.worker ??= this.start();
    const worker = this.worker;
    const id = this.next++;
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({
        id,
        event: JSON.parse(JSON.stringify(event ?? null)),
        context: {
          functionName: context.functionName,
          functionVersion: context.functionVersion,
          invokedFunctionArn: context.invokedFunctionArn,
          memoryLimitInMB: String(this.fn.memoryMb),
          awsRequestId: context.awsRequestId,
          logGroupName: context.logGroupName,
          logStreamName: context.logStreamName,
          deadline: Date.now() + context.getRemainingTimeInMillis(),
        },
      });
    }).finally(() => {
      if (this.pending.size === 0) worker.unref();
    });
    if (reply.ok) return JSON.parse(reply.result ?? 'null');
    const error = new Error(reply.error?.message ?? 'unknown error');
    error.name = reply.error?.name ?? 'Error';
    if (reply.error?.stack) error.stack = reply.error.stack;
    throw error;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}

function runtimeError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export function artifactFunctions(options: ArtifactFunctionsOptions): ArtifactFunctions {
  const sandboxes = new Map<string, Sandbox>();
  const handlers = new Map<string, Handler>();
  for (const fn of options.functions) {
    const spec = FUNCTIONS.find((f) => f.name === fn.catalogName);
    if (spec?.trigger === 'http') continue; // the web function is served by startWebServer
    if (!fn.assetPath)
      throw new Error(
        `${fn.logicalId} has inline code, not a bundle: was the app synthesized with bundling?`,
      );
    const sandbox = new Sandbox(
      fn,
      path.join(options.assemblyDir, fn.assetPath),
      options.environmentOf(fn),
      options.runtimeProvided,
    );
    sandboxes.set(fn.catalogName, sandbox);
    handlers.set(fn.catalogName, (event, context) => sandbox.invoke(event, context));
  }
  return {
    handlers,
    get coldStarts() {
      return new Map([...sandboxes].map(([name, s]) => [name, s.starts]));
    },
    close: async () => {
      await Promise.all([...sandboxes.values()].map((s) => s.close()));
    },
  };
}
