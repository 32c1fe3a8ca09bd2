/**
 * The SQLite schema and the writing of journaled commits to its tables, shared by the store (replay at start, and
 * when no writer thread runs) and the writer thread (sqlite-writer.ts).
 */
import type Database from 'better-sqlite3';
import type { JournalItem } from './journal.js';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS state_machines (arn TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS definitions (hash TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS executions (
  id INTEGER PRIMARY KEY,
  arn TEXT NOT NULL UNIQUE,
  sm_arn TEXT NOT NULL,
  status TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  def_hash TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS executions_running ON executions(id) WHERE status = 'RUNNING';
CREATE INDEX IF NOT EXISTS executions_sm ON executions(sm_arn, id);
CREATE TABLE IF NOT EXISTS events (
  -- execution id * 2^25 + id of the batch's first event: one B-tree, batches of an execution in order
  key INTEGER PRIMARY KEY,
  last_id INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS threads (
  exec INTEGER NOT NULL,
  id TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (exec, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, status TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS resources (kind TEXT NOT NULL, arn TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, arn)) WITHOUT ROWID;
`;

/** Event ids of one execution stay below 2^25 (AWS caps a history at 25,000 events). */
export const EVENT_KEY_SPAN = 33_554_432;

/** The settings of both connections (the store's and the writer thread's); `full`: synchronous=FULL. */
export function configure(db: Database.Database, full: boolean): void {
  db.pragma('journal_mode = WAL');
  db.pragma(full ? 'synchronous = FULL' : 'synchronous = NORMAL');
  // Checkpoints run when the engine is idle (maintenance()); the automatic one is only a cap on the WAL size.
  db.pragma('wal_autocheckpoint = 20000');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = OFF');
  // The store's reads and writes and the writer thread's transactions share the database.
  db.pragma('busy_timeout = 10000');
}

/** Slots of the Int32Array the store and its writer thread share. */
export const WriterState = { applied: 0, failed: 1, closed: 2, stop: 3 } as const;

export interface WriterData {
  file: string;
  full: boolean;
  shared: SharedArrayBuffer;
}

/** A commit to write (seq, items), a segment to delete once what came before is written, or the end. */
export interface WriterMessage {
  seq: number;
  items?: JournalItem[];
  unlink?: string;
  close?: boolean;
}

/** Writes journaled commits to the tables, many in one transaction. */
export class TableWriter {
  readonly #ids = new Map<string, number>();
  readonly #s;
  readonly #tx: (commits: JournalItem[][], replay: boolean) => void;

  constructor(db: Database.Database) {
    this.#s = {
      putDef: db.prepare('INSERT OR IGNORE INTO definitions (hash, text) VALUES (?, ?)'),
      insExec: db.prepare(
        'INSERT INTO executions (arn, sm_arn, status, start_ms, def_hash, data) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      updExec: db.prepare('UPDATE executions SET status = ?, data = ? WHERE id = ?'),
      execId: db.prepare('SELECT id FROM executions WHERE arn = ?').pluck(),
      // OR REPLACE: replaying the journal after a crash may write a batch the tables already hold.
      insEvents: db.prepare('INSERT OR REPLACE INTO events (key, last_id, data) VALUES (?, ?, ?)'),
      putThread: db.prepare('INSERT OR REPLACE INTO threads (exec, id, data) VALUES (?, ?, ?)'),
      delThread: db.prepare('DELETE FROM threads WHERE exec = ? AND id = ?'),
      delThreads: db.prepare('DELETE FROM threads WHERE exec = ?'),
      putToken: db.prepare('INSERT OR REPLACE INTO tokens (token, status) VALUES (?, ?)'),
    };
    this.#tx = db.transaction((commits: JournalItem[][], replay: boolean) => {
      for (const items of commits) for (const item of items) this.#apply(item, replay);
    });
  }

  /** Writes the commits in one transaction; `replay`: the rows may already be there (after a crash). */
  write(commits: JournalItem[][], replay: boolean): void {
    if (commits.length) this.#tx(commits, replay);
  }

  #apply(item: JournalItem, replay: boolean): void {
    const s = this.#s;
    const rec = item.rec;
    let id = this.#ids.get(item.arn);
    // An execution this writer has not seen may be in the table already (resumed after a restart, or a replay).
    if (id === undefined && (replay || !item.isNew)) {
      id = s.execId.get(item.arn) as number | undefined;
      if (id !== undefined) this.#ids.set(item.arn, id);
    }
    if (id === undefined) {
      if (!rec) return; // never happens: the first commit of an execution carries its row
      if (item.defText !== undefined) s.putDef.run(rec.def, item.defText);
      const info = s.insExec.run(item.arn, rec.sm, rec.status, rec.start, rec.def, rec.data);
      id = Number(info.lastInsertRowid);
      if (this.#ids.size > 100_000) this.#ids.clear();
      this.#ids.set(item.arn, id);
    } else if (rec) {
      if (item.defText !== undefined) s.putDef.run(rec.def, item.defText);
      s.updExec.run(rec.status, rec.data, id);
    }
    const ev = item.ev;
    if (ev) s.insEvents.run(id * EVENT_KEY_SPAN + ev[0], ev[1], ev[2]);
    if (item.all) {
      // An execution that ran from start to end within one commit never wrote a checkpoint.
      if (!item.isNew || replay) s.delThreads.run(id);
    } else {
      for (const [tid, data] of item.up ?? []) s.putThread.run(id, tid, data);
      for (const tid of item.del ?? []) s.delThread.run(id, tid);
    }
    for (const [token, status] of item.tok ?? []) s.putToken.run(token, status);
  }
}
