/** Lambda `open-human-task` (tasks/handlers/catalog.ts): OpenHumanTask → HumanTaskOpened (never logs the payload: it holds the task token). */
import { openHumanTask } from '../use-cases/open-human-task.js';
import { defaultHandlerDeps, type HandlerDeps, lazyHandler, taskHandler } from './runtime.js';

export function createHandler(deps: HandlerDeps = defaultHandlerDeps()) {
  return taskHandler(deps, 'open-human-task', (event: unknown) => openHumanTask(deps.ports, event));
}

export const handler = lazyHandler(() => createHandler());
