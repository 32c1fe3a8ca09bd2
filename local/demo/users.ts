/**
 * Existing users for 7-2 in benchmarks and crash runs: `count` users, each with one account, known to the vendor's
 * SaaS the stack runs: the sample SaaS (through its loopback `/_users`, so a stack in another process works too), or
 * the built-in directory (through the application's ports, from this process's stack environment).
 */
import type { ExistingUser } from './journeys.js';

export function existingUsers(prefix: string, count: number): ExistingUser[] {
  return Array.from({ length: count }, (_, i) => ({
    email: `${prefix}-user-${i}@example.co.jp`,
    password: `${prefix}-password-1`,
    accountId: `acct-${prefix}-${i}`,
  }));
}

/** Seeds `users` where the stack's 7-2 looks them up: `saasUrl` (the sample SaaS) when given, else the directory. */
export async function seedExistingUsers(
  users: readonly ExistingUser[],
  saasUrl: string | undefined,
): Promise<void> {
  const accounts = (u: ExistingUser) => [{ id: u.accountId, name: `Account ${u.accountId}` }];
  if (saasUrl) {
    const res = await fetch(`${saasUrl}/_users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        users: users.map((u) => ({
          email: u.email,
          password: u.password,
          name: u.email,
          tenants: accounts(u),
        })),
      }),
    });
    if (!res.ok) throw new Error(`the sample SaaS refused the demo users: HTTP ${res.status}`);
    return;
  }
  const { awsPorts } = await import('../../tasks/adapters/aws/index.js');
  const { seedAccounts } = await import('../../tasks/use-cases/index.js');
  await seedAccounts(
    awsPorts(),
    users.map((u) => ({ email: u.email, password: u.password, accounts: accounts(u) })),
  );
}

/**
 * Drivers of many onboardings (tests, benchmarks, crash runs) send every inquiry from 127.0.0.1: lift the per-address
 * inquiry limit for the stacks they start (env RATE_LIMITS, read by the functions; the per-e-mail limit stays, and
 * each driven buyer has an address of their own). A limit set by the caller wins.
 */
export function allowManyInquiriesFromOneAddress(env: NodeJS.ProcessEnv = process.env): void {
  env.RATE_LIMITS ??= JSON.stringify({ inquiryPerAddress: { limit: 100_000 } });
}
