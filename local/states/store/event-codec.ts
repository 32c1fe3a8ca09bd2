/**
 * How a batch of history events is written to the durable store: JSON, with data values that several events share
 * (a state's output is the next state's input, the last output is the execution's output) written once. Events
 * keep their exact content; only the text is shorter.
 */
import type { StoredEvent } from '../engine/types.js';

const SHARED_FIELDS = ['input', 'output', 'parameters'] as const;

interface EncodedBatch {
  /** Events, shared values left out. */
  e: StoredEvent[];
  /** [event index, field, source event index, source field] */
  r?: [number, string, number, string][];
}

export function encodeEvents(events: readonly StoredEvent[]): string {
  const seen = new Map<object, [number, string]>();
  const refs: [number, string, number, string][] = [];
  const out: StoredEvent[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as StoredEvent;
    const d = e.d;
    if (!d) {
      out.push(e);
      continue;
    }
    let copy: Record<string, unknown> | undefined;
    for (const f of SHARED_FIELDS) {
      const v = d[f];
      if (v === null || typeof v !== 'object') continue;
      const prev = seen.get(v);
      if (prev) {
        if (!copy) copy = { ...d };
        delete copy[f];
        refs.push([i, f, prev[0], prev[1]]);
      } else seen.set(v, [i, f]);
    }
    out.push(copy ? { ...e, d: copy } : e);
  }
  const batch: EncodedBatch = refs.length ? { e: out, r: refs } : { e: out };
  return JSON.stringify(batch);
}

export function decodeEvents(text: string): StoredEvent[] {
  const parsed = JSON.parse(text) as EncodedBatch | StoredEvent[];
  if (Array.isArray(parsed)) return parsed;
  const events = parsed.e;
  for (const [i, f, src, srcField] of parsed.r ?? []) {
    const target = events[i]?.d;
    const from = events[src]?.d;
    if (target && from) target[f] = from[srcField];
  }
  return events;
}
