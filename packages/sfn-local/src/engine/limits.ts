/**
 * Step Functions' payload limit, in one place: 256 KiB of UTF-8 for an execution's input, a state's input and
 * output, a task's parameters and result, a callback's output and assigned variables.
 */
import { RuntimeFailure, StatesError } from '../errors.js';
import { jsonText } from '../json/text.js';

/** An execution's history holds at most 25,000 events; reaching it fails the execution
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html). */
export const MAX_HISTORY_EVENTS = 25_000;

/** An execution runs at most one year (STANDARD) or five minutes (EXPRESS). */
export const MAX_EXECUTION_SECONDS = 365 * 24 * 60 * 60;
export const MAX_EXPRESS_SECONDS = 300;

/** Largest TimeoutSeconds / HeartbeatSeconds (the range of the ASL fields). */
export const MAX_TASK_SECONDS = 99_999_999;

/** Payload limit of Step Functions: 256 KiB (262,144 bytes) of UTF-8. */
export const MAX_PAYLOAD_BYTES = 262_144;

/** True when a JSON text is over the limit (the byte count is only taken when the length makes it possible). */
export function textExceedsPayloadLimit(text: string): boolean {
  return text.length > MAX_PAYLOAD_BYTES / 4 && Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES;
}

/** Upper bounds of the UTF-8 JSON size of objects already measured (values are never mutated). */
const bounds = new WeakMap<object, number>();

/**
 * An upper bound of a value's JSON size in bytes, cheap to compute: sub-objects measured before (a state's
 * output shares most of its input) are not walked again.
 */
function sizeBound(v: unknown): number {
  if (v === null || v === undefined) return 4;
  switch (typeof v) {
    case 'string':
      return v.length * 6 + 2;
    case 'number':
      return 24;
    case 'boolean':
      return 5;
    case 'object': {
      const known = bounds.get(v);
      if (known !== undefined) return known;
      let n = 2;
      if (Array.isArray(v)) for (const x of v) n += sizeBound(x) + 1;
      else {
        const o = v as Record<string, unknown>;
        for (const k in o) n += k.length * 6 + 4 + sizeBound(o[k]);
      }
      // Only large values are remembered: a WeakMap entry per small object costs more than walking it again.
      if (n > 16_384) bounds.set(v, n);
      return n;
    }
    default:
      return 4;
  }
}

/** True when a value's JSON text is over the limit. */
export function exceedsPayloadLimit(v: unknown): boolean {
  if (sizeBound(v) <= MAX_PAYLOAD_BYTES) return false;
  return Buffer.byteLength(jsonText(v, false), 'utf8') > MAX_PAYLOAD_BYTES;
}

/**
 * TimeoutSeconds / HeartbeatSeconds resolved at run time (from a path or a JSONata expression) must be positive
 * integers up to 99999999, the heartbeat below the timeout, as the static fields
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html); otherwise the execution fails.
 */
export function checkTaskSeconds(
  timeoutSeconds: number | undefined,
  heartbeatSeconds: number | undefined,
): void {
  for (const [field, v] of [
    ['TimeoutSeconds', timeoutSeconds],
    ['HeartbeatSeconds', heartbeatSeconds],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > MAX_TASK_SECONDS)) {
      throw new RuntimeFailure(
        `The value of ${field} must be a positive integer up to ${MAX_TASK_SECONDS}, but was ${v}`,
      );
    }
  }
  if (timeoutSeconds !== undefined && heartbeatSeconds !== undefined && heartbeatSeconds >= timeoutSeconds) {
    throw new RuntimeFailure(
      `HeartbeatSeconds (${heartbeatSeconds}) must be smaller than TimeoutSeconds (${timeoutSeconds})`,
    );
  }
}

/** A task's parameters (after Parameters / Arguments) over 256 KiB: `States.DataLimitExceeded`. */
export function checkTaskParameters(stateName: string, parameters: unknown): void {
  if (exceedsPayloadLimit(parameters)) {
    throw new StatesError(
      'States.DataLimitExceeded',
      `The state/task '${stateName}' has parameters with a size exceeding the maximum number of bytes service limit.`,
    );
  }
}

/**
 * An execution's time limit in seconds: its TimeoutSeconds, at most one year for STANDARD and five minutes for
 * EXPRESS (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html), also without TimeoutSeconds.
 */
export function executionTimeLimitSeconds(
  express: boolean,
  timeoutSeconds: number | undefined,
): number | undefined {
  const max = express ? MAX_EXPRESS_SECONDS : MAX_EXECUTION_SECONDS;
  return Math.min(timeoutSeconds ?? max, max);
}
