/**
 * The AWS-backed composition: every port from environment variables (tasks/table.ts `ENV`), SDK clients built once.
 * Call `awsPorts()` at module scope (once per Lambda instance or process).
 */

import { systemClock } from '../../ports/clock.js';
import { randomIds } from '../../ports/id-generator.js';
import type { Ports } from '../../ports/index.js';
import { silentLogger, type TaskLogger } from '../../ports/logger.js';
import { type AwsClients, createClients } from './clients.js';
import { DynamoAccountDirectory } from './dynamo-account-directory.js';
import { DynamoFactStore } from './dynamo-fact-store.js';
import { DynamoHumanTaskStore } from './dynamo-human-task-store.js';
import { DynamoOnboardingRepository } from './dynamo-onboarding-repository.js';
import { type AwsSettings, readSettings } from './env.js';
import { AwsAgreementLookup } from './marketplace-agreement.js';
import { MarketplaceOfferCatalog } from './marketplace-catalog.js';
import { AwsMarketplaceFulfillment } from './marketplace-fulfillment.js';
import { S3HistoryArchive } from './s3-history-archive.js';
import { SesMailer } from './ses-mailer.js';
import { SfnCallbacks } from './sfn-callbacks.js';
import { SfnExecutionHistory } from './sfn-history.js';

export { type AwsClients, createClients } from './clients.js';
export { DynamoOnboardingRepository } from './dynamo-onboarding-repository.js';
export { type AwsSettings, MissingSettingError, readSettings } from './env.js';

export interface AwsPorts extends Ports {
  onboardings: DynamoOnboardingRepository;
  clients: AwsClients;
  settings: AwsSettings;
}

export function awsPorts(
  options: { env?: Record<string, string | undefined>; clients?: AwsClients; log?: TaskLogger } = {},
): AwsPorts {
  const env = options.env ?? process.env;
  const settings = readSettings(env);
  const clients = options.clients ?? createClients(env);
  const log = options.log ?? silentLogger;
  // adapters get the clients lazily, so a function only builds the clients it uses
  const lazyDocs = lazyClient(() => clients.documents);
  return {
    clients,
    settings,
    onboardings: new DynamoOnboardingRepository(lazyDocs, settings.tableName, log),
    tasks: new DynamoHumanTaskStore(lazyDocs, settings.tableName),
    facts: new DynamoFactStore(lazyDocs, settings.tableName),
    accounts: new DynamoAccountDirectory(lazyDocs, settings.tableName),
    mailer: new SesMailer(
      lazyClient(() => clients.ses),
      settings.emailFrom,
    ),
    catalog: new MarketplaceOfferCatalog(lazyClient(() => clients.catalog)),
    fulfillment: new AwsMarketplaceFulfillment(
      lazyClient(() => clients.metering),
      lazyClient(() => clients.entitlement),
    ),
    agreements: new AwsAgreementLookup(lazyClient(() => clients.agreement)),
    callbacks: new SfnCallbacks(
      lazyClient(() => clients.sfn),
      settings.stateMachineArn,
    ),
    history: new SfnExecutionHistory(
      lazyClient(() => clients.sfn),
      settings.stateMachineArn,
    ),
    archive: new S3HistoryArchive(
      lazyClient(() => clients.s3),
      settings.archiveBucket,
    ),
    clock: systemClock,
    ids: randomIds,
    config: settings.config,
    log,
  };
}

/** A stand-in that builds the real client on first use. */
function lazyClient<T extends object>(make: () => T): T {
  return new Proxy({} as T, {
    get: (_t, prop) => {
      const client = make();
      const value = Reflect.get(client, prop, client);
      return typeof value === 'function' ? value.bind(client) : value;
    },
  });
}
