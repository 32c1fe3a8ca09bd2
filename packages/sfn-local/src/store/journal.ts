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

  /** Appends one commit; returns once the line is written (and synced with `sync`). */
  append(items: JournalItem[]): void {
    const buf = Buffer.from(`${JSON.stringify(items)}\n`, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.#fd, buf, off, buf.length - off);
    this.#size += buf.length;
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

/** The complete lines of a journal; a last line without its newline (cut by a crash) was never acknowledged. */
export function parseLines(text: string): JournalItem[][] {
  const out: JournalItem[][] = [];
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if (end < 0) break;
    const line = text.slice(start, end);
    start = end + 1;
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as JournalItem[]);
    } catch {
      // Only the last line can be cut short (one write per line); stop rather than apply lines after a gap.
      break;
    }
  }
  return out;
}
