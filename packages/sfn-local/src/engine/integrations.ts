/**
 * Checks Step Functions makes on the parameters of some optimized integrations before it starts the task. A
 * failure is `States.Runtime`: the task never starts (no TaskScheduled).
 */
import { RuntimeFailure } from '../errors.js';
import type { ResourceInfo } from './events.js';

function isStringListMap(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  return Object.values(v).every((x) => Array.isArray(x) && x.every((s) => typeof s === 'string'));
}

const CHECKS: Record<string, (p: Record<string, unknown>) => string[]> = {
  'apigateway:invoke': (p) =>
    ['Headers', 'QueryParameters']
      .filter((f) => p[f] !== undefined && p[f] !== null && !isStringListMap(p[f]))
      .map((f) => `The value of the field '${f}' has an invalid format`),
};

export function checkIntegrationParameters(info: ResourceInfo, parameters: unknown): void {
  const base = info.resourceName.replace(/\.(waitForTaskToken|sync(:\d+)?)$/, '');
  const check = CHECKS[`${info.resourceType}:${base}`];
  if (!check || parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) return;
  const problems = check(parameters as Record<string, unknown>);
  if (problems.length) {
    throw new RuntimeFailure(
      `The Parameters '${JSON.stringify(parameters)}' could not be used to start the Task: [${problems.join(', ')}]`,
    );
  }
}
