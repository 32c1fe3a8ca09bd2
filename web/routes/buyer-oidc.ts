/**
 * Step 7-2 through the vendor's OpenID provider ("すでに登録済みでログインする方はこちら" → the vendor's own sign-in):
 * `/buyer/login` sends the buyer there (PKCE, state, nonce, `ui_locales`), `/buyer/oidc/callback` takes them back,
 * completes Registration with the ID token's user and goes on to the account choice. What the callback must match
 * is kept in a signed cookie that lives ten minutes and is bound to the buyer's session; nothing of it is in a URL
 * we make. Mounted before the built-in sign-in, which it replaces when an issuer is configured.
 */
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { Ports } from '../../tasks/ports/index.js';
import * as uc from '../../tasks/use-cases/index.js';
import {
  type BuyerOidc,
  OidcRejectedError,
  OidcUnavailableError,
  type PendingSignIn,
} from '../auth/buyer-oidc.js';
import { isSecure, type WebConfig } from '../config.js';
import type { AppEnv } from '../env.js';
import type { Html } from '../html/layout.js';
import { type MessageKey, t } from '../i18n.js';
import { signToken, verifyToken } from '../security/signed.js';
import { type BuyerSession, cookieName, nowSeconds, writeBuyerSession } from '../sessions.js';

const PURPOSE = 'buyer-oidc-pending';
const PENDING_SECONDS = 600;

type BuyerContext = Context<AppEnv>;
type Message = (
  c: BuyerContext,
  status: 200 | 400 | 401 | 403 | 409 | 429 | 503,
  title: MessageKey,
  body: MessageKey,
  kind: 'ok' | 'warn' | 'bad',
  extra?: Html,
) => Response | Promise<Response>;

function pendingCookie(config: WebConfig) {
  const name = cookieName(config, 'buyer_oidc');
  return {
    write(c: BuyerContext, now: Date, sid: string, pending: PendingSignIn) {
      const exp = nowSeconds(now) + PENDING_SECONDS;
      setCookie(c, name, signToken(config.sessionSecret, PURPOSE, { sid, ...pending, exp }), {
        path: '/buyer/oidc',
        httpOnly: true,
        // the identity provider's redirect back is a top-level GET: Lax cookies come with it
        sameSite: 'Lax',
        secure: isSecure(config),
        maxAge: PENDING_SECONDS,
      });
    },
    read(c: BuyerContext, now: Date, sid: string): PendingSignIn | undefined {
      const p = verifyToken(config.sessionSecret, PURPOSE, getCookie(c, name), nowSeconds(now));
      if (!p || p.sid !== sid) return undefined;
      const { state, nonce, verifier } = p as Record<string, unknown>;
      return typeof state === 'string' && typeof nonce === 'string' && typeof verifier === 'string'
        ? { state, nonce, verifier }
        : undefined;
    },
    clear(c: BuyerContext) {
      deleteCookie(c, name, { path: '/buyer/oidc', secure: isSecure(config) });
    },
  };
}

export function mountBuyerOidc(
  buyer: Hono<AppEnv>,
  deps: { oidc: BuyerOidc; config: WebConfig; ports: Ports },
  pages: { message: Message; refusal: (c: BuyerContext, error: string) => Promise<Response> },
): void {
  const { oidc, config, ports } = deps;
  const now = () => ports.clock.now();
  const pending = pendingCookie(config);
  const retry = (c: BuyerContext) =>
    html`<p><a href="/buyer/login">${t(c.get('locale'), 'buyer.oidc.retry')}</a> ·
<a href="/buyer/register">${t(c.get('locale'), 'buyer.login.toRegister')}</a></p>`;
  const unavailable = (c: BuyerContext) =>
    pages.message(c, 503, 'buyer.oidc.unavailable.title', 'buyer.oidc.unavailable.body', 'warn', retry(c));

  buyer.get('/login', async (c) => {
    const session = c.get('buyer') as BuyerSession;
    try {
      const { url, pending: p } = await oidc.start({ locale: c.get('locale') });
      pending.write(c, now(), session.sid, p);
      c.header('cache-control', 'no-store');
      return c.redirect(url, 303);
    } catch (error) {
      if (error instanceof OidcUnavailableError) return unavailable(c);
      throw error;
    }
  });
  // the built-in password form is not offered when the vendor's sign-in is configured
  buyer.post('/login', (c) => c.redirect('/buyer/login', 303));

  buyer.get('/oidc/callback', async (c) => {
    const session = c.get('buyer') as BuyerSession;
    const expected = pending.read(c, now(), session.sid);
    if (!expected)
      return pages.message(c, 400, 'buyer.oidc.expired.title', 'buyer.oidc.expired.body', 'warn', retry(c));
    let identity: Awaited<ReturnType<BuyerOidc['finish']>>;
    try {
      identity = await oidc.finish(new URL(c.req.url).searchParams, expected);
    } catch (error) {
      if (error instanceof OidcUnavailableError) return unavailable(c);
      if (!(error instanceof OidcRejectedError)) throw error;
      pending.clear(c);
      return error.reason === 'no-email'
        ? pages.message(c, 400, 'buyer.oidc.noEmail.title', 'buyer.oidc.noEmail.body', 'bad')
        : pages.message(c, 401, 'buyer.oidc.cancelled.title', 'buyer.oidc.cancelled.body', 'warn', retry(c));
    }
    pending.clear(c); // a code is used once; a reload of this URL asks to sign in again
    const reg = await uc.signInWithIdentity(ports, {
      onboardingId: session.onb,
      actor: { kind: 'buyer', id: session.acct },
      identity,
    });
    if (!reg.ok && reg.error !== 'already-completed')
      return pages.refusal(c, reg.error === 'invalid-input' ? 'not-open' : reg.error);
    writeBuyerSession(
      c,
      config,
      now(),
      {
        onb: session.onb,
        acct: session.acct,
        uid: identity.subject,
        iss: identity.issuer,
        em: identity.email,
      },
      session,
    );
    return c.redirect('/buyer/accounts', 303);
  });
}
