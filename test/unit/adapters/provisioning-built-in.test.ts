/**
 * The built-in provisioning adapter (the embedded directory as the vendor's SaaS) and the events decorator: every
 * call idempotent, refusals typed, every decision published once per call with its idempotency key.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryAccountDirectory } from '../../../tasks/adapters/memory/account-directory.js';
import { BuiltInProvisioning } from '../../../tasks/adapters/provisioning/built-in.js';
import {
  EventsProvisioning,
  PROVISIONING_EVENT_SOURCE,
} from '../../../tasks/adapters/provisioning/events.js';
import { systemClock } from '../../../tasks/ports/clock.js';
import {
  agreementKey,
  type CreateTenantRequest,
  onboardingKey,
  type Tenant,
} from '../../../tasks/ports/provisioning.js';

const SIGN_IN = 'http://127.0.0.1:3000/login';
const marketplace = { productCode: 'prod-abc', customerAwsAccountId: '123456789012' };
const create = (onboardingId: string, name = '山田商事'): CreateTenantRequest => ({
  onboardingId,
  name,
  owner: { email: 'Taro@Example.com' },
  buyer: { awsAccountId: '123456789012', company: '山田商事', locale: 'ja' },
});

let directory: MemoryAccountDirectory;
let provisioning: BuiltInProvisioning;
beforeEach(() => {
  directory = new MemoryAccountDirectory();
  provisioning = new BuiltInProvisioning(directory, systemClock, SIGN_IN);
});

async function tenantFor(onboardingId: string): Promise<Tenant> {
  const outcome = await provisioning.createTenant(
    create(onboardingId),
    onboardingKey(onboardingId, 'CreateAccount'),
  );
  if (outcome.outcome !== 'done' && outcome.outcome !== 'already-done') throw new Error(outcome.outcome);
  return outcome.value;
}

describe('the built-in adapter', () => {
  it('creates a tenant once: the replay of the same onboarding is already-done, with the same tenant', async () => {
    // Prepare
    const key = onboardingKey('onb-1', 'CreateAccount');

    // Act
    const first = await provisioning.createTenant(create('onb-1'), key);
    const again = await provisioning.createTenant(create('onb-1'), key);

    // Assess
    expect(first).toMatchObject({ outcome: 'done', value: { status: 'free', signInUrl: SIGN_IN } });
    expect(again.outcome).toBe('already-done');
    expect(again.outcome === 'already-done' && again.value.tenantId).toBe(
      first.outcome === 'done' ? first.value.tenantId : 'missing',
    );
    expect(directory.accounts.size).toBe(1);
    expect([...directory.users.values()].map((u) => u.email)).toEqual(['taro@example.com']);
  });

  it('lists the tenants of a signed-in user by e-mail, none for a stranger', async () => {
    // Prepare
    await tenantFor('onb-1');
    await tenantFor('onb-2');

    // Act
    const mine = await provisioning.listTenants(
      { onboardingId: 'onb-3', user: { subject: 'u', email: 'taro@example.com' } },
      onboardingKey('onb-3', 'AccountSelection'),
    );
    const stranger = await provisioning.listTenants(
      { onboardingId: 'onb-3', user: { subject: 'x', email: 'nobody@example.com' } },
      onboardingKey('onb-3', 'AccountSelection'),
    );

    // Assess
    expect(mine.outcome === 'done' && mine.value.length).toBe(2);
    expect(stranger).toEqual({ outcome: 'done', value: [] });
  });

  it('activates the paid plan once, and refuses a tenant the signed-in user does not belong to', async () => {
    // Prepare
    const tenant = await tenantFor('onb-1');
    const request = { onboardingId: 'onb-1', tenantId: tenant.tenantId, plan: 'Enterprise', marketplace };
    const key = onboardingKey('onb-1', 'ActivatePaidPlan');

    // Act
    const intruder = await provisioning.activatePaidPlan(
      { ...request, user: { subject: 'x', email: 'mallory@example.com' } },
      key,
    );
    const first = await provisioning.activatePaidPlan(request, key);
    const again = await provisioning.activatePaidPlan(request, key);
    const missing = await provisioning.activatePaidPlan({ ...request, tenantId: 'acct-none' }, key);

    // Assess
    expect(intruder).toMatchObject({ outcome: 'refused', reason: 'not-permitted' });
    expect(first).toMatchObject({ outcome: 'done', value: { status: 'paid', plan: 'Enterprise' } });
    expect(again.outcome).toBe('already-done');
    expect(missing).toMatchObject({ outcome: 'refused', reason: 'tenant-not-found', field: 'tenantId' });
  });

  it('changes the plan, then ends it: a cancelled agreement keeps no paid plan, and a replay changes nothing', async () => {
    // Prepare
    const tenant = await tenantFor('onb-1');
    await provisioning.activatePaidPlan(
      { onboardingId: 'onb-1', tenantId: tenant.tenantId, plan: 'Team', marketplace },
      onboardingKey('onb-1', 'ActivatePaidPlan'),
    );

    // Act
    const changed = await provisioning.changePlan(
      { tenantId: tenant.tenantId, plan: 'Enterprise', marketplace },
      agreementKey('agmt-1', 'plan-changed'),
    );
    const ended = await provisioning.endPaidPlan(
      { tenantId: tenant.tenantId, action: 'end', reason: 'subscription-cancelled', marketplace },
      agreementKey('agmt-1', 'paid-plan-ended'),
    );
    const endedAgain = await provisioning.endPaidPlan(
      { tenantId: tenant.tenantId, action: 'end', reason: 'subscription-cancelled', marketplace },
      agreementKey('agmt-1', 'paid-plan-ended'),
    );
    const changeAfterEnd = await provisioning.changePlan(
      { tenantId: tenant.tenantId, plan: 'Team', marketplace },
      agreementKey('agmt-1', 'plan-changed'),
    );

    // Assess
    expect(changed).toMatchObject({ outcome: 'done', value: { status: 'paid', plan: 'Enterprise' } });
    expect(ended).toMatchObject({ outcome: 'done', value: { status: 'ended', plan: 'Enterprise' } });
    expect(endedAgain.outcome).toBe('already-done');
    expect(changeAfterEnd).toMatchObject({ outcome: 'refused', reason: 'tenant-not-eligible' });
    expect((await directory.getAccount(tenant.tenantId))?.plan).toBe('free');
  });
});

describe('the events decorator', () => {
  it('publishes each decision once per call with its key, nothing for reads or refusals', async () => {
    // Prepare
    const events = mockClient(EventBridgeClient);
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const published = new EventsProvisioning(provisioning, new EventBridgeClient({}), 'default');
    const key = onboardingKey('onb-1', 'CreateAccount');

    // Act
    const created = await published.createTenant(create('onb-1'), key);
    await published.readTenant({ tenantId: 'acct-none' }, key);
    await published.activatePaidPlan(
      { onboardingId: 'onb-1', tenantId: 'acct-none', plan: 'Team', marketplace },
      onboardingKey('onb-1', 'ActivatePaidPlan'),
    );

    // Assess
    expect(published.kind).toBe('built-in+events');
    expect(created.outcome).toBe('done');
    const calls = events.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    const entry = calls[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({ Source: PROVISIONING_EVENT_SOURCE, DetailType: 'Tenant Created' });
    expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({ idempotencyKey: key, outcome: 'done' });
    events.restore();
  });

  it('a bus that fails does not fail the provisioning decision', async () => {
    // Prepare
    const events = mockClient(EventBridgeClient);
    events.on(PutEventsCommand).rejects(new Error('bus down'));
    const warnings: string[] = [];
    const log = { info() {}, warn: (m: string) => warnings.push(m), error() {} };
    const published = new EventsProvisioning(provisioning, new EventBridgeClient({}), 'default', log);

    // Act
    const created = await published.createTenant(create('onb-1'), onboardingKey('onb-1', 'CreateAccount'));

    // Assess
    expect(created.outcome).toBe('done');
    expect(warnings).toEqual(['provisioning event not published']);
    events.restore();
  });
});
