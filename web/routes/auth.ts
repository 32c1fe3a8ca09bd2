/**
 * Staff sign-in and sign-out. With the users-file adapter: our own form (username + password). With Cognito: a
 * redirect to the hosted UI (authorization code + PKCE, state in a signed 10-minute cookie), back to /auth/callback.
 */

import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import { fieldMessage } from '../../tasks/domain/field-messages.js';
import * as uc from '../../tasks/use-cases/index.js';
import type { StaffRole } from '../../workflows/contracts/index.js';
import { isSecure } from '../config.js';
import { otherLanguageUrl, staffLocale, words } from '../console/words.js';
import type { AppEnv, WebDeps } from '../env.js';
import { formStrings } from '../forms/errors.js';
import { csrfField, field, type Html, notice, staffPage } from '../html/layout.js';
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

  /** The page in the staff's language (`?lang=`, remembered in the `lang` cookie), with the switch to the other. */
  const page = (c: Context<AppEnv>, title: string, body: Html, status: 200 | 400 | 401) => {
    const locale = staffLocale(c);
    const url = new URL(c.req.url);
    const switchUrl = otherLanguageUrl(url.pathname, c.req.method === 'GET' ? url.search : '', locale);
    return c.html(staffPage({ title, body, locale, switchUrl }), status);
  };

  const loginPage = (
    c: Context<AppEnv>,
    next: string,
    errors: { form?: string; username?: string; password?: string },
    username: string,
    status: 200 | 400 | 401,
  ) => {
    const w = words(staffLocale(c));
    const fieldErrors = {
      ...(errors.username ? { username: errors.username } : {}),
      ...(errors.password ? { password: errors.password } : {}),
    };
    const body = html`<h1>${w['login.title']}</h1>
${errors.form ? notice('bad', errors.form) : ''}
<form method="post" action="/auth/login" class="card slim" novalidate>
${csrfField(csrfToken(c, config, staffBinding(c)))}
<input type="hidden" name="next" value="${next}">
${field({ name: 'username', label: w['login.user'], value: username, errors: fieldErrors, required: true, attrs: html` autocomplete="username"` })}
${field({ name: 'password', label: w['login.password'], type: 'password', errors: fieldErrors, required: true, attrs: html` autocomplete="current-password"` })}
<button type="submit">${w['login.submit']}</button>
</form>`;
    return page(c, w['login.submit'], body, status);
  };

  app.get('/login', (c) => {
    const next = safeNext(c.req.query('next'));
    if (staffAuth.kind === 'password') return loginPage(c, next, {}, '', 200);
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
    const locale = staffLocale(c);
    if (!username.trim() || !password) {
      const required = (path: string) =>
        fieldMessage(locale, { path, message: 'is required', kind: 'required' });
      return loginPage(
        c,
        next,
        {
          ...(username.trim() ? {} : { username: required('username') }),
          ...(password ? {} : { password: required('password') }),
        },
        username,
        400,
      );
    }
    const who = await staffAuth.verifyPassword(username, password);
    if (!who) return loginPage(c, next, { form: words(locale)['login.wrong'] }, username, 401);
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
    const w = words(staffLocale(c));
    const fail = (msg: string) =>
      page(
        c,
        w['login.failedTitle'],
        html`<h1>${w['login.failedTitle']}</h1>${notice('bad', msg)}<p><a href="/auth/login">${w['login.retry']}</a></p>`,
        401,
      );
    if (!saved || typeof saved.state !== 'string' || saved.state !== c.req.query('state') || !code) {
      return fail(w['login.expired']);
    }
    const who = await staffAuth.exchangeCode({
      code,
      codeVerifier: String(saved.verifier),
      redirectUri: redirectUri(c),
    });
    if (!who) return fail(w['login.noGroup']);
    await signedIn(c, { sub: who.id, name: who.name, role: who.role });
    return c.redirect(safeNext(typeof saved.next === 'string' ? saved.next : undefined), 303);
  });

  app.post('/logout', requireCsrf(config, staffBinding), async (c) => {
    const current = c.get('staff');
    if (current) await uc.closeStaffSession(deps.ports, current.sid);
    clearSession(c, config, 'staff');
    const w = words(staffLocale(c));
    const provider =
      staffAuth.kind === 'redirect' && staffAuth.logoutUrl
        ? html`<p><a href="${staffAuth.logoutUrl(`${config.baseUrl ?? new URL(c.req.url).origin}/auth/login`)}">${w['logout.provider']}</a></p>`
        : '';
    return page(
      c,
      w['logout.title'],
      html`<h1>${w['logout.title']}</h1><p><a href="/auth/login">${w['logout.again']}</a></p>${provider}`,
      200,
    );
  });

  return app;
}
