/**
 * The store's side of the writer thread (sqlite-writer.ts): starting it, handing it journaled commits, waiting for
 * it through the shared Int32Array, stopping it.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JournalItem } from './journal.js';
import { type WriterData, type WriterMessage, WriterState } from './sqlite-tables.js';

/** How long the store waits for the writer thread before it writes the journal itself. */
const WAIT_MS = 30_000;

export class WriterThread {
  readonly #worker: Worker;
  readonly #state = new Int32Array(new SharedArrayBuffer(16));

  /**
   * Run from source (tsx, vitest), the thread first registers tsx's loader; built, it runs sqlite-writer.js.
   * Throws when it cannot be started.
   */
  constructor(file: string, full: boolean) {
    const here = import.meta.url;
    const fromSource = here.endsWith('.ts');
    const entry = JSON.stringify(
      new URL(fromSource ? './sqlite-writer.ts' : './sqlite-writer.js', here).href,
    );
    const loader = fromSource
      ? JSON.stringify(
          pathToFileURL(
            createRequire(here)
              .resolve('tsx/esm/api')
              .replace(/index\.cjs$/, 'index.mjs'),
          ).href,
        )
      : undefined;
    const load = loader
      ? `import(${loader}).then((api) => { api.register(); return import(${entry}); })`
      : `import(${entry})`;
    const code = `const { workerData } = require('node:worker_threads');
      const state = new Int32Array(workerData.shared);
      ${load}.catch((e) => {
        console.error('sfn-local: the SQLite writer thread did not start', e);
        Atomics.store(state, ${WriterState.failed}, 1);
        Atomics.notify(state, ${WriterState.applied});
      });`;
    const workerData: WriterData = { file, full, shared: this.#state.buffer as SharedArrayBuffer };
    this.#worker = new Worker(code, { eval: true, workerData });
    this.#worker.on('error', (e) => {
      console.error('sfn-local: the SQLite writer thread failed', e);
      Atomics.store(this.#state, WriterState.failed, 1);
    });
    this.#worker.unref();
  }

  get failed(): boolean {
    return Atomics.load(this.#state, WriterState.failed) === 1;
  }

  /** Hands over commit `seq` (already in the journal). */
  write(seq: number, items: JournalItem[]): void {
    this.#worker.postMessage({ seq, items } satisfies WriterMessage);
  }

  /** Deletes a journal segment once everything handed over before is written. */
  unlinkAfter(seq: number, path: string): void {
    this.#worker.postMessage({ seq, unlink: path } satisfies WriterMessage);
  }

  /** Waits until commit `seq` is in the tables; false when the thread failed or did not answer in time. */
  waitFor(seq: number): boolean {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const applied = Atomics.load(this.#state, WriterState.applied);
      if (applied >= seq) return true;
      if (this.failed || Date.now() > deadline) return false;
      Atomics.wait(this.#state, WriterState.applied, applied, 50);
    }
  }

  /** Writes what is left, closes its connection and ends; false when it failed or did not answer in time. */
  close(seq: number): boolean {
    this.#worker.postMessage({ seq, close: true } satisfies WriterMessage);
    const deadline = Date.now() + WAIT_MS;
    while (!Atomics.load(this.#state, WriterState.closed)) {
      if (this.failed || Date.now() > deadline) return false;
      Atomics.wait(this.#state, WriterState.closed, 0, 50);
    }
    void this.#worker.terminate();
    return true;
  }

  /** Stops it at once: it writes nothing more (a transaction under way ends first). */
  stop(): void {
    Atomics.store(this.#state, WriterState.stop, 1);
    void this.#worker.terminate();
  }
}
