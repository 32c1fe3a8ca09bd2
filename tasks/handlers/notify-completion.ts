/** Lambda `notify-completion` (tasks/handlers/catalog.ts): NotifyCompletionInput → { notifiedAt }. */
import { notifyCompletion } from '../use-cases/saas-accounts.js';
import { defaultHandlerDeps, type HandlerDeps, lazyHandler, taskHandler } from './runtime.js';

export function createHandler(deps: HandlerDeps = defaultHandlerDeps()) {
  return taskHandler(deps, 'notify-completion', (event: unknown) => notifyCompletion(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
