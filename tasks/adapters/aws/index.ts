/**
 * The AWS-backed composition of EVERY port (web, CLI, local tools): from environment variables (tasks/table.ts
 * `ENV`), SDK clients created once per process. Lambda handlers compose only the ports they use (see
 * tasks/handlers/), so each bundle carries only its own SDK clients.
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Ports } from '../../ports/index.js';
import type { TaskLogger } from '../../ports/logger.js';
import { commonPorts } from './common.js';
import type { DynamoOnboardingRepository } from './dynamo-onboarding-repository.js';
import { dynamoPorts } from './dynamo-ports.js';
import { type AwsSettings, readSettings } from './env.js';
import { agreementLookupFromEnv } from './marketplace-agreement.js';
import { agreementCancellationsFromEnv } from './marketplace-agreement-cancellations.js';
import { offerCatalogFromEnv } from './marketplace-catalog.js';
import { EntitlementReader, entitlementClient } from './marketplace-entitlement.js';
import { fulfillmentFrom } from './marketplace-fulfillment.js';
import { MeteringCustomerResolver, meteringClient } from './marketplace-metering.js';
import { provisioningFromEnv } from './provisioning.js';
import { historyArchiveFromEnv } from './s3-history-archive.js';
import { resetClients } from './sdk-clients.js';
import { sesMailerFromEnv } from './ses-mailer.js';
import { sfnCallbacksFromEnv } from './sfn-callbacks.js';
import { sfnEpisodesFromEnv } from './sfn-episodes.js';
import { sfnHistoryFromEnv } from './sfn-history.js';

export { commonPorts } from './common.js';
export { DynamoOnboardingRepository } from './dynamo-onboarding-repository.js';
export { dynamoClient, dynamoPorts } from './dynamo-ports.js';
export { type AwsSettings, MissingSettingError, readSettings } from './env.js';
export { resetClients } from './sdk-clients.js';

export interface AwsPorts extends Ports {
  onboardings: DynamoOnboardingRepository;
  settings: AwsSettings;
}

export function awsPorts(
  options: { env?: Record<string, string | undefined>; log?: TaskLogger; dynamodb?: DynamoDBClient } = {},
): AwsPorts {
  const env = options.env ?? process.env;
  // a composition gets its own clients, made from the environment as it is now
  resetClients();
  const { dynamodb: _client, ...stores } = dynamoPorts({
    env,
    ...(options.dynamodb ? { client: options.dynamodb } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const common = commonPorts({ env, ...(options.log ? { log: options.log } : {}) });
  return {
    ...common,
    ...stores,
    provisioning: provisioningFromEnv({
      env,
      accounts: stores.accounts,
      clock: common.clock,
      log: common.log,
    }),
    settings: readSettings(env),
    mailer: sesMailerFromEnv(env),
    catalog: offerCatalogFromEnv(),
    fulfillment: fulfillmentFrom({
      resolver: new MeteringCustomerResolver(meteringClient()),
      reader: new EntitlementReader(entitlementClient()),
    }),
    agreements: agreementLookupFromEnv(),
    cancellations: agreementCancellationsFromEnv(),
    callbacks: sfnCallbacksFromEnv(env),
    episodes: sfnEpisodesFromEnv(env),
    history: sfnHistoryFromEnv(env),
    archive: historyArchiveFromEnv(env),
  };
}
