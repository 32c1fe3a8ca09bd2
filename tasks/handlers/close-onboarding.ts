/** Lambda `close-onboarding` (workflows/contracts/functions.ts): CloseOnboardingInput → OnboardingClosed. */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { sesMailerFromEnv } from '../adapters/aws/ses-mailer.js';
import { closeOnboardingRecord } from '../use-cases/close-onboarding-record.js';
import { type HandlerDeps, handlerDeps, lazyHandler, taskHandler } from './runtime.js';

type Deps = HandlerDeps<Parameters<typeof closeOnboardingRecord>[0]>;

/** Only the adapters this function uses (and so only their SDK clients in its bundle). */
export const defaultDeps = (): Deps =>
  handlerDeps((c) => ({ onboardings: dynamoPorts({ log: c.log }).onboardings, mailer: sesMailerFromEnv() }), {
    idempotency: true,
  });

export function createHandler(deps: Deps = defaultDeps()) {
  return taskHandler(deps, 'close-onboarding', (event: unknown) => closeOnboardingRecord(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
