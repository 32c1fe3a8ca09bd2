/** Lambda `activate-paid-plan` (workflows/contracts/functions.ts): ActivatePaidPlanInput → PaidPlanActivated; throws `Onboarding.SubscriptionNotConfirmed` (retryable) or `Onboarding.SubscriptionFailed`. */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { EntitlementReader, entitlementClient } from '../adapters/aws/marketplace-entitlement.js';
import { fulfillmentFrom } from '../adapters/aws/marketplace-fulfillment.js';
import { activatePaidPlan } from '../use-cases/saas-accounts.js';
import { type HandlerDeps, handlerDeps, lazyHandler, taskHandler } from './runtime.js';

type Deps = HandlerDeps<Parameters<typeof activatePaidPlan>[0]>;

/** Only the adapters this function uses (and so only their SDK clients in its bundle). */
export const defaultDeps = (): Deps =>
  handlerDeps(
    (c) => {
      const { onboardings, accounts } = dynamoPorts({ log: c.log });
      return {
        onboardings,
        accounts,
        fulfillment: fulfillmentFrom({ reader: new EntitlementReader(entitlementClient()) }),
      };
    },
    { idempotency: true },
  );

export function createHandler(deps: Deps = defaultDeps()) {
  return taskHandler(deps, 'activate-paid-plan', (event: unknown) => activatePaidPlan(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
