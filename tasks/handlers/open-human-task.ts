/** Lambda `open-human-task` (workflows/contracts/functions.ts): OpenHumanTask → HumanTaskOpened (never logs the payload: it holds the task token). */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { sesMailerFromEnv } from '../adapters/aws/ses-mailer.js';
import { sfnCallbacksFromEnv } from '../adapters/aws/sfn-callbacks.js';
import { openHumanTask } from '../use-cases/open-human-task.js';
import { type HandlerDeps, handlerDeps, lazyHandler, taskHandler } from './runtime.js';

type Deps = HandlerDeps<Parameters<typeof openHumanTask>[0]>;

/** Only the adapters this function uses (and so only their SDK clients in its bundle). */
export const defaultDeps = (): Deps =>
  handlerDeps((c) => ({
    ...dynamoPorts({ log: c.log }),
    mailer: sesMailerFromEnv(),
    callbacks: sfnCallbacksFromEnv(),
  }));

export function createHandler(deps: Deps = defaultDeps()) {
  return taskHandler(deps, 'open-human-task', (event: unknown) => openHumanTask(deps.ports, event));
}

export const handler = lazyHandler(() => createHandler());
