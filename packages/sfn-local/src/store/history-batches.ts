/**
 * How a commit's history batch is written and read back: as its events (event-codec.ts), or, for the whole
 * history of a SUCCEEDED execution of a replayable definition (engine/replay.ts), as a replayed batch: only the
 * timestamps, the events being those of the execution run again from its record.
 *
 * The first replayed run of each definition in a process (every run with SFN_LOCAL_VERIFY_REPLAY=1, as the tests
 * set it) is replayed at once and compared with its events; a difference keeps that definition's events stored
 * as they are (and, when verifying every run, fails the commit).
 */
import type { ExecutionRecord, StoredEvent } from '../engine/types.js';
import { decodeEvents, encodeEvents } from './event-codec.js';
import type { CommitItem, HistoryReplayer } from './store.js';

const VERIFY_EVERY_REPLAY = process.env.SFN_LOCAL_VERIFY_REPLAY === '1';

/**
 * Version 5: a replayed batch (engine/replay.ts). Only the timestamps are kept (`t`: ts - t0, left out when all are
 * 0) and the number of events `n`; the events are those of the execution run again from its record.
 */
interface ReplayedBatch {
  v: 5;
  t0: number;
  i: number;
  n: number;
  t?: number[];
}

function encodeReplayed(events: readonly StoredEvent[]): string {
  const t0 = events[0]?.ts ?? 0;
  const t: number[] = [];
  let allDt0 = true;
  for (const e of events) {
    const dt = e.ts - t0;
    t.push(dt);
    if (dt !== 0) allDt0 = false;
  }
  const batch: ReplayedBatch = { v: 5, t0, i: events[0]?.id ?? 1, n: events.length };
  if (!allDt0) batch.t = t;
  return JSON.stringify(batch);
}

/** The replayed batch `text` is, or undefined for stored events. */
function replayedBatch(text: string): ReplayedBatch | undefined {
  return text.startsWith('{"v":5,') ? (JSON.parse(text) as ReplayedBatch) : undefined;
}

/** Puts the recorded timestamps on replayed events; false when their number is not the recorded one. */
function restoreTimes(batch: ReplayedBatch, events: StoredEvent[]): boolean {
  if (events.length !== batch.n || events[0]?.id !== batch.i) return false;
  for (let i = 0; i < events.length; i++) (events[i] as StoredEvent).ts = batch.t0 + (batch.t?.[i] ?? 0);
  return true;
}

export class HistoryBatches {
  /** Definitions (by hash) whose replay was compared with a run's events: true when it gave the same events. */
  readonly #checked = new Map<string, boolean>();

  constructor(readonly replayer: HistoryReplayer | undefined) {}

  /** The text of the commit's events; `def`: the hash of the execution's definition (new executions). */
  encode(item: CommitItem, def: string | undefined): string {
    return this.#replays(item, def) ? encodeReplayed(item.events) : encodeEvents(item.events);
  }

  /** The events of a stored batch: decoded, or replayed from the execution's record. */
  decode(text: string, arn: string, record: () => ExecutionRecord | undefined): StoredEvent[] {
    const batch = replayedBatch(text);
    if (!batch) return decodeEvents(text);
    const rec = record();
    const events = rec && this.replayer ? this.replayer.events(rec) : [];
    if (!restoreTimes(batch, events)) throw new Error(`The history of ${arn} could not be replayed`);
    return events;
  }

  #replays(item: CommitItem, def: string | undefined): boolean {
    const replayer = this.replayer;
    const ev = item.events;
    const rec = item.record;
    if (!replayer || !def || !item.isNew || !item.deleteAllThreads || rec.status !== 'SUCCEEDED')
      return false;
    if (ev[0]?.id !== 1 || !replayer.replayable(rec.definition, ev.length)) return false;
    const checked = this.#checked.get(def);
    if (checked === false || (checked && !VERIFY_EVERY_REPLAY)) return checked;
    let same = false;
    try {
      const again = replayer.events(rec);
      for (let i = 0; i < again.length; i++) (again[i] as StoredEvent).ts = (ev[i] as StoredEvent).ts;
      same = JSON.stringify(again) === JSON.stringify(ev);
    } catch {
      same = false;
    }
    if (!same && VERIFY_EVERY_REPLAY) throw new Error(`The replay of ${rec.arn} differs from its events`);
    this.#checked.set(def, same);
    return same;
  }
}
