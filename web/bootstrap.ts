/**
 * Builds WebDeps from environment variables, for the Lambda handler (web/lambda.ts) and anyone serving the
 * app from a process (the local stack may pass its own ports). Choices come from configuration only:
 * - SESSION_SECRET: the ARN of a Secrets Manager secret holding the key (AWS), or the key itself (≥ 32 chars).
 * - WEB_BASE_URL: the public URL (https → Secure cookies, HSTS).
 * - STAFF_AUTH=cognito (COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID, COGNITO_DOMAIN[, COGNITO_CLIENT_SECRET]) or
 *   users-file (STAFF_USERS_FILE, default .data/staff-users.json).
 * - WEB_PLANS: comma-separated plans offered on the inquiry form (default Standard,Business,Enterprise).
 * - BUYER_OIDC_ISSUER, BUYER_OIDC_CLIENT_ID, BUYER_OIDC_CLIENT_SECRET (an ARN or the secret), BUYER_OIDC_NAME: 7-2
 *   through the vendor's OpenID provider (docs/vendor-saas.md); unset: the built-in sign-in.
 */
import { awsPorts } from '../tasks/adapters/aws/index.js';
import { secretsManagerReader } from '../tasks/adapters/aws/secrets-manager.js';
import type { Ports, TaskLogger } from '../tasks/ports/index.js';
import type { SecretReader } from '../tasks/ports/secrets.js';
import { ENV } from '../tasks/table.js';
import { buyerOidc } from './auth/buyer-oidc.js';
import { createStaffAuth, staffAuthConfigFromEnv } from './auth/index.js';
import { parseWebConfig } from './config.js';
import type { WebDeps } from './env.js';

/** A secret given as a Secrets Manager ARN (read it) or as the value itself; `name` is the variable, for the error. */
export async function resolveSessionSecret(
  value: string | undefined,
  read: SecretReader,
  name: string = ENV.sessionSecretName,
): Promise<string> {
  if (!value) throw new Error(`${name} is not set (a Secrets Manager ARN, or the secret itself)`);
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
  const read = options.readSecret ?? secretsManagerReader();
  const issuer = env[ENV.buyerOidcIssuer]?.trim();
  const buyerOidcDeps = issuer
    ? {
        buyerOidc: buyerOidc({
          issuer,
          clientId: env[ENV.buyerOidcClientId]?.trim() ?? '',
          clientSecret: await resolveSessionSecret(
            env[ENV.buyerOidcClientSecret]?.trim(),
            read,
            ENV.buyerOidcClientSecret,
          ),
          redirectUri: `${(env[ENV.webBaseUrl] ?? '').replace(/\/+$/, '')}/buyer/oidc/callback`,
          ...(env[ENV.buyerOidcName]?.trim() ? { displayName: env[ENV.buyerOidcName]?.trim() } : {}),
          ...(env[ENV.buyerOidcTokenAuth]?.trim()
            ? { tokenAuthMethod: env[ENV.buyerOidcTokenAuth]?.trim() as 'client_secret_post' }
            : {}),
        }),
      }
    : {};
  return {
    ...buyerOidcDeps,
    ports: options.ports ?? awsPorts({ env, ...(options.log ? { log: options.log } : {}) }),
    staffAuth: createStaffAuth(staffAuthConfigFromEnv(env)),
    config: parseWebConfig({
      sessionSecret,
      ...(env[ENV.webBaseUrl] ? { baseUrl: env[ENV.webBaseUrl] } : {}),
      ...(plans?.length ? { plans } : {}),
    }),
  };
}
