/** Lambda `notify-completion` (workflows/contracts/functions.ts): NotifyCompletionInput → { notifiedAt }. */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { sesMailerFromEnv } from '../adapters/aws/ses-mailer.js';
import { notifyCompletion } from '../use-cases/saas-accounts.js';
import { defineTaskHandler } from './middleware.js';

export const { createHandler, handler } = defineTaskHandler({
  name: 'notify-completion',
  ports: (c) => {
    const { onboardings, accounts } = dynamoPorts({ log: c.log });
    return { onboardings, accounts, mailer: sesMailerFromEnv() };
  },
  run: notifyCompletion,
  idempotent: true,
});
