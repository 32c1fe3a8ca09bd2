import { describe, expect, it, vi } from 'vitest';
import { SubscriptionFailedError, SubscriptionNotConfirmedError } from '../../../tasks/domain/errors.js';
import { hashPassword, needsRehash, verifyPassword } from '../../../tasks/domain/password.js';
import { selectAccount } from '../../../tasks/use-cases/account-selection.js';
import { loginExistingUser, registerNewAccount } from '../../../tasks/use-cases/registration.js';
import {
  activatePaidPlan,
  createAccount,
  notifyCompletion,
  seedAccounts,
} from '../../../tasks/use-cases/saas-accounts.js';
import { buyer, opened, placeAt, recorded, setup } from './helpers.js';

async function atRegistration() {
  const ports = setup();
  const id = await recorded(ports);
  await placeAt(ports, id, 'AccountSetup');
  const { token } = await opened(ports, id, 'Registration');
  await seedAccounts(ports, [
    {
      email: 'admin@example.co.jp',
      password: 'demo-password-1',
      name: 'Admin',
      accounts: [
        { id: 'acct-existing-prod', name: 'Example Prod' },
        { id: 'acct-existing-dev', name: 'Example Dev' },
      ],
    },
    {
      email: 'other@elsewhere.example',
      password: 'demo-password-2',
      accounts: [{ id: 'acct-foreign', name: 'Foreign' }],
    },
  ]);
  return { ports, id, token };
}

describe('7-1 new account', () => {
  it('completes Registration with kind new', async () => {
    const { ports, id, token } = await atRegistration();

    const r = await registerNewAccount(ports, {
      onboardingId: id,
      actor: buyer(),
      accountName: 'Example New',
      email: 'new@example.co.jp',
    });

    expect(r).toEqual({ ok: true, outcome: 'completed', stage: 'Registration' });
    expect(ports.callbacks.successes()[0]).toMatchObject({
      token,
      output: { kind: 'new', accountName: 'Example New', email: 'new@example.co.jp' },
    });
  });

  it('sends a known e-mail to the login, and names bad fields', async () => {
    const { ports, id } = await atRegistration();

    const taken = await registerNewAccount(ports, {
      onboardingId: id,
      actor: buyer(),
      accountName: 'X',
      email: 'ADMIN@example.co.jp',
    });
    const bad = await registerNewAccount(ports, {
      onboardingId: id,
      actor: buyer(),
      accountName: '',
      email: 'nope',
    });

    expect(taken).toEqual({ ok: false, error: 'email-in-use' });
    expect(bad).toMatchObject({ ok: false, error: 'invalid-input' });
    expect(ports.callbacks.calls).toHaveLength(0);
  });

  it('CreateAccount creates the account once, with the buyer as owner', async () => {
    const { ports, id } = await atRegistration();
    await placeAt(ports, id, 'NewOrExisting');
    const input = {
      onboardingId: id,
      registration: { kind: 'new', actor: buyer(), accountName: 'Example New', email: 'new@example.co.jp' },
    };

    const a = await createAccount(ports, input);
    const b = await createAccount(ports, input);

    expect(b.accountId).toBe(a.accountId);
    expect(ports.accounts.accounts.size).toBe(4);
    const owner = await ports.accounts.findUserByEmail('new@example.co.jp');
    expect((await ports.accounts.listAccountsForUser(owner?.id ?? '')).map((x) => x.name)).toEqual([
      'Example New',
    ]);
    expect((await ports.onboardings.get(id))?.accountId).toBe(a.accountId);
  });
});

describe('a buyer a moment ahead of the workflow', () => {
  async function justArrived() {
    const ports = setup();
    const id = await recorded(ports);
    await placeAt(ports, id, 'AccountSetup'); // AccountSetup completed; Registration not open yet
    return { ports, id };
  }

  it('keeps a 7-1 registration sent before Registration opens and completes the stage when it opens', async () => {
    const { ports, id } = await justArrived();

    const early = await registerNewAccount(ports, {
      onboardingId: id,
      actor: buyer(),
      accountName: 'Example New',
      email: 'new@example.co.jp',
    });
    const again = await registerNewAccount(ports, {
      onboardingId: id,
      actor: buyer(),
      accountName: 'Other',
      email: 'other@example.co.jp',
    });
    const { token, completedAtOnce } = await opened(ports, id, 'Registration');

    expect(early).toEqual({ ok: true, outcome: 'completed', stage: 'Registration', early: true });
    expect(again).toEqual({ ok: false, error: 'already-completed' });
    expect(completedAtOnce).toBe(true);
    expect(ports.callbacks.successes()).toEqual([
      {
        kind: 'success',
        token,
        output: { kind: 'new', actor: buyer(), accountName: 'Example New', email: 'new@example.co.jp' },
      },
    ]);
    expect((await ports.onboardings.get(id))?.registration).toEqual({
      kind: 'new',
      accountName: 'Example New',
      email: 'new@example.co.jp',
    });
  });

  it('does not keep a submission for a stage that is not next', async () => {
    const ports = setup();
    const id = await recorded(ports);
    await placeAt(ports, id, 'Consultation');

    const r = await registerNewAccount(ports, {
      onboardingId: id,
      actor: buyer(),
      accountName: 'X',
      email: 'x@example.co.jp',
    });

    expect(r).toEqual({ ok: false, error: 'not-open' });
    expect(await ports.facts.list(id)).toEqual([]);
  });

  it('keeps a 7-2 account choice made before AccountSelection opens', async () => {
    const { ports, id } = await atRegistration();
    const login = await loginExistingUser(ports, {
      onboardingId: id,
      actor: buyer(),
      email: 'admin@example.co.jp',
      password: 'demo-password-1',
    });
    if (!login.ok) throw new Error('login failed');

    const early = await selectAccount(ports, {
      onboardingId: id,
      actor: buyer(),
      userId: login.user.id,
      accountId: 'acct-existing-dev',
    });
    const { completedAtOnce } = await opened(ports, id, 'AccountSelection');

    expect(early).toMatchObject({ ok: true, early: true });
    expect(completedAtOnce).toBe(true);
    expect(ports.callbacks.successes().at(-1)?.output).toEqual({
      actor: buyer(),
      accountId: 'acct-existing-dev',
    });
  });
});

describe('a 7-2 buyer two steps ahead of the workflow', () => {
  it('logs in and picks the account before Registration opened; both stages complete as they open', async () => {
    const ports = setup();
    await seedAccounts(ports, [
      {
        email: 'ahead@example.co.jp',
        password: 'demo-password-1',
        accounts: [{ id: 'acct-ahead', name: 'Ahead' }],
      },
    ]);
    const { id } = await (async () => {
      const id = await recorded(ports);
      await placeAt(ports, id, 'AccountSetup'); // AccountSetup completed; neither Registration nor AccountSelection open
      return { id };
    })();

    const login = await loginExistingUser(ports, {
      onboardingId: id,
      actor: buyer(),
      email: 'ahead@example.co.jp',
      password: 'demo-password-1',
    });
    if (!login.ok) throw new Error('login failed');
    const choice = await selectAccount(ports, {
      onboardingId: id,
      actor: buyer(),
      userId: login.user.id,
      accountId: 'acct-ahead',
    });
    const registration = await opened(ports, id, 'Registration');
    const selection = await opened(ports, id, 'AccountSelection');

    expect(login.registration).toMatchObject({ ok: true, early: true });
    expect(choice).toMatchObject({ ok: true, early: true });
    expect(registration.completedAtOnce).toBe(true);
    expect(selection.completedAtOnce).toBe(true);
    expect(ports.callbacks.successes().at(-1)?.output).toEqual({ actor: buyer(), accountId: 'acct-ahead' });
  });
});

describe('7-2 existing user', () => {
  it('logs in with e-mail and password, completes Registration and lists the accounts', async () => {
    const { ports, id } = await atRegistration();

    const r = await loginExistingUser(ports, {
      onboardingId: id,
      actor: buyer(),
      email: 'admin@example.co.jp',
      password: 'demo-password-1',
    });

    if (!r.ok) throw new Error(`login failed: ${JSON.stringify(r)}`);
    expect(r.user).not.toHaveProperty('passwordHash');
    expect(r.accounts.map((a) => a.name)).toEqual(['Example Dev', 'Example Prod']);
    expect(r.registration).toEqual({ ok: true, outcome: 'completed', stage: 'Registration' });
    expect(ports.callbacks.successes()[0]?.output).toMatchObject({ kind: 'existing', userId: r.user.id });
  });

  it("stores a password hashed at a lower cost again at today's cost when its user signs in", async () => {
    // Prepare: the user's hash made at N = 2^10 (as an older deployment, or a lower PASSWORD_SCRYPT_LN, wrote it)
    const { ports, id } = await atRegistration();
    const user = await ports.accounts.findUserByEmail('admin@example.co.jp');
    vi.stubEnv('PASSWORD_SCRYPT_LN', '10');
    const weak = await hashPassword('demo-password-1');
    vi.unstubAllEnvs();
    await ports.accounts.putUser({ ...(user as NonNullable<typeof user>), passwordHash: weak });
    // Act
    const r = await loginExistingUser(ports, {
      onboardingId: id,
      actor: buyer(),
      email: 'admin@example.co.jp',
      password: 'demo-password-1',
    });
    // Assess
    expect(r.ok).toBe(true);
    const after = (await ports.accounts.findUserByEmail('admin@example.co.jp'))?.passwordHash ?? '';
    expect(after.startsWith('$scrypt$ln=10,')).toBe(false);
    expect(needsRehash(after)).toBe(false);
    expect(await verifyPassword('demo-password-1', after)).toBe(true);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const { ports, id } = await atRegistration();

    const wrong = await loginExistingUser(ports, {
      onboardingId: id,
      actor: buyer(),
      email: 'admin@example.co.jp',
      password: 'guess-guess',
    });
    const unknown = await loginExistingUser(ports, {
      onboardingId: id,
      actor: buyer(),
      email: 'nobody@example.co.jp',
      password: 'guess-guess',
    });

    expect(wrong).toEqual({ ok: false, error: 'invalid-credentials' });
    expect(unknown).toEqual({ ok: false, error: 'invalid-credentials' });
    expect(ports.callbacks.calls).toHaveLength(0);
  });

  it('selects only an account the user belongs to', async () => {
    const { ports, id } = await atRegistration();
    const login = await loginExistingUser(ports, {
      onboardingId: id,
      actor: buyer(),
      email: 'admin@example.co.jp',
      password: 'demo-password-1',
    });
    if (!login.ok) throw new Error('login failed');
    await placeAt(ports, id, 'NewOrExisting');
    const { token } = await opened(ports, id, 'AccountSelection');

    const foreign = await selectAccount(ports, {
      onboardingId: id,
      actor: buyer(),
      userId: login.user.id,
      accountId: 'acct-foreign',
    });
    const mine = await selectAccount(ports, {
      onboardingId: id,
      actor: buyer(),
      userId: login.user.id,
      accountId: 'acct-existing-prod',
    });

    expect(foreign).toEqual({ ok: false, error: 'not-a-member' });
    expect(mine).toEqual({ ok: true, outcome: 'completed', stage: 'AccountSelection' });
    expect(ports.callbacks.successes().at(-1)).toMatchObject({
      token,
      output: { accountId: 'acct-existing-prod' },
    });
    expect((await ports.onboardings.get(id))?.accountId).toBe('acct-existing-prod');
  });
});

describe('ActivatePaidPlan and NotifyCompletion', () => {
  async function readyToActivate() {
    const { ports, id } = await atRegistration();
    await placeAt(ports, id, 'AccountSelection');
    return { ports, id, input: { onboardingId: id, accountId: 'acct-existing-prod' } };
  }

  it('refuses to activate before the subscription is confirmed (retryable, named for the workflow)', async () => {
    const { ports, input } = await readyToActivate();

    const error = await activatePaidPlan(ports, input).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SubscriptionNotConfirmedError);
    expect((error as SubscriptionNotConfirmedError).workflowError).toBe(
      'Onboarding.SubscriptionNotConfirmed',
    );
    expect((await ports.accounts.getAccount('acct-existing-prod'))?.plan).toBe('free');
  });

  it('activates once the entitlement is visible, and never twice', async () => {
    const { ports, id, input } = await readyToActivate();
    ports.fulfillment.entitle(ports.config.productCode, {
      dimension: 'Users',
      customerAwsAccountId: '123456789012',
    });

    const first = await activatePaidPlan(ports, input);
    ports.clock.advance(60_000);
    const again = await activatePaidPlan(ports, input);

    expect(first).toEqual({
      accountId: 'acct-existing-prod',
      plan: 'Enterprise',
      activatedAt: '2025-04-01T00:00:00.000Z',
    });
    expect(again).toEqual(first);
    expect((await ports.accounts.getAccount('acct-existing-prod'))?.paidPlan).toEqual({
      plan: 'Enterprise',
      onboardingId: id,
      activatedAt: first.activatedAt,
    });
    expect(
      (await ports.onboardings.timeline(id)).filter((e) => e.action === 'paid-plan-activated'),
    ).toHaveLength(1);
  });

  it('refuses for good after the subscription failed', async () => {
    const { ports, id, input } = await readyToActivate();
    await placeAt(ports, id, 'AccountSelection', {
      subscription: 'failed',
      subscriptionDetail: 'subscribe-fail',
    });

    await expect(activatePaidPlan(ports, input)).rejects.toBeInstanceOf(SubscriptionFailedError);
  });

  it('sends the completion once and completes the onboarding', async () => {
    const { ports, id, input } = await readyToActivate();
    await placeAt(ports, id, 'AccountSelection', { subscription: 'confirmed' });
    await activatePaidPlan(ports, input);

    await notifyCompletion(ports, input);
    await notifyCompletion(ports, input);

    const mails = ports.mailer.tagged('completion');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain('アカウント「Example Prod」で Enterprise プラン');
    expect(await ports.onboardings.get(id)).toMatchObject({ stage: 'Completed', status: 'completed' });
  });

  it('activates and completes reading the onboarding record once per task (each update starts from it)', async () => {
    const { ports, id, input } = await readyToActivate();
    ports.fulfillment.entitle(ports.config.productCode, {
      dimension: 'Users',
      customerAwsAccountId: '123456789012',
    });
    const reads: string[] = [];
    const get = ports.onboardings.get.bind(ports.onboardings);
    ports.onboardings.get = (onboardingId: string) => {
      reads.push(onboardingId);
      return get(onboardingId);
    };

    await activatePaidPlan(ports, input); // confirms through the entitlement, then activates
    const activation = reads.length;
    await notifyCompletion(ports, input); // moves, mails once, completes

    expect(activation).toBe(1);
    expect(reads.length - activation).toBe(1);
    expect(await get(id)).toMatchObject({
      subscription: 'confirmed',
      paidPlan: { accountId: 'acct-existing-prod' },
      stage: 'Completed',
      status: 'completed',
    });
    expect(ports.mailer.tagged('completion')).toHaveLength(1);
  });
});
