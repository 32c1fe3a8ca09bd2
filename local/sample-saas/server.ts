/**
 * A stand-in of the vendor's SaaS for the local stack ("Example SaaS"): a real OpenID provider (oidc-provider) with
 * its own sign-in page and demo users, the provisioning API of docs/provisioning-api.yaml (signed requests, one
 * answer per idempotency key, switches to refuse, fail or be slow), the new owner's invitation, and a tenant page
 * showing each tenant's plan. It knows the onboarding only through that contract, as a vendor would.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { createOidcProvider, type OidcClientSettings } from './oidc.js';
import { samplePages } from './pages.js';
import { provisioningApi, type VendorSwitches } from './provisioning-api.js';
import { type DemoUser, SaasStore } from './store.js';

export type { VendorSwitches } from './provisioning-api.js';

export interface Invitation {
  email: string;
  tenantName: string;
  link: string;
  locale: 'ja' | 'en';
}

export interface SampleSaasOptions {
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Where its users, tenants and keys are kept; in memory when absent. */
  dataDir?: string;
  /** The provisioning API's shared signing secret (read on each request, so a test can rotate it). */
  signingSecret: () => string;
  /** The onboarding's buyer pages as an OpenID client of this SaaS. */
  client: OidcClientSettings;
  /** Sends the new owner's invitation mail (7-1). */
  invite: (invitation: Invitation) => Promise<void>;
  demoUsers?: readonly DemoUser[];
}

export interface SampleSaas {
  readonly url: string;
  /** The OpenID issuer (discovery at `${issuer}/.well-known/openid-configuration`). */
  readonly issuer: string;
  /** The provisioning API's base URL (PROVISIONING_WEBHOOK_URL). */
  readonly provisioningUrl: string;
  /** Misbehaviour per operation (`create`, `list-for-user`, `activate-paid-plan`, … or `*`). */
  readonly switches: Map<string, VendorSwitches>;
  /** Every provisioning request the SaaS answered (operation, idempotency key, status). */
  readonly seen: { operation: string; key: string; status: number }[];
  readonly store: SaasStore;
  close(): Promise<void>;
}

const HONO_PATHS = /^\/(?:$|app(?:\/|$|\?)|interaction\/|v1\/|_switches|_users)/;

const isLoopback = (address: string | undefined) =>
  !!address && (address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.'));

async function cookieKey(dir: string | undefined): Promise<string> {
  const file = dir ? path.join(dir, 'cookie-key') : undefined;
  if (file && existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64url');
  if (file) await writeFile(file, key, { mode: 0o600 });
  return key;
}

export async function startSampleSaas(options: SampleSaasOptions): Promise<SampleSaas> {
  const host = options.host ?? '127.0.0.1';
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  try {
    const store = await SaasStore.open(options.dataDir, options.demoUsers ?? []);
    const key = await cookieKey(options.dataDir);
    const provider = await createOidcProvider({
      issuer: url,
      store,
      client: options.client,
      cookieKey: key,
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    });
    const switches = new Map<string, VendorSwitches>();
    const seen: SampleSaas['seen'] = [];
    const app = new Hono();
    app.route(
      '/',
      provisioningApi({
        store,
        secret: options.signingSecret,
        signInUrl: `${url}/app`,
        invite: options.invite,
        invitationUrl: (secret) => `${url}/app/invitation?t=${secret}`,
        switches,
        seen,
      }),
    );
    app.route('/', samplePages({ provider, store, cookieKey: key }));
    // the misbehaviour switches, for tests and for trying the failure pages by hand (loopback only)
    app.get('/_switches', (c) => c.json(Object.fromEntries(switches)));
    app.post('/_switches', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as Record<string, VendorSwitches | null>;
      for (const [operation, s] of Object.entries(body)) {
        if (s) switches.set(operation, s);
        else switches.delete(operation);
      }
      return c.json(Object.fromEntries(switches));
    });
    // demo users with their tenants, for benchmarks and tests driving a stack in another process (loopback only)
    app.post('/_users', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { users?: DemoUser[] };
      for (const user of body.users ?? []) await store.addUser(user);
      return c.json({ users: body.users?.length ?? 0 });
    });
    const hono = getRequestListener(app.fetch);
    const oidc = provider.callback();
    server.on('request', (req, res) => {
      // the test switches and demo users answer this machine only (the stack may listen wider with --host)
      if (req.url?.startsWith('/_') && !isLoopback(req.socket.remoteAddress)) {
        res.writeHead(403, { 'content-type': 'text/plain' }).end('loopback only');
        return;
      }
      if (HONO_PATHS.test(req.url ?? '/')) void hono(req, res);
      else oidc(req, res);
    });
    return {
      url,
      issuer: url,
      provisioningUrl: url,
      switches,
      seen,
      store,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  } catch (error) {
    server.close();
    throw error;
  }
}
