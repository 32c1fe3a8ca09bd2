/** Lambda `record-inquiry` (workflows/contracts/functions.ts): RecordInquiryInput → OnboardingRef. */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { sesMailerFromEnv } from '../adapters/aws/ses-mailer.js';
import { recordInquiry } from '../use-cases/record-inquiry.js';
import { defineTaskHandler } from './middleware.js';

export const { createHandler, handler } = defineTaskHandler({
  name: 'record-inquiry',
  ports: (c) => ({ onboardings: dynamoPorts({ log: c.log }).onboardings, mailer: sesMailerFromEnv() }),
  run: recordInquiry,
  idempotent: true,
});
