/** Lambda `notify-completion` (workflows/contracts/functions.ts): NotifyCompletionInput → { notifiedAt }. */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { sesMailerFromEnv } from '../adapters/aws/ses-mailer.js';
import { notifyCompletion } from '../use-cases/saas-accounts.js';
import { type HandlerDeps, handlerDeps, lazyHandler, taskHandler } from './runtime.js';

type Deps = HandlerDeps<Parameters<typeof notifyCompletion>[0]>;

/** Only the adapters this function uses (and so only their SDK clients in its bundle). */
export const defaultDeps = (): Deps =>
  handlerDeps(
    (c) => {
      const { onboardings, accounts } = dynamoPorts({ log: c.log });
      return { onboardings, accounts, mailer: sesMailerFromEnv() };
    },
    { idempotency: true },
  );

export function createHandler(deps: Deps = defaultDeps()) {
  return taskHandler(deps, 'notify-completion', (event: unknown) => notifyCompletion(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
