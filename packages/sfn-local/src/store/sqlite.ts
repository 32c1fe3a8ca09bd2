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
 * A commit is acknowledged once it is in the write-ahead journal (journal.ts: `journal-<n>.log` segments beside the
 * database, fdatasync'd with `full`). A writer thread (sqlite-writer.ts) writes the journal's commits to the tables
 * below, in batches on its own connection, and deletes a segment once the tables hold all of it; reads that need
 * the tables wait for it. Without the thread (it could not start, or failed) the store writes the batches itself
 * (every {@link FLUSH_ITEMS} commits or {@link FLUSH_BYTES} bytes, when the engine is idle, before such a read, and
 * at close). A restart writes what the segments still hold (idempotently) before anything else.
 *
 * - `executions`: one row per execution, indexed by status and by state machine + start time.
 * - `events`: the append-only history, one row per commit batch, never rewritten, keyed by execution and first
 *   event id (a rowid table: batches are large rows). The whole history of a SUCCEEDED execution of data states
 *   that ran within one commit is a replayed batch: its timestamps only, the events run again when read
 *   (history-batches.ts, engine/replay.ts).
 * - `threads`: the continuation of running executions (one row per root / branch / iteration), replaced as they
 *   move and deleted when the execution ends.
 * - `tokens`: the status of every task token ever issued (for TaskTimedOut / TaskDoesNotExist).
 * - `definitions`: definitions by hash, so that executions do not repeat them.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

import type {
  ExecutionRecord,
  StateMachineRecord,
  StoredEvent,
  ThreadData,
  TokenRecord,
} from '../engine/types.js';
import { HistoryBatches } from './history-batches.js';
import { Journal, type JournalItem } from './journal.js';
import { configure, EVENT_KEY_SPAN, SCHEMA, TableWriter } from './sqlite-tables.js';
import type {
  CommitItem,
  EventQuery,
  ExecutionQuery,
  HistoryReplayer,
  RunningExecution,
  Store,
} from './store.js';
import { WriterThread } from './writer-thread.js';

/** How hard a commit holds: see the comment at the top of this file. */
export type Durability = 'normal' | 'full';

type Row = Record<string, unknown>;

/** Journal commits written to the tables in one transaction (at most; fewer when idle or read). */
const FLUSH_ITEMS = 256;
const FLUSH_BYTES = 4 * 1024 * 1024;
/** A journal segment ends after this many bytes or commits (with the writer thread). */
const SEGMENT_BYTES = 8 * 1024 * 1024;
const SEGMENT_COMMITS = 2048;
const SEGMENT_RE = /^journal-(\d+)\.log$/;

function prepare(db: Database.Database) {
  return {
    putSm: db.prepare('INSERT OR REPLACE INTO state_machines (arn, data) VALUES (?, ?)'),
    getSm: db.prepare('SELECT data FROM state_machines WHERE arn = ?'),
    listSm: db.prepare('SELECT data FROM state_machines'),
    delSm: db.prepare('DELETE FROM state_machines WHERE arn = ?'),
    getDef: db.prepare('SELECT text FROM definitions WHERE hash = ?'),
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
    // Batches holding events after `cursor`: from the last batch that starts at or before cursor + 1.
    eventsFwd: db.prepare(
      'SELECT data FROM events WHERE key >= coalesce((SELECT max(key) FROM events WHERE key BETWEEN @base AND @base + @after + 1), @base) AND key <= @base + 33554431 AND last_id > @after ORDER BY key LIMIT @limit',
    ),
    eventsRev: db.prepare(
      'SELECT data FROM events WHERE key BETWEEN @base AND @base + @before - 1 ORDER BY key DESC LIMIT @limit',
    ),
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
  readonly #dir: string;
  readonly #ids = new Map<string, number>();
  /** Definition hashes in the table or in the journal (which will put them in the table). */
  readonly #knownDefs = new Set<string>();
  readonly #hashOf = new Map<string, string>();
  readonly #machines = new Map<string, StateMachineRecord | null>();
  readonly #defByHash = new Map<string, string>();
  readonly #s: Statements;
  readonly #tables: TableWriter;
  #journal: Journal;
  #segment: number;
  #segmentCommits = 0;
  /** Journaled commits, numbered; `#applied`: the last one known to be in the tables. */
  #seq = 0;
  #applied = 0;
  /** Commits not yet in the tables, when this thread writes them (no writer thread). */
  #pending: JournalItem[][] = [];
  #pendingBytes = 0;
  /** The newest journaled row of each execution and status of each token, for reads before the tables have them. */
  readonly #pendingRecs = new Map<string, NonNullable<JournalItem['rec']>>();
  readonly #pendingTokens = new Map<string, string>();
  #writer: WriterThread | undefined;
  /** Writes and reads history batches (replayed or not). */
  readonly #batches: HistoryBatches;

  /** The SQLite `synchronous` setting in force: FULL for `durability: 'full'`, else NORMAL. */
  synchronous(): 'NORMAL' | 'FULL' {
    return this.#db.pragma('synchronous', { simple: true }) === 2 ? 'FULL' : 'NORMAL';
  }

  /** Whether a writer thread writes the tables (false: this thread does). */
  get threaded(): boolean {
    return this.#writer !== undefined;
  }

  constructor(
    dataDir: string,
    options: { durability?: Durability; writerThread?: boolean; replayer?: HistoryReplayer } = {},
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.#batches = new HistoryBatches(options.replayer);
    this.#dir = dataDir;
    const file = join(dataDir, 'states.sqlite');
    this.#db = new Database(file);
    this.syncedCommits = options.durability === 'full';
    configure(this.#db, this.syncedCommits);
    this.#db.exec(SCHEMA);
    this.#s = prepare(this.#db);
    this.#tables = new TableWriter(this.#db);
    // Commits a previous process acknowledged but had not yet written to the tables.
    this.#segment = this.#replaySegments() + 1;
    this.#journal = this.#openSegment();
    if (options.writerThread) {
      try {
        this.#writer = new WriterThread(file, this.syncedCommits);
      } catch {
        // this thread writes the tables
      }
    }
  }

  #segmentPath(n: number): string {
    return join(this.#dir, `journal-${n}.log`);
  }

  #openSegment(): Journal {
    this.#segmentCommits = 0;
    return new Journal(this.#segmentPath(this.#segment), { sync: this.syncedCommits });
  }

  /** Writes every journal segment to the tables (idempotent) and deletes them; returns the highest number. */
  #replaySegments(): number {
    const found = readdirSync(this.#dir)
      .map((f) => Number(SEGMENT_RE.exec(f)?.[1] ?? Number.NaN))
      .filter((n) => Number.isInteger(n))
      .sort((a, b) => a - b);
    // `journal.log`: the single journal of the first version of this store, before any segment.
    const paths = [join(this.#dir, 'journal.log'), ...found.map((n) => this.#segmentPath(n))];
    const commits: JournalItem[][] = [];
    for (const path of paths) {
      const j = new Journal(path, { sync: false });
      commits.push(...j.recovered);
      j.close();
    }
    this.#tables.write(commits, true);
    for (const path of paths) rmSync(path, { force: true });
    return found[found.length - 1] ?? 0;
  }

  /** The writer thread failed or does not answer: this thread writes the journal to the tables from now on. */
  #fallBack(): void {
    const writer = this.#writer;
    if (!writer) return;
    this.#writer = undefined;
    writer.stop();
    this.#journal.close();
    this.#segment = this.#replaySegments() + 1;
    this.#journal = this.#openSegment();
    this.#applied = this.#seq;
    this.#pendingBytes = 0;
  }

  /** Waits until the tables hold every journaled commit (or writes them itself). */
  #catchUp(): void {
    if (this.#writer && !this.#writer.waitFor(this.#seq)) this.#fallBack();
    this.#applied = this.#seq;
    this.#pendingRecs.clear();
    this.#pendingTokens.clear();
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
      if (item.isNew && !this.#knownDefs.has(def)) {
        out.defText = rec.definition;
        this.#knownDefs.add(def);
        this.#defByHash.set(def, rec.definition);
      }
    }
    const ev = item.events;
    if (ev.length > 0) {
      const text = this.#batches.encode(item, out.rec?.def);
      out.ev = [(ev[0] as StoredEvent).id, (ev[ev.length - 1] as StoredEvent).id, text];
    }
    if (item.deleteAllThreads) out.all = true;
    else {
      if (item.upserts.length) out.up = item.upserts.map((t) => [t.id, JSON.stringify(t)]);
      if (item.deletes.length) out.del = item.deletes;
    }
    if (item.tokens.length) out.tok = item.tokens.map((t) => [t.token, t.status]);
    return out;
  }

  #commitsSinceCheckpoint = 0;

  /** Acknowledges the commit once it is in the journal; the tables get it later (see the top of this file). */
  commit(items: CommitItem[]): void {
    if (!items.length) return;
    if (this.#writer?.failed) this.#fallBack();
    // Without the writer thread, flush first when the batch is full: if that fails, the new commit has not been
    // acknowledged either.
    if (!this.#writer && (this.#pending.length >= FLUSH_ITEMS || this.#pendingBytes >= FLUSH_BYTES))
      this.flush();
    const prepared = items.map((item) => this.#prepare(item));
    this.#journal.append(prepared);
    const seq = ++this.#seq;
    for (const p of prepared) {
      if (p.rec) this.#pendingRecs.set(p.arn, p.rec);
      if (p.ev) this.#pendingBytes += p.ev[2].length;
      for (const [token, status] of p.tok ?? []) this.#pendingTokens.set(token, status);
    }
    const writer = this.#writer;
    if (!writer) {
      this.#pending.push(prepared);
      return;
    }
    writer.write(seq, prepared);
    if (++this.#segmentCommits >= SEGMENT_COMMITS || this.#pendingBytes >= SEGMENT_BYTES) {
      // The next segment; the writer deletes this one once it has written everything before this message.
      this.#journal.close();
      writer.unlinkAfter(seq, this.#segmentPath(this.#segment));
      this.#segment++;
      this.#journal = this.#openSegment();
      this.#pendingBytes = 0;
      this.#commitsSinceCheckpoint++;
      // The overlay only grows while nothing reads: keep it small.
      if (this.#pendingRecs.size > 50_000 || this.#pendingTokens.size > 50_000) this.#catchUp();
    }
  }

  /** Makes the tables hold every journaled commit: waits for the writer thread, or writes them itself. */
  flush(): void {
    if (!this.#db.open) return;
    if (this.#writer) {
      if (this.#seq > this.#applied) this.#catchUp();
      if (this.#writer) return;
    }
    if (!this.#pending.length) return;
    this.#tables.write(this.#pending, false);
    this.#journal.reset();
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#pendingRecs.clear();
    this.#pendingTokens.clear();
    this.#applied = this.#seq;
    this.#commitsSinceCheckpoint++;
  }

  maintenance(): void {
    // The writer thread writes on its own; without it, this is the moment to write the batch.
    if (!this.#writer) this.flush();
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

  /** The events of a stored batch: decoded, or replayed from the execution's record. */
  #batch(arn: string, text: string): StoredEvent[] {
    return this.#batches.decode(text, arn, () => this.getExecution(arn));
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
          for (const e of this.#batch(arn, row.data as string)) {
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
        const batch = this.#batch(arn, row.data as string);
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
    const writer = this.#writer;
    if (writer && !writer.close(this.#seq)) this.#fallBack();
    this.#writer = undefined;
    if (!writer) this.flush();
    // Everything journaled is in the tables.
    this.#journal.close();
    for (const f of readdirSync(this.#dir))
      if (SEGMENT_RE.test(f)) rmSync(join(this.#dir, f), { force: true });
    this.#db.close();
  }
}
