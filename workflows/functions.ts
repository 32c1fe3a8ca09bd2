/** The task functions the state machine invokes: the catalog entries triggered by the workflow. */
import { FUNCTIONS } from '../tasks/handlers/catalog.js';

type Spec = (typeof FUNCTIONS)[number];

/** Names of the functions the workflow invokes (trigger `workflow` in tasks/handlers/catalog.ts). */
export type WorkflowFunctionName = Extract<Spec, { trigger: 'workflow' }>['name'];

export const WORKFLOW_FUNCTIONS: readonly WorkflowFunctionName[] = FUNCTIONS.filter(
  (f): f is Extract<Spec, { trigger: 'workflow' }> => f.trigger === 'workflow',
).map((f) => f.name);
