/**
 * 7-1 against the vendor's SaaS from the buyer's page: a refusal the buyer can fix comes back to the page as a typed
 * error (reason, messageKey, field) and completes nothing; with valid fields the tenant is created once, with the
 * CreateAccount task's idempotency key, so the task that follows (and a double submit) provisions nothing more;
 * an unavailable vendor or a refusal only support can settle does not stop the buyer (the task retries, escalates).
 */
import { describe, expect, it } from 'vitest';
import { ScriptedProvisioning } from '../../../tasks/adapters/memory/provisioning.js';
import { onboardingKey, refused, unavailable } from '../../../tasks/ports/provisioning.js';
import { registerNewAccount } from '../../../tasks/use-cases/registration.js';
import { createAccount } from '../../../tasks/use-cases/saas-accounts.js';
import { buyer, opened, placeAt, recorded, setup } from './helpers.js';

async function atRegistration() {
  const base = setup();
  const provisioning = new ScriptedProvisioning(base.provisioning);
  const ports = { ...base, provisioning };
  const id = await recorded(ports);
  await placeAt(ports, id, 'AccountSetup');
  await opened(ports, id, 'Registration');
  return { ports, provisioning, id };
}
const form = (id: string, accountName = 'Example New', email = 'new@example.co.jp') => ({
  onboardingId: id,
  actor: buyer(),
  accountName,
  email,
});

describe('registerNewAccount through the provisioning port', () => {
  it('returns a refusal the buyer can fix to the page, naming the field, and completes nothing', async () => {
    // Prepare
    const { ports, provisioning, id } = await atRegistration();
    provisioning.answer('create-tenant', refused('tenant-name-taken', { field: 'name', status: 409 }));
    // Act
    const r = await registerNewAccount(ports, form(id));
    // Assess
    expect(r).toEqual({
      ok: false,
      error: 'provisioning-refused',
      reason: 'tenant-name-taken',
      messageKey: 'provisioning.refused.tenant-name-taken',
      field: 'name',
    });
    expect(ports.callbacks.calls).toHaveLength(0);
    expect(ports.accounts.accounts.size).toBe(0);
  });

  it('after the buyer fixes the name: one tenant, keyed like the CreateAccount task, which then provisions nothing more', async () => {
    // Prepare
    const { ports, provisioning, id } = await atRegistration();
    provisioning.answer('create-tenant', refused('tenant-name-taken', { field: 'name' }));
    await registerNewAccount(ports, form(id, 'Taken'));
    // Act
    const fixed = await registerNewAccount(ports, form(id, 'Example New'));
    const again = await registerNewAccount(ports, form(id, 'Example New')); // a double submit
    await placeAt(ports, id, 'NewOrExisting');
    const task = await createAccount(ports, {
      onboardingId: id,
      registration: { kind: 'new', actor: buyer(), accountName: 'Example New', email: 'new@example.co.jp' },
    });
    // Assess
    expect(fixed).toEqual({ ok: true, outcome: 'completed', stage: 'Registration' });
    expect(again).toEqual({ ok: false, error: 'already-completed' });
    // refused, fixed, the task (already-done); the double submit after completion calls nothing
    expect(provisioning.calls.map((c) => c.key)).toEqual(Array(3).fill(onboardingKey(id, 'CreateAccount')));
    expect(ports.accounts.accounts.size).toBe(1);
    expect((await ports.accounts.getAccount(task.accountId))?.name).toBe('Example New');
    expect(ports.callbacks.successes()).toHaveLength(1);
  });

  it.each([
    ['the vendor is unavailable', unavailable('server-error', '503', { status: 503 })],
    ['a refusal only support can settle', refused('plan-unknown', { status: 422 })],
  ])(
    '%s: the buyer still completes Registration (the CreateAccount task retries or escalates)',
    async (_, outcome) => {
      // Prepare
      const { ports, provisioning, id } = await atRegistration();
      provisioning.answer('create-tenant', outcome);
      // Act
      const r = await registerNewAccount(ports, form(id));
      // Assess
      expect(r).toEqual({ ok: true, outcome: 'completed', stage: 'Registration' });
      expect(provisioning.count('create-tenant')).toBe(1);
    },
  );

  it('does not call the vendor with fields the form rejects', async () => {
    // Prepare
    const { ports, provisioning, id } = await atRegistration();
    // Act
    const r = await registerNewAccount(ports, form(id, '', 'nope'));
    // Assess
    expect(r).toMatchObject({ ok: false, error: 'invalid-input' });
    expect(provisioning.calls).toEqual([]);
  });

  it('creates no tenant for a closed onboarding (the stage refuses, the vendor is not called)', async () => {
    // Prepare
    const { ports, provisioning, id } = await atRegistration();
    const o = await ports.onboardings.get(id);
    if (!o) throw new Error('no onboarding');
    await ports.onboardings.save({ ...o, status: 'closed' });
    // Act
    await registerNewAccount(ports, form(id));
    // Assess
    expect(provisioning.calls).toEqual([]);
    expect(ports.accounts.accounts.size).toBe(0);
  });
});
