/** The vendor's SaaS accounts and users (procedure steps 7-1 and 7-2). */
import { createHash } from 'node:crypto';

export interface SaasAccount {
  id: string;
  name: string;
  plan: 'free' | 'paid';
  /** The paid plan (agreed terms' plan) once activated. */
  paidPlan?: { plan: string; onboardingId: string; activatedAt: string };
  /** The paid plan suspended or ended after the sale (the account is back on the free plan). */
  endedPlan?: { plan: string; action: 'suspend' | 'end'; reason: string; endedAt: string };
  /** The onboarding that created it (7-1), if any. */
  createdByOnboarding?: string;
  createdAt: string;
}

export interface SaasUser {
  id: string;
  email: string;
  name?: string;
  /** scrypt hash (see password.ts); absent for a user invited by 7-1 who has not set a password yet. */
  passwordHash?: string;
  createdAt: string;
}

export interface Membership {
  userId: string;
  accountId: string;
  role: 'owner' | 'member';
}

export type PublicUser = Omit<SaasUser, 'passwordHash'>;

export function publicUser(u: SaasUser): PublicUser {
  const { passwordHash: _secret, ...rest } = u;
  return rest;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 20);

/** 7-1: the account an onboarding creates has an id derived from the onboarding, so a retry creates nothing new. */
export function accountIdFor(onboardingId: string): string {
  return `acct-${digest(`account:${onboardingId}`)}`;
}

export function userIdFor(email: string): string {
  return `user-${digest(`user:${normalizeEmail(email)}`)}`;
}

export function newAccount(args: {
  id: string;
  name: string;
  at: string;
  onboardingId?: string;
}): SaasAccount {
  return {
    id: args.id,
    name: args.name,
    plan: 'free',
    ...(args.onboardingId ? { createdByOnboarding: args.onboardingId } : {}),
    createdAt: args.at,
  };
}
