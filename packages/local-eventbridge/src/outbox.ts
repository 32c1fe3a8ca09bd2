/**
 * What EventBridge keeps once it accepted an event: every delivery it owes (event × matching target) is written to
 * SQLite before PutEvents answers, and removed once delivered or given up. A bus started again on the same folder
 * delivers what the previous process owed (at least once: a delivery that ran just before a crash runs again, as
 * EventBridge may deliver twice). Without a folder nothing is kept, as before.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BusEvent } from './put-events.js';

export interface OwedDelivery {
  readonly id: string;
  readonly ruleName: string;
  readonly targetId: string;
  readonly busName: string;
  readonly event: BusEvent;
  /** When the bus accepted the event (ms): the target's maximum event age counts from here. */
  readonly acceptedAt: number;
}

export interface DeliveryStore {
  /** Records the deliveries owed for one PutEvents call, in one transaction. */
  owe(deliveries: readonly OwedDelivery[]): void;
  /** The delivery ran (or was given up): it is no longer owed. */
  settle(id: string): void;
  /** Everything owed, oldest first. */
  owed(): OwedDelivery[];
  close(): void;
}

export function memoryDeliveryStore(): DeliveryStore {
  const rows = new Map<string, OwedDelivery>();
  return {
    owe: (deliveries) => {
      for (const d of deliveries) rows.set(d.id, d);
    },
    settle: (id) => {
      rows.delete(id);
    },
    owed: () => [...rows.values()],
    close: () => undefined,
  };
}

export function sqliteDeliveryStore(dataDir: string): DeliveryStore {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'event-bus.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // survives a process crash (SIGKILL); not a power loss
  db.exec(
    'CREATE TABLE IF NOT EXISTS owed (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, json TEXT NOT NULL)',
  );
  const insert = db.prepare('INSERT OR IGNORE INTO owed (id, json) VALUES (?, ?)');
  const remove = db.prepare('DELETE FROM owed WHERE id = ?');
  const all = db.prepare('SELECT json FROM owed ORDER BY seq');
  const oweAll = db.transaction((deliveries: readonly OwedDelivery[]) => {
    for (const d of deliveries) insert.run(d.id, JSON.stringify(d));
  });
  return {
    owe: (deliveries) => oweAll(deliveries),
    settle: (id) => {
      remove.run(id);
    },
    owed: () => (all.all() as { json: string }[]).map((r) => JSON.parse(r.json) as OwedDelivery),
    close: () => db.close(),
  };
}
