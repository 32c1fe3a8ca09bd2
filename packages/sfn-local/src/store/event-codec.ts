/**
 * How a batch of history events is written to the durable store. Events keep their exact content; the text is
 * shorter: data values that several events share (a state's output is the next state's input, the last output is
 * the execution's output) are written once, `{ truncated: false }` details and details keys become small flags
 * and indexes, ids and timestamps are written relative to the batch.
 */
import { NOT_TRUNCATED, type StoredEvent } from '../engine/types.js';

const SHARED_FIELDS = ['input', 'output', 'parameters'] as const;
const DETAIL_FLAGS = [
  ['inputDetails', 1],
  ['outputDetails', 2],
  ['assignedVariablesDetails', 4],
] as const;

const KEYS = [
  'executionStartedEventDetails',
  'executionSucceededEventDetails',
  'executionFailedEventDetails',
  'executionAbortedEventDetails',
  'executionTimedOutEventDetails',
  'stateEnteredEventDetails',
  'stateExitedEventDetails',
  'taskScheduledEventDetails',
  'taskStartedEventDetails',
  'taskSubmittedEventDetails',
  'taskSucceededEventDetails',
  'taskFailedEventDetails',
  'taskTimedOutEventDetails',
  'lambdaFunctionScheduledEventDetails',
  'lambdaFunctionSucceededEventDetails',
  'lambdaFunctionFailedEventDetails',
  'lambdaFunctionTimedOutEventDetails',
  'mapStateStartedEventDetails',
  'mapIterationStartedEventDetails',
  'mapIterationSucceededEventDetails',
  'mapIterationFailedEventDetails',
  'mapIterationAbortedEventDetails',
  'mapRunStartedEventDetails',
  'mapRunFailedEventDetails',
  'evaluationFailedEventDetails',
];
const KEY_INDEX = new Map(KEYS.map((k, i) => [k, i + 1]));

const STATE_TYPES = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'];
const TYPES = [
  'ExecutionStarted',
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
  ...STATE_TYPES.flatMap((t) => [`${t}StateEntered`, `${t}StateExited`, `${t}StateAborted`]),
  'TaskScheduled',
  'TaskStarted',
  'TaskSubmitted',
  'TaskSucceeded',
  'TaskFailed',
  'TaskTimedOut',
  'LambdaFunctionScheduled',
  'LambdaFunctionStarted',
  'LambdaFunctionSucceeded',
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'MapStateStarted',
  'MapStateSucceeded',
  'MapStateFailed',
  'MapIterationStarted',
  'MapIterationSucceeded',
  'MapIterationFailed',
  'MapIterationAborted',
  'MapRunStarted',
  'MapRunSucceeded',
  'MapRunFailed',
  'ParallelStateStarted',
  'ParallelStateSucceeded',
  'ParallelStateFailed',
  'EvaluationFailed',
];
const TYPE_INDEX = new Map(TYPES.map((t, i) => [t, i]));
const DETAIL_BITS = new Map<string, number>(DETAIL_FLAGS);
const SHARED = new Set<string>(SHARED_FIELDS);

/** [id, id - prev, ts - t0, type (index or name), key (index, name, or 0), details or 0, flags] */
type Row = [number, number, number, number | string, number | string, Record<string, unknown> | 0, number?];

interface EncodedBatch {
  v: 3;
  t0: number;
  e: Row[];
  /** [event index, field, source event index, source field] */
  r?: [number, string, number, string][];
}

function isNotTruncated(v: unknown): boolean {
  if (v === NOT_TRUNCATED) return true;
  if (typeof v !== 'object' || v === null) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (v as { truncated?: unknown }).truncated === false;
}

export function encodeEvents(events: readonly StoredEvent[]): string {
  const seen = new Map<object, [number, string]>();
  const refs: [number, string, number, string][] = [];
  const t0 = events[0]?.ts ?? 0;
  const rows: Row[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as StoredEvent;
    const type = TYPE_INDEX.get(e.type) ?? e.type;
    const key = e.key === undefined ? 0 : (KEY_INDEX.get(e.key) ?? e.key);
    const src = e.d;
    if (!src) {
      rows[i] = [e.id, e.id - e.prev, e.ts - t0, type, key, 0];
      continue;
    }
    // A fresh object per event (never `delete`: it makes objects slow to serialise).
    const d: Record<string, unknown> = {};
    let flags = 0;
    for (const field in src) {
      const v = src[field];
      if (v === undefined) continue;
      const bit = DETAIL_BITS.get(field);
      if (bit !== undefined && isNotTruncated(v)) {
        flags |= bit;
        continue;
      }
      if (v !== null && typeof v === 'object' && SHARED.has(field)) {
        const prev = seen.get(v);
        if (prev) {
          refs.push([i, field, prev[0], prev[1]]);
          continue;
        }
        seen.set(v, [i, field]);
      }
      d[field] = v;
    }
    rows[i] = flags
      ? [e.id, e.id - e.prev, e.ts - t0, type, key, d, flags]
      : [e.id, e.id - e.prev, e.ts - t0, type, key, d];
  }
  const batch: EncodedBatch = { v: 3, t0, e: rows };
  if (refs.length) batch.r = refs;
  // One JSON.stringify of the whole batch: much faster than assembling the text piece by piece.
  return JSON.stringify(batch);
}

export function decodeEvents(text: string): StoredEvent[] {
  const parsed = JSON.parse(text) as EncodedBatch;
  const events: StoredEvent[] = parsed.e.map(([id, back, dt, type, key, d, flags]) => {
    const e: StoredEvent = {
      id,
      prev: id - back,
      ts: parsed.t0 + dt,
      type: typeof type === 'number' ? (TYPES[type] as string) : type,
    };
    if (key !== 0) e.key = typeof key === 'number' ? (KEYS[key - 1] as string) : key;
    if (d !== 0) {
      if (flags) {
        for (const [field, bit] of DETAIL_FLAGS) if (flags & bit) d[field] = { truncated: false };
      }
      e.d = d;
    } else if (e.key) e.d = {};
    return e;
  });
  for (const [i, f, src, srcField] of parsed.r ?? []) {
    const target = events[i]?.d;
    const from = events[src]?.d;
    if (target && from) target[f] = from[srcField];
  }
  return events;
}
