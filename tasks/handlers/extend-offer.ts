/** Lambda `extend-offer` (tasks/handlers/catalog.ts): ExtendOfferInput → ChangeSetStarted. */
import { extendOffer } from '../use-cases/offers.js';
import { defaultHandlerDeps, type HandlerDeps, lazyHandler, taskHandler } from './runtime.js';

export function createHandler(deps: HandlerDeps = defaultHandlerDeps()) {
  return taskHandler(deps, 'extend-offer', (event: unknown) => extendOffer(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
