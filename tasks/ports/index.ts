import type { AccountDirectory } from './account-directory.js';
import type { AgreementCancellations } from './agreement-cancellations.js';
import type { AgreementLookup } from './agreement-lookup.js';
import type { AgreementStore } from './agreement-store.js';
import type { Clock } from './clock.js';
import type { TasksConfig } from './config.js';
import type { EpisodeStarter } from './episode-starter.js';
import type { ExecutionHistory } from './execution-history.js';
import type { FactStore } from './fact-store.js';
import type { HistoryArchive } from './history-archive.js';
import type { HumanTaskStore } from './human-task-store.js';
import type { IdGenerator } from './id-generator.js';
import type { TaskLogger } from './logger.js';
import type { Mailer } from './mailer.js';
import type { MarketplaceFulfillment } from './marketplace-fulfillment.js';
import type { OfferCatalog } from './offer-catalog.js';
import type { OnboardingRepository } from './onboarding-repository.js';
import type { Provisioning } from './provisioning.js';
import type { RateLimiter } from './rate-limiter.js';
import type { WorkflowCallbacks } from './workflow-callbacks.js';

export * from './account-directory.js';
export * from './agreement-cancellations.js';
export * from './agreement-lookup.js';
export * from './agreement-store.js';
export * from './clock.js';
export * from './config.js';
export * from './episode-starter.js';
export * from './execution-history.js';
export * from './fact-store.js';
export * from './history-archive.js';
export * from './human-task-store.js';
export * from './id-generator.js';
export * from './logger.js';
export * from './mailer.js';
export * from './marketplace-fulfillment.js';
export * from './offer-catalog.js';
export * from './onboarding-repository.js';
export * from './page.js';
export * from './provisioning.js';
export * from './rate-limiter.js';
export * from './workflow-callbacks.js';

/** Everything the use cases may need. Each use case asks only for the ports it uses (`Pick<Ports, ...>`). */
export interface Ports {
  onboardings: OnboardingRepository;
  tasks: HumanTaskStore;
  facts: FactStore;
  /** One record per marketplace agreement, kept with the onboarding the customer came through (the deal). */
  agreementRecords: AgreementStore;
  accounts: AccountDirectory;
  /** The vendor's SaaS tenants (7-1, 7-2, the paid plan and its later changes). */
  provisioning: Provisioning;
  /** Per-client limits on the public forms (inquiry, buyer sign-in). */
  rateLimits: RateLimiter;
  mailer: Mailer;
  catalog: OfferCatalog;
  fulfillment: MarketplaceFulfillment;
  agreements: AgreementLookup;
  /** The seller's cancellation requests (Agreement API). */
  cancellations: AgreementCancellations;
  callbacks: WorkflowCallbacks;
  /** Episodes of the deal after the sale (the lifecycle state machine). */
  episodes: EpisodeStarter;
  history: ExecutionHistory;
  archive: HistoryArchive;
  clock: Clock;
  ids: IdGenerator;
  config: TasksConfig;
  log: TaskLogger;
}
