/** Lambda `create-offer` (workflows/contracts/functions.ts): CreateOfferInput → ChangeSetStarted; a refused change set is `Onboarding.OfferFailed`. */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { offerCatalogFromEnv } from '../adapters/aws/marketplace-catalog.js';
import { createOffer } from '../use-cases/offers.js';
import { type HandlerDeps, handlerDeps, lazyHandler, taskHandler } from './runtime.js';

type Deps = HandlerDeps<Parameters<typeof createOffer>[0]>;

/** Only the adapters this function uses (and so only their SDK clients in its bundle). */
export const defaultDeps = (): Deps =>
  handlerDeps(
    (c) => ({ onboardings: dynamoPorts({ log: c.log }).onboardings, catalog: offerCatalogFromEnv() }),
    { idempotency: true },
  );

export function createHandler(deps: Deps = defaultDeps()) {
  return taskHandler(deps, 'create-offer', (event: unknown) => createOffer(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
