/** Lambda `record-inquiry` (workflows/contracts/functions.ts): RecordInquiryInput → OnboardingRef. */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { sesMailerFromEnv } from '../adapters/aws/ses-mailer.js';
import { recordInquiry } from '../use-cases/record-inquiry.js';
import { type HandlerDeps, handlerDeps, lazyHandler, taskHandler } from './runtime.js';

type Deps = HandlerDeps<Parameters<typeof recordInquiry>[0]>;

/** Only the adapters this function uses (and so only their SDK clients in its bundle). */
export const defaultDeps = (): Deps =>
  handlerDeps((c) => ({ onboardings: dynamoPorts({ log: c.log }).onboardings, mailer: sesMailerFromEnv() }), {
    idempotency: true,
  });

export function createHandler(deps: Deps = defaultDeps()) {
  return taskHandler(deps, 'record-inquiry', (event: unknown) => recordInquiry(deps.ports, event), {
    idempotent: true,
  });
}

export const handler = lazyHandler(() => createHandler());
