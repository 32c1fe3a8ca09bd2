/** startWebServer: the web app on Node (@hono/node-server), for the local stack and the browser tests. */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, type WebDeps } from './app.js';

export interface WebServer {
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startWebServer(opts: {
  port: number;
  host?: string;
  deps: WebDeps;
}): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1';
  const app = createApp(opts.deps);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: opts.port, hostname: host }, (info: AddressInfo) => {
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`;
      resolve({
        url,
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`web: port ${opts.port} on ${host} is already in use; choose another port`, {
              cause: err,
            })
          : err,
      );
    });
  });
}
