/** Lambda `create-account` (workflows/contracts/functions.ts): CreateAccountInput → AccountRef. */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { provisioningFor } from '../adapters/aws/provisioning.js';
import { createAccount } from '../use-cases/saas-accounts.js';
import { defineTaskHandler } from './middleware.js';

export const { createHandler, handler } = defineTaskHandler({
  name: 'create-account',
  ports: (c) => {
    const { onboardings, accounts } = dynamoPorts({ log: c.log });
    return {
      onboardings,
      provisioning: provisioningFor(c, accounts),
    };
  },
  run: createAccount,
  idempotent: true,
});
