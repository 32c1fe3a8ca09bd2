/**
 * Demo data for the embedded default: staff users of every role (the users file) and an existing SaaS user with
 * two accounts, for the 7-2 path (log in, pick the account to upgrade). Idempotent: a restart changes nothing that
 * is already there, and never resets a password someone changed.
 */
import { awsPorts } from '../../tasks/adapters/aws/index.js';
import { addUser, readUsersFile } from '../../tasks/adapters/file/staff-users.js';
import { seedAccounts } from '../../tasks/use-cases/index.js';
import type { StaffRole } from '../../workflows/contracts/index.js';

export const DEMO_STAFF: readonly { id: string; name: string; role: StaffRole; password: string }[] = [
  { id: 'sales', name: 'Sales (demo)', role: 'sales', password: 'demo-sales-pass' },
  { id: 'support', name: 'Support (demo)', role: 'support', password: 'demo-support-pass' },
  { id: 'auditor', name: 'Auditor (demo)', role: 'auditor', password: 'demo-auditor-pass' },
  { id: 'admin', name: 'Admin (demo)', role: 'admin', password: 'demo-admin-pass' },
];

export const DEMO_BUYER_USER = {
  email: 'taro.yamada@example.co.jp',
  password: 'demo-buyer-pass',
  name: '山田 太郎',
  accounts: [
    { id: 'acct-demo-production', name: 'Example KK 本番環境', plan: 'free' as const },
    { id: 'acct-demo-staging', name: 'Example KK 検証環境', plan: 'free' as const },
  ],
};

export async function seedDemoData(staffUsersFile: string): Promise<{ staffAdded: number }> {
  const existing = new Set((await readUsersFile(staffUsersFile)).map((u) => u.id));
  let staffAdded = 0;
  for (const user of DEMO_STAFF) {
    if (existing.has(user.id)) continue;
    await addUser(staffUsersFile, { id: user.id, name: user.name, role: user.role }, user.password);
    staffAdded++;
  }
  await seedAccounts(awsPorts(), [DEMO_BUYER_USER]);
  return { staffAdded };
}
