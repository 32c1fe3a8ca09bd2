/** Lambda `create-offer` (tasks/handlers/catalog.ts): CreateOfferInput → ChangeSetStarted; a refused change set is `Onboarding.OfferFailed`. */
import { createOffer } from '../use-cases/offers.js';
import { defaultHandlerDeps, type HandlerDeps, lazyHandler, taskHandler } from './runtime.js';

export function createHandler(deps: HandlerDeps = defaultHandlerDeps()) {
  return taskHandler(deps, 'create-offer', (event: unknown) => createOffer(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
