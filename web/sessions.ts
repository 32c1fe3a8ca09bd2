/**
 * Staff and buyer sessions: signed, expiring cookies (HttpOnly, SameSite=Lax, Secure behind https).
 * A buyer session is bound to one onboarding; it never holds a task token or a marketplace token.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as z from 'zod';
import { StaffRole } from '../workflows/contracts/index.js';
import { isSecure, type WebConfig } from './config.js';
import { randomId, signToken, verifyToken } from './security/signed.js';

export const StaffSession = z.object({
  sid: z.string().min(1),
  sub: z.string().min(1),
  name: z.string(),
  role: StaffRole,
  exp: z.number(),
});
export type StaffSession = z.infer<typeof StaffSession>;

export const BuyerSession = z.object({
  sid: z.string().min(1),
  /** The one onboarding this session may act on. */
  onb: z.string().min(1),
  /** The buyer's AWS account id, from ResolveCustomer. */
  acct: z.string().regex(/^\d{12}$/),
  /** Set after a successful login (7-2): the built-in directory's user id, or the OIDC `sub`. */
  uid: z.string().min(1).optional(),
  /** The vendor's OpenID issuer and the user's e-mail, when the buyer signed in there (7-2 through OIDC). */
  iss: z.string().min(1).optional(),
  em: z.string().min(1).optional(),
  exp: z.number(),
});
export type BuyerSession = z.infer<typeof BuyerSession>;

const PURPOSE = { staff: 'staff-session', buyer: 'buyer-session' } as const;

export const cookieName = (config: WebConfig, base: string): string =>
  isSecure(config) ? `__Host-${base}` : base;

const cookieOptions = (config: WebConfig, maxAge: number) =>
  ({
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: isSecure(config),
    maxAge,
  }) as const;

export const nowSeconds = (now: Date): number => Math.floor(now.getTime() / 1000);

/** The session of one kind from its signed cookie, if it verifies, has not expired and has the expected shape. */
function readSession<T>(
  c: Context,
  config: WebConfig,
  now: Date,
  kind: 'staff' | 'buyer',
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
): T | undefined {
  const payload = verifyToken(
    config.sessionSecret,
    PURPOSE[kind],
    getCookie(c, cookieName(config, kind)),
    nowSeconds(now),
  );
  const parsed = schema.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}

export function readStaffSession(c: Context, config: WebConfig, now: Date): StaffSession | undefined {
  return readSession(c, config, now, 'staff', StaffSession);
}

export function writeStaffSession(
  c: Context,
  config: WebConfig,
  now: Date,
  who: { sub: string; name: string; role: StaffRole },
): StaffSession {
  const session: StaffSession = {
    sid: randomId(),
    ...who,
    exp: nowSeconds(now) + config.staffSessionTtlSeconds,
  };
  setCookie(
    c,
    cookieName(config, 'staff'),
    signToken(config.sessionSecret, PURPOSE.staff, session),
    cookieOptions(config, config.staffSessionTtlSeconds),
  );
  return session;
}

export function readBuyerSession(c: Context, config: WebConfig, now: Date): BuyerSession | undefined {
  return readSession(c, config, now, 'buyer', BuyerSession);
}

/** Starts (no `previous`) or updates a buyer session; an update keeps its id and expiry. */
export function writeBuyerSession(
  c: Context,
  config: WebConfig,
  now: Date,
  data: { onb: string; acct: string; uid?: string; iss?: string; em?: string },
  previous?: BuyerSession,
): BuyerSession {
  const session: BuyerSession = {
    sid: previous?.sid ?? randomId(),
    ...data,
    exp: previous?.exp ?? nowSeconds(now) + config.buyerSessionTtlSeconds,
  };
  const maxAge = Math.max(1, session.exp - nowSeconds(now));
  setCookie(
    c,
    cookieName(config, 'buyer'),
    signToken(config.sessionSecret, PURPOSE.buyer, session),
    cookieOptions(config, maxAge),
  );
  return session;
}

export function clearSession(c: Context, config: WebConfig, which: 'staff' | 'buyer'): void {
  deleteCookie(c, cookieName(config, which), { path: '/', secure: isSecure(config) });
}
