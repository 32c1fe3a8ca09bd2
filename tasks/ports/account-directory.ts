import type { Membership, SaasAccount, SaasUser } from '../domain/account.js';
import type { Invitation } from '../domain/invitation.js';

export interface AccountDirectory {
  /** Creates the account with its first member; `exists` (and nothing changed) if the account id is taken. */
  createAccount(account: SaasAccount, owner: SaasUser): Promise<'created' | 'exists'>;
  getAccount(accountId: string): Promise<SaasAccount | undefined>;
  /** Creates or replaces a user (seeding, password set). The e-mail must not belong to another user. */
  putUser(user: SaasUser): Promise<void>;
  getUser(userId: string): Promise<SaasUser | undefined>;
  findUserByEmail(email: string): Promise<SaasUser | undefined>;
  addMember(membership: Membership): Promise<void>;
  listAccountsForUser(userId: string): Promise<SaasAccount[]>;
  /** Switches the account to the paid plan once: `already-active` if it already was (for any onboarding). */
  activatePaidPlan(
    accountId: string,
    paid: NonNullable<SaasAccount['paidPlan']>,
  ): Promise<'activated' | 'already-active'>;
  /**
   * After the sale: rename the paid plan (an amended agreement), or suspend/end it (back to free, the ended plan
   * kept). `unchanged` if the account already is as asked; throws if the account does not exist.
   */
  changePaidPlan(accountId: string, change: PaidPlanChange): Promise<'changed' | 'unchanged'>;
  /** Stores a set-password invitation (by its hash). */
  putInvitation(invitation: Invitation): Promise<void>;
  getInvitation(hash: string): Promise<Invitation | undefined>;
  /** Marks it used once: `false` if it was used already (a second click, a race). */
  useInvitation(hash: string, at: string): Promise<boolean>;
}

export type PaidPlanChange =
  | { kind: 'plan'; plan: string; at: string }
  | { kind: 'suspend' | 'end'; reason: string; at: string };

/** The account after a change (pure; shared by the adapters). `undefined` when nothing changes. */
export function applyPaidPlanChange(account: SaasAccount, change: PaidPlanChange): SaasAccount | undefined {
  if (change.kind === 'plan') {
    if (account.plan !== 'paid' || !account.paidPlan) return undefined;
    if (account.paidPlan.plan === change.plan) return undefined;
    return { ...account, paidPlan: { ...account.paidPlan, plan: change.plan } };
  }
  if (account.plan !== 'paid' || !account.paidPlan) {
    return account.endedPlan?.action === change.kind || account.endedPlan?.action === 'end'
      ? undefined
      : account.endedPlan
        ? { ...account, endedPlan: { ...account.endedPlan, action: change.kind, reason: change.reason } }
        : undefined;
  }
  const { paidPlan, ...rest } = account;
  return {
    ...rest,
    plan: 'free',
    endedPlan: { plan: paidPlan.plan, action: change.kind, reason: change.reason, endedAt: change.at },
  };
}
