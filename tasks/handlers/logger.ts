/**
 * The Powertools Logger of every function (the workflow tasks, the marketplace signals and the web app): a JSON
 * replacer redacts anything token-named, whatever it is given. Its own module so the web bundle does not carry the
 * idempotency layer of middleware.ts.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { isTokenKey, REDACTED } from '../domain/redact.js';

export const SERVICE_NAME = 'marketplace-onboarding';

/** Powertools Logger that can never print a task token or a marketplace token under a token-named key. */
export function createLogger(options: { logLevel?: string } = {}): Logger {
  return new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? SERVICE_NAME,
    ...(options.logLevel ? { logLevel: options.logLevel as never } : {}),
    jsonReplacerFn: (key: string, value: unknown) => (key && isTokenKey(key) ? REDACTED : value),
  });
}
