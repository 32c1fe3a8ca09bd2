/** Lambda `check-offer` (workflows/contracts/functions.ts): CheckOfferInput → ChangeSetStatus (polled: deliberately not idempotent). */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { offerCatalogFromEnv } from '../adapters/aws/marketplace-catalog.js';
import { checkOffer } from '../use-cases/offers.js';
import { defineTaskHandler } from './middleware.js';

export const { createHandler, handler } = defineTaskHandler({
  name: 'check-offer',
  ports: (c) => ({ onboardings: dynamoPorts({ log: c.log }).onboardings, catalog: offerCatalogFromEnv() }),
  run: checkOffer,
});
