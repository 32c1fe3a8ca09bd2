/** Lambda `send-offer-notice` (workflows/contracts/functions.ts): SendOfferNoticeInput → { offerId, offerUrl, notifiedAt }. */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { sesMailerFromEnv } from '../adapters/aws/ses-mailer.js';
import { sendOfferNotice } from '../use-cases/offers.js';
import { defineTaskHandler } from './middleware.js';

export const { createHandler, handler } = defineTaskHandler({
  name: 'send-offer-notice',
  ports: (c) => ({ onboardings: dynamoPorts({ log: c.log }).onboardings, mailer: sesMailerFromEnv() }),
  run: sendOfferNotice,
  idempotent: true,
});
