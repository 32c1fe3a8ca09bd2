/**
 * Steps 6 and 7, the buyer's pages (Japanese by default): the fulfillment POST from AWS Marketplace, the
 * "AWS Marketplace経由 新規登録" page (7-1), login (7-2-1), "有料化を行うアカウントの選択" (7-2), completion.
 * The marketplace token is resolved at once and never stored or shown; the buyer then holds a signed, expiring
 * session bound to one onboarding. No page, form or URL carries an onboarding id the buyer could change.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { AccountSelectionChoice, BuyerRegistration, type Locale } from '../../workflows/contracts/index.js';
import type { AppEnv, WebDeps } from '../env.js';
import { fieldErrors, formStrings } from '../forms/errors.js';
import { type Html, h } from '../html/h.js';
import { csrfField, type FieldErrors, field, messagePage, notice, publicPage } from '../html/layout.js';
import { JA_FIELD_HINTS, type MessageKey, t } from '../i18n.js';
import { csrfToken, requireCsrf } from '../security/csrf.js';
import type { ActionResult, BuyerActor, Refusal } from '../services.js';
import { type BuyerSession, readBuyerSession, writeBuyerSession } from '../sessions.js';

export const MARKETPLACE_TOKEN_FIELD = 'x-amzn-marketplace-token';

const BuyerLogin = z.object({
  email: z.email({ message: 'email must be a valid e-mail address' }),
  password: z.string({ message: 'password is required' }).min(1, 'password is required').max(200),
});

type BuyerContext = Context<AppEnv>;

const actorOf = (s: BuyerSession, email?: string): BuyerActor => ({
  kind: 'buyer',
  id: s.acct,
  ...(email ? { email } : {}),
});

const binding = (c: BuyerContext) => `buyer:${c.get('buyer')?.sid ?? 'none'}`;

function localize(locale: Locale, errors: FieldErrors): FieldErrors {
  if (locale !== 'ja') return errors;
  const out: Record<string, string> = {};
  for (const [name, message] of Object.entries(errors)) {
    out[name] = JA_FIELD_HINTS[name] ? `${JA_FIELD_HINTS[name]} (${message})` : message;
  }
  return out;
}

export function buyerRoutes(deps: WebDeps): { fulfillment: Hono<AppEnv>; buyer: Hono<AppEnv> } {
  const { config, services } = deps;
  const now = deps.now ?? (() => new Date());

  const message = (
    c: BuyerContext,
    status: 200 | 400 | 401 | 403 | 409 | 429,
    title: MessageKey,
    body: MessageKey,
    kind: 'ok' | 'warn' | 'bad',
    extra?: Html,
  ) =>
    c.html(
      messagePage({ locale: c.get('locale'), path: c.req.path, title, body, kind, extra }).value,
      status,
    );

  const refusalPage = (c: BuyerContext, r: Refusal | { kind: 'not-your-account' }) => {
    switch (r.kind) {
      case 'already-completed':
        return message(c, 409, 'buyer.error.completed.title', 'buyer.error.completed.body', 'ok');
      case 'not-your-account':
        return message(c, 403, 'buyer.select.title', 'buyer.select.notYours', 'bad');
      default:
        return message(c, 409, 'buyer.error.moved.title', 'buyer.error.moved.body', 'warn');
    }
  };

  // --- the fulfillment URL: AWS Marketplace POSTs x-amzn-marketplace-token here (form-encoded) ---------------
  const fulfillment = new Hono<AppEnv>();
  fulfillment.get('/', (c) =>
    message(c, 400, 'buyer.error.invalid.title', 'buyer.error.invalid.body', 'bad'),
  );
  fulfillment.post('/', async (c) => {
    // No CSRF token here by design: AWS Marketplace posts cross-site; the token itself is what we verify.
    const type = c.req.header('content-type') ?? '';
    const body =
      type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')
        ? formStrings(await c.req.parseBody().catch(() => ({})))
        : {};
    const registrationToken = body[MARKETPLACE_TOKEN_FIELD]?.trim();
    if (!registrationToken || registrationToken.length > 4096) {
      return message(c, 400, 'buyer.error.invalid.title', 'buyer.error.invalid.body', 'bad');
    }
    const arrival = await services.resolveBuyerArrival({ registrationToken });
    switch (arrival.kind) {
      case 'invalid-token':
        return message(c, 400, 'buyer.error.invalid.title', 'buyer.error.invalid.body', 'bad');
      case 'expired-token':
        return message(c, 400, 'buyer.error.expired.title', 'buyer.error.expired.body', 'warn');
      case 'throttled':
        c.header('retry-after', '5');
        return message(c, 429, 'buyer.error.throttled.title', 'buyer.error.throttled.body', 'warn');
      case 'not-accepted':
        return message(c, 409, 'buyer.error.notAccepted.title', 'buyer.error.notAccepted.body', 'warn');
      case 'already-completed':
        return message(c, 409, 'buyer.error.completed.title', 'buyer.error.completed.body', 'ok');
      case 'ok': {
        writeBuyerSession(c, config, now(), {
          onb: arrival.onboardingId,
          acct: arrival.customerAwsAccountId,
        });
        const next = arrival.stage === 'AccountSelection' ? '/buyer/login' : '/buyer/register';
        return c.redirect(next, 303);
      }
    }
  });

  // --- the buyer's own pages, all behind a buyer session ------------------------------------------------------
  const buyer = new Hono<AppEnv>();
  buyer.use('*', async (c, next) => {
    const session = readBuyerSession(c, config, now());
    if (!session) return message(c, 401, 'buyer.error.session.title', 'buyer.error.session.body', 'warn');
    c.set('buyer', session);
    return next();
  });
  buyer.use('*', requireCsrf(config, binding));

  const registerPage = (
    c: BuyerContext,
    values: Record<string, string>,
    errors: FieldErrors,
    status: 200 | 400,
  ) => {
    const locale = c.get('locale');
    const L = (k: MessageKey) => t(locale, k);
    const shown = localize(locale, errors);
    const body = h`<h1>${L('buyer.register.title')}</h1>
<p>${L('buyer.register.lead')}</p>
${shown._form ? notice('bad', shown._form) : ''}
<form method="post" action="/buyer/register" class="card" novalidate>
${csrfField(csrfToken(c, config, binding(c)))}
${field({ name: 'accountName', label: L('buyer.register.accountName'), value: values.accountName, errors: shown, required: true, attrs: h` maxlength="100"` })}
${field({ name: 'email', label: L('buyer.register.email'), value: values.email, errors: shown, type: 'email', required: true, attrs: h` autocomplete="email"` })}
<button type="submit">${L('buyer.register.submit')}</button>
</form>
<p><a href="/buyer/login">${L('buyer.register.toLogin')}</a></p>`;
    return c.html(
      publicPage({ locale, path: '/buyer/register', title: L('buyer.register.title'), body }).value,
      status,
    );
  };

  buyer.get('/register', (c) => registerPage(c, {}, {}, 200));
  buyer.post('/register', async (c) => {
    const session = c.get('buyer') as BuyerSession;
    const values = formStrings(await c.req.parseBody());
    const parsed = BuyerRegistration.safeParse({
      kind: 'new',
      actor: actorOf(session),
      accountName: values.accountName,
      email: values.email?.trim(),
    });
    if (!parsed.success || parsed.data.kind !== 'new') {
      return registerPage(c, values, parsed.success ? {} : fieldErrors(parsed.error), 400);
    }
    const result = await services.registerNewAccount({
      onboardingId: session.onb,
      accountName: parsed.data.accountName,
      email: parsed.data.email,
      actor: actorOf(session, parsed.data.email),
    });
    return result.kind === 'done' ? c.redirect('/buyer/complete', 303) : refusalPage(c, result);
  });

  const loginPage = (
    c: BuyerContext,
    values: Record<string, string>,
    errors: FieldErrors,
    status: 200 | 400 | 401,
  ) => {
    const locale = c.get('locale');
    const L = (k: MessageKey) => t(locale, k);
    const body = h`<h1>${L('buyer.login.title')}</h1>
<p>${L('buyer.login.lead')}</p>
${errors._form ? notice('bad', errors._form) : ''}
<form method="post" action="/buyer/login" class="card" novalidate>
${csrfField(csrfToken(c, config, binding(c)))}
${field({ name: 'email', label: L('buyer.login.email'), value: values.email, errors: localize(locale, errors), type: 'email', required: true, attrs: h` autocomplete="username"` })}
${field({ name: 'password', label: L('buyer.login.password'), errors, type: 'password', required: true, attrs: h` autocomplete="current-password"` })}
<button type="submit">${L('buyer.login.submit')}</button>
</form>
<p><a href="/buyer/register">${L('buyer.login.toRegister')}</a></p>`;
    return c.html(
      publicPage({ locale, path: '/buyer/login', title: L('buyer.login.title'), body }).value,
      status,
    );
  };

  buyer.get('/login', (c) => loginPage(c, {}, {}, 200));
  buyer.post('/login', async (c) => {
    const session = c.get('buyer') as BuyerSession;
    const values = formStrings(await c.req.parseBody());
    const parsed = BuyerLogin.safeParse({ email: values.email?.trim(), password: values.password });
    if (!parsed.success) return loginPage(c, values, fieldErrors(parsed.error), 400);
    const result = await services.loginExistingUser({
      onboardingId: session.onb,
      email: parsed.data.email,
      password: parsed.data.password,
      actor: actorOf(session, parsed.data.email),
    });
    if (result.kind === 'bad-credentials') {
      return loginPage(c, values, { _form: t(c.get('locale'), 'buyer.login.bad') }, 401);
    }
    if (result.kind !== 'ok') return refusalPage(c, result);
    writeBuyerSession(
      c,
      config,
      now(),
      { onb: session.onb, acct: session.acct, uid: result.userId },
      session,
    );
    return c.redirect('/buyer/accounts', 303);
  });

  const accountsPage = async (c: BuyerContext, error: string | undefined, status: 200 | 400) => {
    const session = c.get('buyer') as BuyerSession;
    const locale = c.get('locale');
    const L = (k: MessageKey) => t(locale, k);
    if (!session.uid) return c.redirect('/buyer/login', 303);
    const accounts = await services.listUserAccounts({ userId: session.uid });
    const csrf = csrfToken(c, config, binding(c));
    const body = h`<h1>${L('buyer.select.title')}</h1>
<p>${L('buyer.select.lead')}</p>
${error ? notice('bad', error) : ''}
${
  accounts.length === 0
    ? notice('warn', L('buyer.select.none'))
    : h`<ul class="accounts">${accounts.map(
        (
          a,
        ) => h`<li class="card"><div><strong>${a.name}</strong><br><span class="muted">${a.plan}</span></div>
<form method="post" action="/buyer/accounts">${csrfField(csrf)}<input type="hidden" name="accountId" value="${a.accountId}">
<button type="submit">${L('buyer.select.submit')}</button></form></li>`,
      )}</ul>`
}`;
    return c.html(
      publicPage({ locale, path: '/buyer/accounts', title: L('buyer.select.title'), body }).value,
      status,
    );
  };

  buyer.get('/accounts', (c) => accountsPage(c, undefined, 200));
  buyer.post('/accounts', async (c) => {
    const session = c.get('buyer') as BuyerSession;
    if (!session.uid) return c.redirect('/buyer/login', 303);
    const values = formStrings(await c.req.parseBody());
    const parsed = AccountSelectionChoice.safeParse({ actor: actorOf(session), accountId: values.accountId });
    if (!parsed.success) return accountsPage(c, Object.values(fieldErrors(parsed.error)).join(' '), 400);
    const result: ActionResult | { kind: 'not-your-account' } = await services.selectAccount({
      onboardingId: session.onb,
      userId: session.uid,
      accountId: parsed.data.accountId,
      actor: parsed.data.actor,
    });
    return result.kind === 'done' ? c.redirect('/buyer/complete', 303) : refusalPage(c, result);
  });

  buyer.get('/complete', (c) => message(c, 200, 'buyer.done.title', 'buyer.done.body', 'ok'));

  return { fulfillment, buyer };
}
