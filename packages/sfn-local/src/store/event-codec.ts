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

/** [event index, field, source event index, source field] */
type Ref = [number, string, number, string];

/** Version 3: one row per event (still read; written for batches whose ids are not consecutive). */
interface EncodedBatchV3 {
  v: 3;
  t0: number;
  e: Row[];
  r?: Ref[];
}

/**
 * Version 4: columns. Ids are `i`, `i + 1`, ...; `b` (id - previousEventId) is left out when every event has 1,
 * `t` (ts - t0) when every event has 0, `f` (detail flags) when none has any. `y` types and `k` keys are indexes
 * or names, `d` the details (0 for none). One JSON.stringify over a few arrays costs much less than over one small
 * array per event, and the text is shorter.
 */
interface EncodedBatchV4 {
  v: 4;
  t0: number;
  i: number;
  b?: number[];
  t?: number[];
  y: (number | string)[];
  k: (number | string)[];
  d: (Record<string, unknown> | 0)[];
  f?: number[];
  r?: Ref[];
}

function isNotTruncated(v: unknown): boolean {
  if (v === NOT_TRUNCATED) return true;
  if (typeof v !== 'object' || v === null) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (v as { truncated?: unknown }).truncated === false;
}

export function encodeEvents(events: readonly StoredEvent[]): string {
  const n = events.length;
  const first = events[0];
  const t0 = first?.ts ?? 0;
  const i0 = first?.id ?? 0;
  const seen = new Map<object, [number, string]>();
  const refs: Ref[] = [];
  // Packed arrays filled by push (an array made with `new Array(n)` is holey and slower to serialise).
  const b: number[] = [];
  const t: number[] = [];
  const y: (number | string)[] = [];
  const k: (number | string)[] = [];
  const ds: (Record<string, unknown> | 0)[] = [];
  const f: number[] = [];
  let allBack1 = true;
  let allDt0 = true;
  let anyFlags = false;
  const flagOut = { flags: 0 };
  for (let i = 0; i < n; i++) {
    const e = events[i] as StoredEvent;
    if (e.id !== i0 + i) return encodeV3(events);
    const back = e.id - e.prev;
    const dt = e.ts - t0;
    b.push(back);
    t.push(dt);
    if (back !== 1) allBack1 = false;
    if (dt !== 0) allDt0 = false;
    y.push(TYPE_INDEX.get(e.type) ?? e.type);
    k.push(e.key === undefined ? 0 : (KEY_INDEX.get(e.key) ?? e.key));
    ds.push(details(e.d, i, seen, refs, flagOut));
    f.push(flagOut.flags);
    if (flagOut.flags) anyFlags = true;
  }
  const batch: EncodedBatchV4 = { v: 4, t0, i: i0, y, k, d: ds };
  if (!allBack1) batch.b = b;
  if (!allDt0) batch.t = t;
  if (anyFlags) batch.f = f;
  if (refs.length) batch.r = refs;
  return JSON.stringify(batch);
}

/** An event's details as written: `{ truncated: false }` members as flags (in `out`), shared values as references. */
function details(
  src: Record<string, unknown> | undefined,
  i: number,
  seen: Map<object, [number, string]>,
  refs: Ref[],
  out: { flags: number },
): Record<string, unknown> | 0 {
  out.flags = 0;
  if (!src) return 0;
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
  out.flags = flags;
  return d;
}

function encodeV3(events: readonly StoredEvent[]): string {
  const seen = new Map<object, [number, string]>();
  const refs: Ref[] = [];
  const t0 = events[0]?.ts ?? 0;
  const out = { flags: 0 };
  const rows: Row[] = events.map((e, i) => {
    const type = TYPE_INDEX.get(e.type) ?? e.type;
    const key = e.key === undefined ? 0 : (KEY_INDEX.get(e.key) ?? e.key);
    const d = details(e.d, i, seen, refs, out);
    return out.flags
      ? [e.id, e.id - e.prev, e.ts - t0, type, key, d, out.flags]
      : [e.id, e.id - e.prev, e.ts - t0, type, key, d];
  });
  const batch: EncodedBatchV3 = { v: 3, t0, e: rows };
  if (refs.length) batch.r = refs;
  return JSON.stringify(batch);
}

function decodeEvent(
  id: number,
  back: number,
  ts: number,
  type: number | string,
  key: number | string,
  d: Record<string, unknown> | 0,
  flags: number | undefined,
): StoredEvent {
  const e: StoredEvent = {
    id,
    prev: id - back,
    ts,
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
}

export function decodeEvents(text: string): StoredEvent[] {
  const parsed = JSON.parse(text) as EncodedBatchV3 | EncodedBatchV4;
  if ((parsed as { v: number }).v === 5)
    throw new Error('A replayed batch is read with its execution record');
  let events: StoredEvent[];
  if (parsed.v === 3) {
    events = parsed.e.map(([id, back, dt, type, key, d, flags]) =>
      decodeEvent(id, back, parsed.t0 + dt, type, key, d, flags),
    );
  } else {
    const { t0, i: i0, b, t, y, k, d, f } = parsed;
    events = y.map((type, i) =>
      decodeEvent(i0 + i, b?.[i] ?? 1, t0 + (t?.[i] ?? 0), type, k[i] ?? 0, d[i] ?? 0, f?.[i]),
    );
  }
  for (const [i, field, src, srcField] of parsed.r ?? []) {
    const target = events[i]?.d;
    const from = events[src]?.d;
    if (target && from) target[field] = from[srcField];
  }
  return events;
}
