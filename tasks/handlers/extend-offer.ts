/** Lambda `extend-offer` (workflows/contracts/functions.ts): ExtendOfferInput → ChangeSetStarted. */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { offerCatalogFromEnv } from '../adapters/aws/marketplace-catalog.js';
import { extendOffer } from '../use-cases/offers.js';
import { type HandlerDeps, handlerDeps, lazyHandler, taskHandler } from './runtime.js';

type Deps = HandlerDeps<Parameters<typeof extendOffer>[0]>;

/** Only the adapters this function uses (and so only their SDK clients in its bundle). */
export const defaultDeps = (): Deps =>
  handlerDeps(
    (c) => ({ onboardings: dynamoPorts({ log: c.log }).onboardings, catalog: offerCatalogFromEnv() }),
    { idempotency: true },
  );

export function createHandler(deps: Deps = defaultDeps()) {
  return taskHandler(deps, 'extend-offer', (event: unknown) => extendOffer(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
