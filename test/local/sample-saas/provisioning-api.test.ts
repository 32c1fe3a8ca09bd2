/**
 * The sample vendor SaaS answers the provisioning API as docs/provisioning-api.yaml says a vendor must, driven by the
 * project's own webhook adapter over loopback HTTP: signatures checked (tampered body, old timestamp, wrong secret
 * refused), one answer per idempotency key, refusals the buyer can fix, the switches that make it fail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { signRequest, WebhookProvisioning } from '../../../tasks/adapters/provisioning/webhook.js';
import { onboardingKey } from '../../../tasks/ports/provisioning.js';
import { validateAgainstApi } from '../../fixtures/provisioning-openapi.js';
import { DEMO, sampleSaas } from './support.js';

const BUYER = { awsAccountId: '123456789012', company: 'Example KK', locale: 'ja' as const };
const MARKETPLACE = { productCode: 'prod-code', customerAwsAccountId: '123456789012', agreementId: 'agmt-1' };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function vendor() {
  const s = await sampleSaas();
  closers.push(s.saas.close);
  const port = new WebhookProvisioning({ baseUrl: s.saas.provisioningUrl, secret: async () => s.secret() });
  return { ...s, port };
}

describe('sample SaaS provisioning API', () => {
  it('creates a tenant once per idempotency key and invites its owner', async () => {
    // Prepare
    const { port, invitations, saas } = await vendor();
    const request = {
      onboardingId: 'onb-1',
      name: 'Example New',
      owner: { email: 'new@example.co.jp' },
      buyer: BUYER,
    };
    // Act
    const first = await port.createTenant(request, onboardingKey('onb-1', 'CreateAccount'));
    const again = await port.createTenant(request, onboardingKey('onb-1', 'CreateAccount'));
    // Assess
    expect(first.outcome).toBe('done');
    expect(again.outcome).toBe('already-done');
    expect(first.outcome === 'done' && again.outcome === 'already-done' && again.value.tenantId).toBe(
      first.outcome === 'done' && first.value.tenantId,
    );
    expect(invitations.map((i) => i.email)).toEqual(['new@example.co.jp']);
    expect(invitations[0]?.link).toMatch(new RegExp(`^${saas.url}/app/invitation\\?t=[\\w-]{20,}$`));
  });

  it('a create whose answer a crash lost is already done for the same key, with a new invitation for the owner', async () => {
    // Prepare: the tenant was saved, then the vendor died before it recorded its answer
    const { port, invitations, saas } = await vendor();
    const key = onboardingKey('onb-crash', 'CreateAccount');
    await saas.store.createTenant({
      name: 'Crashed KK',
      ownerEmail: 'crash@example.co.jp',
      key,
      now: new Date(),
    });
    const request = {
      onboardingId: 'onb-crash',
      name: 'Crashed KK',
      owner: { email: 'crash@example.co.jp' },
      buyer: BUYER,
    };
    // Act
    const retried = await port.createTenant(request, key);
    const other = await port.createTenant(request, onboardingKey('onb-other', 'CreateAccount'));
    // Assess
    expect(retried).toMatchObject({ outcome: 'already-done', value: { name: 'Crashed KK' } });
    expect(other).toMatchObject({ outcome: 'refused', reason: 'tenant-name-taken' });
    expect(invitations.map((i) => i.email)).toEqual(['crash@example.co.jp']);
  });

  it('refuses a taken name and an e-mail in use with the documented codes, and acts on the fixed request', async () => {
    // Prepare
    const { port } = await vendor();
    const key = onboardingKey('onb-2', 'CreateAccount');
    // Act
    const taken = await port.createTenant(
      {
        onboardingId: 'onb-2',
        name: DEMO.tenants[0]?.name ?? '',
        owner: { email: 'x@example.co.jp' },
        buyer: BUYER,
      },
      key,
    );
    const inUse = await port.createTenant(
      { onboardingId: 'onb-2', name: 'Fresh Name', owner: { email: DEMO.email }, buyer: BUYER },
      key,
    );
    const fixed = await port.createTenant(
      { onboardingId: 'onb-2', name: 'Fresh Name', owner: { email: 'x@example.co.jp' }, buyer: BUYER },
      key,
    );
    // Assess
    expect(taken).toMatchObject({ outcome: 'refused', reason: 'tenant-name-taken', field: 'name' });
    expect(inUse).toMatchObject({ outcome: 'refused', reason: 'email-in-use', field: 'email' });
    expect(fixed.outcome).toBe('done');
  });

  it("lists the demo user's two tenants and activates the paid plan on one, only for a member", async () => {
    // Prepare
    const { port, saas } = await vendor();
    const user = { subject: 'not-an-id', email: DEMO.email };
    const stranger = { subject: 'nobody', email: 'nobody@example.com' };
    // Act
    const listed = await port.listTenants(
      { onboardingId: 'onb-3', user },
      onboardingKey('onb-3', 'ListTenants'),
    );
    const denied = await port.activatePaidPlan(
      {
        onboardingId: 'onb-3',
        tenantId: 'acct-demo-staging',
        plan: 'Business',
        marketplace: MARKETPLACE,
        user: stranger,
      },
      onboardingKey('onb-3', 'ActivatePaidPlan-x'),
    );
    const paid = await port.activatePaidPlan(
      {
        onboardingId: 'onb-3',
        tenantId: 'acct-demo-staging',
        plan: 'Business',
        marketplace: MARKETPLACE,
        user,
      },
      onboardingKey('onb-3', 'ActivatePaidPlan'),
    );
    // Assess
    expect(listed.outcome === 'done' && listed.value.map((t) => t.tenantId).sort()).toEqual([
      'acct-demo-production',
      'acct-demo-staging',
    ]);
    expect(denied).toMatchObject({ outcome: 'refused', reason: 'not-permitted' });
    expect(paid).toMatchObject({ outcome: 'done', value: { status: 'paid', plan: 'Business' } });
    expect(saas.store.tenant('acct-demo-staging')?.status).toBe('paid');
  });

  it('refuses a tampered body, an old timestamp and a wrong secret with 401', async () => {
    // Prepare
    const { saas, secret } = await vendor();
    const body = JSON.stringify({ tenantId: 'acct-demo-staging' });
    const now = Math.floor(Date.now() / 1000);
    const post = (b: string, timestamp: number, key: string) =>
      fetch(`${saas.provisioningUrl}/v1/tenants/read`, {
        method: 'POST',
        body: b,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': 'onb:onb-4:ReadTenant',
          'x-onboarding-timestamp': String(timestamp),
          'x-onboarding-signature': signRequest(key, String(timestamp), body),
        },
      });
    // Act
    const good = await post(body, now, secret());
    const tampered = await post(body.replace('staging', 'production'), now, secret());
    const old = await post(body, now - 301, secret());
    const wrong = await post(body, now, 'another-secret-0123456789');
    // Assess
    expect([good.status, tampered.status, old.status, wrong.status]).toEqual([200, 401, 401, 401]);
  });

  it('is unavailable while switched to fail, then acts with the same key', async () => {
    // Prepare
    const { port, saas } = await vendor();
    saas.switches.set('activate-paid-plan', { fail: { times: 2 } });
    const request = {
      onboardingId: 'onb-5',
      tenantId: 'acct-demo-production',
      plan: 'Standard',
      marketplace: MARKETPLACE,
    };
    const key = onboardingKey('onb-5', 'ActivatePaidPlan');
    // Act
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await port.activatePaidPlan(request, key)).outcome);
    // Assess
    expect(outcomes).toEqual(['unavailable', 'unavailable', 'done']);
    expect(saas.seen.filter((s) => s.key === key).map((s) => s.status)).toEqual([503, 503, 200]);
  });

  it('answers every operation with a body the document allows for its status', async () => {
    // Prepare
    const { saas, secret } = await vendor();
    const send = async (operation: string, body: object, key: string) => {
      const raw = JSON.stringify(body);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const res = await fetch(`${saas.provisioningUrl}/v1/tenants/${operation}`, {
        method: 'POST',
        body: raw,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': key,
          'x-onboarding-timestamp': timestamp,
          'x-onboarding-signature': signRequest(secret(), timestamp, raw),
        },
      });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    const user = { subject: 'x', email: DEMO.email };
    // Act
    const answers = [
      await send(
        'create',
        { onboardingId: 'o', name: 'API Check', owner: { email: 'api@example.co.jp' }, buyer: BUYER },
        'onb:o:CreateAccount',
      ),
      await send(
        'create',
        { onboardingId: 'o', name: 'API Check', owner: { email: 'api@example.co.jp' }, buyer: BUYER },
        'onb:o:CreateAccount',
      ),
      await send(
        'create',
        { onboardingId: 'p', name: 'API Check', owner: { email: 'b@example.co.jp' }, buyer: BUYER },
        'onb:p:CreateAccount',
      ),
      await send('list-for-user', { onboardingId: 'o', user }, 'onb:o:ListTenants'),
      await send(
        'activate-paid-plan',
        { onboardingId: 'o', tenantId: 'acct-demo-staging', plan: 'Pro', marketplace: MARKETPLACE, user },
        'onb:o:ActivatePaidPlan',
      ),
      await send(
        'change-plan',
        { tenantId: 'acct-demo-staging', plan: 'Enterprise', marketplace: MARKETPLACE },
        'agr:agmt-1:plan-changed',
      ),
      await send(
        'end-paid-plan',
        {
          tenantId: 'acct-demo-staging',
          action: 'end',
          reason: 'subscription-cancelled',
          marketplace: MARKETPLACE,
        },
        'agr:agmt-1:paid-plan-ended',
      ),
      await send('read', { tenantId: 'nope' }, 'onb:o:ReadTenant'),
    ];
    // Assess
    const schemaOf = (a: { status: number; body: unknown }, listing: boolean) =>
      a.status < 300 ? (listing ? 'TenantList' : 'TenantResult') : 'Refusal';
    expect(answers.map((a) => a.status)).toEqual([201, 201, 409, 200, 200, 200, 200, 404]);
    answers.forEach((a, i) => {
      expect(validateAgainstApi(schemaOf(a, i === 3), a.body), `answer ${i}`).toEqual([]);
    });
    expect(answers[1]?.body).toMatchObject({ result: 'already-done' });
  });
});
