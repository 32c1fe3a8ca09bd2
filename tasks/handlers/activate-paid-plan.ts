/** Lambda `activate-paid-plan` (tasks/handlers/catalog.ts): ActivatePaidPlanInput → PaidPlanActivated; throws `Onboarding.SubscriptionNotConfirmed` (retryable) or `Onboarding.SubscriptionFailed`. */
import { activatePaidPlan } from '../use-cases/saas-accounts.js';
import { defaultHandlerDeps, type HandlerDeps, lazyHandler, taskHandler } from './runtime.js';

export function createHandler(deps: HandlerDeps = defaultHandlerDeps()) {
  return taskHandler(deps, 'activate-paid-plan', (event: unknown) => activatePaidPlan(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
