/**
 * 7-1 when the vendor's SaaS refuses the new account for a reason the buyer can fix: the registration page comes
 * back with the words in the buyer's language on the field concerned, nothing changes, and the buyer's corrected
 * form completes Registration.
 */
import { describe, expect, it } from 'vitest';
import { ScriptedProvisioning } from '../../tasks/adapters/memory/provisioning.js';
import { refused, unavailable } from '../../tasks/ports/provisioning.js';
import * as uc from '../../tasks/use-cases/index.js';
import { arrivedBuyer, changes, harness } from './support/harness.js';

async function atRegisterPage() {
  const { app, flow, ports } = await harness();
  const provisioning = new ScriptedProvisioning(ports.provisioning);
  ports.provisioning = provisioning;
  const { c } = await arrivedBuyer({ app, flow });
  return { c, flow, ports, provisioning };
}

describe('buyer registration refused by the vendor', () => {
  it('shows the refusal on the account name field in Japanese, changes nothing, and accepts the fixed name', async () => {
    // Prepare
    const { c, flow, ports, provisioning } = await atRegisterPage();
    provisioning.answer('create-tenant', refused('tenant-name-taken', { field: 'name', status: 409 }));
    const before = changes(ports);
    // Act
    const r = await c.post('/buyer/register', { accountName: 'Taken', email: 'new@example.co.jp' });
    const same = changes(ports);
    const fixed = await c.post('/buyer/register', { accountName: 'Example New', email: 'new@example.co.jp' });
    await flow.idle();
    // Assess
    expect(r.status).toBe(409);
    expect(r.text).toContain('このアカウント名はすでに使われています。');
    expect(r.text).toMatch(
      /name="accountName"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="accountName"/,
    );
    expect(same).toBe(before);
    expect(fixed.status).toBe(303);
    expect(provisioning.count('create-tenant')).toBeGreaterThanOrEqual(2);
  });

  it("7-2 with the vendor not answering: a 503 page in the buyer's language, nothing chosen; then the list and the choice work", async () => {
    // Prepare
    const { c, flow, ports, provisioning } = await atRegisterPage();
    await uc.seedAccounts(ports, [
      {
        email: 'hanako@example.co.jp',
        password: 'pw-hanako-1',
        accounts: [{ id: 'acct-lab', name: 'Hanako Lab' }],
      },
    ]);
    await c.post('/buyer/login', { email: 'hanako@example.co.jp', password: 'pw-hanako-1' });
    await flow.idle();
    const down = unavailable('timeout', 'no answer within 5000 ms');
    const before = changes(ports);
    // Act
    provisioning.answer('list-tenants', down);
    const page = await c.get('/buyer/accounts');
    await c.get('/buyer/accounts'); // the buyer reloads: the list (and its form) is back
    provisioning.answer('list-tenants', down);
    const choice = await c.post('/buyer/accounts', { accountId: 'acct-lab' });
    const same = changes(ports);
    const list = await c.get('/buyer/accounts');
    const chosen = await c.post('/buyer/accounts', { accountId: 'acct-lab' });
    // Assess
    expect(page.status).toBe(503);
    expect(page.text).toContain('サービスに接続できません');
    expect(choice.status).toBe(503);
    expect(same).toBe(before);
    expect(list.text).toContain('Hanako Lab');
    expect(chosen.status).toBe(303);
  });
});
