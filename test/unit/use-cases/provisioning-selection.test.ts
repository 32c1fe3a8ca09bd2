/**
 * 7-2 against the vendor's SaaS: the accounts a signed-in user may upgrade come from the provisioning port (keyed by
 * the onboarding), the choice is checked against that same list, and an unavailable vendor is a named error rather
 * than an empty list.
 */
import { describe, expect, it } from 'vitest';
import { ScriptedProvisioning } from '../../../tasks/adapters/memory/provisioning.js';
import { ProvisioningUnavailableError } from '../../../tasks/domain/errors.js';
import { onboardingKey, unavailable } from '../../../tasks/ports/provisioning.js';
import { listUserAccounts, selectAccount } from '../../../tasks/use-cases/account-selection.js';
import { seedAccounts } from '../../../tasks/use-cases/saas-accounts.js';
import { buyer, opened, placeAt, recorded, setup } from './helpers.js';

async function atAccountSelection() {
  const base = setup();
  const provisioning = new ScriptedProvisioning(base.provisioning);
  const ports = { ...base, provisioning };
  const id = await recorded(ports);
  await seedAccounts(ports, [
    {
      email: 'admin@example.co.jp',
      password: 'demo-password-1',
      accounts: [
        { id: 'acct-prod', name: 'Example Prod', plan: 'paid' },
        { id: 'acct-dev', name: 'Example Dev' },
      ],
    },
    {
      email: 'other@example.co.jp',
      password: 'demo-password-2',
      accounts: [{ id: 'acct-other', name: 'Other' }],
    },
  ]);
  const userId = (await ports.accounts.findUserByEmail('admin@example.co.jp'))?.id ?? '';
  await placeAt(ports, id, 'NewOrExisting');
  await opened(ports, id, 'AccountSelection');
  return { ports, provisioning, id, userId };
}

describe('7-2 through the provisioning port', () => {
  it("lists the vendor's tenants of the signed-in user, keyed by the onboarding", async () => {
    // Prepare
    const { ports, provisioning, id, userId } = await atAccountSelection();
    // Act
    const accounts = await listUserAccounts(ports, userId, id);
    // Assess
    expect(accounts.map((a) => [a.id, a.plan, a.status]).sort()).toEqual([
      ['acct-dev', 'free', 'free'],
      ['acct-prod', 'paid', 'paid'],
    ]);
    expect(provisioning.calls).toEqual([
      expect.objectContaining({ operation: 'list-tenants', key: onboardingKey(id, 'ListTenants') }),
    ]);
    expect(provisioning.calls[0]?.request).toMatchObject({ user: { email: 'admin@example.co.jp' } });
  });

  it("accepts only a tenant the vendor lists for the user; another user's tenant is not-a-member", async () => {
    // Prepare
    const { ports, id, userId } = await atAccountSelection();
    // Act
    const foreign = await selectAccount(ports, {
      onboardingId: id,
      actor: buyer(),
      userId,
      accountId: 'acct-other',
    });
    const mine = await selectAccount(ports, {
      onboardingId: id,
      actor: buyer(),
      userId,
      accountId: 'acct-dev',
    });
    // Assess
    expect(foreign).toEqual({ ok: false, error: 'not-a-member' });
    expect(mine).toEqual({ ok: true, outcome: 'completed', stage: 'AccountSelection' });
    expect(ports.callbacks.successes()).toHaveLength(1);
  });

  it('an unavailable vendor is Onboarding.ProvisioningUnavailable, and nothing is completed', async () => {
    // Prepare
    const { ports, provisioning, id, userId } = await atAccountSelection();
    provisioning.answer('list-tenants', unavailable('timeout', 'no answer within 5000 ms'));
    // Act
    const choice = selectAccount(ports, { onboardingId: id, actor: buyer(), userId, accountId: 'acct-dev' });
    // Assess
    await expect(choice).rejects.toBeInstanceOf(ProvisioningUnavailableError);
    await expect(choice).rejects.toMatchObject({ workflowError: 'Onboarding.ProvisioningUnavailable' });
    expect(ports.callbacks.calls).toHaveLength(0);
  });
});
