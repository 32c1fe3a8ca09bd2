/**
 * The deal view (issue 11): one customer's onboarding and every agreement after it, in order, with each episode of
 * each agreement (created, amended, plan changed, renewed, ending, ended, late), in the reader's language (the
 * console's words). Every staff role, auditors included, may read it: GET /console/deal/<onboardingId>. Sales and
 * admins ask AWS Marketplace to cancel a live agreement from it, and withdraw the request while it waits
 * (web/console/cancellation-form.ts; POST …/agreements/<agreementId>/cancellation[/withdraw]).
 */

import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import type { Agreement } from '../../tasks/domain/agreement.js';
import { readable } from '../../tasks/domain/timeline-texts.js';
import * as uc from '../../tasks/use-cases/index.js';
import type { Locale } from '../../workflows/contracts/index.js';
import { isSecure } from '../config.js';
import { type CancellationFormState, cancellationSection } from '../console/cancellation-form.js';
import { dealTasksSection } from '../console/deal-tasks.js';
import { type ConsoleWords, words } from '../console/words.js';
import type { AppEnv, WebDeps } from '../env.js';
import { formStrings, issuesToErrors } from '../forms/errors.js';
import { when } from '../html/format.js';
import { type Html, notice, staffPage } from '../html/layout.js';
import { csrfToken, requireCsrf } from '../security/csrf.js';
import type { StaffSession } from '../sessions.js';
import { staffBinding } from './auth.js';
import { languageOf, requireActingRole, requireStaff, staffActor } from './console.js';

type Ctx = Context<AppEnv>;
/** The outcome of a cancellation action, shown once on the deal page it redirects to. */
const DONE_COOKIE = 'deal_done';

const ONBOARDING_ID = /^onb-[a-z0-9]{6,40}$/;

function agreementRow(
  a: Agreement,
  w: ConsoleWords,
  locale: Locale,
  actions: Html | string = '',
  /** The onboarding's paid-plan tenant: the deal's agreements provision it unless their record names another. */
  tenant?: string,
): Html {
  const grants = a.entitlements
    ? Object.entries(a.entitlements)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(', ')
    : '—';
  const link = (id: string | undefined) => (id ? html`<a href="#agreement-${id}">${id}</a>` : '—');
  return html`<section class="card" id="agreement-${a.agreementId}">
<h2>${a.agreementId} <span class="badge">${a.status}</span></h2>
<dl class="facts">
<dt>${w['deal.intent']}</dt><dd>${a.intent ?? '—'}</dd>
<dt>${w['deal.term']}</dt><dd>${when(a.startTime)} → ${when(a.endTime)}</dd>
<dt>${w['deal.tenant']}</dt><dd>${a.tenantId ?? tenant ?? '—'}</dd>
<dt>${w['deal.grants']}</dt><dd>${grants}</dd>
<dt>${w['deal.previous']}</dt><dd>${link(a.previousAgreementId)}</dd>
<dt>${w['deal.next']}</dt><dd>${link(a.nextAgreementId)}</dd>
</dl>
<div class="table-wrap"><table class="list"><thead><tr><th>${w['deal.when']}</th><th>${w['deal.episode']}</th><th>${w['deal.what']}</th></tr></thead><tbody>
${a.episodes.map((e) => html`<tr><td data-label="${w['deal.when']}">${when(e.at)}</td><td data-label="${w['deal.episode']}" data-kind="${e.kind}">${w[`deal.kind.${e.kind}`]}</td><td data-label="${w['deal.what']}">${readable(e, e.kind, locale)}</td></tr>`)}
</tbody></table></div>
${actions}
</section>`;
}

export function dealRoutes(deps: WebDeps) {
  const { config } = deps;
  const app = new Hono<AppEnv>();
  app.use('*', requireStaff());
  /** The deal page, with a banner (an action's outcome) and the cancellation form's values and errors. */
  const show = async (
    c: Ctx,
    status: 200 | 400 | 403 | 404 | 409,
    extra: { banner?: Html; state?: CancellationFormState } = {},
  ) => {
    const id = c.req.param('id') ?? '';
    const staff = c.get('staff');
    const language = languageOf(c);
    const w = words(language.locale);
    const csrf = csrfToken(c, config, staffBinding(c));
    const page = (code: typeof status, body: Html) =>
      c.html(
        staffPage({
          title: `${w['deal.title']} ${id}`,
          body,
          ...(staff ? { staff } : {}),
          csrf,
          ...language,
        }),
        code,
      );
    const detail = ONBOARDING_ID.test(id) ? await uc.getOnboarding(deps.ports, id) : undefined;
    if (!detail?.ok)
      return page(
        404,
        html`<h1>404</h1>${notice('bad', w['deal.notFound'])}<p><a href="/console">← /console</a></p>`,
      );
    const deal = await uc.dealOf(deps.ports, id);
    const o = detail.onboarding;
    const mayAct = !!staff && (staff.role === 'sales' || staff.role === 'admin');
    const actions = (a: Agreement) =>
      cancellationSection(a, {
        onboardingId: id,
        w,
        locale: language.locale,
        csrf,
        mayAct,
        ...(extra.state ? { state: extra.state } : {}),
      });
    return page(
      status,
      html`${extra.banner ?? ''}<p><a href="/console/onboardings/${id}">← ${w['deal.back']}: ${o.inquiry.company} (${id})</a></p>
<h1>${w['deal.title']}: ${o.inquiry.company}</h1>
<p>AWS ${o.buyerAwsAccountId} · ${o.stage}${o.paidPlan ? ` · ${o.paidPlan.plan} (${o.paidPlan.accountId})` : ''}</p>
${dealTasksSection(detail.dealTasks, { onboarding: o, csrf, locale: language.locale, ...(staff ? { role: staff.role } : {}) })}
${deal.length ? deal.map((a) => agreementRow(a, w, language.locale, actions(a), o.paidPlan?.accountId)) : notice('info', w['deal.none'])}`,
    );
  };

  app.get('/:id', async (c) => {
    const done = getCookie(c, DONE_COOKIE);
    if (done) deleteCookie(c, DONE_COOKIE, { path: c.req.path, secure: isSecure(config) });
    const w = words(languageOf(c).locale);
    const banner =
      done === 'sent' ? w['cancel.sent'] : done === 'withdrawn' ? w['cancel.withdrawn'] : undefined;
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
      setCookie(c, DONE_COOKIE, done, {
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
