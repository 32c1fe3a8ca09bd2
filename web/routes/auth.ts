/**
 * Staff sign-in and sign-out. With the users-file adapter: our own form (username + password). With Cognito: a
 * redirect to the hosted UI (authorization code + PKCE, state in a signed 10-minute cookie), back to /auth/callback.
 */

import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import * as uc from '../../tasks/use-cases/index.js';
import type { StaffRole } from '../../workflows/contracts/index.js';
import { isSecure } from '../config.js';
import type { AppEnv, WebDeps } from '../env.js';
import { formStrings } from '../forms/errors.js';
import { csrfField, field, notice, staffPage } from '../html/layout.js';
import { csrfToken, requireCsrf } from '../security/csrf.js';
import { randomId, signToken, verifyToken } from '../security/signed.js';
import { clearSession, cookieName, nowSeconds, writeStaffSession } from '../sessions.js';

/** Only local paths: `/console...` or `/audit...`, never `//host` or a URL. */
export function safeNext(next: string | undefined): string {
  if (!next || !/^\/(console|audit)(\/[A-Za-z0-9_./?=&%-]*)?$/.test(next) || next.includes('//')) {
    return '/console';
  }
  return next;
}

export const staffBinding = (c: Context<AppEnv>): string => `staff:${c.get('staff')?.sid ?? 'none'}`;

export function authRoutes(deps: WebDeps): Hono<AppEnv> {
  const { config, staffAuth } = deps;
  const now = () => deps.ports.clock.now();
  /** The signed cookie, and the session kept server side so signing out or a revocation closes it at once. */
  const signedIn = async (c: Context<AppEnv>, who: { sub: string; name: string; role: StaffRole }) => {
    const session = writeStaffSession(c, config, now(), who);
    await uc.openStaffSession(deps.ports, {
      sid: session.sid,
      sub: session.sub,
      issuedAt: nowSeconds(now()),
      exp: session.exp,
    });
  };
  const app = new Hono<AppEnv>();

  const redirectUri = (c: Context) => `${config.baseUrl ?? new URL(c.req.url).origin}/auth/callback`;

  const loginPage = (
    c: Context<AppEnv>,
    next: string,
    error: string | undefined,
    username: string,
    status: 200 | 400 | 401,
  ) => {
    const body = html`<h1>Staff sign-in</h1>
${error ? notice('bad', error) : ''}
<form method="post" action="/auth/login" class="card slim">
${csrfField(csrfToken(c, config, staffBinding(c)))}
<input type="hidden" name="next" value="${next}">
${field({ name: 'username', label: 'User', value: username, required: true, attrs: html` autocomplete="username"` })}
${field({ name: 'password', label: 'Password', type: 'password', required: true, attrs: html` autocomplete="current-password"` })}
<button type="submit">Sign in</button>
</form>`;
    return c.html(staffPage({ title: 'Sign in', body }), status);
  };

  app.get('/login', (c) => {
    const next = safeNext(c.req.query('next'));
    if (staffAuth.kind === 'password') return loginPage(c, next, undefined, '', 200);
    const state = randomId();
    const verifier = randomId(32);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    setCookie(
      c,
      cookieName(config, 'oauth'),
      signToken(config.sessionSecret, 'oauth', { state, verifier, next, exp: nowSeconds(now()) + 600 }),
      { path: '/auth', httpOnly: true, sameSite: 'Lax', secure: isSecure(config), maxAge: 600 },
    );
    return c.redirect(
      staffAuth.authorizeUrl({ state, codeChallenge: challenge, redirectUri: redirectUri(c) }),
      302,
    );
  });

  app.post('/login', requireCsrf(config, staffBinding), async (c) => {
    if (staffAuth.kind !== 'password') return c.redirect('/auth/login', 303);
    const values = formStrings(await c.req.parseBody());
    const next = safeNext(values.next);
    const username = (values.username ?? '').slice(0, 200);
    const password = (values.password ?? '').slice(0, 200);
    if (!username || !password)
      return loginPage(c, next, 'Enter your user name and password.', username, 400);
    const who = await staffAuth.verifyPassword(username, password);
    if (!who) return loginPage(c, next, 'Unknown user or wrong password.', username, 401);
    await signedIn(c, { sub: who.id, name: who.name, role: who.role });
    return c.redirect(next, 303);
  });

  app.get('/callback', async (c) => {
    if (staffAuth.kind !== 'redirect') return c.redirect('/auth/login', 303);
    const saved = verifyToken(
      config.sessionSecret,
      'oauth',
      getCookie(c, cookieName(config, 'oauth')),
      nowSeconds(now()),
    );
    deleteCookie(c, cookieName(config, 'oauth'), { path: '/auth', secure: isSecure(config) });
    const code = c.req.query('code');
    const fail = (msg: string) =>
      c.html(
        staffPage({
          title: 'Sign-in failed',
          body: html`<h1>Sign-in failed</h1>${notice('bad', msg)}<p><a href="/auth/login">Try again</a></p>`,
        }),
        401,
      );
    if (!saved || typeof saved.state !== 'string' || saved.state !== c.req.query('state') || !code) {
      return fail('The sign-in took too long or did not start here.');
    }
    const who = await staffAuth.exchangeCode({
      code,
      codeVerifier: String(saved.verifier),
      redirectUri: redirectUri(c),
    });
    if (!who)
      return fail(
        'Your account is not allowed to use the console (no sales, support, auditor or admin group).',
      );
    await signedIn(c, { sub: who.id, name: who.name, role: who.role });
    return c.redirect(safeNext(typeof saved.next === 'string' ? saved.next : undefined), 303);
  });

  app.post('/logout', requireCsrf(config, staffBinding), async (c) => {
    const current = c.get('staff');
    if (current) await uc.closeStaffSession(deps.ports, current.sid);
    clearSession(c, config, 'staff');
    const provider =
      staffAuth.kind === 'redirect' && staffAuth.logoutUrl
        ? html`<p><a href="${staffAuth.logoutUrl(`${config.baseUrl ?? new URL(c.req.url).origin}/auth/login`)}">Also sign out of the identity provider</a></p>`
        : '';
    return c.html(
      staffPage({
        title: 'Signed out',
        body: html`<h1>Signed out</h1><p><a href="/auth/login">Sign in again</a></p>${provider}`,
      }),
    );
  });

  return app;
}
