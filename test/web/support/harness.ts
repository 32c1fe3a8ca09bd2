/**
 * Test harness: the app on tasks' in-memory ports driven by the FakeWorkflow stand-in, a users file, and a
 * cookie-keeping client over app.request.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeWorkflow } from '../../../local/in-memory/fake-workflow.js';
import { addUser, usersFileAuth } from '../../../tasks/adapters/file/staff-users.js';
import type { MemoryPorts } from '../../../tasks/adapters/memory/index.js';
import * as uc from '../../../tasks/use-cases/index.js';
import { createApp } from '../../../web/app.js';
import { parseWebConfig, type WebConfigInput } from '../../../web/config.js';
import type { WebDeps } from '../../../web/env.js';
import type { HumanStage, StaffActor } from '../../../workflows/contracts/index.js';

export const SECRET = 'test-secret-0123456789-abcdefghijklmnop';
export const PASSWORD = 'correct horse battery';

export const STAFF = {
  sales: { id: 'sam', name: 'Sam Sales', role: 'sales' },
  support: { id: 'sue', name: 'Sue Support', role: 'support' },
  auditor: { id: 'ann', name: 'Ann Auditor', role: 'auditor' },
  admin: { id: 'ada', name: 'Ada Admin', role: 'admin' },
} as const;

export const SALES_ACTOR: StaffActor = { kind: 'staff', id: 'sam', role: 'sales', name: 'Sam Sales' };

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
  flow: FakeWorkflow;
  ports: MemoryPorts;
  app: ReturnType<typeof createApp>;
  deps: WebDeps;
}

export async function harness(
  opts: {
    config?: Partial<WebConfigInput>;
    flow?: FakeWorkflow;
    buyerOidc?: WebDeps['buyerOidc'];
    staffAuth?: WebDeps['staffAuth'];
  } = {},
): Promise<Harness> {
  const flow = opts.flow ?? new FakeWorkflow();
  const deps: WebDeps = {
    ...(opts.buyerOidc ? { buyerOidc: opts.buyerOidc } : {}),
    ports: flow.ports,
    staffAuth: opts.staffAuth ?? usersFileAuth(await sharedUsersFile()),
    config: parseWebConfig({ sessionSecret: SECRET, ...opts.config }),
  };
  return { flow, ports: flow.ports, app: createApp(deps, { error: () => {} }), deps };
}

/** A fingerprint of everything the web could change: callbacks sent, executions started, records saved. */
export function changes(ports: MemoryPorts): string {
  const versions = [...ports.onboardings.items.values()].reduce((n, o) => n + o.version, 0);
  return `${ports.callbacks.calls.length}/${ports.callbacks.executions.size}/${versions}`;
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

  /** `address`: the peer address the app sees (as the Node server gives it), for the per-client limits. */
  constructor(
    private readonly app: Harness['app'],
    private readonly options: { address?: string } = {},
  ) {}

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
    const env = this.options.address
      ? { incoming: { socket: { remoteAddress: this.options.address } } }
      : undefined;
    const res = await this.app.request(path, { ...init, headers, redirect: 'manual' }, env);
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

/** Starts an onboarding through the use case and lets the workflow reach Consultation. */
export async function seedOnboarding(flow: FakeWorkflow, over: Record<string, string> = {}): Promise<string> {
  const inquiry = { ...sampleInquiry(over), locale: 'ja' as const };
  const r = await uc.startOnboarding(flow.ports, {
    inquiry,
    actor: { kind: 'buyer', id: inquiry.email, email: inquiry.email },
    // seeds reuse the sample's account and e-mail: each is meant as another request
    allowDuplicate: true,
  });
  if (!r.ok) throw new Error(`seed failed: ${JSON.stringify(r)}`);
  await flow.idle();
  return r.onboardingId;
}

export const contractTerms = (over: Record<string, unknown> = {}) => ({
  actor: SALES_ACTOR,
  plan: 'Business',
  offerName: 'Example KK — Business 12 months',
  currency: 'USD' as const,
  durationMonths: 12,
  dimensions: [{ key: 'users', price: '1200.00' }],
  offerExpiresAt: '2025-06-30T23:59:59Z',
  offerCreation: 'automatic' as const,
  ...over,
});

/** Completes a stage as the use case would from the console, then lets the workflow move on. */
export async function complete(
  flow: FakeWorkflow,
  onboardingId: string,
  stage: HumanStage,
  payload: unknown,
  actor: StaffActor = SALES_ACTOR,
) {
  const r = await uc.completeHumanStage(flow.ports, { onboardingId, stage, payload, actor });
  if (!r.ok) throw new Error(`complete ${stage} failed: ${JSON.stringify(r)}`);
  await flow.idle();
}

/** An onboarding whose offer is out: waiting at AwaitAcceptance. */
export async function offered(flow: FakeWorkflow, over: Record<string, string> = {}): Promise<string> {
  const id = await seedOnboarding(flow, over);
  await complete(flow, id, 'Consultation', contractTerms());
  return id;
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

/**
 * An offered onboarding whose buyer subscribed and arrived with the marketplace token: the client holds the buyer's
 * session and stands on the page the fulfillment POST sent it to (registration).
 */
export async function arrivedBuyer(
  h: Pick<Harness, 'app' | 'flow'>,
  client?: Client,
  awsAccountId = '123456789012',
) {
  const c = client ?? new Client(h.app);
  const id = await offered(h.flow, { awsAccountId });
  await c.request('/marketplace/fulfillment', {
    method: 'POST',
    body: new URLSearchParams({ 'x-amzn-marketplace-token': h.flow.subscribe(id, awsAccountId) }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://aws.amazon.com' },
  });
  await h.flow.idle();
  await c.follow();
  return { c, id };
}

/**
 * Opens a deal step (Renewal, AdvisoryReview, CancellationAnswer) on a seeded onboarding as the lifecycle workflow
 * would, its task token waiting (never shown): for the deal view's and the work list's tests.
 */
export async function openDealStep(
  ports: MemoryPorts,
  onboardingId: string,
  step: {
    stage: 'Renewal' | 'AdvisoryReview' | 'CancellationAnswer';
    token: string;
    context: Record<string, unknown>;
    instance?: string;
    dueAt?: string;
  },
): Promise<void> {
  ports.callbacks.waiting(step.token);
  await uc.openHumanTask(ports, {
    onboardingId,
    stage: step.stage,
    taskToken: step.token,
    dueAt: step.dueAt ?? '2026-12-31T00:00:00.000Z',
    context: step.context,
    ...(step.instance ? { instance: step.instance } : {}),
  });
}
