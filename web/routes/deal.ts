/**
 * The deal view (issue 11): one customer's onboarding and every agreement after it, in order, with each episode of
 * each agreement (created, amended, plan changed, renewed, ending, ended, late), in the reader's language (the
 * console's words). Every staff role, auditors included, may read it: GET /console/deal/<onboardingId>. Sales and
 * admins ask AWS Marketplace to cancel a live agreement from it, and withdraw the request while it waits
 * (web/console/cancellation-form.ts; POST …/agreements/<agreementId>/cancellation[/withdraw]).
 */

import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { Hono } from 'hono/tiny';
import * as uc from '../../tasks/use-cases/index.js';
import { isSecure } from '../config.js';
import { languageOf, words } from '../console/words.js';
import type { AppEnv, WebDeps } from '../env.js';
import { formStrings, issuesToErrors } from '../forms/errors.js';
import { notice } from '../html/layout.js';
import { requireCsrf } from '../security/csrf.js';
import type { StaffSession } from '../sessions.js';
import { staffBinding } from './auth.js';
import { requireActingRole, requireStaff, staffActor } from './console.js';
import { DEAL_DONE_COOKIE, type DealPageExtra, dealDoneText, dealPage } from './deal-page.js';

type Ctx = Context<AppEnv>;

export function dealRoutes(deps: WebDeps) {
  const { config } = deps;
  const app = new Hono<AppEnv>();
  app.use('*', requireStaff());
  const show = (c: Ctx, status: 200 | 400 | 403 | 404 | 409, extra: DealPageExtra = {}) =>
    dealPage(deps, c, status, extra);

  app.get('/:id', async (c) => {
    const done = getCookie(c, DEAL_DONE_COOKIE);
    if (done) deleteCookie(c, DEAL_DONE_COOKIE, { path: c.req.path, secure: isSecure(config) });
    const banner = done ? dealDoneText(words(languageOf(c).locale), done) : undefined;
    return show(c, 200, banner ? { banner: notice('ok', banner) } : {});
  });

  /** After an action: back to the page (its banner once, from a short-lived cookie), or the page saying why not. */
  const finish = async (
    c: Ctx,
    agreementId: string,
    values: Record<string, string>,
    result: Awaited<ReturnType<typeof uc.requestAgreementCancellation>>,
    done: 'sent' | 'withdrawn',
  ) => {
    const id = c.req.param('id') ?? '';
    const locale = languageOf(c).locale;
    if (result.ok) {
      const page = `/console/deal/${id}`;
      setCookie(c, DEAL_DONE_COOKIE, done, {
        path: page,
        httpOnly: true,
        sameSite: 'Lax',
        secure: isSecure(config),
        maxAge: 60,
      });
      return c.redirect(`${page}#agreement-${agreementId}`, 303);
    }
    if (result.error === 'invalid-input') {
      // the fields a person fills in keep their sentence; the hidden ones (clientToken, ids) say it above the form
      const shown = new Set(['reasonCode', 'note', 'reason']);
      const errors = issuesToErrors(result.issues, {
        locale,
        values,
        rename: (name) => (shown.has(name) ? name : '_form'),
      });
      return show(c, 400, { state: { agreementId, values, errors } });
    }
    const w = words(locale);
    const status = result.error === 'forbidden' ? 403 : result.error === 'not-found' ? 404 : 409;
    return show(c, status, {
      banner: notice('warn', w[`cancel.refused.${result.error}`]),
      state: { agreementId, values },
    });
  };

  const acting = [requireActingRole(config), requireCsrf(config, staffBinding)] as const;
  app.post('/:id/agreements/:agreementId/cancellation', ...acting, async (c) => {
    const staff = c.get('staff') as StaffSession;
    const agreementId = c.req.param('agreementId');
    const values = formStrings(await c.req.parseBody());
    const result = await uc.requestAgreementCancellation(deps.ports, {
      onboardingId: c.req.param('id'),
      agreementId,
      reasonCode: values.reasonCode as never,
      note: values.note,
      clientToken: values.clientToken ?? '',
      actor: staffActor(staff),
    });
    return finish(c, agreementId, values, result, 'sent');
  });
  app.post('/:id/agreements/:agreementId/cancellation/withdraw', ...acting, async (c) => {
    const staff = c.get('staff') as StaffSession;
    const agreementId = c.req.param('agreementId');
    const values = formStrings(await c.req.parseBody());
    const result = await uc.withdrawAgreementCancellation(deps.ports, {
      onboardingId: c.req.param('id'),
      agreementId,
      reason: values.reason,
      actor: staffActor(staff),
    });
    return finish(c, agreementId, values, result, 'withdrawn');
  });
  return app;
}
