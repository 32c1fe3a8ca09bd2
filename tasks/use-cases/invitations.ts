/**
 * The built-in directory's set-password invitation (issue 9): a 7-1 owner is created without a password, so the
 * completion mail carries a single-use link valid INVITATION_TTL_HOURS to set one; afterwards the same e-mail and
 * password sign in to 7-2 ("すでに登録済みでログインする方はこちら") of any later purchase. A vendor with its own SaaS
 * (webhook adapter) invites its users itself: no invitation is made when the directory does not hold the owner.
 */
import * as z from 'zod';
import { normalizeEmail } from '../domain/account.js';
import { INVITATION_SECRET, invitationHash, invitationState, newInvitation } from '../domain/invitation.js';
import type { Onboarding } from '../domain/onboarding.js';
import { hashPassword } from '../domain/password.js';
import { type Invalid, invalid, issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';

export const SET_PASSWORD_PATH = '/account/set-password';

/** The link for the completion mail, or undefined (not 7-1, the owner already has a password, not ours). */
export async function inviteOwner(
  ports: Pick<Ports, 'accounts' | 'clock' | 'config'>,
  onboarding: Onboarding,
): Promise<{ url: string; expiresAt: string } | undefined> {
  if (onboarding.registration?.kind !== 'new') return undefined;
  const owner = await ports.accounts.findUserByEmail(normalizeEmail(onboarding.registration.email));
  if (!owner || owner.passwordHash) return undefined;
  const { secret, invitation } = newInvitation({
    userId: owner.id,
    onboardingId: onboarding.id,
    at: ports.clock.now(),
  });
  await ports.accounts.putInvitation(invitation);
  const base = ports.config.webBaseUrl.replace(/\/+$/, '');
  return { url: `${base}${SET_PASSWORD_PATH}?invite=${secret}`, expiresAt: invitation.expiresAt };
}

/** At least 10 characters (NIST SP 800-63B asks for 8 at least; we ask a little more), at most 256. */
export const NewPassword = z
  .object({
    password: z
      .string({ message: 'password is required' })
      .min(10, 'password must be at least 10 characters')
      .max(256, 'password must be at most 256 characters'),
    confirm: z.string({ message: 'confirm is required' }),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'the passwords do not match' });

export type SetPasswordResult =
  | { ok: true; email: string }
  | { ok: false; error: 'invalid-link' | 'expired' | 'used' }
  | Invalid;

/** What the set-password page may show before the form is sent. */
export async function checkInvitation(
  ports: Pick<Ports, 'accounts' | 'clock'>,
  secret: unknown,
): Promise<'valid' | 'invalid-link' | 'expired' | 'used'> {
  if (typeof secret !== 'string' || !INVITATION_SECRET.test(secret)) return 'invalid-link';
  const state = invitationState(
    await ports.accounts.getInvitation(invitationHash(secret)),
    ports.clock.now(),
  );
  return state === 'unknown' ? 'invalid-link' : state;
}

/** Sets the owner's password with a valid invitation, once. */
export async function setPasswordWithInvitation(
  ports: Pick<Ports, 'accounts' | 'clock'>,
  input: { secret: unknown; password: unknown; confirm: unknown },
): Promise<SetPasswordResult> {
  const state = await checkInvitation(ports, input.secret);
  if (state !== 'valid') return { ok: false, error: state };
  const parsed = NewPassword.safeParse({ password: input.password, confirm: input.confirm });
  if (!parsed.success) return invalid(issuesOf(parsed.error));
  const hash = invitationHash(input.secret as string);
  const invitation = await ports.accounts.getInvitation(hash);
  const user = invitation ? await ports.accounts.getUser(invitation.userId) : undefined;
  if (!invitation || !user) return { ok: false, error: 'invalid-link' };
  // the slow hash first, then take the invitation (once), then store the password
  const passwordHash = await hashPassword(parsed.data.password);
  if (!(await ports.accounts.useInvitation(hash, ports.clock.now().toISOString()))) {
    return { ok: false, error: 'used' };
  }
  await ports.accounts.putUser({ ...user, passwordHash });
  return { ok: true, email: user.email };
}
