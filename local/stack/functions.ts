/**
 * The task functions of the template, run in-process: each catalogue name maps to its handler module (the
 * entry of workflows/contracts/functions.ts), called the way the Lambda runtime calls it.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { FUNCTIONS } from '../../workflows/contracts/functions.js';
import type { LocalFunction } from './resources.js';

export type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * Imports the handler module of every function the stack runs in-process. The web function is served by Node
 * directly (startWebServer), so it is not loaded here. Call after the environment is set: handlers read it at import.
 */
export async function loadHandlers(
  root: string,
  functions: readonly LocalFunction[],
): Promise<Map<string, Handler>> {
  const handlers = new Map<string, Handler>();
  for (const fn of functions) {
    const spec = FUNCTIONS.find((f) => f.name === fn.catalogName);
    if (!spec)
      throw new Error(
        `function ${fn.logicalId} names ${fn.catalogName}, which workflows/contracts/functions.ts lacks`,
      );
    if (spec.trigger === 'http') continue;
    const module = (await import(pathToFileURL(path.join(root, spec.entry)).href)) as { handler?: unknown };
    if (typeof module.handler !== 'function')
      throw new Error(`${spec.entry} has no exported handler function`);
    handlers.set(fn.catalogName, module.handler as Handler);
  }
  return handlers;
}

/** Invokes a handler for an event source (EventBridge, SNS) with a Lambda-like context; JSON in, JSON out. */
export async function invokeHandler(
  handler: Handler,
  fn: Pick<LocalFunction, 'functionName' | 'arn' | 'timeoutSeconds'>,
  event: unknown,
): Promise<unknown> {
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  const context: Context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: fn.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  return JSON.parse(JSON.stringify((await handler(JSON.parse(JSON.stringify(event)), context)) ?? null));
}

/**
 * The handler as the Lambda runtime runs it under the function's `Timeout`: its context counts down from that
 * timeout (or from the caller's deadline when that comes first). The Step Functions runtime sets the deadline from
 * the state's TimeoutSeconds, which for a `.waitForTaskToken` stage is days: the function's own timeout is what
 * bounds the run (Powertools Idempotency marks a run in progress until then).
 */
export function withFunctionTimeout(handler: Handler, timeoutSeconds: number): Handler {
  return (event, context) => {
    const deadline = Date.now() + timeoutSeconds * 1000;
    const remaining = () => Math.max(0, Math.min(deadline - Date.now(), context.getRemainingTimeInMillis()));
    return handler(event, { ...context, getRemainingTimeInMillis: remaining });
  };
}
