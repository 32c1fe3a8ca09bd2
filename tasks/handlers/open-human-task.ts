/** Lambda `open-human-task` (workflows/contracts/functions.ts): OpenHumanTask → HumanTaskOpened (never logs the payload: it holds the task token). */
import { dynamoPorts } from '../adapters/aws/dynamo-ports.js';
import { sesMailerFromEnv } from '../adapters/aws/ses-mailer.js';
import { sfnCallbacksFromEnv } from '../adapters/aws/sfn-callbacks.js';
import { openHumanTask } from '../use-cases/open-human-task.js';
import { defineTaskHandler } from './middleware.js';

export const { createHandler, handler } = defineTaskHandler({
  name: 'open-human-task',
  ports: (c) => ({
    ...dynamoPorts({ log: c.log }),
    mailer: sesMailerFromEnv(),
    callbacks: sfnCallbacksFromEnv(),
  }),
  run: openHumanTask,
});
