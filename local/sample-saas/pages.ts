/**
 * The sample SaaS's own pages, in Japanese or English: its sign-in page (the OpenID provider's interaction, what a
 * buyer meets at step 7-2), the invitation page a new owner sets a password on (after 7-1), and the tenant page
 * that shows each tenant's plan, so a local walk ends where a real one does: in the vendor's SaaS, on the paid plan.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type Provider from 'oidc-provider';
import type { SaasStore, SaasUser } from './store.js';

type Lang = 'ja' | 'en';
type Env = { Bindings: HttpBindings };

const WORDS = {
  ja: {
    product: 'Example SaaS',
    signInTitle: 'Example SaaS にログイン',
    signInLead: 'Example SaaS のアカウントでログインしてください。',
    email: 'メールアドレス',
    password: 'パスワード',
    signIn: 'ログイン',
    bad: 'メールアドレスまたはパスワードが違います。',
    missing: 'メールアドレスとパスワードを入力してください。',
    tenants: 'あなたのアカウント',
    plan: 'プラン',
    free: '無料プラン',
    paid: '有料プラン',
    suspended: '停止中',
    ended: '終了',
    none: 'アカウントはまだありません。',
    signOut: 'ログアウト',
    inviteTitle: 'パスワードの設定',
    inviteLead: 'Example SaaS で使うパスワードを設定してください（8文字以上）。',
    inviteBad: 'このリンクは使えません（使用済みか期限切れです）。管理者に新しい招待を依頼してください。',
    inviteShort: 'パスワードは8文字以上にしてください。',
    save: '設定してログイン',
    history: '履歴',
    expired: 'ログイン画面の有効期限が切れました。元のページからもう一度お試しください。',
  },
  en: {
    product: 'Example SaaS',
    signInTitle: 'Sign in to Example SaaS',
    signInLead: 'Sign in with your Example SaaS account.',
    email: 'E-mail address',
    password: 'Password',
    signIn: 'Sign in',
    bad: 'The e-mail address or the password is not correct.',
    missing: 'Enter your e-mail address and your password.',
    tenants: 'Your accounts',
    plan: 'Plan',
    free: 'Free plan',
    paid: 'Paid plan',
    suspended: 'Suspended',
    ended: 'Ended',
    none: 'You have no account yet.',
    signOut: 'Sign out',
    inviteTitle: 'Set your password',
    inviteLead: 'Choose the password you will use for Example SaaS (at least 8 characters).',
    inviteBad:
      'This link cannot be used (already used or expired). Ask your administrator for a new invitation.',
    inviteShort: 'Use at least 8 characters.',
    save: 'Save and sign in',
    history: 'History',
    expired: 'This sign-in page has expired. Go back to where you came from and try again.',
  },
} as const;

const STYLE = `body{font-family:system-ui,"Hiragino Sans","IPAGothic",sans-serif;margin:0;background:#f4f1ea;color:#222}
header{background:#2d4a3e;color:#fff;padding:.8rem 1.2rem;font-weight:600}main{max-width:34rem;margin:2rem auto;padding:0 1rem}
.card{background:#fff;border:1px solid #d8d2c4;border-radius:8px;padding:1.2rem;margin:1rem 0}
label{display:block;margin:.6rem 0 .2rem}input{width:100%;box-sizing:border-box;padding:.55rem;font-size:1rem}
button{margin-top:1rem;padding:.6rem 1.2rem;font-size:1rem;background:#2d4a3e;color:#fff;border:0;border-radius:6px}
.bad{background:#fde8e8;border:1px solid #e0a0a0;padding:.6rem;border-radius:6px}.paid{color:#1a6b2f;font-weight:700}
.muted{color:#666;font-size:.9rem}ul{padding-left:1.2rem}`;

export const langOf = (value: string | undefined): Lang =>
  value?.split(/[\s,]/)[0]?.startsWith('en') ? 'en' : 'ja';

function page(lang: Lang, title: string, body: unknown) {
  return html`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>${STYLE}</style></head><body><header>${WORDS[lang].product}</header><main>${body}</main></body></html>`;
}

/** The SaaS's own session cookie (its tenant pages), signed with its cookie key. */
function sessionCookie(key: string) {
  const sign = (v: string) => createHmac('sha256', key).update(v).digest('base64url');
  return {
    write(c: Context, userId: string) {
      const exp = Math.floor(Date.now() / 1000) + 8 * 3600;
      const value = `${userId}.${exp}`;
      setCookie(c, 'saas_session', `${value}.${sign(value)}`, { httpOnly: true, sameSite: 'Lax', path: '/' });
    },
    read(c: Context): string | undefined {
      const raw = getCookie(c, 'saas_session') ?? '';
      const at = raw.lastIndexOf('.');
      const value = raw.slice(0, at);
      const given = Buffer.from(raw.slice(at + 1));
      const expected = Buffer.from(sign(value));
      if (at < 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      const [userId, exp] = value.split('.');
      return userId && Number(exp) > Date.now() / 1000 ? userId : undefined;
    },
  };
}

export function samplePages(options: { provider: Provider; store: SaasStore; cookieKey: string }): Hono<Env> {
  const { provider, store } = options;
  const session = sessionCookie(options.cookieKey);
  const app = new Hono<Env>();

  const signInForm = (lang: Lang, action: string, email: string, error?: string) => {
    const w = WORDS[lang];
    return page(
      lang,
      w.signInTitle,
      html`<h1>${w.signInTitle}</h1><p>${w.signInLead}</p>${error ? html`<p class="bad" role="alert">${error}</p>` : ''}
<form method="post" action="${action}" class="card"><input type="hidden" name="lang" value="${lang}">
<label for="email">${w.email}</label><input id="email" name="email" type="email" autocomplete="username" value="${email}" required>
<label for="password">${w.password}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">${w.signIn}</button></form>`,
    );
  };

  // --- the OpenID provider's sign-in (interaction) ---------------------------------------------------------
  app.get('/interaction/:uid', async (c) => {
    const details = await provider.interactionDetails(c.env.incoming, c.env.outgoing).catch(() => undefined);
    const lang = langOf(details?.params.ui_locales as string | undefined);
    if (!details)
      return c.html(
        page(lang, WORDS[lang].signInTitle, html`<p class="bad">${WORDS[lang].expired}</p>`),
        400,
      );
    return c.html(
      signInForm(lang, `/interaction/${c.req.param('uid')}/login`, String(details.params.login_hint ?? '')),
    );
  });

  app.post('/interaction/:uid/login', async (c) => {
    const form = await c.req.parseBody();
    const lang = langOf(String(form.lang ?? ''));
    const email = String(form.email ?? '')
      .trim()
      .slice(0, 254);
    const password = String(form.password ?? '').slice(0, 1024);
    const action = `/interaction/${c.req.param('uid')}/login`;
    if (!email || !password) return c.html(signInForm(lang, action, email, WORDS[lang].missing), 400);
    const user = await store.signIn(email, password);
    if (!user) return c.html(signInForm(lang, action, email, WORDS[lang].bad), 401);
    try {
      const to = await provider.interactionResult(
        c.env.incoming,
        c.env.outgoing,
        { login: { accountId: user.id } },
        { mergeWithLastSubmission: false },
      );
      return c.redirect(to, 303);
    } catch {
      return c.html(
        page(lang, WORDS[lang].signInTitle, html`<p class="bad">${WORDS[lang].expired}</p>`),
        400,
      );
    }
  });

  // --- the SaaS itself: tenant page, its own sign-in, the owner's invitation ---------------------------------
  const tenantsPage = (lang: Lang, user: SaasUser) => {
    const w = WORDS[lang];
    const tenants = store.tenantsOf(user.id);
    return page(
      lang,
      w.tenants,
      html`<h1>${w.tenants}</h1><p class="muted">${user.email}</p>
${tenants.length === 0 ? html`<p>${w.none}</p>` : ''}
${tenants.map(
  (t) => html`<section class="card tenant" data-tenant="${t.tenantId}"><h2>${t.name}</h2>
<p>${w.plan}: <span class="${t.status === 'paid' ? 'paid' : ''}" data-status="${t.status}">${w[t.status]}${t.plan ? ` (${t.plan})` : ''}</span></p>
<details><summary>${w.history}</summary><ul>${t.history.map((h) => html`<li><span class="muted">${h.at}</span> ${h.what}</li>`)}</ul></details></section>`,
)}
<form method="post" action="/app/logout"><button type="submit">${w.signOut}</button></form>`,
    );
  };

  app.get('/', (c) => c.redirect('/app', 302));
  app.get('/app', (c) => {
    const lang = langOf(c.req.query('lang') ?? c.req.header('accept-language'));
    const userId = session.read(c);
    const user = userId ? store.userById(userId) : undefined;
    return user ? c.html(tenantsPage(lang, user)) : c.html(signInForm(lang, '/app/login', ''));
  });
  app.post('/app/login', async (c) => {
    const form = await c.req.parseBody();
    const lang = langOf(String(form.lang ?? ''));
    const email = String(form.email ?? '')
      .trim()
      .slice(0, 254);
    const user = await store.signIn(email, String(form.password ?? '').slice(0, 1024));
    if (!user) return c.html(signInForm(lang, '/app/login', email, WORDS[lang].bad), 401);
    session.write(c, user.id);
    return c.redirect(`/app?lang=${lang}`, 303);
  });
  app.post('/app/logout', (c) => {
    deleteCookie(c, 'saas_session', { path: '/' });
    return c.redirect('/app', 303);
  });

  const invitePage = (lang: Lang, secret: string, error?: string) => {
    const w = WORDS[lang];
    return page(
      lang,
      w.inviteTitle,
      html`<h1>${w.inviteTitle}</h1><p>${w.inviteLead}</p>${error ? html`<p class="bad" role="alert">${error}</p>` : ''}
<form method="post" action="/app/invitation" class="card"><input type="hidden" name="t" value="${secret}"><input type="hidden" name="lang" value="${lang}">
<label for="password">${w.password}</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="8" required>
<button type="submit">${w.save}</button></form>`,
    );
  };
  app.get('/app/invitation', (c) => {
    c.header('referrer-policy', 'no-referrer');
    return c.html(invitePage(langOf(c.req.query('lang')), c.req.query('t') ?? ''));
  });
  app.post('/app/invitation', async (c) => {
    const form = await c.req.parseBody();
    const lang = langOf(String(form.lang ?? ''));
    const secret = String(form.t ?? '').slice(0, 200);
    const password = String(form.password ?? '');
    if (password.length < 8 || password.length > 1024)
      return c.html(invitePage(lang, secret, WORDS[lang].inviteShort), 400);
    const user = await store.acceptInvitation(secret, password, new Date());
    if (typeof user === 'string')
      return c.html(invitePage(lang, '', WORDS[lang].inviteBad), user === 'expired' ? 410 : 400);
    session.write(c, user.id);
    return c.redirect(`/app?lang=${lang}`, 303);
  });
  return app;
}
