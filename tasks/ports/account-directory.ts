import type { Membership, SaasAccount, SaasUser } from '../domain/account.js';

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
}
