/**
 * Step Functions' payload limit, in one place: 256 KiB of UTF-8 for an execution's input, a state's input and
 * output, a task's parameters and result, a callback's output and assigned variables.
 */
import { jsonText } from '../json/text.js';

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
