/**
 * CSRF protection: a signed double-submit token. A random `csrf` cookie (HttpOnly) seeds a token
 * HMAC(secret, seed | binding) that every form carries in `_csrf`; the binding is the session id of the surface
 * (staff or buyer session, or `anon`), so a token obtained by someone else never verifies for the victim.
 * Requests with an Origin header from another origin are refused as well.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { isSecure, type WebConfig } from '../config.js';
import type { AppEnv } from '../env.js';
import { cookieName } from '../sessions.js';
import { mac, randomId, safeEqual } from './signed.js';

export const CSRF_FIELD = '_csrf';
const PURPOSE = 'csrf';

/** Ensures the seed cookie exists; returns the seed. */
export function csrfSeed(c: Context<AppEnv>, config: WebConfig): string {
  const fresh = c.get('csrfSeed') as string | undefined;
  if (fresh) return fresh;
  const name = cookieName(config, 'csrf');
  const existing = getCookie(c, name);
  if (existing && /^[A-Za-z0-9_-]{24,64}$/.test(existing)) return existing;
  const seed = randomId(24);
  setCookie(c, name, seed, { path: '/', httpOnly: true, sameSite: 'Lax', secure: isSecure(config) });
  c.set('csrfSeed', seed);
  return seed;
}

export function csrfToken(c: Context<AppEnv>, config: WebConfig, binding: string): string {
  return mac(config.sessionSecret, PURPOSE, `${csrfSeed(c, config)}|${binding}`);
}

function sameOrigin(c: Context, config: WebConfig): boolean {
  const origin = c.req.header('origin');
  if (!origin || origin === 'null') return origin !== 'null';
  const expected = config.baseUrl ? new URL(config.baseUrl).origin : new URL(c.req.url).origin;
  return origin === expected;
}

/** Refuses unsafe requests without a valid token for `binding(c)` with 403. */
export function requireCsrf(
  config: WebConfig,
  binding: (c: Context<AppEnv>) => string,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const seed = getCookie(c, cookieName(config, 'csrf'));
    let sent: unknown = c.req.header('x-csrf-token');
    if (!sent) {
      const type = c.req.header('content-type') ?? '';
      if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
        const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
        sent = body[CSRF_FIELD];
      }
    }
    const ok =
      sameOrigin(c, config) &&
      typeof seed === 'string' &&
      typeof sent === 'string' &&
      safeEqual(sent, mac(config.sessionSecret, PURPOSE, `${seed}|${binding(c)}`));
    if (!ok) {
      return c.html(
        '<!doctype html><meta charset="utf-8"><title>Forbidden</title><h1>403 Forbidden</h1>' +
          '<p>This form has expired or did not come from this site. Go back, reload the page and try again.</p>',
        403,
      );
    }
    return next();
  };
}
