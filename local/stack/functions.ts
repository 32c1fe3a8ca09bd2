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
  fn: Pick<LocalFunction, 'functionName' | 'arn'>,
  event: unknown,
  timeoutSeconds = 60,
): Promise<unknown> {
  const deadline = Date.now() + timeoutSeconds * 1000;
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
