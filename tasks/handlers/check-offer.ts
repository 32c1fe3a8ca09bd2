/** Lambda `check-offer` (workflows/contracts/functions.ts): CheckOfferInput → ChangeSetStatus (polled: deliberately not idempotent). */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { offerCatalogFromEnv } from '../adapters/aws/marketplace-catalog.js';
import { checkOffer } from '../use-cases/offers.js';
import { type HandlerDeps, handlerDeps, lazyHandler, taskHandler } from './runtime.js';

type Deps = HandlerDeps<Parameters<typeof checkOffer>[0]>;

/** Only the adapters this function uses (and so only their SDK clients in its bundle). */
export const defaultDeps = (): Deps =>
  handlerDeps((c) => ({
    onboardings: dynamoPorts({ log: c.log }).onboardings,
    catalog: offerCatalogFromEnv(),
  }));

export function createHandler(deps: Deps = defaultDeps()) {
  return taskHandler(deps, 'check-offer', (event: unknown) => checkOffer(deps.ports, event));
}

export const handler = lazyHandler(() => createHandler());
