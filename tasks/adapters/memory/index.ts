/**
 * Every port in memory: for the unit tests of tasks/, and for anyone else's tests (web, CLI) that need the use
 * cases without AWS. `memoryPorts()` wires a fresh, empty set; the concrete classes expose helpers to script the
 * outside world (tokens, entitlements, change-set failures, timeouts).
 */

import type { TasksConfig } from '../../ports/config.js';
import type { Ports } from '../../ports/index.js';
import { silentLogger, type TaskLogger } from '../../ports/logger.js';
import { BuiltInProvisioning } from '../provisioning/built-in.js';
import { MemoryAccountDirectory } from './account-directory.js';
import { MemoryAgreementCancellations } from './agreement-cancellations.js';
import { MemoryAgreementLookup } from './agreement-lookup.js';
import { MemoryAgreementStore } from './agreement-store.js';
import { MemoryClock } from './clock.js';
import { MemoryEpisodeStarter } from './episode-starter.js';
import { MemoryExecutionHistory } from './execution-history.js';
import { MemoryFactStore } from './fact-store.js';
import { MemoryHistoryArchive } from './history-archive.js';
import { MemoryHumanTaskStore } from './human-task-store.js';
import { SequentialIds } from './ids.js';
import { MemoryMailer } from './mailer.js';
import { MemoryMarketplaceFulfillment } from './marketplace-fulfillment.js';
import { MemoryOfferCatalog } from './offer-catalog.js';
import { MemoryOnboardingRepository } from './onboarding-repository.js';
import { MemoryRateLimiter } from './rate-limiter.js';
import { MemoryWorkflowCallbacks } from './workflow-callbacks.js';

export { MemoryAccountDirectory } from './account-directory.js';
export { MemoryAgreementCancellations } from './agreement-cancellations.js';
export { MemoryAgreementLookup } from './agreement-lookup.js';
export { MemoryAgreementStore } from './agreement-store.js';
export { MemoryClock } from './clock.js';
export { MemoryExecutionHistory } from './execution-history.js';
export { MemoryFactStore } from './fact-store.js';
export { MemoryHistoryArchive } from './history-archive.js';
export { MemoryHumanTaskStore } from './human-task-store.js';
export { SequentialIds } from './ids.js';
export { MemoryMailer } from './mailer.js';
export { MemoryMarketplaceFulfillment } from './marketplace-fulfillment.js';
export { MemoryOfferCatalog } from './offer-catalog.js';
export { MemoryOnboardingRepository } from './onboarding-repository.js';
export { MemoryRateLimiter } from './rate-limiter.js';
export { MemoryWorkflowCallbacks } from './workflow-callbacks.js';

export const TEST_CONFIG: TasksConfig = {
  supportEmail: 'support@vendor.example',
  salesEmail: 'sales@vendor.example',
  webBaseUrl: 'http://127.0.0.1:8080',
  offerUrlBase: 'https://aws.amazon.com/marketplace/pp/procurement',
  productId: 'prod-exampleproduct1',
  productCode: 'examplecode1234567890abc',
};

export interface MemoryPorts extends Ports {
  onboardings: MemoryOnboardingRepository;
  tasks: MemoryHumanTaskStore;
  facts: MemoryFactStore;
  agreementRecords: MemoryAgreementStore;
  accounts: MemoryAccountDirectory;
  rateLimits: MemoryRateLimiter;
  mailer: MemoryMailer;
  catalog: MemoryOfferCatalog;
  fulfillment: MemoryMarketplaceFulfillment;
  agreements: MemoryAgreementLookup;
  cancellations: MemoryAgreementCancellations;
  callbacks: MemoryWorkflowCallbacks;
  episodes: MemoryEpisodeStarter;
  history: MemoryExecutionHistory;
  archive: MemoryHistoryArchive;
  clock: MemoryClock;
  ids: SequentialIds;
}

export function memoryPorts(
  options: { now?: Date | string; config?: Partial<TasksConfig>; log?: TaskLogger } = {},
): MemoryPorts {
  const stateMachineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:Onboarding';
  const accounts = new MemoryAccountDirectory();
  const clock = new MemoryClock(options.now);
  const config = { ...TEST_CONFIG, ...options.config };
  return {
    onboardings: new MemoryOnboardingRepository(),
    tasks: new MemoryHumanTaskStore(),
    facts: new MemoryFactStore(),
    agreementRecords: new MemoryAgreementStore(),
    accounts,
    provisioning: new BuiltInProvisioning(accounts, clock, `${config.webBaseUrl}/buyer/login`),
    rateLimits: new MemoryRateLimiter(() => clock.now().getTime()),
    mailer: new MemoryMailer(),
    catalog: new MemoryOfferCatalog(),
    fulfillment: new MemoryMarketplaceFulfillment(),
    agreements: new MemoryAgreementLookup(),
    cancellations: new MemoryAgreementCancellations(),
    callbacks: new MemoryWorkflowCallbacks(stateMachineArn),
    episodes: new MemoryEpisodeStarter(),
    history: new MemoryExecutionHistory(stateMachineArn),
    archive: new MemoryHistoryArchive(),
    clock,
    ids: new SequentialIds(),
    config,
    log: options.log ?? silentLogger,
  };
}
