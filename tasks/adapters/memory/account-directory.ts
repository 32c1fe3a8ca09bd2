import { type Membership, normalizeEmail, type SaasAccount, type SaasUser } from '../../domain/account.js';
import type { Invitation } from '../../domain/invitation.js';
import {
  type AccountDirectory,
  applyPaidPlanChange,
  type PaidPlanChange,
} from '../../ports/account-directory.js';
import { clone } from './cursor.js';

export class MemoryAccountDirectory implements AccountDirectory {
  readonly accounts = new Map<string, SaasAccount>();
  readonly users = new Map<string, SaasUser>();
  readonly memberships: Membership[] = [];
  readonly invitations = new Map<string, Invitation>();

  async createAccount(account: SaasAccount, owner: SaasUser) {
    if (this.accounts.has(account.id)) return 'exists' as const;
    const existing = await this.findUserByEmail(owner.email);
    const user = existing ?? owner;
    if (!existing) await this.putUser(owner);
    this.accounts.set(account.id, clone(account));
    this.memberships.push({ userId: user.id, accountId: account.id, role: 'owner' });
    return 'created' as const;
  }

  async getAccount(accountId: string) {
    const a = this.accounts.get(accountId);
    return a ? clone(a) : undefined;
  }

  async putUser(user: SaasUser) {
    const other = [...this.users.values()].find(
      (u) => u.id !== user.id && normalizeEmail(u.email) === normalizeEmail(user.email),
    );
    if (other) throw new Error(`e-mail ${user.email} already belongs to user ${other.id}`);
    this.users.set(user.id, clone(user));
  }

  async getUser(userId: string) {
    const u = this.users.get(userId);
    return u ? clone(u) : undefined;
  }

  async findUserByEmail(email: string) {
    const e = normalizeEmail(email);
    const u = [...this.users.values()].find((x) => normalizeEmail(x.email) === e);
    return u ? clone(u) : undefined;
  }

  async addMember(membership: Membership) {
    if (
      !this.memberships.some((m) => m.userId === membership.userId && m.accountId === membership.accountId)
    ) {
      this.memberships.push(clone(membership));
    }
  }

  async listAccountsForUser(userId: string) {
    return this.memberships
      .filter((m) => m.userId === userId)
      .map((m) => this.accounts.get(m.accountId))
      .filter((a): a is SaasAccount => a !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(clone);
  }

  async activatePaidPlan(accountId: string, paid: NonNullable<SaasAccount['paidPlan']>) {
    const a = this.accounts.get(accountId);
    if (!a) throw new Error(`account ${accountId} does not exist`);
    if (a.plan === 'paid') return 'already-active' as const;
    a.plan = 'paid';
    a.paidPlan = clone(paid);
    return 'activated' as const;
  }

  async changePaidPlan(accountId: string, change: PaidPlanChange) {
    const a = this.accounts.get(accountId);
    if (!a) throw new Error(`account ${accountId} does not exist`);
    const next = applyPaidPlanChange(a, change);
    if (!next) return 'unchanged' as const;
    this.accounts.set(accountId, clone(next));
    return 'changed' as const;
  }

  async putInvitation(invitation: Invitation) {
    this.invitations.set(invitation.hash, clone(invitation));
  }

  async getInvitation(hash: string) {
    const i = this.invitations.get(hash);
    return i ? clone(i) : undefined;
  }

  async useInvitation(hash: string, at: string) {
    const i = this.invitations.get(hash);
    if (!i || i.usedAt) return false;
    i.usedAt = at;
    return true;
  }
}
