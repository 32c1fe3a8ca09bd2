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
    insEvents: db.prepare('INSERT INTO events (key, last_id, data) VALUES (?, ?, ?)'),
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
  readonly #db: Database.Database;
  readonly #ids = new Map<string, number>();
  readonly #knownDefs = new Set<string>();
  readonly #hashOf = new Map<string, string>();
  readonly #machines = new Map<string, StateMachineRecord | null>();
  readonly #defByHash = new Map<string, string>();
  readonly #s: Statements;
  readonly #commitTx: (items: CommitItem[]) => void;

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
    this.#commitTx = db.transaction((items: CommitItem[]) => {
      for (const item of items) this.#apply(item);
    });
  }

  #defHash(text: string): string {
    const cached = this.#hashOf.get(text);
    if (cached) return cached;
    const hash = createHash('sha256').update(text).digest('hex');
    if (this.#hashOf.size > 1000) this.#hashOf.clear();
    this.#hashOf.set(text, hash);
    if (!this.#knownDefs.has(hash)) {
      this.#s.putDef.run(hash, text);
      this.#knownDefs.add(hash);
      this.#defByHash.set(hash, text);
    }
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

  #apply(item: CommitItem): void {
    const s = this.#s;
    const rec = item.record;
    let id = this.#ids.get(rec.arn);
    if (id === undefined) {
      const info = s.insExec.run(
        rec.arn,
        rec.smArn,
        rec.status,
        rec.startMs,
        this.#defHash(rec.definition),
        recordData(rec),
      );
      id = Number(info?.lastInsertRowid);
      this.#ids.set(rec.arn, id);
    } else if (item.recordChanged) {
      s.updExec.run(rec.status, recordData(rec), id);
    }
    const ev = item.events;
    if (ev.length > 0) {
      s.insEvents.run(
        id * EVENT_KEY_SPAN + (ev[0] as StoredEvent).id,
        (ev[ev.length - 1] as StoredEvent).id,
        encodeEvents(ev),
      );
    }
    if (item.deleteAllThreads) {
      // An execution that ran from start to end within one commit never wrote a checkpoint.
      if (!item.isNew) s.delThreads.run(id);
    } else {
      for (const t of item.upserts) s.putThread.run(id, t.id, JSON.stringify(t));
      for (const t of item.deletes) s.delThread.run(id, t);
    }
    for (const t of item.tokens) s.putToken.run(t.token, t.status);
  }

  #commitsSinceCheckpoint = 0;

  commit(items: CommitItem[]): void {
    if (items.length) {
      this.#commitTx(items);
      this.#commitsSinceCheckpoint++;
    }
  }

  maintenance(): void {
    if (this.#commitsSinceCheckpoint < 500 || !this.#db.open) return;
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
    const row = this.#s.getExec.get(arn) as Row | undefined;
    return row ? this.#toRecord(row) : undefined;
  }

  listExecutions(q: ExecutionQuery): { items: ExecutionRecord[]; cursor?: string } {
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
    const row = this.#s.getToken.get(token) as Row | undefined;
    return row?.status as TokenRecord['status'] | undefined;
  }

  loadRunning(): RunningExecution[] {
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
    if (this.#db.open) this.#db.close();
  }
}
