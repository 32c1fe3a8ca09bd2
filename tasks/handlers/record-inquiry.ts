/** Lambda `record-inquiry` (tasks/handlers/catalog.ts): RecordInquiryInput → OnboardingRef. */
import { recordInquiry } from '../use-cases/record-inquiry.js';
import { defaultHandlerDeps, type HandlerDeps, lazyHandler, taskHandler } from './runtime.js';

export function createHandler(deps: HandlerDeps = defaultHandlerDeps()) {
  return taskHandler(deps, 'record-inquiry', (event: unknown) => recordInquiry(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
