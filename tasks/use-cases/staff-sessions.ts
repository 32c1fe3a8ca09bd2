/**
 * Revocable staff sessions (issue 10 item 7): the signed cookie alone no longer decides. Each session is also kept
 * server side (a memo with the session's lifetime) and checked on every request: signing out closes it at once, and
 * `revokeStaffSessions` (the CLI, when a person leaves or their role changes) closes every session of that person
 * opened before that moment; and every ROLE_CHECK_SECONDS a session asks the sign-in provider (the users file, Cognito's
 * groups) whether its person still holds its role: a role removed there ends the session within minutes.
 * Only digests of nothing secret are stored: the session id and the user's id.
 */
import type { StaffRole } from '../../workflows/contracts/index.js';
import type { Ports } from '../ports/index.js';
import type { CurrentRole } from '../ports/staff-auth.js';

const sessionKey = (sid: string) => `staff-session#${sid}`;
const revokedKey = (sub: string) => `staff-revoked#${sub}`;
const roleCheckKey = (sid: string) => `staff-role-checked#${sid}`;
/** How often an open session asks the sign-in provider for its person's role (a removed role ends it). */
export const ROLE_CHECK_SECONDS = 5 * 60;
/** Longer than any staff session may live (web/config.ts: at most 12 h). */
const REVOCATION_SECONDS = 13 * 3600;

type SessionPorts = Pick<Ports, 'facts' | 'clock'>;

/** Records a session just signed in (`issuedAt`, `exp` in epoch seconds). */
export async function openStaffSession(
  ports: SessionPorts,
  session: { sid: string; sub: string; issuedAt: number; exp: number },
): Promise<void> {
  const ttl = Math.max(1, session.exp - Math.floor(ports.clock.now().getTime() / 1000));
  await ports.facts.remember(sessionKey(session.sid), { sub: session.sub, issuedAt: session.issuedAt }, ttl);
}

/**
 * Whether a session whose cookie verified is still open: known, not signed out, not revoked since it began, and, when
 * the provider can tell (`currentRole`), its person still holds the role it signed in with (asked at most every
 * ROLE_CHECK_SECONDS; a removed or changed role closes the session, as a revocation would).
 */
export async function isStaffSessionOpen(
  ports: SessionPorts & Partial<Pick<Ports, 'log'>>,
  session: { sid: string; sub: string; role?: StaffRole },
  currentRole?: CurrentRole,
): Promise<boolean> {
  const kept = await ports.facts.recall(sessionKey(session.sid));
  if (!kept || kept.closed === true || kept.sub !== session.sub) return false;
  const revoked = await ports.facts.recall(revokedKey(session.sub));
  if (typeof revoked?.at === 'number' && typeof kept.issuedAt === 'number' && kept.issuedAt <= revoked.at)
    return false;
  if (!currentRole || !session.role) return true;
  const now = ports.clock.now().getTime();
  const checked = await ports.facts.recall(roleCheckKey(session.sid));
  if (typeof checked?.at === 'number' && now - checked.at < ROLE_CHECK_SECONDS * 1000) return true;
  const role = await currentRole(session.sub);
  if (role !== session.role) {
    ports.log?.info('staff session closed: the role changed at the sign-in provider', {
      signedInAs: session.role,
      now: role ?? 'none',
    });
    await closeStaffSession(ports, session.sid);
    return false;
  }
  await ports.facts.remember(roleCheckKey(session.sid), { at: now }, ROLE_CHECK_SECONDS);
  return true;
}

/** Signing out: the session is closed at once, whoever still holds its cookie. */
export async function closeStaffSession(ports: SessionPorts, sid: string): Promise<void> {
  await ports.facts.remember(sessionKey(sid), { closed: true }, REVOCATION_SECONDS);
}

/** Closes every session of `sub` opened until now (a person who left, or whose role changed). */
export async function revokeStaffSessions(ports: SessionPorts, sub: string): Promise<{ at: number }> {
  const at = Math.floor(ports.clock.now().getTime() / 1000);
  await ports.facts.remember(revokedKey(sub), { at }, REVOCATION_SECONDS);
  return { at };
}
