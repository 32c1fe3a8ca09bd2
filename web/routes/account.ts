/**
 * The built-in directory's set-password page (issue 9): the single-use link of the 7-1 completion mail
 * (`/account/set-password?invite=…`). No session: the invitation itself is the credential, checked on every
 * request; the page answers the same for an unknown, expired or used link as the buyer can act on it.
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import * as uc from '../../tasks/use-cases/index.js';
import type { AppEnv, WebDeps } from '../env.js';
import { formStrings, issuesToErrors } from '../forms/errors.js';
import { csrfField, type FieldErrors, field, messagePage, notice, publicPage } from '../html/layout.js';
import { type MessageKey, t } from '../i18n.js';
import { csrfToken, requireCsrf } from '../security/csrf.js';

const ANON = () => 'anon';
const DONE_PATH = '/account/password-set';

const REFUSED: Record<'invalid-link' | 'expired' | 'used', [MessageKey, MessageKey, 400 | 410 | 409]> = {
  'invalid-link': ['account.setPassword.invalid.title', 'account.setPassword.invalid.body', 400],
  expired: ['account.setPassword.expired.title', 'account.setPassword.expired.body', 410],
  used: ['account.setPassword.used.title', 'account.setPassword.used.body', 409],
};

export function accountRoutes(deps: WebDeps): Hono<AppEnv> {
  const { config, ports } = deps;
  const app = new Hono<AppEnv>();
  const path = (invite: string) => `${uc.SET_PASSWORD_PATH}?invite=${encodeURIComponent(invite)}`;

  const refused = (c: Context<AppEnv>, error: keyof typeof REFUSED) => {
    const [title, body, status] = REFUSED[error];
    return c.html(
      messagePage({ locale: c.get('locale'), path: uc.SET_PASSWORD_PATH, title, body, kind: 'bad' }),
      status,
    );
  };

  const form = (c: Context<AppEnv>, invite: string, errors: FieldErrors, status: 200 | 400) => {
    const locale = c.get('locale');
    const L = (k: MessageKey) => t(locale, k);
    c.header('referrer-policy', 'no-referrer');
    c.header('cache-control', 'no-store');
    const body = html`<h1>${L('account.setPassword.title')}</h1>
<p>${L('account.setPassword.lead')}</p>
${Object.keys(errors).length ? notice('bad', L('inquiry.invalid')) : ''}
<form method="post" action="${uc.SET_PASSWORD_PATH}" class="card slim" novalidate>
${csrfField(csrfToken(c, config, ANON()))}
<input type="hidden" name="invite" value="${invite}">
${field({ name: 'password', label: L('account.setPassword.password'), errors, type: 'password', required: true, attrs: html` autocomplete="new-password" minlength="10" maxlength="256"` })}
${field({ name: 'confirm', label: L('account.setPassword.confirm'), errors, type: 'password', required: true, attrs: html` autocomplete="new-password"` })}
<button type="submit">${L('account.setPassword.submit')}</button>
</form>`;
    return c.html(
      publicPage({ locale, path: path(invite), title: L('account.setPassword.title'), body }),
      status,
    );
  };

  app.get('/set-password', async (c) => {
    const invite = c.req.query('invite') ?? '';
    const state = await uc.checkInvitation(ports, invite);
    return state === 'valid' ? form(c, invite, {}, 200) : refused(c, state);
  });

  app.get('/password-set', (c) =>
    c.html(
      messagePage({
        locale: c.get('locale'),
        path: DONE_PATH,
        title: 'account.setPassword.done.title',
        body: 'account.setPassword.done.body',
        kind: 'ok',
      }),
    ),
  );

  app.post('/set-password', requireCsrf(config, ANON), async (c) => {
    const values = formStrings(await c.req.parseBody());
    const invite = values.invite ?? '';
    const result = await uc.setPasswordWithInvitation(ports, {
      secret: invite,
      password: values.password ?? '',
      confirm: values.confirm ?? '',
    });
    // post/redirect/get: a reload does not post again, and the done page switches language like any other
    if (result.ok) return c.redirect(`${DONE_PATH}?lang=${c.get('locale')}`, 303);
    if (result.error !== 'invalid-input') return refused(c, result.error);
    // the catalogue's sentences, as on every form (an empty password: "パスワードを入力してください。")
    return form(c, invite, issuesToErrors(result.issues, { locale: c.get('locale'), values }), 400);
  });

  return app;
}
