/** Test harness: the app on the fake world with a users file, and a cookie-keeping client over app.request. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../../web/app.js';
import { addUser, usersFileAuth } from '../../../web/auth/users-file.js';
import { parseWebConfig, type WebConfigInput } from '../../../web/config.js';
import type { WebDeps } from '../../../web/env.js';
import type { WebServices } from '../../../web/services.js';
import { FakeWorld } from './fake-world.js';

export const SECRET = 'test-secret-0123456789-abcdefghijklmnop';
export const PASSWORD = 'correct horse battery';

export const STAFF = {
  sales: { id: 'sam', name: 'Sam Sales', role: 'sales' },
  support: { id: 'sue', name: 'Sue Support', role: 'support' },
  auditor: { id: 'ann', name: 'Ann Auditor', role: 'auditor' },
  admin: { id: 'ada', name: 'Ada Admin', role: 'admin' },
} as const;

let usersFile: Promise<string> | undefined;
/** One users file for the whole test file (scrypt is slow on purpose). */
export function sharedUsersFile(): Promise<string> {
  usersFile ??= (async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'web-users-')), 'users.json');
    for (const u of Object.values(STAFF)) await addUser(path, u, PASSWORD);
    return path;
  })();
  return usersFile;
}

export interface Harness {
  world: FakeWorld;
  app: ReturnType<typeof createApp>;
  deps: WebDeps;
  clock: { now: Date };
}

export async function harness(
  opts: { config?: Partial<WebConfigInput>; services?: WebServices; world?: FakeWorld } = {},
): Promise<Harness> {
  const world = opts.world ?? new FakeWorld();
  const clock = { now: new Date('2025-03-01T09:00:00Z') };
  const deps: WebDeps = {
    services: opts.services ?? world,
    staffAuth: usersFileAuth(await sharedUsersFile()),
    config: parseWebConfig({ sessionSecret: SECRET, ...opts.config }),
    now: () => clock.now,
  };
  return { world, app: createApp(deps, { error: () => {} }), deps, clock };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

/** A browser-ish client: keeps cookies, reads the CSRF token of the last page. */
export class Client {
  readonly cookies = new Map<string, string>();
  last: Reply | undefined;

  constructor(private readonly app: Harness['app']) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, eq).trim();
      const value = (pair ?? '').slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(path: string, init: RequestInit = {}): Promise<Reply> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    const res = await this.app.request(path, { ...init, headers, redirect: 'manual' });
    this.keep(res);
    this.last = {
      status: res.status,
      headers: res.headers,
      text: await res.text(),
      location: res.headers.get('location'),
    };
    return this.last;
  }

  get(path: string) {
    return this.request(path);
  }

  /** Posts a form; `_csrf` is taken from the last page unless given. */
  post(
    path: string,
    fields: Record<string, string>,
    opts: { csrf?: string | null; headers?: Record<string, string> } = {},
  ) {
    const body = new URLSearchParams(fields);
    const token = opts.csrf === undefined ? this.csrf() : opts.csrf;
    if (token !== null && token !== undefined && !('_csrf' in fields)) body.set('_csrf', token);
    return this.request(path, {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers },
    });
  }

  csrf(): string | undefined {
    return /name="_csrf" value="([^"]+)"/.exec(this.last?.text ?? '')?.[1];
  }

  /** Follows redirects with GET (what a browser does after 303). */
  async follow(): Promise<Reply> {
    let r = this.last as Reply;
    for (let i = 0; i < 5 && r.location && r.status >= 300 && r.status < 400; i++)
      r = await this.get(r.location);
    return r;
  }

  async signIn(role: keyof typeof STAFF): Promise<void> {
    await this.get('/auth/login');
    const r = await this.post('/auth/login', {
      username: STAFF[role].id,
      password: PASSWORD,
      next: '/console',
    });
    if (r.status !== 303) throw new Error(`sign-in as ${role} failed: ${r.status}`);
  }
}

export const sampleInquiry = (over: Record<string, string> = {}) => ({
  company: 'Example KK',
  contactName: 'Taro Yamada',
  email: 'taro@example.co.jp',
  awsAccountId: '123456789012',
  plan: 'Business',
  message: 'We would like a 12-month private offer.',
  ...over,
});

/** Starts an onboarding through the fake directly. */
export async function seedOnboarding(world: FakeWorld, over: Record<string, string> = {}): Promise<string> {
  const inquiry = { ...sampleInquiry(over), locale: 'ja' as const };
  return (await world.startOnboarding({ inquiry, actor: { kind: 'buyer', id: inquiry.awsAccountId } }))
    .onboardingId;
}

export const validTerms = (over: Record<string, string> = {}) => ({
  action: 'terms',
  plan: 'Business',
  offerName: 'Example KK — Business 12 months',
  offerDescription: '',
  durationMonths: '12',
  'dimensions.0.key': 'users',
  'dimensions.0.price': '1200.00',
  'dimensions.1.key': '',
  'dimensions.1.price': '',
  'dimensions.2.key': '',
  'dimensions.2.price': '',
  offerExpiresAt: '2025-06-30',
  eulaUrl: '',
  offerCreation: 'automatic',
  manualOfferId: '',
  notes: '',
  currency: 'USD',
  ...over,
});
