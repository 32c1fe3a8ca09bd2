/**
 * The built-in directory's invitation (issue 9): a 7-1 buyer's owner account is created without a password; the
 * completion mail carries a single-use, expiring link to set one, after which the same e-mail and password sign in
 * to 7-2 of any later purchase. Only the SHA-256 of the secret is stored; the secret itself lives in the mail only.
 */
import { createHash, randomBytes } from 'node:crypto';

/** How long a set-password link stays valid. */
export const INVITATION_TTL_HOURS = 72;

export interface Invitation {
  /** SHA-256 (hex) of the secret in the link. */
  hash: string;
  userId: string;
  onboardingId: string;
  createdAt: string;
  expiresAt: string;
  usedAt?: string;
}

export function invitationHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new secret (256 bits, base64url) and the invitation that stores only its hash. */
export function newInvitation(args: { userId: string; onboardingId: string; at: Date }): {
  secret: string;
  invitation: Invitation;
} {
  const secret = randomBytes(32).toString('base64url');
  const expires = new Date(args.at.getTime() + INVITATION_TTL_HOURS * 3_600_000);
  return {
    secret,
    invitation: {
      hash: invitationHash(secret),
      userId: args.userId,
      onboardingId: args.onboardingId,
      createdAt: args.at.toISOString(),
      expiresAt: expires.toISOString(),
    },
  };
}

/** A secret as it may appear in a link: 43 base64url characters. */
export const INVITATION_SECRET = /^[A-Za-z0-9_-]{43}$/;

export type InvitationState = 'valid' | 'expired' | 'used' | 'unknown';

export function invitationState(invitation: Invitation | undefined, at: Date): InvitationState {
  if (!invitation) return 'unknown';
  if (invitation.usedAt) return 'used';
  return Date.parse(invitation.expiresAt) <= at.getTime() ? 'expired' : 'valid';
}
