/**
 * The webhook provisioning adapter against a real HTTP receiver on loopback: every request it sends is signed as
 * docs/provisioning-api.yaml says and validates against the document's request schemas; every answer the document
 * allows maps to the port's outcome, and what it does not allow (timeouts, 5xx, bodies off the contract) is
 * `unavailable`, never an exception.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebhookProvisioning } from '../../../tasks/adapters/provisioning/webhook.js';
import {
  type ActivatePaidPlanRequest,
  type CreateTenantRequest,
  onboardingKey,
} from '../../../tasks/ports/provisioning.js';
import { validateAgainstApi } from '../../fixtures/provisioning-openapi.js';

const SECRET = 'test-signing-secret';
const validate = validateAgainstApi;

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}
let seen: Seen[] = [];
let answer: (req: Seen, res: ServerResponse) => void = () => {};
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      answer(s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/vendor`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
});

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  ((_req: Seen, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }) satisfies typeof answer;

const adapter = (extra: Partial<ConstructorParameters<typeof WebhookProvisioning>[0]> = {}) =>
  new WebhookProvisioning({ baseUrl, secret: async () => SECRET, timeoutMs: 300, ...extra });

const createRequest: CreateTenantRequest = {
  onboardingId: 'onb-01',
  name: '山田商事',
  owner: { email: 'taro@example.com' },
  buyer: { awsAccountId: '123456789012', company: '山田商事', locale: 'ja' },
};
const activateRequest: ActivatePaidPlanRequest = {
  onboardingId: 'onb-01',
  tenantId: 't-1',
  plan: 'Enterprise',
  marketplace: { productCode: 'prod-abc', customerAwsAccountId: '123456789012' },
};
const tenant = { tenantId: 't-1', name: '山田商事', status: 'paid', plan: 'Enterprise' };
const key = onboardingKey('onb-01', 'CreateAccount');

describe('the webhook adapter sends what the document describes', () => {
  it('signs the raw body with the timestamp, carries the idempotency key, and the body validates', async () => {
    // Prepare
    answer = json(201, { result: 'done', tenant });

    // Act
    const outcome = await adapter({ now: () => 1_800_000_000 }).createTenant(createRequest, key);

    // Assess
    expect(outcome).toEqual({ outcome: 'done', value: tenant });
    const [req] = seen;
    expect(req?.path).toBe('/vendor/v1/tenants/create');
    expect(req?.headers['idempotency-key']).toBe(key);
    expect(req?.headers['x-onboarding-timestamp']).toBe('1800000000');
    const expected = `v1=${createHmac('sha256', SECRET).update(`1800000000.${req?.body}`).digest('hex')}`;
    const got = String(req?.headers['x-onboarding-signature']);
    expect(timingSafeEqual(Buffer.from(got), Buffer.from(expected))).toBe(true);
    expect(validate('CreateTenantRequest', JSON.parse(req?.body ?? '{}'))).toEqual([]);
    expect(validate('CreateTenantRequest', { ...createRequest, name: '' })).not.toEqual([]);
  });

  it('a tampered body no longer matches the signature it was sent with', async () => {
    // Prepare
    answer = json(200, { result: 'done', tenant });
    await adapter().activatePaidPlan(activateRequest, key);
    const [req] = seen;

    // Act
    const tampered = req?.body.replace('Enterprise', 'Unlimited') ?? '';
    const recomputed = `v1=${createHmac('sha256', SECRET)
      .update(`${req?.headers['x-onboarding-timestamp']}.${tampered}`)
      .digest('hex')}`;

    // Assess
    expect(validate('ActivatePaidPlanRequest', JSON.parse(req?.body ?? '{}'))).toEqual([]);
    expect(recomputed).not.toBe(req?.headers['x-onboarding-signature']);
  });
});

describe('every answer maps to one outcome', () => {
  it.each([
    [
      '200 already-done',
      json(200, { result: 'already-done', tenant }),
      { outcome: 'already-done', value: tenant },
    ],
    [
      '409 already-done',
      json(409, { code: 'already-done', tenant }),
      { outcome: 'already-done', value: tenant },
    ],
    [
      '409 name taken',
      json(409, { code: 'tenant-name-taken', field: 'name', message: 'taken' }),
      { outcome: 'refused', reason: 'tenant-name-taken', field: 'name', status: 409 },
    ],
    [
      '422 unknown code',
      json(422, { code: 'vendor-specific' }),
      { outcome: 'refused', reason: 'other', status: 422 },
    ],
    [
      '401',
      json(401, { code: 'bad-signature' }),
      { outcome: 'unavailable', reason: 'unauthorized', status: 401 },
    ],
    [
      '429 with Retry-After',
      json(429, { code: 'slow-down' }, { 'retry-after': '7' }),
      { outcome: 'unavailable', reason: 'throttled', status: 429, retryAfterSeconds: 7 },
    ],
    ['503', json(503, {}), { outcome: 'unavailable', reason: 'server-error', status: 503 }],
    [
      '200 off the contract',
      json(200, { ok: true }),
      { outcome: 'unavailable', reason: 'bad-response', status: 200 },
    ],
    ['400 without a code', json(400, {}), { outcome: 'unavailable', reason: 'bad-response', status: 400 }],
  ])('%s', async (_name, reply, expected) => {
    // Prepare
    answer = reply;

    // Act
    const outcome = await adapter().createTenant(createRequest, key);

    // Assess
    expect(outcome).toMatchObject(expected);
  });

  it('no answer within the timeout is unavailable (timeout), not an exception', async () => {
    // Prepare
    answer = (_req, res) => setTimeout(() => json(200, { result: 'done', tenant })(_req, res), 1_000);

    // Act
    const outcome = await adapter({ timeoutMs: 100 }).createTenant(createRequest, key);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'unavailable', reason: 'timeout' });
  });

  it('a vendor that cannot be reached is unavailable (network)', async () => {
    // Prepare
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    // Act
    const outcome = await adapter({ baseUrl: `http://127.0.0.1:${port}` }).createTenant(createRequest, key);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'unavailable', reason: 'network' });
  });

  it('lists tenants and validates them against the document', async () => {
    // Prepare
    answer = json(200, { tenants: [tenant, { tenantId: 't-2', name: 'Other', status: 'free' }] });

    // Act
    const outcome = await adapter().listTenants(
      { onboardingId: 'onb-01', user: { subject: 'sub-1', email: 'taro@example.com' } },
      onboardingKey('onb-01', 'AccountSelection'),
    );

    // Assess
    expect(outcome.outcome).toBe('done');
    expect(outcome.outcome === 'done' && outcome.value.map((t) => t.tenantId)).toEqual(['t-1', 't-2']);
    expect(seen[0]?.path).toBe('/vendor/v1/tenants/list-for-user');
    expect(validate('ListTenantsRequest', JSON.parse(seen[0]?.body ?? '{}'))).toEqual([]);
  });
});

describe('configuration', () => {
  it('refuses a plain-http URL that is not loopback', () => {
    // Prepare
    const options = { baseUrl: 'http://saas.example.com/hook', secret: async () => SECRET };

    // Act
    const make = () => new WebhookProvisioning(options);

    // Assess
    expect(make).toThrow(/https/);
  });

  it('an unreadable secret is unavailable (not-configured) and sends nothing', async () => {
    // Prepare
    const failing = adapter({
      secret: async () => {
        throw new Error('AccessDenied');
      },
    });

    // Act
    const outcome = await failing.createTenant(createRequest, key);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'unavailable', reason: 'not-configured' });
    expect(seen).toEqual([]);
  });
});
