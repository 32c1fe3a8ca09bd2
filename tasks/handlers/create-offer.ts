/** Lambda `create-offer` (workflows/contracts/functions.ts): CreateOfferInput → ChangeSetStarted; a refused change set is `Onboarding.OfferFailed`. */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { offerCatalogFromEnv } from '../adapters/aws/marketplace-catalog.js';
import { createOffer } from '../use-cases/offers.js';
import { defineTaskHandler } from './middleware.js';

export const { createHandler, handler } = defineTaskHandler({
  name: 'create-offer',
  ports: (c) => ({ onboardings: dynamoPorts({ log: c.log }).onboardings, catalog: offerCatalogFromEnv() }),
  run: createOffer,
  idempotent: true,
});
