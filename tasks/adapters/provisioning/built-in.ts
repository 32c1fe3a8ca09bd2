/**
 * The `built-in` provisioning adapter: the embedded account directory (AccountDirectory) as the vendor's SaaS, the
 * default for a vendor without a SaaS of its own yet. Idempotent by construction: the account a 7-1 onboarding
 * creates has an id derived from the onboarding, a paid plan is activated once, a plan change or end that is
 * already in place answers `already-done`.
 */
import { accountIdFor, normalizeEmail, type SaasAccount, userIdFor } from '../../domain/account.js';
import type { AccountDirectory } from '../../ports/account-directory.js';
import type { Clock } from '../../ports/clock.js';
import {
  type ActivatePaidPlanRequest,
  type ChangePlanRequest,
  type CreateTenantRequest,
  type EndPaidPlanRequest,
  type IdempotencyKey,
  type ListTenantsRequest,
  type Provisioning,
  type ProvisioningOutcome,
  type ReadTenantRequest,
  refused,
  type Tenant,
} from '../../ports/provisioning.js';

export function tenantOf(account: SaasAccount, signInUrl?: string): Tenant {
  const status: Tenant['status'] =
    account.plan === 'paid'
      ? 'paid'
      : account.endedPlan?.action === 'suspend'
        ? 'suspended'
        : account.endedPlan
          ? 'ended'
          : 'free';
  const plan = account.paidPlan?.plan ?? account.endedPlan?.plan;
  return {
    tenantId: account.id,
    name: account.name,
    status,
    ...(plan ? { plan } : {}),
    ...(signInUrl ? { signInUrl } : {}),
  };
}

export class BuiltInProvisioning implements Provisioning {
  readonly kind = 'built-in';

  constructor(
    private readonly accounts: AccountDirectory,
    private readonly clock: Clock,
    /** Where a buyer signs in to the built-in directory (the buyer site's login page), shown after 7-1. */
    private readonly signInUrl?: string,
  ) {}

  private at(): string {
    return this.clock.now().toISOString();
  }

  async createTenant(
    request: CreateTenantRequest,
    _key: IdempotencyKey,
  ): Promise<ProvisioningOutcome<Tenant>> {
    const at = this.at();
    const email = normalizeEmail(request.owner.email);
    const owner = (await this.accounts.findUserByEmail(email)) ?? {
      id: userIdFor(email),
      email,
      ...(request.owner.name ? { name: request.owner.name } : {}),
      createdAt: at,
    };
    const account: SaasAccount = {
      id: accountIdFor(request.onboardingId),
      name: request.name,
      plan: 'free',
      createdByOnboarding: request.onboardingId,
      createdAt: at,
    };
    const created = await this.accounts.createAccount(account, owner);
    const stored = (await this.accounts.getAccount(account.id)) ?? account;
    if (created === 'exists' && stored.createdByOnboarding !== request.onboardingId) {
      return refused('tenant-name-taken', { field: 'name' });
    }
    return {
      outcome: created === 'created' ? 'done' : 'already-done',
      value: tenantOf(stored, this.signInUrl),
    };
  }

  async listTenants(
    request: ListTenantsRequest,
    _key: IdempotencyKey,
  ): Promise<ProvisioningOutcome<Tenant[]>> {
    const user = await this.accounts.findUserByEmail(request.user.email);
    if (!user) return { outcome: 'done', value: [] };
    const accounts = await this.accounts.listAccountsForUser(user.id);
    return { outcome: 'done', value: accounts.map((a) => tenantOf(a, this.signInUrl)) };
  }

  async activatePaidPlan(
    request: ActivatePaidPlanRequest,
    _key: IdempotencyKey,
  ): Promise<ProvisioningOutcome<Tenant>> {
    const account = await this.accounts.getAccount(request.tenantId);
    if (!account) return refused('tenant-not-found', { field: 'tenantId' });
    if (request.user) {
      const user = await this.accounts.findUserByEmail(request.user.email);
      const mine = user ? await this.accounts.listAccountsForUser(user.id) : [];
      if (!mine.some((a) => a.id === account.id)) return refused('not-permitted', { field: 'tenantId' });
    }
    const result = await this.accounts.activatePaidPlan(request.tenantId, {
      plan: request.plan,
      onboardingId: request.onboardingId,
      activatedAt: this.at(),
    });
    const now = (await this.accounts.getAccount(request.tenantId)) ?? account;
    return {
      outcome: result === 'activated' ? 'done' : 'already-done',
      value: tenantOf(now, this.signInUrl),
    };
  }

  changePlan(request: ChangePlanRequest, _key: IdempotencyKey): Promise<ProvisioningOutcome<Tenant>> {
    return this.change(request.tenantId, { kind: 'plan', plan: request.plan, at: this.at() });
  }

  endPaidPlan(request: EndPaidPlanRequest, _key: IdempotencyKey): Promise<ProvisioningOutcome<Tenant>> {
    return this.change(request.tenantId, { kind: request.action, reason: request.reason, at: this.at() });
  }

  async readTenant(request: ReadTenantRequest, _key: IdempotencyKey): Promise<ProvisioningOutcome<Tenant>> {
    const account = await this.accounts.getAccount(request.tenantId);
    return account
      ? { outcome: 'done', value: tenantOf(account, this.signInUrl) }
      : refused('tenant-not-found', { field: 'tenantId' });
  }

  private async change(
    tenantId: string,
    change: Parameters<AccountDirectory['changePaidPlan']>[1],
  ): Promise<ProvisioningOutcome<Tenant>> {
    const account = await this.accounts.getAccount(tenantId);
    if (!account) return refused('tenant-not-found', { field: 'tenantId' });
    if (change.kind === 'plan' && account.plan !== 'paid')
      return refused('tenant-not-eligible', { field: 'tenantId' });
    const result = await this.accounts.changePaidPlan(tenantId, change);
    const now = (await this.accounts.getAccount(tenantId)) ?? account;
    return { outcome: result === 'changed' ? 'done' : 'already-done', value: tenantOf(now, this.signInUrl) };
  }
}
