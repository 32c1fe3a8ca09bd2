/**
 * CreateAccount and ActivatePaidPlan through the provisioning port with the webhook adapter and a vendor on
 * loopback: the vendor is called once per stage with the stage's idempotency key (a retried task resends the same
 * key), a vendor that is down reaches the workflow as the retryable `Onboarding.ProvisioningUnavailable`, a refusal
 * no buyer can fix as `Onboarding.ProvisioningRefused`, and nothing is recorded as done that was not.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebhookProvisioning } from '../../../tasks/adapters/provisioning/webhook.js';
import { ProvisioningRefusedError, ProvisioningUnavailableError } from '../../../tasks/domain/errors.js';
import { activatePaidPlan, createAccount } from '../../../tasks/use-cases/saas-accounts.js';
import { WORKFLOW_ERRORS } from '../../../workflows/contracts/workflow-errors.js';
import { buyer, placeAt, recorded, setup } from './helpers.js';

interface Call {
  path: string;
  key: string;
  body: Record<string, unknown>;
}
let calls: Call[] = [];
let reply: (call: Call, res: ServerResponse) => void;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => {
      text += c.toString('utf8');
    });
    req.on('end', () => {
      const call = {
        path: req.url ?? '',
        key: String(req.headers['idempotency-key']),
        body: JSON.parse(text),
      };
      calls.push(call);
      reply(call, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  calls = [];
});

const send = (status: number, body: unknown) => (_call: Call, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** A vendor that remembers keys, as docs/provisioning-api.yaml asks: a replayed key answers already-done. */
function rememberingVendor() {
  const seen = new Map<string, unknown>();
  return (call: Call, res: ServerResponse) => {
    const tenant = {
      tenantId: 'vendor-tenant-1',
      name: String(call.body.name ?? 'Example New'),
      status: call.path.endsWith('activate-paid-plan') ? 'paid' : 'free',
      ...(call.path.endsWith('activate-paid-plan') ? { plan: call.body.plan } : {}),
    };
    const first = !seen.has(call.key);
    if (first) seen.set(call.key, tenant);
    send(first ? 201 : 200, { result: first ? 'done' : 'already-done', tenant: seen.get(call.key) })(
      call,
      res,
    );
  };
}

async function registered() {
  const ports = setup();
  ports.provisioning = new WebhookProvisioning({ baseUrl, secret: async () => 'secret', timeoutMs: 300 });
  const id = await recorded(ports);
  await placeAt(ports, id, 'NewOrExisting');
  const input = {
    onboardingId: id,
    registration: { kind: 'new', actor: buyer(), accountName: 'Example New', email: 'new@example.co.jp' },
  };
  return { ports, id, input };
}

describe('CreateAccount through the vendor', () => {
  it('creates the tenant once: the retried task resends the same key and keeps the same tenant', async () => {
    // Prepare
    reply = rememberingVendor();
    const { ports, id, input } = await registered();

    // Act
    const first = await createAccount(ports, input);
    const retried = await createAccount(ports, input);

    // Assess
    expect(first).toEqual({ accountId: 'vendor-tenant-1' });
    expect(retried).toEqual(first);
    expect(calls.map((c) => c.key)).toEqual([`onb:${id}:CreateAccount`, `onb:${id}:CreateAccount`]);
    expect(calls[0]?.body).toMatchObject({
      onboardingId: id,
      name: 'Example New',
      owner: { email: 'new@example.co.jp' },
      buyer: { awsAccountId: '123456789012', company: 'Example KK', locale: 'ja' },
    });
    expect((await ports.onboardings.get(id))?.accountId).toBe('vendor-tenant-1');
    expect(ports.accounts.accounts.size).toBe(0);
  });

  it('a vendor that is down is the retryable ProvisioningUnavailable, and the record stays where it was', async () => {
    // Prepare
    reply = send(503, { code: 'maintenance' });
    const { ports, id, input } = await registered();

    // Act
    const failure = await createAccount(ports, input).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(ProvisioningUnavailableError);
    expect((failure as ProvisioningUnavailableError).workflowError).toBe(
      WORKFLOW_ERRORS.provisioningUnavailable,
    );
    const record = await ports.onboardings.get(id);
    expect(record?.accountId).toBeUndefined();
    expect(record?.stage).toBe('NewOrExisting');
  });
});

describe('ActivatePaidPlan through the vendor', () => {
  it('sends the plan and the marketplace reference once per onboarding; an unknown plan goes to support', async () => {
    // Prepare
    reply = rememberingVendor();
    const { ports, id, input } = await registered();
    const { accountId } = await createAccount(ports, input);
    await placeAt(ports, id, 'ActivatePaidPlan', { subscription: 'confirmed', agreementId: 'agmt-1' });
    const other = await registered();
    const otherAccount = await createAccount(other.ports, other.input);
    await placeAt(other.ports, other.id, 'ActivatePaidPlan', { subscription: 'confirmed' });

    // Act
    const activated = await activatePaidPlan(ports, { onboardingId: id, accountId });
    reply = send(422, { code: 'plan-unknown', field: 'plan', message: 'no such plan: Enterprise' });
    const refusal = await activatePaidPlan(other.ports, {
      onboardingId: other.id,
      accountId: otherAccount.accountId,
    }).catch((e: unknown) => e);

    // Assess
    expect(activated).toMatchObject({ accountId: 'vendor-tenant-1', plan: 'Enterprise' });
    const activation = calls.find((c) => c.path.endsWith('activate-paid-plan') && c.body.onboardingId === id);
    expect(activation?.key).toBe(`onb:${id}:ActivatePaidPlan`);
    expect(activation?.body).toMatchObject({
      tenantId: 'vendor-tenant-1',
      plan: 'Enterprise',
      marketplace: { customerAwsAccountId: '123456789012', agreementId: 'agmt-1' },
    });
    expect(refusal).toBeInstanceOf(ProvisioningRefusedError);
    expect((refusal as ProvisioningRefusedError).reason).toBe('plan-unknown');
    expect((await other.ports.onboardings.get(other.id))?.paidPlan).toBeUndefined();
  });
});
