/**
 * Lambda `extend-offer` (workflows/contracts/functions.ts): ExtendOfferInput → ChangeSetStarted; and ExtensionFailed's
 * ExtensionFailedInput (an extension asked while waiting failed: told on the timeline) → ExtensionFailedReported.
 */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { offerCatalogFromEnv } from '../adapters/aws/marketplace-catalog.js';
import { extendOfferTask } from '../use-cases/offers.js';
import { defineTaskHandler } from './middleware.js';

export const { createHandler, handler } = defineTaskHandler({
  name: 'extend-offer',
  ports: (c) => ({ onboardings: dynamoPorts({ log: c.log }).onboardings, catalog: offerCatalogFromEnv() }),
  run: extendOfferTask,
  idempotent: true,
});
