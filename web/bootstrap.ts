/**
 * Builds WebDeps from environment variables, for the Lambda handler (web/lambda.ts) and anyone serving the
 * app from a process (the local stack may pass its own ports). Choices come from configuration only:
 * - SESSION_SECRET: the ARN of a Secrets Manager secret holding the key (AWS), or the key itself (≥ 32 chars).
 * - WEB_BASE_URL: the public URL (https → Secure cookies, HSTS).
 * - STAFF_AUTH=cognito (COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID, COGNITO_DOMAIN[, COGNITO_CLIENT_SECRET]) or
 *   users-file (STAFF_USERS_FILE, default .data/staff-users.json).
 * - WEB_PLANS: comma-separated plans offered on the inquiry form (default Standard,Business,Enterprise).
 */
import { awsPorts } from '../tasks/adapters/aws/index.js';
import { secretsManagerReader } from '../tasks/adapters/aws/secrets-manager.js';
import type { Ports, TaskLogger } from '../tasks/ports/index.js';
import type { SecretReader } from '../tasks/ports/secrets.js';
import { ENV } from '../tasks/table.js';
import { createStaffAuth, staffAuthConfigFromEnv } from './auth/index.js';
import { parseWebConfig } from './config.js';
import type { WebDeps } from './env.js';

export async function resolveSessionSecret(value: string | undefined, read: SecretReader): Promise<string> {
  if (!value)
    throw new Error(`${ENV.sessionSecretName} is not set (a Secrets Manager ARN, or the key itself)`);
  return value.startsWith('arn:aws:secretsmanager:') ? read(value) : value;
}

export async function webDepsFromEnv(
  options: {
    env?: NodeJS.ProcessEnv;
    ports?: Ports;
    readSecret?: SecretReader;
    /** Where the use cases log (ports.log) when the ports are built here; default: nowhere. */
    log?: TaskLogger;
  } = {},
): Promise<WebDeps> {
  const env = options.env ?? process.env;
  const sessionSecret = await resolveSessionSecret(
    env[ENV.sessionSecretName],
    options.readSecret ?? secretsManagerReader(),
  );
  const plans = env.WEB_PLANS?.split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return {
    ports: options.ports ?? awsPorts({ env, ...(options.log ? { log: options.log } : {}) }),
    staffAuth: createStaffAuth(staffAuthConfigFromEnv(env)),
    config: parseWebConfig({
      sessionSecret,
      ...(env[ENV.webBaseUrl] ? { baseUrl: env[ENV.webBaseUrl] } : {}),
      ...(plans?.length ? { plans } : {}),
    }),
  };
}
