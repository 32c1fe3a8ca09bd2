/** Lambda `create-account` (tasks/handlers/catalog.ts): CreateAccountInput → AccountRef. */
import { createAccount } from '../use-cases/saas-accounts.js';
import { defaultHandlerDeps, type HandlerDeps, lazyHandler, taskHandler } from './runtime.js';

export function createHandler(deps: HandlerDeps = defaultHandlerDeps()) {
  return taskHandler(deps, 'create-account', (event: unknown) => createAccount(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
