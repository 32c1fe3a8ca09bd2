/**
 * The provisioning port from the environment (tasks/table.ts ENV; infra and the local stack set it):
 * `PROVISIONING_MODE=built-in` (default; the embedded directory) or `webhook` (the vendor's API at
 * `PROVISIONING_WEBHOOK_URL`, signed with the secret `PROVISIONING_SECRET` from Secrets Manager), wrapped by the
 * events adapter when `PROVISIONING_EVENT_BUS` is set.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import type { AccountDirectory } from '../../ports/account-directory.js';
import type { Clock } from '../../ports/clock.js';
import type { TaskLogger } from '../../ports/logger.js';
import type { Provisioning } from '../../ports/provisioning.js';
import { ENV } from '../../table.js';
import { BuiltInProvisioning } from '../provisioning/built-in.js';
import { EventsProvisioning } from '../provisioning/events.js';
import { isAllowedBaseUrl, WebhookProvisioning } from '../provisioning/webhook.js';
import type { CommonPorts } from './common.js';
import { once, regionOf } from './sdk-clients.js';
import { secretsManagerReader } from './secrets-manager.js';

type Env = Record<string, string | undefined>;

const ProvisioningEnv = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('built-in') }),
  z.object({
    mode: z.literal('webhook'),
    url: z
      .string()
      .refine(isAllowedBaseUrl, `${ENV.provisioningWebhookUrl} must be an https URL (http only on loopback)`),
    secretName: z.string().min(1, `${ENV.provisioningSecretName} is required in webhook mode`),
    timeoutMs: z.coerce.number().int().min(100).max(30_000).default(5000),
  }),
]);

export class ProvisioningSettingsError extends Error {
  override name = 'ProvisioningSettingsError';
}

const secretsClient = once(() => new SecretsManagerClient({ region: regionOf(process.env) }));
const eventsClient = once(() => new EventBridgeClient({ region: regionOf(process.env) }));
const SECRET_CACHE_MS = 5 * 60_000;

export function provisioningFromEnv(deps: {
  env?: Env;
  accounts: AccountDirectory;
  clock: Clock;
  log?: TaskLogger;
}): Provisioning {
  const env = deps.env ?? process.env;
  const parsed = ProvisioningEnv.safeParse({
    mode: env[ENV.provisioningMode]?.trim() || 'built-in',
    url: env[ENV.provisioningWebhookUrl]?.trim(),
    secretName: env[ENV.provisioningSecretName]?.trim() ?? '',
    timeoutMs: env[ENV.provisioningTimeoutMs]?.trim() || undefined,
  });
  if (!parsed.success) throw new ProvisioningSettingsError(z.prettifyError(parsed.error));
  const settings = parsed.data;
  let port: Provisioning;
  if (settings.mode === 'webhook') {
    const read = secretsManagerReader(secretsClient());
    let cached: { value: string; at: number } | undefined;
    port = new WebhookProvisioning({
      baseUrl: settings.url,
      timeoutMs: settings.timeoutMs,
      secret: async () => {
        const now = Date.now();
        if (!cached || now - cached.at > SECRET_CACHE_MS)
          cached = { value: await read(settings.secretName), at: now };
        return cached.value;
      },
    });
  } else {
    // no sign-in URL: the built-in directory's users sign in only inside the buyer's pages (7-2) of a purchase; its
    // 7-1 owners get the set-password link in the completion mail instead
    port = new BuiltInProvisioning(deps.accounts, deps.clock);
  }
  const bus = env[ENV.provisioningEventBus]?.trim();
  return bus ? new EventsProvisioning(port, eventsClient(), bus, deps.log) : port;
}

/** The provisioning port of a Lambda function, over its directory and its common ports (the handlers' one line). */
export function provisioningFor(common: CommonPorts, accounts: AccountDirectory): Provisioning {
  return provisioningFromEnv({
    accounts,
    clock: common.clock,
    log: common.log,
  });
}
