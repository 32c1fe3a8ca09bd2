/**
 * The durable store's write-ahead journal: what the engine commits is appended here first (one line of JSON per
 * commit, one `write` call) and written to the SQLite tables later, many commits in one transaction. A commit is
 * acknowledged once its line is written (and, with `durability: 'full'`, synced to disk), so a SQLite transaction
 * per commit (its B-tree work and WAL pages) is no longer on the path of every transition.
 *
 * After a crash, the lines of the journal are applied to SQLite again before anything is read (replay is
 * idempotent: the journal is emptied only after the transaction that holds its lines has committed, so a crash in
 * between replays lines SQLite already has). A line cut short by the crash was never acknowledged and is dropped.
 */
import { closeSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';

/** One commit of one execution, serialised once: the journal's line and the SQLite rows are made of these. */
export interface JournalItem {
  arn: string;
  /** First commit of the execution: insert its row. */
  isNew: boolean;
  /** The execution row (status, record JSON), when it is new or changed. */
  rec?: { sm: string; status: string; start: number; def: string; data: string };
  /** The definition text of a hash the database may not hold yet. */
  defText?: string;
  /** The history batch: first and last event id, encoded events. */
  ev?: [number, number, string];
  /** Threads written (id, JSON) and removed; `all`: the execution ended, drop every thread. */
  up?: [string, string][];
  del?: string[];
  all?: boolean;
  /** Tokens whose status changed. */
  tok?: [string, string][];
}

export class Journal {
  readonly #fd: number;
  readonly #sync: boolean;
  #size = 0;

  /** Opens (or creates) the journal; `recovered` holds the complete lines a previous process left. */
  readonly recovered: JournalItem[][];

  constructor(path: string, options: { sync: boolean }) {
    this.#sync = options.sync;
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // no journal yet
    }
    this.recovered = parseLines(text);
    this.#fd = openSync(path, 'a');
    this.#size = Buffer.byteLength(text);
  }

  get empty(): boolean {
    return this.#size === 0;
  }

  /**
   * Appends one commit; returns once it is written (and synced with `sync`). A commit is a line of JSON (its items,
   * each history batch left out) followed by one line per history batch: the encoded events are JSON text without
   * a newline, written as they are rather than escaped inside a string.
   */
  append(items: JournalItem[]): void {
    let batches = '';
    const head = items.map((item) => {
      if (!item.ev) return item;
      batches += `${item.ev[2]}\n`;
      return { ...item, ev: [item.ev[0], item.ev[1]] };
    });
    const text = `${JSON.stringify(head)}\n${batches}`;
    // One write of the string (no Buffer made here); a short write (rare, e.g. a full disk) continues from a Buffer.
    let off = writeSync(this.#fd, text);
    const bytes = Buffer.byteLength(text);
    if (off < bytes) {
      const buf = Buffer.from(text, 'utf8');
      while (off < buf.length) off += writeSync(this.#fd, buf, off, buf.length - off);
    }
    this.#size += bytes;
    if (this.#sync) fdatasyncSync(this.#fd);
  }

  /** Empties the journal once what it held is committed in SQLite. */
  reset(): void {
    if (this.#size === 0) return;
    ftruncateSync(this.#fd, 0);
    this.#size = 0;
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/**
 * The complete commits of a journal. Only the end can be cut short by a crash (a commit is one write); such a
 * commit was never acknowledged and is dropped, and reading stops at the first damaged one.
 */
export function parseLines(text: string): JournalItem[][] {
  const out: JournalItem[][] = [];
  let start = 0;
  const nextLine = (): string | undefined => {
    const end = text.indexOf('\n', start);
    if (end < 0) return undefined;
    const line = text.slice(start, end);
    start = end + 1;
    return line;
  };
  for (;;) {
    const head = nextLine();
    if (head === undefined) break;
    if (!head) continue;
    try {
      const items = JSON.parse(head) as JournalItem[];
      for (const item of items) {
        if (!item.ev) continue;
        const batch = nextLine();
        if (batch === undefined) return out;
        JSON.parse(batch);
        item.ev = [item.ev[0], item.ev[1], batch];
      }
      out.push(items);
    } catch {
      break;
    }
  }
  return out;
}
