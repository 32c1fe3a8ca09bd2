/** Lambda `activate-paid-plan` (workflows/contracts/functions.ts): ActivatePaidPlanInput → PaidPlanActivated; throws `Onboarding.SubscriptionNotConfirmed` (retryable) or `Onboarding.SubscriptionFailed`. */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { EntitlementReader, entitlementClient } from '../adapters/aws/marketplace-entitlement.js';
import { fulfillmentFrom } from '../adapters/aws/marketplace-fulfillment.js';
import { provisioningFor } from '../adapters/aws/provisioning.js';
import { activatePaidPlan } from '../use-cases/saas-accounts.js';
import { defineTaskHandler } from './middleware.js';

export const { createHandler, handler } = defineTaskHandler({
  name: 'activate-paid-plan',
  ports: (c) => {
    const { onboardings, accounts } = dynamoPorts({ log: c.log });
    return {
      onboardings,
      provisioning: provisioningFor(c, accounts),
      fulfillment: fulfillmentFrom({ reader: new EntitlementReader(entitlementClient()) }),
    };
  },
  run: activatePaidPlan,
  idempotent: true,
});
