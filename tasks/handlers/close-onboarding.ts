/** Lambda `close-onboarding` (workflows/contracts/functions.ts): CloseOnboardingInput → OnboardingClosed; expires an offer still out. */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { offerCatalogFromEnv } from '../adapters/aws/marketplace-catalog.js';
import { sesMailerFromEnv } from '../adapters/aws/ses-mailer.js';
import { closeOnboardingRecord } from '../use-cases/close-onboarding-record.js';
import { defineTaskHandler } from './middleware.js';

export const { createHandler, handler } = defineTaskHandler({
  name: 'close-onboarding',
  ports: (c) => ({
    onboardings: dynamoPorts({ log: c.log }).onboardings,
    mailer: sesMailerFromEnv(),
    catalog: offerCatalogFromEnv(),
  }),
  run: closeOnboardingRecord,
  idempotent: true,
});
