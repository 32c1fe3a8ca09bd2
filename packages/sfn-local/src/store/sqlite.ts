/**
 * The durable store: one SQLite database (better-sqlite3, WAL; synchronous=NORMAL by default, FULL with
 * `durability: 'full'`).
 *
 * What each survives once a call has answered (an API reply is sent after its commit):
 * - `normal` (WAL + synchronous=NORMAL): a crash of the process (SIGKILL, an exception) loses nothing; a power loss
 *   or an OS crash may lose the last commits (they are in the WAL but not yet synced to disk).
 * - `full` (WAL + synchronous=FULL): each commit is synced to disk before it answers, so a power loss or an OS crash
 *   loses nothing either. Every commit waits for an fsync.
 *
 * A commit is acknowledged once it is in the write-ahead journal (journal.ts, `journal.log` beside the database,
 * fdatasync'd with `full`); the tables below receive the journal's commits in batches (every
 * {@link FLUSH_ITEMS} commits or {@link FLUSH_BYTES} bytes, when the engine is idle, before a read that needs them,
 * and at close), and a restart replays what the journal still holds before anything else.
 *
 * - `executions`: one row per execution, indexed by status and by state machine + start time.
 * - `events`: the append-only history, one row per commit batch, never rewritten, keyed by execution and first
 *   event id (a rowid table: batches are large rows).
 * - `threads`: the continuation of running executions (one row per root / branch / iteration), replaced as they
 *   move and deleted when the execution ends.
 * - `tokens`: the status of every task token ever issued (for TaskTimedOut / TaskDoesNotExist).
 * - `definitions`: definitions by hash, so that executions do not repeat them.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

import type {
  ExecutionRecord,
  StateMachineRecord,
  StoredEvent,
  ThreadData,
  TokenRecord,
} from '../engine/types.js';
import { decodeEvents, encodeEvents } from './event-codec.js';
import { Journal, type JournalItem } from './journal.js';
import type { CommitItem, EventQuery, ExecutionQuery, RunningExecution, Store } from './store.js';

/** How hard a commit holds: see the comment at the top of this file. */
export type Durability = 'normal' | 'full';

const SCHEMA = `
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

type Row = Record<string, unknown>;

/** Event ids of one execution stay below 2^25 (AWS caps a history at 25,000 events). */
const EVENT_KEY_SPAN = 33_554_432;

/** Journal commits written to the tables in one transaction (at most; fewer when idle or read). */
const FLUSH_ITEMS = 256;
const FLUSH_BYTES = 4 * 1024 * 1024;

function prepare(db: Database.Database) {
  return {
    putSm: db.prepare('INSERT OR REPLACE INTO state_machines (arn, data) VALUES (?, ?)'),
    getSm: db.prepare('SELECT data FROM state_machines WHERE arn = ?'),
    listSm: db.prepare('SELECT data FROM state_machines'),
    delSm: db.prepare('DELETE FROM state_machines WHERE arn = ?'),
    putDef: db.prepare('INSERT OR IGNORE INTO definitions (hash, text) VALUES (?, ?)'),
    getDef: db.prepare('SELECT text FROM definitions WHERE hash = ?'),
    insExec: db.prepare(
      'INSERT INTO executions (arn, sm_arn, status, start_ms, def_hash, data) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    updExec: db.prepare('UPDATE executions SET status = ?, data = ? WHERE id = ?'),
    getExec: db.prepare('SELECT id, def_hash, data FROM executions WHERE arn = ?'),
    listExec: db.prepare(
      'SELECT id, def_hash, data FROM executions WHERE sm_arn = ? AND id < ? ORDER BY id DESC LIMIT ?',
    ),
    listExecStatus: db.prepare(
      'SELECT id, def_hash, data FROM executions WHERE sm_arn = ? AND status = ? AND id < ? ORDER BY id DESC LIMIT ?',
    ),
    running: db.prepare(
      "SELECT id, def_hash, data, (SELECT last_id FROM events WHERE key BETWEEN executions.id * 33554432 AND executions.id * 33554432 + 33554431 ORDER BY key DESC LIMIT 1) AS last FROM executions WHERE status = 'RUNNING'",
    ),
    threadsOf: db.prepare('SELECT data FROM threads WHERE exec = ?'),
    // OR REPLACE: replaying the journal after a crash may write a batch the tables already hold.
    insEvents: db.prepare('INSERT OR REPLACE INTO events (key, last_id, data) VALUES (?, ?, ?)'),
    // Batches holding events after `cursor`: from the last batch that starts at or before cursor + 1.
    eventsFwd: db.prepare(
      'SELECT data FROM events WHERE key >= coalesce((SELECT max(key) FROM events WHERE key BETWEEN @base AND @base + @after + 1), @base) AND key <= @base + 33554431 AND last_id > @after ORDER BY key LIMIT @limit',
    ),
    eventsRev: db.prepare(
      'SELECT data FROM events WHERE key BETWEEN @base AND @base + @before - 1 ORDER BY key DESC LIMIT @limit',
    ),
    putThread: db.prepare('INSERT OR REPLACE INTO threads (exec, id, data) VALUES (?, ?, ?)'),
    delThread: db.prepare('DELETE FROM threads WHERE exec = ? AND id = ?'),
    delThreads: db.prepare('DELETE FROM threads WHERE exec = ?'),
    putToken: db.prepare('INSERT OR REPLACE INTO tokens (token, status) VALUES (?, ?)'),
    getToken: db.prepare('SELECT status FROM tokens WHERE token = ?'),
    putResource: db.prepare('INSERT OR REPLACE INTO resources (kind, arn, data) VALUES (?, ?, ?)'),
    getResource: db.prepare('SELECT data FROM resources WHERE kind = ? AND arn = ?'),
    listResources: db.prepare('SELECT data FROM resources WHERE kind = ?'),
    delResource: db.prepare('DELETE FROM resources WHERE kind = ? AND arn = ?'),
  };
}

type Statements = ReturnType<typeof prepare>;

function recordData(r: ExecutionRecord): string {
  const { definition: _d, ...rest } = r;
  return JSON.stringify(rest);
}

export class SqliteStore implements Store {
  readonly persistent = true;
  readonly syncedCommits: boolean;
  readonly #db: Database.Database;
  readonly #ids = new Map<string, number>();
  readonly #knownDefs = new Set<string>();
  readonly #hashOf = new Map<string, string>();
  readonly #machines = new Map<string, StateMachineRecord | null>();
  readonly #defByHash = new Map<string, string>();
  readonly #s: Statements;
  readonly #flushTx: (commits: JournalItem[][], replay: boolean) => void;
  readonly #journal: Journal;
  /** Commits in the journal, not yet in the tables. */
  #pending: JournalItem[][] = [];
  #pendingBytes = 0;
  /** The newest journaled row of each execution and status of each token, for reads before the next flush. */
  readonly #pendingRecs = new Map<string, NonNullable<JournalItem['rec']>>();
  readonly #pendingTokens = new Map<string, string>();
  /** Definition hashes in the journal but maybe not in the table yet. */
  readonly #journaledDefs = new Set<string>();

  /** The SQLite `synchronous` setting in force: FULL for `durability: 'full'`, else NORMAL. */
  synchronous(): 'NORMAL' | 'FULL' {
    return this.#db.pragma('synchronous', { simple: true }) === 2 ? 'FULL' : 'NORMAL';
  }

  constructor(dataDir: string, options: { durability?: Durability } = {}) {
    mkdirSync(dataDir, { recursive: true });
    this.#db = new Database(join(dataDir, 'states.sqlite'));
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma(options.durability === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
    // Checkpoints run when the engine is idle (maintenance()); the automatic one is only a cap on the WAL size.
    this.#db.pragma('wal_autocheckpoint = 20000');
    this.#db.pragma('cache_size = -65536');
    this.#db.pragma('temp_store = MEMORY');
    this.#db.pragma('foreign_keys = OFF');
    this.#db.exec(SCHEMA);
    const db = this.#db;
    this.#s = prepare(db);
    this.#flushTx = db.transaction((commits: JournalItem[][], replay: boolean) => {
      for (const items of commits) for (const item of items) this.#apply(item, replay);
    });
    this.syncedCommits = options.durability === 'full';
    this.#journal = new Journal(join(dataDir, 'journal.log'), { sync: this.syncedCommits });
    // Commits a previous process acknowledged but had not yet written to the tables.
    if (this.#journal.recovered.length) this.#flushTx(this.#journal.recovered, true);
    this.#journal.reset();
  }

  #defHash(text: string): string {
    const cached = this.#hashOf.get(text);
    if (cached) return cached;
    const hash = createHash('sha256').update(text).digest('hex');
    if (this.#hashOf.size > 1000) this.#hashOf.clear();
    this.#hashOf.set(text, hash);
    return hash;
  }

  #definition(hash: string): string {
    let text = this.#defByHash.get(hash);
    if (text === undefined) {
      const row = this.#s.getDef.get(hash) as Row | undefined;
      text = (row?.text as string) ?? '{}';
      this.#defByHash.set(hash, text);
    }
    return text;
  }

  /** Serialises one execution's commit for the journal (and, later, the tables). */
  #prepare(item: CommitItem): JournalItem {
    const rec = item.record;
    const out: JournalItem = { arn: rec.arn, isNew: item.isNew };
    if (item.isNew || item.recordChanged) {
      const def = this.#defHash(rec.definition);
      out.rec = { sm: rec.smArn, status: rec.status, start: rec.startMs, def, data: recordData(rec) };
      if (item.isNew && !this.#knownDefs.has(def) && !this.#journaledDefs.has(def)) {
        out.defText = rec.definition;
        this.#journaledDefs.add(def);
        this.#defByHash.set(def, rec.definition);
      }
    }
    const ev = item.events;
    if (ev.length > 0) {
      out.ev = [(ev[0] as StoredEvent).id, (ev[ev.length - 1] as StoredEvent).id, encodeEvents(ev)];
    }
    if (item.deleteAllThreads) out.all = true;
    else {
      if (item.upserts.length) out.up = item.upserts.map((t) => [t.id, JSON.stringify(t)]);
      if (item.deletes.length) out.del = item.deletes;
    }
    if (item.tokens.length) out.tok = item.tokens.map((t) => [t.token, t.status]);
    return out;
  }

  /** Writes one journaled commit to the tables; `replay`: the rows may already be there (after a crash). */
  #apply(item: JournalItem, replay: boolean): void {
    const s = this.#s;
    const rec = item.rec;
    let id = this.#ids.get(item.arn);
    if (id === undefined && replay) id = this.#execId(item.arn);
    if (id === undefined) {
      if (!rec) return; // never happens: the first commit of an execution carries its row
      if (item.defText !== undefined) s.putDef.run(rec.def, item.defText);
      const info = s.insExec.run(item.arn, rec.sm, rec.status, rec.start, rec.def, rec.data);
      id = Number(info?.lastInsertRowid);
      this.#ids.set(item.arn, id);
    } else if (rec) {
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

  #commitsSinceCheckpoint = 0;

  /** Acknowledges the commit once it is in the journal; the tables get it at the next flush. */
  commit(items: CommitItem[]): void {
    if (!items.length) return;
    // Flush first when the batch is full: if that fails, the new commit has not been acknowledged either.
    if (this.#pending.length >= FLUSH_ITEMS || this.#pendingBytes >= FLUSH_BYTES) this.flush();
    const prepared = items.map((item) => this.#prepare(item));
    this.#journal.append(prepared);
    this.#pending.push(prepared);
    for (const p of prepared) {
      if (p.rec) this.#pendingRecs.set(p.arn, p.rec);
      if (p.ev) this.#pendingBytes += p.ev[2].length;
      for (const [token, status] of p.tok ?? []) this.#pendingTokens.set(token, status);
    }
  }

  /** Writes the journaled commits to the tables in one transaction, then empties the journal. */
  flush(): void {
    if (!this.#pending.length || !this.#db.open) return;
    this.#flushTx(this.#pending, false);
    this.#journal.reset();
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#pendingRecs.clear();
    this.#pendingTokens.clear();
    for (const def of this.#journaledDefs) this.#knownDefs.add(def);
    this.#journaledDefs.clear();
    this.#commitsSinceCheckpoint++;
  }

  maintenance(): void {
    this.flush();
    if (this.#commitsSinceCheckpoint < 16 || !this.#db.open) return;
    this.#commitsSinceCheckpoint = 0;
    this.#db.pragma('wal_checkpoint(PASSIVE)');
  }

  putStateMachine(sm: StateMachineRecord): void {
    this.#s.putSm.run(sm.arn, JSON.stringify(sm));
    this.#machines.delete(sm.arn);
  }

  getStateMachine(arn: string): StateMachineRecord | undefined {
    let sm = this.#machines.get(arn);
    if (sm === undefined) {
      const row = this.#s.getSm.get(arn) as Row | undefined;
      sm = row ? (JSON.parse(row.data as string) as StateMachineRecord) : null;
      if (this.#machines.size > 10_000) this.#machines.clear();
      this.#machines.set(arn, sm);
    }
    // A copy: callers may change it before they put it back.
    return sm ? { ...sm, tags: { ...sm.tags } } : undefined;
  }

  listStateMachines(): StateMachineRecord[] {
    return (this.#s.listSm.all() as Row[]).map((r) => JSON.parse(r.data as string) as StateMachineRecord);
  }

  deleteStateMachine(arn: string): void {
    this.#machines.delete(arn);
    this.#s.delSm.run(arn);
  }

  #toRecord(row: Row): ExecutionRecord {
    const rec = JSON.parse(row.data as string) as ExecutionRecord;
    rec.definition = this.#definition(row.def_hash as string);
    this.#ids.set(rec.arn, row.id as number);
    return rec;
  }

  putResource(kind: string, arn: string, data: unknown): void {
    this.#s.putResource.run(kind, arn, JSON.stringify(data));
  }

  getResource(kind: string, arn: string): unknown {
    const row = this.#s.getResource.get(kind, arn) as Row | undefined;
    return row ? JSON.parse(row.data as string) : undefined;
  }

  listResources(kind: string): unknown[] {
    return (this.#s.listResources.all(kind) as Row[]).map((r) => JSON.parse(r.data as string));
  }

  deleteResource(kind: string, arn: string): void {
    this.#s.delResource.run(kind, arn);
  }

  getExecution(arn: string): ExecutionRecord | undefined {
    const pending = this.#pendingRecs.get(arn);
    if (pending) {
      const rec = JSON.parse(pending.data) as ExecutionRecord;
      rec.definition = this.#definition(pending.def);
      return rec;
    }
    const row = this.#s.getExec.get(arn) as Row | undefined;
    return row ? this.#toRecord(row) : undefined;
  }

  listExecutions(q: ExecutionQuery): { items: ExecutionRecord[]; cursor?: string } {
    this.flush();
    const before = q.cursor !== undefined ? Number(q.cursor) : Number.MAX_SAFE_INTEGER;
    const rows = (
      q.status
        ? this.#s.listExecStatus.all(q.smArn, q.status, before, q.limit + 1)
        : this.#s.listExec.all(q.smArn, before, q.limit + 1)
    ) as Row[];
    const page = rows.slice(0, q.limit);
    const items = page.map((r) => this.#toRecord(r));
    const last = page[page.length - 1];
    return { items, cursor: rows.length > q.limit && last ? String(last.id) : undefined };
  }

  #execId(arn: string): number | undefined {
    let id = this.#ids.get(arn);
    if (id === undefined) {
      const row = this.#s.getExec.get(arn) as Row | undefined;
      if (!row) return undefined;
      id = row.id as number;
      this.#ids.set(arn, id);
    }
    return id;
  }

  getEvents(arn: string, q: EventQuery): StoredEvent[] {
    this.flush();
    const id = this.#execId(arn);
    if (id === undefined) return [];
    const out: StoredEvent[] = [];
    if (!q.reverse) {
      const after = q.after ?? 0;
      let cursor = after;
      while (out.length < q.limit) {
        const rows = this.#s.eventsFwd.all({ base: id * EVENT_KEY_SPAN, after: cursor, limit: 64 }) as Row[];
        if (rows.length === 0) break;
        for (const row of rows) {
          for (const e of decodeEvents(row.data as string)) {
            if (e.id > after && out.length < q.limit) out.push(e);
            cursor = e.id;
          }
        }
      }
      return out;
    }
    const before = q.after ?? Number.MAX_SAFE_INTEGER;
    let cursor = before;
    while (out.length < q.limit) {
      const rows = this.#s.eventsRev.all({
        base: id * EVENT_KEY_SPAN,
        before: Math.min(cursor, EVENT_KEY_SPAN),
        limit: 64,
      }) as Row[];
      if (rows.length === 0) break;
      for (const row of rows) {
        const batch = decodeEvents(row.data as string);
        for (let i = batch.length - 1; i >= 0; i--) {
          const e = batch[i] as StoredEvent;
          if (e.id < before && out.length < q.limit) out.push(e);
        }
        cursor = (batch[0] as StoredEvent).id;
      }
    }
    return out;
  }

  tokenStatus(token: string): TokenRecord['status'] | undefined {
    const pending = this.#pendingTokens.get(token);
    if (pending) return pending as TokenRecord['status'];
    const row = this.#s.getToken.get(token) as Row | undefined;
    return row?.status as TokenRecord['status'] | undefined;
  }

  loadRunning(): RunningExecution[] {
    this.flush();
    const rows = this.#s.running.all() as Row[];
    return rows.map((row) => {
      const record = this.#toRecord(row);
      const threads = (this.#s.threadsOf.all(row.id) as Row[]).map(
        (t) => JSON.parse(t.data as string) as ThreadData,
      );
      return { record, threads, lastEventId: (row.last as number | null) ?? 0 };
    });
  }

  close(): void {
    if (!this.#db.open) return;
    this.flush();
    this.#journal.close();
    this.#db.close();
  }
}
