/**
 * Steps 6 and 7, the buyer's pages (Japanese by default): the fulfillment POST from AWS Marketplace, the
 * "AWS Marketplace経由 新規登録" page (7-1), login (7-2-1), "有料化を行うアカウントの選択" (7-2), completion.
 * The marketplace token is resolved at once and never stored or shown; the buyer then holds a signed, expiring
 * session bound to one onboarding. No page, form or URL carries an onboarding id the buyer could change.
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import type { SignedInUser } from '../../tasks/ports/provisioning.js';
import type { CompleteStageResult } from '../../tasks/use-cases/index.js';
import * as uc from '../../tasks/use-cases/index.js';
import {
  type Actor,
  BUYER_STAGES,
  type Stage,
  stagesAfterBuyerSteps,
  WORKFLOW_ERRORS,
} from '../../workflows/contracts/index.js';
import type { AppEnv, WebDeps } from '../env.js';
import { formStrings, issuesToErrors } from '../forms/errors.js';
import type { Html } from '../html/layout.js';
import { csrfField, type FieldErrors, field, messagePage, notice, publicPage } from '../html/layout.js';
import { type MessageKey, t } from '../i18n.js';
import { clientAddress } from '../security/client.js';
import { csrfToken, requireCsrf } from '../security/csrf.js';
import { type BuyerSession, cookieName, readBuyerSession, writeBuyerSession } from '../sessions.js';
import { mountBuyerOidc } from './buyer-oidc.js';

/** The words of each refusal of the vendor's SaaS the buyer can fix (tasks/ports/provisioning.ts BUYER_FIXABLE). */
const REFUSAL_WORDS: Partial<Record<string, MessageKey>> = {
  'tenant-name-taken': 'provisioning.refused.tenant-name-taken',
  'tenant-name-invalid': 'provisioning.refused.tenant-name-invalid',
  'email-invalid': 'provisioning.refused.email-invalid',
  'email-in-use': 'provisioning.refused.email-in-use',
  'tenant-not-found': 'provisioning.refused.tenant-not-found',
  'not-permitted': 'provisioning.refused.not-permitted',
  'tenant-not-eligible': 'provisioning.refused.tenant-not-eligible',
};

export const MARKETPLACE_TOKEN_FIELD = 'x-amzn-marketplace-token';

type BuyerContext = Context<AppEnv>;
type BuyerActor = Extract<Actor, { kind: 'buyer' }>;

const actorOf = (s: BuyerSession, email?: string): BuyerActor => ({
  kind: 'buyer',
  id: s.acct,
  ...(email ? { email } : {}),
});

const binding = (c: BuyerContext) => `buyer:${c.get('buyer')?.sid ?? 'none'}`;

/** Stages after which the buyer has nothing left to do. */
const SETUP_DONE: readonly Stage[] = stagesAfterBuyerSteps();

export function buyerRoutes(deps: WebDeps): { fulfillment: Hono<AppEnv>; buyer: Hono<AppEnv> } {
  const { config, ports } = deps;
  const now = () => ports.clock.now();

  const message = (
    c: BuyerContext,
    status: 200 | 400 | 401 | 403 | 409 | 429 | 503,
    title: MessageKey,
    body: MessageKey,
    kind: 'ok' | 'warn' | 'bad',
    extra?: Html,
  ) => c.html(messagePage({ locale: c.get('locale'), path: c.req.path, title, body, kind, extra }), status);

  /** A stage result that is not a success (nor invalid input) as a page. */
  const refusalPage = async (c: BuyerContext, error: string) => {
    if (error === 'in-progress') {
      // a completion is being sent (or its sender died and its claim has not lapsed): not "complete" as far as we know
      return message(
        c,
        409,
        'buyer.error.processing.title',
        'buyer.error.processing.body',
        'warn',
        html`<p><a href="${c.req.path}">${t(c.get('locale'), 'buyer.error.tryAgain')}</a></p>`,
      );
    }
    if (error === 'already-completed') {
      return message(c, 409, 'buyer.error.completed.title', 'buyer.error.completed.body', 'ok');
    }
    if (error === 'not-open') {
      // the workflow may still be opening the next step (a moment after the previous one): ask to try again
      const session = c.get('buyer') as BuyerSession;
      const o = await ports.onboardings.get(session.onb);
      if (o && SETUP_DONE.includes(o.stage)) {
        return message(c, 409, 'buyer.error.completed.title', 'buyer.error.completed.body', 'ok');
      }
      if (o && (BUYER_STAGES as readonly Stage[]).includes(o.stage)) {
        return message(
          c,
          409,
          'buyer.error.busy.title',
          'buyer.error.busy.body',
          'warn',
          html`<p><a href="${c.req.path}">${t(c.get('locale'), 'buyer.error.tryAgain')}</a></p>`,
        );
      }
    }
    return message(c, 409, 'buyer.error.moved.title', 'buyer.error.moved.body', 'warn');
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
    const registrationToken = body[MARKETPLACE_TOKEN_FIELD];
    if (!registrationToken?.trim() || registrationToken.length > 4096) {
      return message(c, 400, 'buyer.error.invalid.title', 'buyer.error.invalid.body', 'bad');
    }
    const arrival = await uc.resolveBuyerArrival(ports, { registrationToken });
    if (!arrival.ok) {
      switch (arrival.error) {
        case 'missing-token':
        case 'invalid-token':
          return message(c, 400, 'buyer.error.invalid.title', 'buyer.error.invalid.body', 'bad');
        case 'expired-token':
          return message(c, 400, 'buyer.error.expired.title', 'buyer.error.expired.body', 'warn');
        case 'try-again':
          c.header('retry-after', '5');
          return message(c, 429, 'buyer.error.throttled.title', 'buyer.error.throttled.body', 'warn');
        case 'not-entitled':
          return message(c, 409, 'buyer.error.notAccepted.title', 'buyer.error.notAccepted.body', 'warn');
        case 'no-onboarding':
          return message(c, 409, 'buyer.error.noOnboarding.title', 'buyer.error.noOnboarding.body', 'warn');
      }
    }
    if (SETUP_DONE.includes(arrival.stage)) {
      return message(c, 409, 'buyer.error.completed.title', 'buyer.error.completed.body', 'ok');
    }
    if (arrival.stage === 'Closed')
      return message(c, 409, 'buyer.error.moved.title', 'buyer.error.moved.body', 'warn');
    writeBuyerSession(c, config, now(), { onb: arrival.onboardingId, acct: arrival.buyerAwsAccountId });
    // Japanese unless the buyer asked in English (inquiry) or chose English here before
    const lang = c.req.header('cookie')?.match(/(?:^|;\s*)lang=(ja|en)/)?.[1] ?? arrival.locale;
    const next = arrival.stage === 'AccountSelection' ? '/buyer/login' : '/buyer/register';
    return c.redirect(`${next}?lang=${lang}`, 303);
  });

  // --- the buyer's own pages, all behind a buyer session ------------------------------------------------------
  const buyer = new Hono<AppEnv>();
  buyer.use('*', async (c, next) => {
    const session = readBuyerSession(c, config, now());
    if (!session) {
      // a session that ended says so; a page opened without one (a bookmark, a copied address) says where it opens
      const ended = getCookie(c, cookieName(config, 'buyer')) !== undefined;
      return ended
        ? message(c, 401, 'buyer.error.session.title', 'buyer.error.session.body', 'warn')
        : message(c, 401, 'buyer.error.noSession.title', 'buyer.error.noSession.body', 'warn');
    }
    c.set('buyer', session);
    return next();
  });
  buyer.use('*', requireCsrf(config, binding));
  // 7-2 through the vendor's OpenID provider, when one is configured (it replaces the built-in sign-in)
  if (deps.buyerOidc)
    mountBuyerOidc(buyer, { oidc: deps.buyerOidc, config, ports }, { message, refusal: refusalPage });

  const registerPage = (
    c: BuyerContext,
    values: Record<string, string>,
    errors: FieldErrors,
    status: 200 | 400 | 409,
  ) => {
    const locale = c.get('locale');
    const L = (k: MessageKey) => t(locale, k);
    const body = html`<h1>${L('buyer.register.title')}</h1>
<p>${L('buyer.register.lead')}</p>
${errors._form ? notice('bad', errors._form) : ''}
<form method="post" action="/buyer/register" class="card" novalidate>
${csrfField(csrfToken(c, config, binding(c)))}
${field({ name: 'accountName', label: L('buyer.register.accountName'), value: values.accountName, errors, required: true, attrs: html` maxlength="100"` })}
${field({ name: 'email', label: L('buyer.register.email'), value: values.email, errors, type: 'email', required: true, attrs: html` autocomplete="email"` })}
<button type="submit">${L('buyer.register.submit')}</button>
</form>
<p><a href="/buyer/login">${L('buyer.register.toLogin')}</a></p>`;
    return c.html(
      publicPage({ locale, path: '/buyer/register', title: L('buyer.register.title'), body }),
      status,
    );
  };

  buyer.get('/register', (c) => registerPage(c, {}, {}, 200));
  buyer.post('/register', async (c) => {
    const session = c.get('buyer') as BuyerSession;
    const values = formStrings(await c.req.parseBody());
    const email = values.email?.trim();
    const result = await uc.registerNewAccount(ports, {
      onboardingId: session.onb,
      actor: actorOf(session),
      accountName: values.accountName,
      email,
    });
    if (result.ok) return c.redirect('/buyer/complete', 303);
    if (result.error === 'invalid-input')
      return registerPage(c, values, issuesToErrors(result.issues, { locale: c.get('locale'), values }), 400);
    if (result.error === 'email-in-use') {
      return registerPage(c, values, { email: t(c.get('locale'), 'buyer.register.emailInUse') }, 409);
    }
    if (result.error === 'provisioning-refused') {
      // the vendor's SaaS refused it for a reason the buyer can fix here (e.g. the account name is taken)
      const words = t(
        c.get('locale'),
        REFUSAL_WORDS[result.reason] ?? 'provisioning.refused.tenant-name-invalid',
      );
      const fieldName =
        result.field === 'email' ? 'email' : result.field === 'name' ? 'accountName' : '_form';
      return registerPage(c, values, { [fieldName]: words }, 409);
    }
    return refusalPage(c, result.error);
  });

  const loginPage = (
    c: BuyerContext,
    values: Record<string, string>,
    errors: FieldErrors,
    status: 200 | 400 | 401 | 429,
  ) => {
    const locale = c.get('locale');
    const L = (k: MessageKey) => t(locale, k);
    const body = html`<h1>${L('buyer.login.title')}</h1>
<p>${L('buyer.login.lead')}</p>
${errors._form ? notice('bad', errors._form) : ''}
<form method="post" action="/buyer/login" class="card" novalidate>
${csrfField(csrfToken(c, config, binding(c)))}
${field({ name: 'email', label: L('buyer.login.email'), value: values.email, errors, type: 'email', required: true, attrs: html` autocomplete="username"` })}
${field({ name: 'password', label: L('buyer.login.password'), errors, type: 'password', required: true, attrs: html` autocomplete="current-password"` })}
<button type="submit">${L('buyer.login.submit')}</button>
</form>
<p><a href="/buyer/register">${L('buyer.login.toRegister')}</a></p>`;
    return c.html(publicPage({ locale, path: '/buyer/login', title: L('buyer.login.title'), body }), status);
  };

  buyer.get('/login', (c) => loginPage(c, {}, {}, 200));
  buyer.post('/login', async (c) => {
    const session = c.get('buyer') as BuyerSession;
    const values = formStrings(await c.req.parseBody());
    const client = clientAddress(c);
    const result = await uc.loginExistingUser(ports, {
      onboardingId: session.onb,
      actor: actorOf(session),
      email: values.email?.trim(),
      password: values.password,
      ...(client ? { client } : {}),
    });
    if (!result.ok) {
      if (result.error === 'invalid-input')
        return loginPage(c, values, issuesToErrors(result.issues, { locale: c.get('locale'), values }), 400);
      if (result.error === 'locked-out') {
        c.header('retry-after', String(result.retryAfterSeconds));
        const minutes = String(Math.ceil(result.retryAfterSeconds / 60));
        const words = t(c.get('locale'), 'buyer.login.lockedOut').replace('{minutes}', minutes);
        return loginPage(c, values, { _form: words }, 429);
      }
      return loginPage(c, values, { _form: t(c.get('locale'), 'buyer.login.bad') }, 401);
    }
    // a reload of this form after Registration was completed by this same login is fine
    const reg: CompleteStageResult = result.registration;
    if (!reg.ok && reg.error !== 'already-completed') {
      return refusalPage(c, reg.error === 'invalid-input' ? 'not-open' : reg.error);
    }
    writeBuyerSession(
      c,
      config,
      now(),
      { onb: session.onb, acct: session.acct, uid: result.user.id },
      session,
    );
    return c.redirect('/buyer/accounts', 303);
  });

  /** The signed-in user of this session: from the vendor's OpenID provider, or the built-in directory's. */
  const signedIn = async (session: BuyerSession): Promise<SignedInUser | undefined> => {
    if (!session.uid) return undefined;
    if (session.iss && session.em) return { issuer: session.iss, subject: session.uid, email: session.em };
    return uc.builtInUser(ports, session.uid);
  };

  const accountsPage = async (c: BuyerContext, error: string | undefined, status: 200 | 400 | 403) => {
    const session = c.get('buyer') as BuyerSession;
    const locale = c.get('locale');
    const L = (k: MessageKey) => t(locale, k);
    const user = await signedIn(session);
    if (!user) return c.redirect('/buyer/login', 303);
    const accounts = await uc.listTenantsFor(ports, session.onb, user);
    const csrf = csrfToken(c, config, binding(c));
    const body = html`<h1>${L('buyer.select.title')}</h1>
<p>${L('buyer.select.lead')}</p>
${error ? notice('bad', error) : ''}
${
  accounts.length === 0
    ? notice('warn', L('buyer.select.none'))
    : html`<ul class="accounts">${accounts.map(
        (
          a,
        ) => html`<li class="card"><div><strong>${a.name}</strong><br><span class="muted">${a.plan === 'paid' ? L('buyer.select.paid') : L('buyer.select.free')}</span></div>
<form method="post" action="/buyer/accounts">${csrfField(csrf)}<input type="hidden" name="accountId" value="${a.id}">
<button type="submit">${L('buyer.select.submit')}</button></form></li>`,
      )}</ul>`
}`;
    return c.html(
      publicPage({ locale, path: '/buyer/accounts', title: L('buyer.select.title'), body }),
      status,
    );
  };

  /** The vendor's SaaS did not answer (after the port's timeout): ask the buyer to try again, change nothing. */
  const vendorUnavailable = (c: BuyerContext, error: unknown) => {
    if ((error as { workflowError?: string }).workflowError !== WORKFLOW_ERRORS.provisioningUnavailable)
      throw error;
    return message(c, 503, 'provisioning.unavailable.title', 'provisioning.unavailable.body', 'warn');
  };

  buyer.get('/accounts', (c) =>
    accountsPage(c, undefined, 200).catch((e: unknown) => vendorUnavailable(c, e)),
  );
  buyer.post('/accounts', async (c) => {
    const session = c.get('buyer') as BuyerSession;
    const user = await signedIn(session);
    if (!user) return c.redirect('/buyer/login', 303);
    const values = formStrings(await c.req.parseBody());
    let result: Awaited<ReturnType<typeof uc.selectAccount>>;
    try {
      result = await uc.selectAccount(ports, {
        onboardingId: session.onb,
        actor: actorOf(session, session.em),
        user,
        accountId: values.accountId,
      });
    } catch (error) {
      return vendorUnavailable(c, error);
    }
    if (result.ok) return c.redirect('/buyer/complete', 303);
    if (result.error === 'not-a-member')
      return accountsPage(c, t(c.get('locale'), 'buyer.select.notYours'), 403);
    if (result.error === 'invalid-input') {
      return accountsPage(
        c,
        Object.values(issuesToErrors(result.issues, { locale: c.get('locale'), values })).join(' '),
        400,
      );
    }
    return refusalPage(c, result.error);
  });

  buyer.get('/complete', (c) =>
    message(
      c,
      200,
      'buyer.done.title',
      'buyer.done.body',
      'ok',
      html`<p>${t(c.get('locale'), 'buyer.done.signIn')}</p>`,
    ),
  );

  return { fulfillment, buyer };
}
