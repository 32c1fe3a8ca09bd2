/** Lambda `close-onboarding` (tasks/handlers/catalog.ts): CloseOnboardingInput → OnboardingClosed. */
import { closeOnboardingRecord } from '../use-cases/close-onboarding-record.js';
import { defaultHandlerDeps, type HandlerDeps, lazyHandler, taskHandler } from './runtime.js';

export function createHandler(deps: HandlerDeps = defaultHandlerDeps()) {
  return taskHandler(deps, 'close-onboarding', (event: unknown) => closeOnboardingRecord(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
