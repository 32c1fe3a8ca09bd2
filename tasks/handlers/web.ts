/**
 * The `web` function: the Hono app of web/ behind the HTTP API (payload format 2.0). Thin: builds the app once per
 * container (ports, staff auth, the session key from Secrets Manager) and hands each event to hono/aws-lambda.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { createApp } from '../../web/app.js';
import { webDepsFromEnv } from '../../web/bootstrap.js';

const logger = new Logger({ serviceName: 'marketplace-onboarding' });

type LambdaHandler = ReturnType<typeof handle>;
let ready: Promise<LambdaHandler> | undefined;

async function build(): Promise<LambdaHandler> {
  const deps = await webDepsFromEnv();
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
