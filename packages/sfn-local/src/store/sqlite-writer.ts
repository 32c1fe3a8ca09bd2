/**
 * The writer thread of the durable store: it receives journaled commits (already durable in the journal) and
 * writes them to the SQLite tables in batches on its own connection, off the thread that runs executions. Progress
 * is told through a shared Int32Array (slots in {@link WriterState}); a journal segment is deleted once every
 * commit it holds is in the tables.
 */
import { rmSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { JournalItem } from './journal.js';
import { configure, TableWriter, type WriterData, type WriterMessage, WriterState } from './sqlite-tables.js';

if (parentPort && workerData && (workerData as Partial<WriterData>).shared) {
  const port = parentPort;
  const { file, full, shared } = workerData as WriterData;
  const state = new Int32Array(shared);
  const db = new Database(file);
  configure(db, full);
  const writer = new TableWriter(db);
  let queue: WriterMessage[] = [];
  let scheduled = false;

  const run = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (Atomics.load(state, WriterState.stop) || Atomics.load(state, WriterState.failed)) return;
    let last = -1;
    let close = false;
    try {
      const commits: JournalItem[][] = [];
      for (const m of batch) {
        if (m.items) commits.push(m.items);
        if (m.seq > last) last = m.seq;
        if (m.close) close = true;
      }
      writer.write(commits, false);
      for (const m of batch) if (m.unlink) rmSync(m.unlink, { force: true });
    } catch (e) {
      console.error('sfn-local: the SQLite writer thread failed; the store writes the tables itself', e);
      Atomics.store(state, WriterState.failed, 1);
      Atomics.notify(state, WriterState.applied);
      return;
    }
    if (last >= 0) {
      Atomics.store(state, WriterState.applied, last);
      Atomics.notify(state, WriterState.applied);
    }
    if (close) {
      db.close();
      Atomics.store(state, WriterState.closed, 1);
      Atomics.notify(state, WriterState.closed);
      port.close();
    }
  };

  port.on('message', (m: WriterMessage) => {
    queue.push(m);
    if (!scheduled) {
      scheduled = true;
      setImmediate(run);
    }
  });
}
