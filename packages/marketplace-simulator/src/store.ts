/**
 * The simulator's state: JSON documents by kind and id, mirrored in memory and kept in SQLite (a file under
 * dataDir, so a restart keeps everything; `:memory:` when no dataDir is given). Writes are synchronous.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Kind =
  | 'changeSet'
  | 'requestToken'
  | 'offer'
  | 'agreement'
  | 'license'
  | 'customer'
  | 'registrationToken'
  | 'notification'
  | 'accountContact'
  | 'cancellationRequest'
  | 'clock';

export class DocStore {
  private readonly db: Database.Database;
  private readonly cache = new Map<Kind, Map<string, unknown>>();
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;
  private undo: Array<() => void> | undefined;

  constructor(dataDir: string | undefined) {
    if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
    this.db = new Database(dataDir === undefined ? ':memory:' : join(dataDir, 'marketplace.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, id))',
    );
    this.upsert = this.db.prepare(
      'INSERT INTO docs (kind, id, json) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET json = excluded.json',
    );
    this.remove = this.db.prepare('DELETE FROM docs WHERE kind = ? AND id = ?');
    const rows = this.db.prepare('SELECT kind, id, json FROM docs ORDER BY rowid').all() as Array<{
      kind: Kind;
      id: string;
      json: string;
    }>;
    for (const row of rows) this.bucket(row.kind).set(row.id, JSON.parse(row.json));
  }

  private bucket(kind: Kind): Map<string, unknown> {
    let b = this.cache.get(kind);
    if (!b) {
      b = new Map();
      this.cache.set(kind, b);
    }
    return b;
  }

  /** The stored document itself, not a copy: read it, never change it. */
  peek<T>(kind: Kind, id: string): Readonly<T> | undefined {
    return this.bucket(kind).get(id) as Readonly<T> | undefined;
  }

  get<T>(kind: Kind, id: string): T | undefined {
    const doc = this.bucket(kind).get(id);
    return doc === undefined ? undefined : (structuredClone(doc) as T);
  }

  put<T>(kind: Kind, id: string, doc: T): void {
    this.remember(kind, id);
    this.upsert.run(kind, id, JSON.stringify(doc));
    this.bucket(kind).set(id, structuredClone(doc));
  }

  delete(kind: Kind, id: string): void {
    this.remember(kind, id);
    this.remove.run(kind, id);
    this.bucket(kind).delete(id);
  }

  /** All documents of a kind, oldest first. */
  list<T>(kind: Kind): T[] {
    return [...this.bucket(kind).values()].map((d) => structuredClone(d) as T);
  }

  /** Matching documents of a kind (oldest first), cloned; the scan itself copies nothing. */
  filter<T>(kind: Kind, predicate: (doc: Readonly<T>) => boolean): T[] {
    const out: T[] = [];
    for (const doc of this.bucket(kind).values())
      if (predicate(doc as T)) out.push(structuredClone(doc) as T);
    return out;
  }

  find<T>(kind: Kind, predicate: (doc: Readonly<T>) => boolean): T | undefined {
    for (const doc of this.bucket(kind).values()) if (predicate(doc as T)) return structuredClone(doc) as T;
    return undefined;
  }

  /** Runs `fn` atomically on disk; the in-memory mirror is rolled back too if it throws. */
  transaction<R>(fn: () => R): R {
    if (this.undo) return fn(); // nested: part of the outer transaction
    this.undo = [];
    try {
      return this.db.transaction(fn)();
    } catch (err) {
      for (const step of this.undo.reverse()) step();
      throw err;
    } finally {
      this.undo = undefined;
    }
  }

  private remember(kind: Kind, id: string): void {
    if (!this.undo) return;
    const b = this.bucket(kind);
    const had = b.has(id);
    const before = b.get(id);
    this.undo.push(() => {
      if (had) b.set(id, before);
      else b.delete(id);
    });
  }

  close(): void {
    this.db.close();
  }
}
