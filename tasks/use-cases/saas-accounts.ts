/**
 * The SaaS side of the workflow: create the account (7-1, CreateAccount task), activate the paid plan
 * (idempotent, never before the subscription is confirmed), notify completion, and seed demo accounts.
 */

import {
  ActivatePaidPlanInput,
  CreateAccountInput,
  NotifyCompletionInput,
} from '../../workflows/contracts/task-io.js';
import { newAccount, normalizeEmail, type SaasAccount, userIdFor } from '../domain/account.js';
import { buyerMailContext, completionEmail } from '../domain/emails/index.js';
import { InvalidTaskInputError, OnboardingNotFoundError } from '../domain/errors.js';
import {
  activatePaidPlan as activateOn,
  assertSubscriptionConfirmed,
  complete,
  confirmSubscription,
  moveTo,
  type Onboarding,
} from '../domain/onboarding.js';
import { hashPassword } from '../domain/password.js';
import { said } from '../domain/timeline-texts.js';
import type { Ports } from '../ports/index.js';
import { onboardingKey, type SignedInUser, type Tenant } from '../ports/provisioning.js';
import { inviteOwner } from './invitations.js';
import { provisioned } from './provisioning.js';
import { note, nowIso, parseTaskInput, SYSTEM, sendOnce, updateOnboarding } from './shared.js';

export async function createAccount(
  ports: Pick<Ports, 'onboardings' | 'provisioning' | 'clock' | 'log'>,
  input: unknown,
): Promise<{ accountId: string }> {
  const { onboardingId, registration } = parseTaskInput('create-account', CreateAccountInput, input);
  if (registration.kind !== 'new') {
    throw new InvalidTaskInputError('create-account', [
      { path: 'registration.kind', message: 'CreateAccount needs a new-account registration (7-1)' },
    ]);
  }
  const onboarding = await ports.onboardings.get(onboardingId);
  if (!onboarding) throw new OnboardingNotFoundError(onboardingId);
  const { value: tenant, happenedNow } = provisioned(
    'create-tenant',
    await ports.provisioning.createTenant(
      {
        onboardingId,
        name: registration.accountName,
        owner: { email: normalizeEmail(registration.email) },
        buyer: {
          awsAccountId: onboarding.buyerAwsAccountId,
          company: onboarding.inquiry.company,
          locale: onboarding.locale,
        },
      },
      onboardingKey(onboardingId, 'CreateAccount'),
    ),
  );
  const at = nowIso(ports);
  const accountId = tenant.tenantId;
  await updateOnboarding(
    ports,
    onboardingId,
    (o) => ({ ...moveTo(o, 'CreateAccount', at), accountId, tenant: tenantOf(tenant), updatedAt: at }),
    onboarding,
  );
  if (happenedNow) {
    await note(
      ports,
      onboardingId,
      SYSTEM('create-account'),
      'CreateAccount',
      'account-created',
      said('account-created', { tenant: tenant.name, provider: ports.provisioning.kind }),
      { accountId },
    );
  }
  return { accountId };
}

const tenantOf = (t: Tenant): NonNullable<Onboarding['tenant']> => ({
  name: t.name,
  ...(t.signInUrl ? { signInUrl: t.signInUrl } : {}),
});

/** 7-2: the user who chose the tenant, for the vendor to check they may upgrade it (absent for 7-1 and old records). */
function userOf(r: Onboarding['registration']): { user?: SignedInUser } {
  if (r?.kind !== 'existing' || !r.email) return {};
  return { user: { subject: r.userId, email: r.email, ...(r.issuer ? { issuer: r.issuer } : {}) } };
}

export async function activatePaidPlan(
  ports: Pick<Ports, 'onboardings' | 'provisioning' | 'fulfillment' | 'clock' | 'config' | 'log'>,
  input: unknown,
): Promise<{ accountId: string; plan: string; activatedAt: string }> {
  const { onboardingId, accountId, registration } = parseTaskInput(
    'activate-paid-plan',
    ActivatePaidPlanInput,
    input,
  );
  let onboarding = await ports.onboardings.get(onboardingId);
  if (!onboarding) throw new OnboardingNotFoundError(onboardingId);
  if (onboarding.paidPlan) return onboarding.paidPlan;

  if (onboarding.subscription === 'none') {
    // no signal seen yet: ask the marketplace directly whether the buyer is entitled
    const entitlements = await ports.fulfillment.getEntitlements({
      productCode: onboarding.productCode ?? ports.config.productCode,
      ...(onboarding.licenseArn
        ? { licenseArn: onboarding.licenseArn }
        : { customerAwsAccountId: onboarding.buyerAwsAccountId }),
    });
    if (entitlements.length) {
      const at = nowIso(ports);
      onboarding = await updateOnboarding(
        ports,
        onboardingId,
        (o) => confirmSubscription(o, { detail: 'entitlement found by activate-paid-plan' }, at),
        onboarding,
      );
    }
  }
  assertSubscriptionConfirmed(onboarding);

  const plan = onboarding.terms?.plan ?? onboarding.plan;
  const { value: tenant, happenedNow } = provisioned(
    'activate-paid-plan',
    await ports.provisioning.activatePaidPlan(
      {
        onboardingId,
        tenantId: accountId,
        plan,
        marketplace: {
          productCode: onboarding.productCode ?? ports.config.productCode,
          customerAwsAccountId: onboarding.buyerAwsAccountId,
          ...(onboarding.agreementId ? { agreementId: onboarding.agreementId } : {}),
          ...(onboarding.licenseArn ? { licenseArn: onboarding.licenseArn } : {}),
          ...(onboarding.offer ? { offerId: onboarding.offer.offerId } : {}),
        },
        ...userOf(registration ?? onboarding.registration),
      },
      onboardingKey(onboardingId, 'ActivatePaidPlan'),
    ),
  );
  const at = nowIso(ports);
  const saved = await updateOnboarding(
    ports,
    onboardingId,
    (o) => ({ ...activateOn(o, accountId, at), tenant: tenantOf(tenant) }),
    onboarding,
  );
  if (happenedNow) {
    await note(
      ports,
      onboardingId,
      SYSTEM('activate-paid-plan'),
      'ActivatePaidPlan',
      'paid-plan-activated',
      said('paid-plan-activated', { plan, tenant: tenant.name }),
      {
        accountId,
        plan,
      },
    );
  }
  return saved.paidPlan ?? { accountId, plan, activatedAt: at };
}

export async function notifyCompletion(
  ports: Pick<Ports, 'onboardings' | 'accounts' | 'mailer' | 'clock' | 'config' | 'log'>,
  input: unknown,
): Promise<{ notifiedAt: string }> {
  const { onboardingId, accountId, registration } = parseTaskInput(
    'notify-completion',
    NotifyCompletionInput,
    input,
  );
  const at = nowIso(ports);
  // a retry after completion changes nothing
  let onboarding = await updateOnboarding(ports, onboardingId, (o) =>
    o.status === 'completed' ? o : moveTo(o, 'NotifyCompletion', at),
  );
  const account = await ports.accounts.getAccount(accountId);
  const plan = onboarding.paidPlan?.plan ?? onboarding.terms?.plan ?? onboarding.plan;
  // 7-1 with the built-in directory: the owner has no password yet; the mail carries a link to set one
  const setPassword = onboarding.notices.completion
    ? undefined
    : await inviteOwner(ports, { ...onboarding, registration: registration ?? onboarding.registration });
  const email = completionEmail({
    ...buyerMailContext(onboarding),
    accountName: onboarding.tenant?.name ?? account?.name ?? accountId,
    plan,
    ...(setPassword ? { setPassword } : {}),
    ...(onboarding.tenant?.signInUrl ? { signInUrl: onboarding.tenant.signInUrl } : {}),
  });
  ({ onboarding } = await sendOnce(ports, onboarding, 'completion', {
    to: [onboarding.inquiry.email],
    ...email,
    tag: 'completion',
  }));
  if (onboarding.status !== 'completed') {
    await updateOnboarding(
      ports,
      onboardingId,
      (o) => (o.status === 'completed' ? o : complete(o, at)),
      onboarding,
    );
    await note(
      ports,
      onboardingId,
      SYSTEM('notify-completion'),
      'Completed',
      'completed',
      said('completed', {}),
      { accountId, plan },
    );
  }
  return { notifiedAt: onboarding.notices.completion ?? at };
}

/** Demo and test data for 7-2: users with passwords and the accounts they belong to. Idempotent. */
export async function seedAccounts(
  ports: Pick<Ports, 'accounts' | 'clock'>,
  seed: {
    email: string;
    password: string;
    name?: string;
    accounts: { id: string; name: string; plan?: SaasAccount['plan'] }[];
  }[],
): Promise<void> {
  const at = nowIso(ports);
  for (const u of seed) {
    const email = normalizeEmail(u.email);
    const existing = await ports.accounts.findUserByEmail(email);
    const user = {
      id: existing?.id ?? userIdFor(email),
      email,
      ...(u.name ? { name: u.name } : {}),
      passwordHash: await hashPassword(u.password),
      createdAt: existing?.createdAt ?? at,
    };
    await ports.accounts.putUser(user);
    for (const a of u.accounts) {
      const account = { ...newAccount({ id: a.id, name: a.name, at }), plan: a.plan ?? 'free' };
      if ((await ports.accounts.createAccount(account, user)) === 'exists') {
        await ports.accounts.addMember({ userId: user.id, accountId: a.id, role: 'member' });
      }
    }
  }
}
