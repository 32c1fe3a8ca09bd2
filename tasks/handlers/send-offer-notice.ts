/** Lambda `send-offer-notice` (tasks/handlers/catalog.ts): SendOfferNoticeInput → { offerId, offerUrl, notifiedAt }. */
import { sendOfferNotice } from '../use-cases/offers.js';
import { defaultHandlerDeps, type HandlerDeps, lazyHandler, taskHandler } from './runtime.js';

export function createHandler(deps: HandlerDeps = defaultHandlerDeps()) {
  return taskHandler(deps, 'send-offer-notice', (event: unknown) => sendOfferNotice(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
