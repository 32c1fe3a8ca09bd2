/**
 * SES on the embedded default: aws-ses-v2-local, whose web page is the inbox of every e-mail the stack sends.
 * It keeps mail in memory; here each saved e-mail is also appended to a file under the data folder and loaded
 * again on start, so a restart keeps the inbox. Its page shows each mail's HTML part open (links clickable), the
 * text part when there is no HTML; the package's page shows neither until a button is pressed.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
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

/** Markup of the page's script, whose own template placeholders are written %{…} here. */
const pageJs = (s: string) => s.replaceAll('%{', '$' + '{');
const CLOSED_HTML = pageJs('<div class="email-html" id="%{e.messageId}-html" style="display: none">');
const CLOSED_TEXT = pageJs('<div class="email-text" id="%{e.messageId}-text" style="display: none">');
const OPEN_HTML = pageJs('<div class="email-html" id="%{e.messageId}-html">');
const TEXT_UNLESS_HTML = pageJs(
  `<div class="email-text" id="%{e.messageId}-text" style="%{e.body.html ? 'display: none' : ''}">`,
);

/** The package's inbox page with the HTML part open, or the text part when a mail has no HTML. */
export function inboxPage(): string | undefined {
  const file = path.join(
    path.dirname(require.resolve('aws-ses-v2-local/package.json')),
    'static',
    'index.html',
  );
  const page = readFileSync(file, 'utf8');
  // a newer page that no longer has these is served as it is
  if (!page.includes(CLOSED_HTML) || !page.includes(CLOSED_TEXT)) return undefined;
  return page.replace(CLOSED_HTML, OPEN_HTML).replace(CLOSED_TEXT, TEXT_UNLESS_HTML);
}

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
  const page = inboxPage();
  if (page) {
    const app = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'GET' && new URL(req.url ?? '/', 'http://inbox').pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
        return;
      }
      for (const handle of app) handle.call(server, req, res);
    });
  }
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
