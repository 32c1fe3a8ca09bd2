/** Lambda `send-offer-notice` (workflows/contracts/functions.ts): SendOfferNoticeInput → { offerId, offerUrl, notifiedAt }. */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { sesMailerFromEnv } from '../adapters/aws/ses-mailer.js';
import { sendOfferNotice } from '../use-cases/offers.js';
import { type HandlerDeps, handlerDeps, lazyHandler, taskHandler } from './runtime.js';

type Deps = HandlerDeps<Parameters<typeof sendOfferNotice>[0]>;

/** Only the adapters this function uses (and so only their SDK clients in its bundle). */
export const defaultDeps = (): Deps =>
  handlerDeps((c) => ({ onboardings: dynamoPorts({ log: c.log }).onboardings, mailer: sesMailerFromEnv() }), {
    idempotency: true,
  });

export function createHandler(deps: Deps = defaultDeps()) {
  return taskHandler(deps, 'send-offer-notice', (event: unknown) => sendOfferNotice(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
