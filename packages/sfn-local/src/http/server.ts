/**
 * The Step Functions API over HTTP (AWS JSON 1.0), on node:http: `POST /` with
 * `X-Amz-Target: AWSStepFunctions.<Operation>` and a JSON body, answered by a {@link StepFunctionsService}.
 * Works unchanged with `@aws-sdk/client-sfn` and the AWS CLI (`--endpoint-url`); signatures are not checked.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { STATES_API_OPERATIONS, StatesApiError, type StepFunctionsService } from '../service.js';
import { validateRequest } from './validate.js';
import { errorJson, JSON_CONTENT_TYPE, operationOf, toWireJson, type WireError } from './wire.js';

export interface StatesServerOptions {
  readonly service: StepFunctionsService;
  /** @default 8083; 0 picks a free port */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Largest request body accepted, in bytes. @default 4 MiB (a 1 MiB definition, JSON-escaped, fits) */
  readonly maxBodyBytes?: number;
  /** Called for failures that are not API errors (answered as 500 InternalFailure). @default console.error */
  readonly onInternalError?: (error: unknown, operation: string) => void;
}

export interface StatesServer {
  /** e.g. `http://127.0.0.1:8083` */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish (up to 5 s), then drops the remaining connections. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 4 * 1024 * 1024;
const CLOSE_GRACE_MS = 5_000;

export async function startStatesServer(options: StatesServerOptions): Promise<StatesServer> {
  const { service, port = 8083, host = '127.0.0.1', maxBodyBytes = DEFAULT_MAX_BODY } = options;
  const onInternalError =
    options.onInternalError ??
    ((error: unknown, operation: string) => console.error(`[sfn-local] ${operation} failed:`, error));

  const server = createServer((req, res) => {
    handle(req, res, service, maxBodyBytes, onInternalError).catch((error: unknown) => {
      onInternalError(error, 'request');
      if (!res.headersSent) send(res, 500, errorJson(internalFailure()));
    });
  });
  server.keepAliveTimeout = 65_000;
  await listen(server, port, host);
  const bound = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${bound}`,
    port: bound,
    close: () => {
      closing ??= closeServer(server);
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(
          new Error(`Port ${port} on ${host} is already in use; choose another with --port`, {
            cause: error,
          }),
        );
      } else if (error.code === 'EACCES') {
        reject(new Error(`Not allowed to listen on port ${port} on ${host}`, { cause: error }));
      } else {
        reject(error);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
  timer.unref();
  await closed;
  clearTimeout(timer);
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  service: StepFunctionsService,
  maxBodyBytes: number,
  onInternalError: (error: unknown, operation: string) => void,
): Promise<void> {
  const target = header(req, 'x-amz-target');
  const operation =
    req.method === 'POST' && (req.url === '/' || req.url?.startsWith('/?')) ? operationOf(target) : undefined;
  const body = await readBody(req, maxBodyBytes);
  if (body === 'too-large') {
    send(
      res,
      413,
      errorJson({
        status: 413,
        type: 'RequestEntityTooLargeException',
        message: `Request body exceeds ${maxBodyBytes} bytes`,
      }),
    );
    return;
  }
  if (!operation) {
    const what =
      req.method !== 'POST' ? `${req.method} ${req.url}` : (target ?? 'a request without X-Amz-Target');
    send(
      res,
      400,
      errorJson({ status: 400, type: 'UnknownOperationException', message: `Unknown operation: ${what}` }),
    );
    return;
  }

  let parsed: unknown;
  try {
    parsed = body.length === 0 ? {} : JSON.parse(body);
  } catch (error) {
    const message = `Malformed JSON request body: ${(error as Error).message}`;
    send(res, 400, errorJson({ status: 400, type: 'SerializationException', message }));
    return;
  }
  const validated = validateRequest(operation, parsed);
  if (!validated.ok) {
    send(res, validated.error.status, errorJson(validated.error));
    return;
  }

  const method = STATES_API_OPERATIONS[operation];
  let output: unknown;
  try {
    // biome-ignore lint/suspicious/noExplicitAny: the input was validated against this operation's shape above
    output = await (service[method] as (input: any) => Promise<unknown>).call(service, validated.input);
  } catch (error) {
    if (error instanceof StatesApiError) {
      send(res, error.status, errorJson({ status: error.status, type: error.type, message: error.message }));
    } else {
      onInternalError(error, operation);
      send(res, 500, errorJson(internalFailure()));
    }
    return;
  }
  send(res, 200, toWireJson(stripMetadata(output)));
}

function stripMetadata(output: unknown): unknown {
  if (typeof output === 'object' && output !== null && '$metadata' in output) {
    const { $metadata: _ignored, ...rest } = output as Record<string, unknown>;
    return rest;
  }
  return output;
}

function internalFailure(): WireError {
  return {
    status: 500,
    type: 'InternalFailure',
    message: 'The request processing has failed because of an unknown error',
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage, limit: number): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(body);
}
