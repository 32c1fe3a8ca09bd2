/**
 * Validation before any lookup (issue 10): the 7-2 account choice is bounded before the vendor's SaaS is asked for the
 * user's tenants, so a 3,000-character id costs no provisioning call and is refused on its field.
 */
import { describe, expect, it } from 'vitest';
import { ScriptedProvisioning } from '../../../tasks/adapters/memory/provisioning.js';
import { selectAccount } from '../../../tasks/use-cases/account-selection.js';
import { seedAccounts } from '../../../tasks/use-cases/saas-accounts.js';
import { buyer, opened, placeAt, recorded, setup } from './helpers.js';

describe('the account choice of 7-2', () => {
  it('refuses an id over 255 characters on its field before any provisioning call', async () => {
    // Prepare
    const base = setup();
    const provisioning = new ScriptedProvisioning(base.provisioning);
    const ports = { ...base, provisioning };
    const id = await recorded(ports);
    await seedAccounts(ports, [
      {
        email: 'admin@example.co.jp',
        password: 'demo-password-1',
        accounts: [{ id: 'acct-dev', name: 'Dev' }],
      },
    ]);
    const userId = (await ports.accounts.findUserByEmail('admin@example.co.jp'))?.id ?? '';
    await placeAt(ports, id, 'NewOrExisting');
    await opened(ports, id, 'AccountSelection');
    // Act
    const long = await selectAccount(ports, {
      onboardingId: id,
      actor: buyer(),
      userId,
      accountId: 'a'.repeat(3_000),
    });
    const callsAfterLong = provisioning.calls.length;
    const fine = await selectAccount(ports, {
      onboardingId: id,
      actor: buyer(),
      userId,
      accountId: 'acct-dev',
    });
    // Assess
    expect(long).toEqual({
      ok: false,
      error: 'invalid-input',
      issues: [
        {
          path: 'accountId',
          message: 'accountId must be at most 255 characters',
          kind: 'too_long',
          limit: 255,
        },
      ],
    });
    expect(callsAfterLong).toBe(0);
    expect(fine).toMatchObject({ ok: true, stage: 'AccountSelection' });
    expect(provisioning.calls.length).toBeGreaterThan(0);
  });
});
