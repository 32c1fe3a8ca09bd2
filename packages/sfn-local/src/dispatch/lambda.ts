/**
 * Lambda functions as in-process handlers: `async (event, context) => result` (or the callback style), called the
 * way the Lambda Node.js runtime calls them. Payloads are copied through JSON in both directions, so a handler
 * never shares objects with the engine. Errors become the `TaskError` Step Functions records for a Lambda
 * function error: error = the errorType, cause = `{"errorType","errorMessage","trace"}`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Callback, Context } from 'aws-lambda';
import { type TaskDispatcher, TaskError, type TaskRequest } from '../tasks.js';
import { type FunctionRef, parseFunctionRef, parseResource } from './resource.js';
import { sdkHttpMetadata } from './sdk-metadata.js';

// biome-ignore lint/suspicious/noExplicitAny: a Lambda handler receives whatever event it is given
export type LambdaHandler = (event: any, context: Context, callback: Callback) => unknown;

/** Handlers by function name, `name:qualifier`, partial ARN (`123456789012:function:name`) or full ARN. */
export type LambdaHandlers = Readonly<Record<string, LambdaHandler>>;

export interface LambdaDispatcherOptions {
  readonly handlers: LambdaHandlers;
  /** What `context.getRemainingTimeInMillis()` counts down from when the state sets no TimeoutSeconds. @default 900 */
  readonly defaultTimeoutSeconds?: number;
}

export interface LambdaInvocation {
  readonly payload: unknown;
  readonly executedVersion: string;
  readonly requestId: string;
  readonly durationMs: number;
}

interface IndexedHandler {
  readonly ref: FunctionRef;
  readonly handler: LambdaHandler;
}

/** Finds handlers by any form of function reference and invokes them like the Lambda runtime does. */
export class LambdaFunctions {
  private readonly byKey: Map<string, LambdaHandler>;
  private readonly byName = new Map<string, IndexedHandler[]>();
  private readonly defaultTimeoutSeconds: number;

  constructor(options: LambdaDispatcherOptions) {
    this.byKey = new Map(Object.entries(options.handlers));
    this.defaultTimeoutSeconds = options.defaultTimeoutSeconds ?? 900;
    for (const [key, handler] of this.byKey) {
      if (typeof handler !== 'function') throw new TypeError(`Lambda handler for "${key}" is not a function`);
      const ref = parseFunctionRef(key);
      const list = this.byName.get(ref.name) ?? [];
      list.push({ ref, handler });
      this.byName.set(ref.name, list);
    }
  }

  find(functionRef: string): LambdaHandler | undefined {
    const exact = this.byKey.get(functionRef);
    if (exact) return exact;
    const wanted = parseFunctionRef(functionRef);
    const candidates = (this.byName.get(wanted.name) ?? []).filter(
      ({ ref }) =>
        (!ref.accountId || !wanted.accountId || ref.accountId === wanted.accountId) &&
        (!ref.region || !wanted.region || ref.region === wanted.region) &&
        (!ref.qualifier || ref.qualifier === wanted.qualifier),
    );
    return (candidates.find(({ ref }) => ref.qualifier === wanted.qualifier) ?? candidates[0])?.handler;
  }

  /** Invokes the function with a JSON copy of `event`; resolves with a JSON copy of its result. */
  async invoke(functionRef: string, event: unknown, request: TaskRequest): Promise<LambdaInvocation> {
    const ref = parseFunctionRef(functionRef);
    const region = ref.region ?? request.region;
    const accountId = ref.accountId ?? request.accountId;
    const handler = this.find(functionRef);
    if (!handler) {
      const arn = `arn:aws:lambda:${region}:${accountId}:function:${ref.name}:${ref.qualifier ?? '$LATEST'}`;
      throw new TaskError(
        'Lambda.ResourceNotFoundException',
        `Function not found: ${arn} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ${randomUUID()}; Proxy: null)`,
      );
    }
    request.signal.throwIfAborted();

    const requestId = randomUUID();
    const executedVersion = ref.qualifier && /^\d+$/.test(ref.qualifier) ? ref.qualifier : '$LATEST';
    const started = Date.now();
    const deadline = started + (request.timeoutSeconds ?? this.defaultTimeoutSeconds) * 1000;
    const context = lambdaContext({ ref, region, accountId, requestId, executedVersion, deadline });
    const input = copyJson(event ?? null);

    const result = await abortable(callHandler(handler, input, context), request.signal);
    let payload: unknown;
    try {
      payload = copyJson(result);
    } catch (error) {
      throw functionError({
        errorType: 'Runtime.MarshalError',
        errorMessage: `Unable to stringify the handler's result: ${(error as Error).message}`,
        trace: [],
      });
    }
    return { payload, executedVersion, requestId, durationMs: Date.now() - started };
  }
}

/** A dispatcher for plain Lambda ARNs and `arn:aws:states:::lambda:invoke` (with or without `.waitForTaskToken`). */
export function createLambdaDispatcher(options: LambdaDispatcherOptions | LambdaFunctions): TaskDispatcher {
  const functions = options instanceof LambdaFunctions ? options : new LambdaFunctions(options);
  return {
    async dispatch(request) {
      const resource = parseResource(request.resource);
      if (resource.kind === 'lambda-function') {
        return (await functions.invoke(resource.functionName, request.parameters, request)).payload;
      }
      if (resource.kind === 'optimized' && resource.service === 'lambda' && resource.action === 'invoke') {
        return invokeIntegration(functions, request);
      }
      throw new TaskError(
        'States.Runtime',
        `The Lambda dispatcher does not handle resource ${request.resource}`,
      );
    },
  };
}

/** `arn:aws:states:::lambda:invoke`: Parameters `{FunctionName, Payload, InvocationType, LogType, Qualifier, ...}`. */
async function invokeIntegration(functions: LambdaFunctions, request: TaskRequest): Promise<unknown> {
  const params = (request.parameters ?? {}) as Record<string, unknown>;
  const functionName = params.FunctionName;
  if (typeof functionName !== 'string' || functionName === '') {
    throw new TaskError(
      'Lambda.LambdaException',
      'The FunctionName parameter is required (Service: AWSLambda; Status Code: 400; Error Code: ValidationException; Proxy: null)',
    );
  }
  const qualified =
    typeof params.Qualifier === 'string' ? `${functionName}:${params.Qualifier}` : functionName;
  const event = invokePayload(params.Payload);

  if (params.InvocationType === 'Event' || params.InvocationType === 'DryRun') {
    if (!functions.find(qualified)) await functions.invoke(qualified, event, request); // throws ResourceNotFound
    if (params.InvocationType === 'Event') {
      const detached = { ...request, signal: new AbortController().signal };
      functions.invoke(qualified, event, detached).catch(() => undefined);
    }
    const statusCode = params.InvocationType === 'Event' ? 202 : 204;
    const requestId = randomUUID();
    return {
      Payload: '',
      ...sdkHttpMetadata(lambdaHeaders(requestId, '$LATEST', 0), statusCode, requestId),
      StatusCode: statusCode,
    };
  }

  const invocation = await functions.invoke(qualified, event, request);
  const body = JSON.stringify(invocation.payload);
  const result: Record<string, unknown> = { ExecutedVersion: invocation.executedVersion };
  if (params.LogType === 'Tail') {
    const id = invocation.requestId;
    const log = `START RequestId: ${id} Version: ${invocation.executedVersion}\nEND RequestId: ${id}\nREPORT RequestId: ${id}\tDuration: ${invocation.durationMs} ms\n`;
    result.LogResult = Buffer.from(log).toString('base64');
  }
  return {
    ...result,
    Payload: invocation.payload,
    ...sdkHttpMetadata(
      lambdaHeaders(invocation.requestId, invocation.executedVersion, Buffer.byteLength(body)),
      200,
      invocation.requestId,
    ),
    StatusCode: 200,
  };
}

/** Lambda receives the Payload's bytes: a string is JSON text already, anything else is serialised; none is `{}`. */
function invokePayload(payload: unknown): unknown {
  if (payload === undefined || payload === null) return {};
  if (typeof payload !== 'string') return payload;
  try {
    return JSON.parse(payload);
  } catch (error) {
    throw new TaskError(
      'Lambda.InvalidRequestContentException',
      `Could not parse request body into json: ${(error as Error).message} (Service: AWSLambda; Status Code: 400; Error Code: InvalidRequestContentException; Request ID: ${randomUUID()}; Proxy: null)`,
    );
  }
}

function lambdaHeaders(
  requestId: string,
  executedVersion: string,
  contentLength: number,
): Record<string, string> {
  return {
    Connection: 'keep-alive',
    'Content-Length': String(contentLength),
    'Content-Type': 'application/json',
    Date: new Date().toUTCString(),
    'X-Amz-Executed-Version': executedVersion,
    'x-amzn-Remapped-Content-Length': '0',
    'x-amzn-RequestId': requestId,
    'X-Amzn-Trace-Id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')};Sampled=0`,
  };
}

function lambdaContext(args: {
  ref: FunctionRef;
  region: string;
  accountId: string;
  requestId: string;
  executedVersion: string;
  deadline: number;
}): Context {
  const { ref, region, accountId, requestId, executedVersion, deadline } = args;
  const qualifierSuffix = ref.qualifier ? `:${ref.qualifier}` : '';
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const fail = () => {
    throw new Error('context.done/succeed/fail are not supported locally; return a value or a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: ref.name,
    functionVersion: executedVersion,
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${ref.name}${qualifierSuffix}`,
    memoryLimitInMB: '128',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${ref.name}`,
    logStreamName: `${day}/[${executedVersion}]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}

/** Calls a handler as the Node.js runtime does: a returned promise wins; otherwise a callback handler is awaited. */
function callHandler(handler: LambdaHandler, event: unknown, context: Context): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback: Callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(toFunctionError(error));
      else resolve(result);
    };
    let returned: unknown;
    try {
      returned = handler(event, context, callback);
    } catch (error) {
      settled = true;
      reject(toFunctionError(error));
      return;
    }
    if (isPromiseLike(returned)) {
      Promise.resolve(returned).then(
        (value) => callback(null, value),
        (error: unknown) => {
          if (settled) return;
          settled = true;
          reject(toFunctionError(error));
        },
      );
    } else if (handler.length < 3) {
      callback(null, returned);
    }
  });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

interface LambdaErrorBody {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** The error object the Lambda Node.js runtime reports for a thrown value. */
function toFunctionError(thrown: unknown): TaskError {
  if (thrown instanceof Error) {
    return functionError({
      errorType: thrown.name || 'Error',
      errorMessage: thrown.message,
      trace: (thrown.stack ?? '').split('\n'),
    });
  }
  return functionError({ errorType: typeof thrown, errorMessage: String(thrown), trace: [] });
}

function functionError(body: LambdaErrorBody): TaskError {
  return new TaskError(body.errorType, JSON.stringify(body));
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function copyJson(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : JSON.parse(text);
}
