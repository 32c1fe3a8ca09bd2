/**
 * The environment the task handlers and the web app see locally: the functions' own environment from the template
 * (resolved to local names), the SDK's standard endpoint variables pointing at the local stand-ins, and the few
 * values that differ on the embedded default (URLs, staff sign-in from a users file, the session key).
 * Application code reads these exactly as it reads them in Lambda; nothing branches on "local".
 */
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './aws.js';
import type { LocalFunction } from './resources.js';

export interface StackUrls {
  readonly web: string;
  readonly states: string;
  readonly dynamodb: string;
  readonly ses: string;
  readonly s3: string;
  readonly marketplace: string;
  readonly events: string;
  readonly secrets: string;
  /** The sample vendor SaaS, when the stack runs it (`--vendor sample`). */
  readonly saas?: string;
  /** The vendor's provisioning API the functions call: the sample SaaS's, or `--vendor-url`. */
  readonly vendorApi?: string;
}

/** The SDK v3 endpoint variables (`AWS_ENDPOINT_URL_<service id>`) of the clients the application builds. */
export function endpointVariables(urls: StackUrls): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_SFN: urls.states,
    AWS_ENDPOINT_URL_SESV2: urls.ses,
    AWS_ENDPOINT_URL_SES: urls.ses,
    AWS_ENDPOINT_URL_S3: urls.s3,
    AWS_ENDPOINT_URL_EVENTBRIDGE: urls.events,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: urls.secrets,
    AWS_ENDPOINT_URL_MARKETPLACE_CATALOG: urls.marketplace,
    AWS_ENDPOINT_URL_MARKETPLACE_METERING: urls.marketplace,
    AWS_ENDPOINT_URL_MARKETPLACE_ENTITLEMENT_SERVICE: urls.marketplace,
    AWS_ENDPOINT_URL_MARKETPLACE_AGREEMENT: urls.marketplace,
  };
}

/** Merges the functions' environments; one variable with two different values is a template error worth stopping for. */
export function functionsEnvironment(functions: readonly LocalFunction[]): Record<string, string> {
  const merged: Record<string, string> = {};
  const from: Record<string, string> = {};
  for (const fn of functions) {
    for (const [name, value] of Object.entries(fn.environment)) {
      if (name === 'NODE_OPTIONS') continue; // a Lambda runtime setting; it would leak into child processes here
      if (name in merged && merged[name] !== value) {
        throw new Error(
          `environment variable ${name} differs between ${from[name]} (${merged[name]}) and ${fn.catalogName} (${value}); ` +
            'the local stack runs every function in one process and needs one value',
        );
      }
      merged[name] = value;
      from[name] = fn.catalogName;
    }
  }
  return merged;
}

export function stackEnvironment(options: {
  functions: readonly LocalFunction[];
  urls: StackUrls;
  staffUsersFile: string;
  sessionSecret: string;
  logLevel?: string;
}): Record<string, string> {
  const { urls } = options;
  const template = functionsEnvironment(options.functions);
  return {
    ...template,
    // The template names the vendor's real addresses (placeholders locally); the sample SaaS answers at its own.
    ...(urls.vendorApi && template.PROVISIONING_WEBHOOK_URL
      ? { PROVISIONING_WEBHOOK_URL: urls.vendorApi }
      : {}),
    ...(urls.saas && template.BUYER_OIDC_ISSUER ? { BUYER_OIDC_ISSUER: urls.saas } : {}),
    ...endpointVariables(urls),
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // s3rver serves path-style URLs only.
    ARCHIVE_FORCE_PATH_STYLE: 'true',
    // The offer link in the buyer's e-mail opens the simulator's contract details page.
    MARKETPLACE_OFFER_URL_BASE: `${urls.marketplace}/offers/{offerId}`,
    WEB_BASE_URL: urls.web,
    STAFF_AUTH: 'users-file',
    STAFF_USERS_FILE: options.staffUsersFile,
    SESSION_SECRET: options.sessionSecret,
    POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
  };
}
