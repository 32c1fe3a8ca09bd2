/** The task functions the state machine invokes: the catalog entries triggered by the workflow. */
import { Duration } from 'aws-cdk-lib';
import { FUNCTIONS, type FunctionSpec } from './contracts/functions.js';

/**
 * Names of the functions the workflow invokes (trigger `workflow` in workflows/contracts/functions.ts). Spelled out because
 * the catalog's entries are typed `FunctionSpec` (name: string); a test keeps this list equal to the catalog's.
 */
export const WORKFLOW_FUNCTIONS = [
  'record-inquiry',
  'open-human-task',
  'create-offer',
  'extend-offer',
  'check-offer',
  'send-offer-notice',
  'create-account',
  'activate-paid-plan',
  'notify-completion',
  'close-onboarding',
  'agreement-episode',
] as const;
export type WorkflowFunctionName = (typeof WORKFLOW_FUNCTIONS)[number];

/** Catalog entries with trigger `workflow`, by name (for checking the list above). */
export const catalogWorkflowFunctions = (): string[] =>
  FUNCTIONS.filter((f) => f.trigger === 'workflow').map((f) => f.name);

/** The Lambda timeout of a workflow function, as infra/ gives it (its catalog entry's timeoutSeconds, else 10 s). */
export function functionTimeout(name: WorkflowFunctionName): Duration {
  const spec: FunctionSpec | undefined = FUNCTIONS.find((f) => f.name === name);
  return Duration.seconds(spec?.timeoutSeconds ?? 10);
}
