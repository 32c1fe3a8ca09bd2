/**
 * The local stack's artifacts mode (`npm start -- --artifacts`): each task function runs from the bundle its Lambda
 * resource points to in the synthesized cloud assembly (`asset.<hash>/index.mjs`, built by esbuild exactly as
 * `cdk deploy` uploads it), in its own worker thread with its own environment from the template, instead of from
 * the TypeScript sources in the stack's process. A worker starts on a function's first invocation (a cold start) and
 * serves the later ones; one that dies (an uncaught error, process.exit) is replaced on the next invocation.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
  const web = FUNCTIONS.find((f) => f.name === fn.catalogName)?.trigger === 'http';
  if (!web) for (const name of WEB_ONLY) if (!(name in fn.environment)) delete env[name];
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
  /** The function served over HTTP (the web app behind the HTTP API), from its bundle too. */
  readonly http?: { readonly fn: LocalFunction; readonly handler: Handler };
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
    worker.on('error', (error) => {
      // As Lambda logs a sandbox that crashed.
      console.error(`${this.fn.catalogName}: the sandbox failed:`, error);
      fail(runtimeError('Runtime.ExitError', `${this.fn.catalogName}: ${error.message}`));
    });
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
  let served: ArtifactFunctions['http'];
  for (const fn of options.functions) {
    const spec = FUNCTIONS.find((f) => f.name === fn.catalogName);
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
    const handler: Handler = (event, context) => sandbox.invoke(event, context);
    if (spec?.trigger === 'http') served = { fn, handler };
    else handlers.set(fn.catalogName, handler);
  }
  return {
    handlers,
    ...(served ? { http: served } : {}),
    get coldStarts() {
      return new Map([...sandboxes].map(([name, s]) => [name, s.starts]));
    },
    close: async () => {
      await Promise.all([...sandboxes.values()].map((s) => s.close()));
    },
  };
}

const TEXTUAL = /^(text\/|application\/(json|x-www-form-urlencoded|xml|javascript)|multipart\/form-data)/;

/**
 * The HTTP API in front of the web function's bundle: each request becomes an API Gateway payload 2.0 event (cookies
 * apart, a binary body base64-encoded), the function's answer becomes the response (its `cookies` as Set-Cookie).
 */
export async function startHttpApi(options: {
  port: number;
  host: string;
  accountId: string;
  fn: LocalFunction;
  handler: Handler;
}): Promise<{ url: string; close(): Promise<void> }> {
  const { fn, handler } = options;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://local');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (name !== 'cookie' && value !== undefined)
          headers[name] = Array.isArray(value) ? value.join(',') : value;
      headers['x-forwarded-proto'] = 'http';
      headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
      const cookies = req.headers.cookie?.split(/;\s*/).filter(Boolean);
      const textual = TEXTUAL.test(req.headers['content-type'] ?? '');
      const now = new Date();
      const event = {
        version: '2.0',
        routeKey: '$default',
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        ...(cookies?.length ? { cookies } : {}),
        headers,
        ...(url.search
          ? {
              queryStringParameters: Object.fromEntries(
                [...new Set(url.searchParams.keys())].map((k) => [k, url.searchParams.getAll(k).join(',')]),
              ),
            }
          : {}),
        requestContext: {
          accountId: options.accountId,
          apiId: 'local',
          domainName: req.headers.host ?? `${options.host}:${options.port}`,
          domainPrefix: 'local',
          http: {
            method: req.method ?? 'GET',
            path: url.pathname,
            protocol: 'HTTP/1.1',
            sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
            userAgent: req.headers['user-agent'] ?? '',
          },
          requestId: randomUUID(),
          routeKey: '$default',
          stage: '$default',
          time: now.toUTCString(),
          timeEpoch: now.getTime(),
        },
        ...(body.length ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
        isBase64Encoded: body.length > 0 && !textual,
      };
      const deadline = Date.now() + fn.timeoutSeconds * 1000;
      const context = {
        functionName: fn.functionName,
        functionVersion: '$LATEST',
        invokedFunctionArn: fn.arn,
        memoryLimitInMB: String(fn.memoryMb),
        awsRequestId: randomUUID(),
        logGroupName: `/aws/lambda/${fn.functionName}`,
        logStreamName: 'local',
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      } as Context;
      handler(event, context).then(
        (raw) => {
          const result = (raw ?? {}) as {
            statusCode?: number;
            headers?: Record<string, string>;
            multiValueHeaders?: Record<string, string[]>;
            cookies?: string[];
            body?: string;
            isBase64Encoded?: boolean;
          };
          res.statusCode = result.statusCode ?? 200;
          for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
          for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
            res.setHeader(name, values);
          if (result.cookies?.length) res.setHeader('set-cookie', result.cookies);
          res.end(
            result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : undefined,
          );
        },
        (error: unknown) => {
          // What the HTTP API answers when the integration fails.
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: 'Internal Server Error' }));
          console.error(`${fn.catalogName}: ${(error as Error).name}: ${(error as Error).message}`);
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
