/**
 * The Registration stage from the buyer's pages (step 6→7): a new account (7-1, account name + e-mail), or the login of
 * an existing user (7-2-1), who then picks the account to upgrade (account-selection.ts). Each resumes Registration.
 */
import * as z from 'zod';
import type { Actor } from '../../workflows/contracts/actor.js';
import { NewAccountFields } from '../../workflows/contracts/callbacks.js';
import { Email } from '../../workflows/contracts/inquiry.js';
import {
  accountIdFor,
  normalizeEmail,
  type PublicUser,
  publicUser,
  type SaasAccount,
} from '../domain/account.js';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from '../domain/password.js';
import { rateLimit } from '../domain/rate-limits.js';
import { type Invalid, invalid, issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';
import {
  BUYER_FIXABLE,
  CreateTenantRequest,
  onboardingKey,
  type RefusalReason,
  type Refused,
  SignedInUser,
} from '../ports/provisioning.js';
import { type CompleteStageResult, completeHumanStage } from './complete-human-stage.js';

type BuyerActor = Extract<Actor, { kind: 'buyer' }>;
export type BuyerPorts = Pick<Ports, 'onboardings' | 'tasks' | 'callbacks' | 'clock' | 'log' | 'accounts'>;

/**
 * The vendor's SaaS refused the new account for a reason the buyer can fix on the same page (e.g. the account name is
 * taken): `messageKey` names the words (web/i18n.ts `provisioning.refused.<reason>`), `field` the form field.
 */
export type ProvisioningRefusal = {
  ok: false;
  error: 'provisioning-refused';
  reason: RefusalReason;
  messageKey: string;
  field?: Refused['field'];
};

/**
 * 7-1: complete Registration with `{ kind: 'new', accountName, email }`. With valid fields the tenant is created in the
 * vendor's SaaS first, with the CreateAccount task's idempotency key (the task then finds it `already-done`), so a
 * refusal the buyer can fix comes back to this page; an unavailable vendor or a refusal only support can settle does
 * not stop the buyer: the CreateAccount task retries it with backoff, then escalates.
 */
export async function registerNewAccount(
  ports: BuyerPorts & Pick<Ports, 'provisioning'>,
  input: { onboardingId: string; actor: BuyerActor; accountName: unknown; email: unknown },
): Promise<CompleteStageResult | { ok: false; error: 'email-in-use' } | ProvisioningRefusal> {
  // the fields are checked before anything is looked up (an unbounded e-mail would not fit a key)
  const fields = NewAccountFields.safeParse({ accountName: input.accountName, email: input.email });
  if (!fields.success) return invalid(issuesOf(fields.error));
  const existing = await ports.accounts.findUserByEmail(fields.data.email);
  // someone with that e-mail already uses the product: they should log in (7-2) instead; unless it is this
  // onboarding's own new account (a double submit after the tenant was created)
  const ours = existing ? await ports.accounts.getAccount(accountIdFor(input.onboardingId)) : undefined;
  if (existing && ours?.createdByOnboarding !== input.onboardingId)
    return { ok: false, error: 'email-in-use' };
  const onboarding = await ports.onboardings.get(input.onboardingId);
  // only while the buyer may still register: never a tenant for a closed, finished or already registered onboarding
  const request =
    onboarding?.status === 'active' && !onboarding.registration
      ? CreateTenantRequest.safeParse({
          onboardingId: input.onboardingId,
          name: input.accountName,
          owner: { email: typeof input.email === 'string' ? normalizeEmail(input.email) : input.email },
          buyer: {
            awsAccountId: onboarding.buyerAwsAccountId,
            company: onboarding.inquiry.company,
            locale: onboarding.locale,
          },
        })
      : undefined;
  if (request?.success) {
    const outcome = await ports.provisioning.createTenant(
      request.data,
      onboardingKey(input.onboardingId, 'CreateAccount'),
    );
    if (outcome.outcome === 'refused' && BUYER_FIXABLE.has(outcome.reason)) {
      ports.log.info('provisioning refused the new account', {
        onboardingId: input.onboardingId,
        reason: outcome.reason,
      });
      return {
        ok: false,
        error: 'provisioning-refused',
        reason: outcome.reason,
        messageKey: outcome.messageKey,
        ...(outcome.field ? { field: outcome.field } : {}),
      };
    }
  }
  return completeHumanStage(ports, {
    onboardingId: input.onboardingId,
    stage: 'Registration',
    actor: input.actor,
    payload: { kind: 'new', accountName: input.accountName, email: input.email },
  });
}

const Credentials = z.object({
  email: Email,
  password: z
    .string({ message: 'password is required' })
    .min(1, 'password is required')
    .max(1024, 'password must be at most 1024 characters'),
});

export type LoginResult =
  | { ok: true; user: PublicUser; accounts: SaasAccount[]; registration: CompleteStageResult }
  | Invalid
  | { ok: false; error: 'invalid-credentials' }
  /** Too many failed sign-ins for this e-mail or from this client: no password is checked until the window ends. */
  | { ok: false; error: 'locked-out'; retryAfterSeconds: number };

/** 7-2: e-mail + password → the user; then complete Registration with `{ kind: 'existing', userId }`. */
export async function loginExistingUser(
  ports: BuyerPorts & Partial<Pick<Ports, 'rateLimits' | 'config'>>,
  input: { onboardingId: string; actor: BuyerActor; email: unknown; password: unknown; client?: string },
): Promise<LoginResult> {
  const creds = Credentials.safeParse({ email: input.email, password: input.password });
  if (!creds.success) return invalid(issuesOf(creds.error));
  const email = normalizeEmail(creds.data.email);
  // failures counted per e-mail (one account guessed) and per client (many accounts guessed from one place)
  const limits = [
    { limit: rateLimit('loginFailuresPerEmail', ports.config?.rateLimits), subject: email },
    ...(input.client
      ? [{ limit: rateLimit('loginFailuresPerAddress', ports.config?.rateLimits), subject: input.client }]
      : []),
  ];
  const rates = ports.rateLimits;
  if (rates) {
    for (const { limit, subject } of limits) {
      const seen = await rates.peek(limit, subject);
      if (seen.count >= limit.limit) {
        ports.log.warn('buyer sign-in locked out', { scope: limit.scope });
        return { ok: false, error: 'locked-out', retryAfterSeconds: seen.retryAfterSeconds };
      }
    }
  }
  const user = await ports.accounts.findUserByEmail(email);
  // the same scrypt work whether or not the user exists (no user enumeration by timing)
  const ok = await verifyPassword(creds.data.password, user?.passwordHash ?? (await dummyHash()));
  if (!user?.passwordHash || !ok) {
    if (rates) for (const { limit, subject } of limits) await rates.hit(limit, subject);
    return { ok: false, error: 'invalid-credentials' };
  }
  if (needsRehash(user.passwordHash)) {
    // an older format or a lower cost: the password is known now, so store it at today's cost
    await ports.accounts.putUser({ ...user, passwordHash: await hashPassword(creds.data.password) });
  }

  const registration = await completeHumanStage(ports, {
    onboardingId: input.onboardingId,
    stage: 'Registration',
    actor: { ...input.actor, email: user.email },
    payload: { kind: 'existing', userId: user.id, email: user.email },
  });
  return {
    ok: true,
    user: publicUser(user),
    accounts: await ports.accounts.listAccountsForUser(user.id),
    registration,
  };
}

/**
 * 7-2 through the vendor's OpenID provider: the user the ID token names (`iss`, `sub`, `email`, already checked by the
 * web layer's OIDC client) completes Registration with `{ kind: 'existing', userId: sub, issuer, email }`.
 */
export async function signInWithIdentity(
  ports: BuyerPorts,
  input: { onboardingId: string; actor: BuyerActor; identity: SignedInUser },
): Promise<CompleteStageResult> {
  const identity = SignedInUser.parse(input.identity);
  return completeHumanStage(ports, {
    onboardingId: input.onboardingId,
    stage: 'Registration',
    actor: { ...input.actor, email: identity.email },
    payload: {
      kind: 'existing',
      userId: identity.subject,
      ...(identity.issuer ? { issuer: identity.issuer } : {}),
      email: identity.email,
    },
  });
}
