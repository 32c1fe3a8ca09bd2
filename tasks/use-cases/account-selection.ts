/**
 * The AccountSelection stage from the buyer's pages (7-2, "有料化を行うアカウントの選択"): the accounts (the vendor's
 * tenants, through the provisioning port) the signed-in user may upgrade, and the one to upgrade
 * ("このアカウントで利用を開始する"), which resumes AccountSelection.
 */
import type { Actor } from '../../workflows/contracts/actor.js';
import { AccountSelectionChoice } from '../../workflows/contracts/callbacks.js';
import { ProvisioningUnavailableError } from '../domain/errors.js';
import { invalid, issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';
import { onboardingKey, type SignedInUser, type Tenant } from '../ports/provisioning.js';
import { type CompleteStageResult, completeHumanStage } from './complete-human-stage.js';
import type { BuyerPorts } from './registration.js';

type BuyerActor = Extract<Actor, { kind: 'buyer' }>;

/** An account the signed-in user may upgrade, as the buyer's page lists it. */
export interface SelectableAccount {
  id: string;
  name: string;
  plan: 'free' | 'paid';
  status: Tenant['status'];
}

/**
 * The tenants the vendor's SaaS lets `user` upgrade (an OIDC user, or a user of the built-in directory). A refusal
 * lists nothing; an unavailable vendor throws `ProvisioningUnavailableError` (the page says to try again).
 */
export async function listTenantsFor(
  ports: Pick<Ports, 'provisioning'>,
  onboardingId: string,
  user: SignedInUser,
): Promise<SelectableAccount[]> {
  const outcome = await ports.provisioning.listTenants(
    { onboardingId, user },
    onboardingKey(onboardingId, 'ListTenants'),
  );
  if (outcome.outcome === 'unavailable') {
    throw new ProvisioningUnavailableError('list-tenants', outcome.reason, outcome.detail);
  }
  if (outcome.outcome === 'refused') return [];
  return outcome.value.map((t) => ({
    id: t.tenantId,
    name: t.name,
    plan: t.status === 'paid' ? 'paid' : 'free',
    status: t.status,
  }));
}

/** 7-2 with the built-in sign-in: the directory's user `userId` as a signed-in user (undefined if unknown). */
export async function builtInUser(
  ports: Pick<Ports, 'accounts'>,
  userId: string,
): Promise<SignedInUser | undefined> {
  const user = await ports.accounts.getUser(userId);
  return user ? { subject: user.id, email: user.email } : undefined;
}

/** 7-2 with the built-in sign-in: the accounts of the directory's user `userId`. */
export async function listUserAccounts(
  ports: Pick<Ports, 'accounts' | 'provisioning'>,
  userId: string,
  onboardingId = `user-${userId}`,
): Promise<SelectableAccount[]> {
  const user = await builtInUser(ports, userId);
  return user ? listTenantsFor(ports, onboardingId, user) : [];
}

/**
 * 7-2: the chosen account; only an account the signed-in user may upgrade (asked of the vendor's SaaS through the
 * provisioning port). Completes AccountSelection. `user` is an OIDC user, or `{ userId }` of the built-in directory.
 */
export async function selectAccount(
  ports: BuyerPorts & Pick<Ports, 'provisioning'>,
  input: {
    onboardingId: string;
    actor: BuyerActor;
    accountId: unknown;
  } & ({ userId: string } | { user: SignedInUser }),
): Promise<CompleteStageResult | { ok: false; error: 'not-a-member' }> {
  if (typeof input.accountId === 'string' && input.accountId) {
    // bounded before the vendor is asked for the user's tenants (validation before any lookup)
    const bounded = AccountSelectionChoice.shape.accountId.safeParse(input.accountId);
    if (!bounded.success) {
      return invalid(issuesOf(bounded.error).map((i) => ({ ...i, path: 'accountId' })));
    }
    const user = 'user' in input ? input.user : await builtInUser(ports, input.userId);
    const mine = user ? await listTenantsFor(ports, input.onboardingId, user) : [];
    if (!mine.some((a) => a.id === input.accountId)) return { ok: false, error: 'not-a-member' };
  }
  return completeHumanStage(ports, {
    onboardingId: input.onboardingId,
    stage: 'AccountSelection',
    actor: input.actor,
    payload: { accountId: input.accountId },
  });
}
