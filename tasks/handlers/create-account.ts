/** Lambda `create-account` (workflows/contracts/functions.ts): CreateAccountInput → AccountRef. */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { createAccount } from '../use-cases/saas-accounts.js';
import { type HandlerDeps, handlerDeps, lazyHandler, taskHandler } from './runtime.js';

type Deps = HandlerDeps<Parameters<typeof createAccount>[0]>;

/** Only the adapters this function uses (and so only their SDK clients in its bundle). */
export const defaultDeps = (): Deps =>
  handlerDeps(
    (c) => {
      const { onboardings, accounts } = dynamoPorts({ log: c.log });
      return { onboardings, accounts };
    },
    { idempotency: true },
  );

export function createHandler(deps: Deps = defaultDeps()) {
  return taskHandler(deps, 'create-account', (event: unknown) => createAccount(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
