/**
 * The `web` Lambda function's entry: this app behind the HTTP API (payload format 2.0). Thin: builds the app once per
 * container (ports, staff auth, the session key from Secrets Manager) and hands each event to hono/aws-lambda.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { createLogger } from '../tasks/handlers/logger.js';
import { createApp } from './app.js';
import { webDepsFromEnv } from './bootstrap.js';

// the same token-redacting logger as every other function; the use cases log through it too (ports.log)
const logger = createLogger();

type LambdaHandler = ReturnType<typeof handle>;
let ready: Promise<LambdaHandler> | undefined;

async function build(): Promise<LambdaHandler> {
  const deps = await webDepsFromEnv({ log: logger });
  return handle(createApp(deps, { error: (message, extra) => logger.error(message, { ...extra }) }));
}

export const handler = async (event: APIGatewayProxyEventV2, context: Context) => {
  ready ??= build().catch((err) => {
    ready = undefined; // try again on the next event instead of failing forever
    throw err;
  });
  return (await ready)(
    event as unknown as Parameters<LambdaHandler>[0],
    context as unknown as Parameters<LambdaHandler>[1],
  );
};
