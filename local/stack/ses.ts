/**
 * SES on the embedded default: aws-ses-v2-local, whose web page is the inbox of every e-mail the stack sends.
 * It keeps mail in memory; here each saved e-mail is also appended to a file under the data folder and loaded
 * again on start, so a restart keeps the inbox.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Email } from 'aws-ses-v2-local/dist/store.js';

export interface LocalSes {
  readonly url: string;
  close(): Promise<void>;
}

interface StoreModule {
  saveEmail: (email: Email) => void;
  getStoreReadonly: () => { emails: readonly Email[] };
  clearStore: () => void;
}

// The server calls `store_1.saveEmail(...)` through the module's exports object, so wrapping the export persists
// every e-mail it saves. (CommonJS, loaded through the same cache the server uses.)
const require = createRequire(import.meta.url);
const store = require('aws-ses-v2-local/dist/store.js') as StoreModule;
const sesServer = (require('aws-ses-v2-local') as { default: typeof import('aws-ses-v2-local').default })
  .default;
const originalSave = store.saveEmail;

export async function startSes(options: { port: number; host: string; dir?: string }): Promise<LocalSes> {
  if (options.dir) {
    mkdirSync(options.dir, { recursive: true });
    const file = path.join(options.dir, 'emails.jsonl');
    if (existsSync(file) && store.getStoreReadonly().emails.length === 0) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim()) originalSave(JSON.parse(line) as Email);
      }
    }
    store.saveEmail = (email: Email) => {
      appendFileSync(file, `${JSON.stringify(email)}\n`);
      originalSave(email);
    };
  }
  const server = await sesServer({ port: options.port, host: options.host });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        store.saveEmail = originalSave;
        // The file holds the inbox; the next start in this process reads it again, as a new process would.
        if (options.dir) store.clearStore();
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
