/** Lambda `check-offer` (tasks/handlers/catalog.ts): CheckOfferInput → ChangeSetStatus (polled: deliberately not idempotent). */
import { checkOffer } from '../use-cases/offers.js';
import { defaultHandlerDeps, type HandlerDeps, lazyHandler, taskHandler } from './runtime.js';

export function createHandler(deps: HandlerDeps = defaultHandlerDeps()) {
  return taskHandler(deps, 'check-offer', (event: unknown) => checkOffer(deps.ports, event));
}

export const handler = lazyHandler(() => createHandler());
