/**
 * The console for sales and support: onboardings by stage (with counts), search, cursor pagination; an
 * onboarding's page with its stepper and the form of its current human stage; closing with a reason.
 * Every POST checks the role (auditors get 403 and change nothing) and the CSRF token. Staff act on
 * (onboarding, stage): the use cases find the task token server side.
 */

import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import { defaultTimeZone, formatDateTime } from '../../tasks/domain/emails/format.js';
import { withdrawalSaid } from '../../tasks/domain/offer-withdrawal.js';
import { say } from '../../tasks/domain/timeline-texts.js';
import type { OnboardingDetail } from '../../tasks/use-cases/index.js';
import * as uc from '../../tasks/use-cases/index.js';
import {
  ACTING_ROLES,
  isDealStage,
  isStaffStage,
  type Locale,
  numberedLabel,
  OnboardingId,
  type StaffActor,
  StaffActor as StaffActorSchema,
  type StaffStage,
  type Stage,
} from '../../workflows/contracts/index.js';
import {
  staffMayClose,
  staffMayComplete,
  staffMayExtendOffer,
} from '../../workflows/contracts/permissions.js';
import { isSecure } from '../config.js';
import {
  listBody,
  listTable,
  parseListView,
  roleName,
  rolesActingAs,
  staffRoleName,
} from '../console/list.js';
import { EXTEND_ACTION, offerExtensionForm } from '../console/offer-extension.js';
import {
  CLOSE_ACTION,
  closeForm,
  hasOwnClose,
  type StageSubmission,
  stageForms,
  stageSubmission,
} from '../console/stage-forms.js';
import { stepper } from '../console/stepper.js';
import { type ConsoleWords, languageOf, staffLocale, type WordKey, words } from '../console/words.js';
import type { AppEnv, WebDeps } from '../env.js';
import { formStrings, issuesToErrors } from '../forms/errors.js';
import { when, who } from '../html/format.js';
import type { Html } from '../html/layout.js';
import { csrfField, type FieldErrors, notice, staffPage } from '../html/layout.js';
import { csrfToken, requireCsrf } from '../security/csrf.js';
import type { StaffSession } from '../sessions.js';
import { staffBinding } from './auth.js';
import { DEAL_DONE_COOKIE, dealPage } from './deal-page.js';

type Ctx = Context<AppEnv>;
type Detail = Extract<OnboardingDetail, { ok: true }>;

export const canAct = (s: StaffSession | undefined): boolean =>
  !!s && (ACTING_ROLES as readonly string[]).includes(s.role);

export function staffActor(s: StaffSession): StaffActor {
  return StaffActorSchema.parse({ kind: 'staff', id: s.sub, role: s.role, name: s.name });
}

/** Signed-in staff only; others are sent to the sign-in page. */
export function requireStaff() {
  return async (c: Ctx, next: () => Promise<void>) => {
    if (!c.get('staff')) {
      const back = c.req.method === 'GET' ? c.req.path + (new URL(c.req.url).search || '') : '/console';
      return c.redirect(`/auth/login?next=${encodeURIComponent(back)}`, 303);
    }
    return next();
  };
}

/** Refuses changes by roles that may not act (auditors) with 403, before anything else runs. */
export function requireActingRole(config: WebDeps['config']) {
  return async (c: Ctx, next: () => Promise<void>) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !canAct(c.get('staff'))) {
      const w = words(staffLocale(c));
      const body = html`<h1>${w['forbidden.title']}</h1>${notice('bad', w['forbidden.body'](c.get('staff')?.role ?? 'none'))}<p><a href="/console">${w['detail.back']}</a></p>`;
      return c.html(
        staffPage({
          title: w['forbidden.title'],
          body,
          staff: c.get('staff'),
          csrf: csrfToken(c, config, staffBinding(c)),
          locale: staffLocale(c),
        }),
        403,
      );
    }
    return next();
  };
}

/** Why an action did not go through, in words (the use cases' outcome codes), in the reader's language. */
export function refusalText(error: string, detail?: Detail, stage?: string, locale: Locale = 'en'): string {
  const w = words(locale);
  const task = detail?.tasks
    .filter((t) => t.stage === stage)
    .sort((a, b) => b.openedAt.localeCompare(a.openedAt))[0];
  const at = task?.completedAt ? when(task.completedAt) : '';
  switch (error) {
    case 'already-completed':
      return w['refused.alreadyCompleted'](task?.completedBy ? who(task.completedBy, locale) : '', at);
    case 'timed-out':
      return w['refused.timedOut'](at);
    case 'deal-steps-open':
      // closing acts on the onboarding's own stage only: its deal steps are answered on the deal view
      return w['refused.dealStepsOpen'](
        [...new Set((detail?.dealTasks ?? []).map((t) => numberedLabel(t.stage, locale)))].join(', '),
      );
    case 'not-open':
      return detail && detail.onboarding.status !== 'active'
        ? w['refused.ended'](detail.onboarding.status)
        : w['refused.notOpen'](detail?.onboarding.stage ?? '');
    case 'in-progress':
      return w['refused.inProgress'];
    case 'not-found':
      return w['refused.notFound'];
    case 'forbidden':
      return w['refused.forbidden'](stage ?? '');
    case 'not-waiting':
      return w['refused.notWaiting'];
    case 'offer-expired':
      return w['refused.offerExpired'];
    case 'recently-resent':
      return w['refused.recentlyResent'](uc.RESEND_PAUSE_MINUTES);
    default:
      return w['refused.other'](error);
  }
}

/** The confirmation after each staff stage's form (every staff stage of the registry needs one) and a close. */
type DoneKey = Extract<WordKey, `done.${string}`>;
const DONE_KEYS: Record<StaffStage | 'closed' | 'resent' | 'extended', DoneKey> = {
  resent: 'done.resent',
  extended: 'done.extended',
  Consultation: 'done.Consultation',
  OfferFailed: 'done.OfferFailed',
  OfferExpired: 'done.OfferExpired',
  StageTimedOut: 'done.StageTimedOut',
  Renewal: 'done.Renewal',
  AdvisoryReview: 'done.AdvisoryReview',
  closed: 'done.closed',
};

/**
 * The confirmation after a staff action is shown once, on the page the action redirects to: a short-lived cookie
 * scoped to that onboarding's page (never a query parameter, which would keep the banner on every reload and in
 * bookmarks after the stage moved on). It holds only the key of the text (DONE_KEYS).
 */
const DONE_COOKIE = 'console_done';
const DONE_MAX_AGE_S = 60;

const RESEND_ACTION = 'resend-offer';

/** Sending the offer e-mail again while the buyer has not subscribed: the address, the expiry, the last resend. */
function resendForm(d: Detail, csrf: string, locale: Locale): Html {
  const o = d.onboarding;
  if (!o.offer) return html``;
  const w = words(locale);
  const last = d.timeline.filter((e) => e.action === 'offer-notice-resent').at(-1);
  return html`<form method="post" action="/console/onboardings/${encodeURIComponent(o.id)}/resend-offer" class="card" novalidate>
<h3>${w['resend.title']}</h3>
${csrfField(csrf)}
<p>${w['resend.help'](o.inquiry.email, formatDateTime(o.offer.expiresAt, locale, o.inquiry.timeZone ?? defaultTimeZone(o.locale)))}</p>
${last ? html`<p class="muted">${w['resend.last'](when(last.at), who(last.actor, locale))}</p>` : ''}
<button type="submit">${w['resend.button']}</button>
</form>`;
}

/** An onboarding the buyer confirmed as another request though it matched a live one: which, and what support may do. */
function duplicateNotice(d: Detail, w: ConsoleWords): Html | '' {
  const twin = d.timeline.find((e) => e.action === 'possible-duplicate')?.detail?.duplicateOf;
  if (typeof twin !== 'string' || !OnboardingId.safeParse(twin).success) return '';
  return notice(
    'warn',
    html`${w['detail.duplicateOf']} <a href="/console/onboardings/${twin}" data-duplicate-of="${twin}">${twin}</a>${w['detail.duplicateStop']} ${w['detail.duplicateHint']}`,
  );
}

export function consoleRoutes(deps: WebDeps): Hono<AppEnv> {
  const { config, ports } = deps;
  const app = new Hono<AppEnv>();
  app.use('*', requireStaff(), requireActingRole(config), requireCsrf(config, staffBinding));
  const pageSize = Math.min(config.pageSize, 100);

  /** The list for the address's view; a stale cursor or a query not understood falls back, with a banner. */
  const listed = async (c: Ctx) => {
    const staff = c.get('staff') as StaffSession;
    const view = parseListView((name) => c.req.query(name));
    const roles = rolesActingAs(staff.role);
    let result = await uc.listOnboardings(ports, {
      stage: view.stage,
      query: view.q,
      cursor: view.cursor,
      limit: pageSize,
      sort: view.sort,
      overdue: view.overdue,
      roles,
      mine: view.mine,
    });
    let banner: Html | undefined;
    const locale = staffLocale(c);
    if (!result.ok) {
      banner = notice(
        'warn',
        words(locale)[result.error === 'invalid-cursor' ? 'list.staleCursor' : 'list.badSearch'],
      );
      result = await uc.listOnboardings(ports, { limit: pageSize });
    }
    if (!result.ok) throw new Error(`listOnboardings refused the default query: ${result.error}`);
    return { staff, view, result, banner, locale, now: ports.clock.now().toISOString() };
  };

  app.get('/', async (c) => {
    const { staff, view, result, banner, now, locale } = await listed(c);
    const body = listBody(view, result, staff.role, now, banner, locale);
    return c.html(
      staffPage({
        title: words(locale)['list.title'],
        body,
        staff,
        csrf: csrfToken(c, config, staffBinding(c)),
        ...languageOf(c),
      }),
    );
  });

  /** The list's table alone, for the page's refresh every 30 s (no reload; nothing cached). */
  app.get('/list', async (c) => {
    const { view, result, now, locale } = await listed(c);
    c.header('cache-control', 'no-store');
    return c.html(listTable(view, result, now, locale));
  });

  const detailPage = (
    c: Ctx,
    d: Detail,
    opts: {
      status?: 200 | 400 | 403 | 409;
      banner?: Html;
      errors?: FieldErrors;
      values?: Record<string, string>;
      action?: string;
    },
  ) => {
    const staff = c.get('staff') as StaffSession;
    const csrf = csrfToken(c, config, staffBinding(c));
    const locale = staffLocale(c);
    const w = words(locale);
    const o = d.onboarding;
    const ctx = {
      csrf,
      onboarding: o,
      values: opts.values ?? {},
      errors: opts.errors ?? {},
      action: opts.action,
      locale,
    };
    const open = d.openTask;
    const label = (stage: Stage) => (locale === 'en' ? stage : numberedLabel(stage, locale));
    let actions: Html;
    if (o.status !== 'active') {
      // a completed onboarding lives on as its deal: say where what follows the sale is done
      actions =
        o.status === 'completed'
          ? notice(
              'info',
              html`${w['next.completed']} <a href="/console/deal/${o.id}">${w['detail.deal']} →</a>`,
            )
          : notice('info', w['next.ended'](o.status));
    } else if (!canAct(staff)) {
      actions = notice('info', w['next.readOnly'](staff.role));
    } else if (open && isStaffStage(open.stage)) {
      const failure = o.offerFailure && open.stage === 'OfferFailed' ? o.offerFailure : undefined;
      const context = failure ?? open.context;
      const mine = staffMayComplete(staff.role, open.stage);
      actions = html`${notice('info', `${w['next.waits'](label(open.stage), roleName(open.assignee, locale), when(open.openedAt), when(open.dueAt))}${mine ? '' : w['next.notYours'](staffRoleName(staff.role, locale))}`)}
${context ? html`<details class="card" open><summary>${w['detail.stageDetails']}</summary><pre>${JSON.stringify(context, null, 2)}</pre></details>` : ''}
${mine ? stageForms(open.stage, ctx) : ''}${(!mine || !hasOwnClose(open.stage)) && staffMayClose(staff.role, open.stage) ? closeForm(ctx) : ''}`;
    } else if (open) {
      actions = html`${notice('info', w['next.waitsBuyer'](label(open.stage), open.stage === 'AwaitAcceptance', when(open.openedAt), when(open.dueAt)))}
${open.stage === 'AwaitAcceptance' ? resendForm(d, csrf, locale) : ''}
${open.stage === 'AwaitAcceptance' && staffMayExtendOffer(staff.role) ? offerExtensionForm({ onboarding: o, timeline: d.timeline, csrf, locale, values: ctx.values, errors: ctx.errors, ...(ctx.action ? { action: ctx.action } : {}) }) : ''}
${staffMayClose(staff.role, open.stage) ? closeForm(ctx) : ''}`;
    } else {
      actions = notice('info', w['next.working'](label(o.stage)));
    }
    const listErrors =
      opts.errors && Object.keys(opts.errors).length > 0
        ? notice(
            'bad',
            html`${w['detail.notAccepted']}<ul>${Object.entries(opts.errors).map(
              // each message is a sentence naming its field's label (the message catalogue): no field key before it
              ([, m]) => html`<li>${m}</li>`,
            )}</ul>`,
          )
        : '';
    const facts: [string, string | undefined][] = [
      [w['fact.id'], o.id],
      [w['fact.stage'], `${numberedLabel(o.stage, locale)} (${o.stage}, ${o.status})`],
      [w['fact.contact'], `${o.inquiry.contactName} <${o.inquiry.email}>`],
      [w['fact.account'], o.buyerAwsAccountId],
      [w['fact.plan'], o.plan],
      [w['fact.message'], o.inquiry.message],
      [
        w['fact.offer'],
        o.offer
          ? `${w['fact.offerLine'](
              o.offer.offerId,
              o.offer.source,
              when(o.offer.expiresAt),
              formatDateTime(o.offer.expiresAt, o.locale),
            )}${
              // closed before the buyer accepted: what became of the offer at the marketplace (offer-withdrawal.ts)
              o.offerWithdrawal ? ` — ${say(withdrawalSaid(o.offerWithdrawal), locale) ?? ''}` : ''
            }`
          : undefined,
      ],
      [w['fact.subscription'], o.subscription === 'none' ? undefined : w[`subscription.${o.subscription}`]],
      [w['fact.agreement'], o.agreementId],
      [w['fact.license'], o.licenseArn],
      [w['fact.saasAccount'], o.accountId],
      [
        w['fact.ended'],
        o.end
          ? w['fact.endedLine'](
              when(o.end.at),
              numberedLabel(o.end.stage, locale),
              o.end.reason,
              o.end.outcome,
            )
          : undefined,
      ],
      [w['fact.started'], when(o.createdAt)],
      [w['fact.updated'], when(o.updatedAt)],
    ];
    const body = html`<p><a href="/console">${w['detail.back']}</a></p>
<h1>${o.inquiry.company} <span class="badge" title="${o.stage}">${label(o.stage)}</span></h1>
${opts.banner ?? ''}${listErrors}${duplicateNotice(d, w)}
<div class="card"><dl class="facts">${facts.filter(([, v]) => v).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
<p><a href="/audit/onboardings/${o.id}">${w['detail.audit']}</a> · <a href="/console/deal/${o.id}">${w['detail.deal']}</a></p></div>
<h2>${w['detail.stages']}</h2>
<div class="card">${stepper(o, d.tasks, d.timeline, locale)}</div>
<h2>${w['detail.next']}</h2>
${d.dealTasks.map((t) => notice('info', html`${w['next.waits'](label(t.stage), roleName(t.assignee, locale), when(t.openedAt), when(t.dueAt))} <a href="/console/deal/${o.id}">${w['detail.deal']} →</a>`))}
${actions}`;
    return c.html(
      staffPage({ title: o.inquiry.company, body, staff, csrf, ...languageOf(c) }),
      opts.status ?? 200,
    );
  };

  const load = async (c: Ctx): Promise<Detail | undefined> => {
    const id = OnboardingId.safeParse(c.req.param('id'));
    if (!id.success) return undefined;
    const d = await uc.getOnboarding(ports, id.data);
    return d.ok ? d : undefined;
  };
  const notFound = (c: Ctx) =>
    c.html(
      staffPage({
        title: 'Not found',
        body: html`<h1>${words(staffLocale(c))['notFound.title']}</h1><p><a href="/console">${words(staffLocale(c))['detail.back']}</a></p>`,
        ...languageOf(c),
        staff: c.get('staff'),
        csrf: csrfToken(c, config, staffBinding(c)),
      }),
      404,
    );

  app.get('/onboardings/:id', async (c) => {
    const d = await load(c);
    if (!d) return notFound(c);
    const done = getCookie(c, DONE_COOKIE);
    if (done) deleteCookie(c, DONE_COOKIE, { path: c.req.path, secure: isSecure(config) });
    const key = done ? (DONE_KEYS as Record<string, DoneKey | undefined>)[done] : undefined;
    const text = key ? words(staffLocale(c))[key] : undefined;
    const banner = text ? notice('ok', text) : undefined;
    return detailPage(c, d, { banner });
  });

  /**
   * Shows the outcome of a staff action: back to the page on success (nothing loaded: the redirect loads it), the
   * form with messages, or why not. The onboarding's detail is read only to render a page.
   */
  const finish = async (
    c: Ctx,
    onboardingId: string,
    sub: StageSubmission,
    values: Record<string, string>,
    result: { ok: true } | { ok: false; error: string; issues?: { path: string; message: string }[] },
    doneKey: string,
    stage: string | undefined,
  ) => {
    // a deal step's form (Renewal, AdvisoryReview) is on the deal view: its outcome shows there
    const deal = !!stage && doneKey === stage && isDealStage(stage);
    if (result.ok) {
      const page = deal ? `/console/deal/${onboardingId}` : `/console/onboardings/${onboardingId}`;
      setCookie(c, deal ? DEAL_DONE_COOKIE : DONE_COOKIE, doneKey, {
        path: page,
        httpOnly: true,
        sameSite: 'Lax',
        secure: isSecure(config),
        maxAge: DONE_MAX_AGE_S,
      });
      return c.redirect(page, 303);
    }
    const d = result.error === 'not-found' ? undefined : await load(c);
    if (!d) return notFound(c);
    if (deal && stage) {
      const step =
        result.error === 'invalid-input'
          ? { stage, action: sub.action, values, errors: sub.errorsOf(result.issues ?? [], staffLocale(c)) }
          : undefined;
      return dealPage(
        deps,
        c,
        result.error === 'invalid-input' ? 400 : result.error === 'forbidden' ? 403 : 409,
        {
          ...(step
            ? { step }
            : { banner: notice('warn', refusalText(result.error, d, stage, staffLocale(c))) }),
        },
      );
    }
    if (result.error === 'invalid-input') {
      return detailPage(c, d, {
        status: 400,
        errors: sub.errorsOf(result.issues ?? [], staffLocale(c)),
        values,
        action: sub.action,
      });
    }
    return detailPage(c, d, {
      status: result.error === 'forbidden' ? 403 : 409,
      banner: notice('warn', refusalText(result.error, d, stage ?? d.onboarding.stage, staffLocale(c))),
    });
  };

  app.post('/onboardings/:id/stages/:stage', async (c) => {
    const id = OnboardingId.safeParse(c.req.param('id'));
    if (!id.success) return notFound(c);
    const stage = c.req.param('stage');
    const staff = c.get('staff') as StaffSession;
    const values = formStrings(await c.req.parseBody());
    if (!isStaffStage(stage)) {
      const d = await load(c);
      if (!d) return notFound(c);
      return detailPage(c, d, {
        status: 400,
        banner: notice('bad', `${stage} is not a stage staff complete from the console.`),
      });
    }
    const actor = staffActor(staff);
    const sub = stageSubmission(stage, values, actor);
    // a deal step's form names its instance (two advisories may wait at once)
    const instance = c.req.query('instance');
    const result = await uc.completeHumanStage(ports, {
      onboardingId: id.data,
      stage,
      payload: sub.payload,
      actor,
      ...(instance ? { instance } : {}),
    });
    return finish(c, id.data, sub, values, result, stage, stage);
  });

  /** The offer e-mail again, while the buyer has not subscribed (AwaitAcceptance); the waiting task is not touched. */
  app.post('/onboardings/:id/resend-offer', async (c) => {
    const id = OnboardingId.safeParse(c.req.param('id'));
    if (!id.success) return notFound(c);
    const values = formStrings(await c.req.parseBody());
    const sub: StageSubmission = {
      action: RESEND_ACTION,
      payload: undefined,
      errorsOf: (issues, locale) => issuesToErrors(issues, { values, ...(locale ? { locale } : {}) }),
    };
    const result = await uc.resendOfferNotice(ports, {
      onboardingId: id.data,
      actor: staffActor(c.get('staff') as StaffSession),
    });
    return finish(c, id.data, sub, values, result, 'resent', 'AwaitAcceptance');
  });

  /**
   * Sales (or an admin) extends the offer while the buyer has not subscribed (AwaitAcceptance): the workflow moves the
   * expiry, mails the buyer and waits until the new date. The date is checked on its field first.
   */
  app.post('/onboardings/:id/extend-offer', async (c) => {
    const id = OnboardingId.safeParse(c.req.param('id'));
    if (!id.success) return notFound(c);
    const values = formStrings(await c.req.parseBody());
    const sub: StageSubmission = {
      action: EXTEND_ACTION,
      payload: undefined,
      errorsOf: (issues, locale) => issuesToErrors(issues, { values, ...(locale ? { locale } : {}) }),
    };
    const result = await uc.extendOfferWhileWaiting(ports, {
      onboardingId: id.data,
      offerExpiresAt: uc.offerExpiryFromDate(values.offerExpiresAt),
      actor: staffActor(c.get('staff') as StaffSession),
    });
    return finish(c, id.data, sub, values, result, 'extended', 'AwaitAcceptance');
  });

  app.post('/onboardings/:id/close', async (c) => {
    const id = OnboardingId.safeParse(c.req.param('id'));
    if (!id.success) return notFound(c);
    const staff = c.get('staff') as StaffSession;
    const values = formStrings(await c.req.parseBody());
    const sub: StageSubmission = {
      action: CLOSE_ACTION,
      payload: undefined,
      errorsOf: (issues, locale) => issuesToErrors(issues, { values, ...(locale ? { locale } : {}) }),
    };
    const result = await uc.closeOnboarding(ports, {
      onboardingId: id.data,
      reason: values.reason,
      actor: staffActor(staff),
    });
    const stage = result.ok ? result.stage : 'stage' in result ? result.stage : undefined;
    return finish(c, id.data, sub, values, result, 'closed', stage);
  });

  return app;
}
