/**
 * AWS JSON 1.0 wire conventions of the Step Functions API: how requests are routed, how results and errors are
 * written. Timestamps travel as epoch seconds (a number, with milliseconds as the fraction), errors as
 * `{"__type": "<Type>", "message": "..."}`.
 */
import { STATES_API_OPERATIONS } from '../service.js';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
export const TARGET_PREFIX = 'AWSStepFunctions.';

export type OperationName = keyof typeof STATES_API_OPERATIONS;

/** Resolves `X-Amz-Target: AWSStepFunctions.<Operation>` to an operation, or undefined when unknown. */
export function operationOf(target: string | undefined): OperationName | undefined {
  if (!target?.startsWith(TARGET_PREFIX)) return undefined;
  const name = target.slice(TARGET_PREFIX.length);
  return Object.hasOwn(STATES_API_OPERATIONS, name) ? (name as OperationName) : undefined;
}

/** Serialises an SDK-shaped output: `Date` becomes epoch seconds, `undefined` members disappear. */
export function toWireJson(output: unknown): string {
  return JSON.stringify(output ?? {}, function replacer(this: Record<string, unknown>, key, value) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
}

export interface WireError {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

export function errorJson(error: WireError): string {
  return JSON.stringify({ __type: error.type, message: error.message });
}
