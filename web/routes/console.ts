/**
 * The console for sales and support: onboardings by stage (with counts), search, cursor pagination; an
 * onboarding's page with its stepper and the form of its current human stage; closing with a reason.
 * Every POST checks the role (auditors get 403 and change nothing) and the CSRF token.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import {
  ACTING_ROLES,
  STAGES,
  type StaffActor,
  StaffActor as StaffActorSchema,
  type Stage,
} from '../../workflows/contracts/index.js';
import {
  closeForm,
  isStaffStage,
  type ParsedForm,
  parseCloseForm,
  parseStageForm,
  stageForms,
} from '../console/stage-forms.js';
import { stepper } from '../console/stepper.js';
import type { AppEnv, WebDeps } from '../env.js';
import { formStrings } from '../forms/errors.js';
import { when, who } from '../html/format.js';
import { type Html, h } from '../html/h.js';
import { type FieldErrors, notice, staffPage } from '../html/layout.js';
import { csrfToken, requireCsrf } from '../security/csrf.js';
import type { ActionResult, OnboardingDetail, Refusal } from '../services.js';
import type { StaffSession } from '../sessions.js';
import { staffBinding } from './auth.js';

type Ctx = Context<AppEnv>;

export const canAct = (s: StaffSession | undefined): boolean =>
  !!s && (ACTING_ROLES as readonly string[]).includes(s.role);

export function staffActor(s: StaffSession): StaffActor {
  return StaffActorSchema.parse({ kind: 'staff', id: s.sub, role: s.role, name: s.name });
}

/** Signed-in staff only; others are sent to the sign-in page. */
export function requireStaff() {
  return async (c: Ctx, next: () => Promise<void>) => {
    if (!c.get('staff')) {
      const next_ = c.req.method === 'GET' ? c.req.path + (new URL(c.req.url).search || '') : '/console';
      return c.redirect(`/auth/login?next=${encodeURIComponent(next_)}`, 303);
    }
    return next();
  };
}

/** Refuses changes by roles that may not act (auditors) with 403, before anything else runs. */
export function requireActingRole(config: WebDeps['config']) {
  return async (c: Ctx, next: () => Promise<void>) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !canAct(c.get('staff'))) {
      const body = h`<h1>403 Forbidden</h1>${notice('bad', `Your role (${c.get('staff')?.role ?? 'none'}) can read but cannot change onboardings.`)}`;
      return c.html(
        staffPage({
          title: 'Forbidden',
          body,
          staff: c.get('staff'),
          csrf: csrfToken(c, config, staffBinding(c)),
        }).value,
        403,
      );
    }
    return next();
  };
}

export function refusalText(r: Refusal): string {
  switch (r.kind) {
    case 'already-completed':
      return `Already completed${r.by ? ` by ${who(r.by)}` : ''}${r.at ? ` at ${when(r.at)}` : ''}. Nothing was changed.`;
    case 'not-open':
      return `This onboarding is now at ${r.currentStage}; that form no longer applies. Nothing was changed.`;
    case 'timed-out':
      return `The stage timed out${r.at ? ` at ${when(r.at)}` : ''}; the onboarding is waiting for support (StageTimedOut). Nothing was changed.`;
    case 'ended':
      return `The onboarding has ended (${r.status}). Nothing was changed.`;
    case 'not-found':
      return 'No such onboarding.';
  }
}

const DONE_TEXT: Record<string, string> = {
  Consultation: 'The agreed terms were recorded; the offer is being created.',
  OfferFailed: 'Your decision on the failed offer was recorded.',
  OfferExpired: 'Your decision on the expired offer was recorded.',
  StageTimedOut: 'Your decision on the timed-out stage was recorded.',
  closed: 'The onboarding was closed.',
};

export function consoleRoutes(deps: WebDeps): Hono<AppEnv> {
  const { config, services } = deps;
  const app = new Hono<AppEnv>();
  app.use('*', requireStaff(), requireActingRole(config), requireCsrf(config, staffBinding));

  app.get('/', async (c) => {
    const staff = c.get('staff') as StaffSession;
    const stageParam = c.req.query('stage');
    const stage = (STAGES as readonly string[]).includes(stageParam ?? '')
      ? (stageParam as Stage)
      : undefined;
    const search = (c.req.query('q') ?? '').trim().slice(0, 200) || undefined;
    const cursor = (c.req.query('cursor') ?? '').slice(0, 2000) || undefined;
    const [counts, page] = await Promise.all([
      services.countOnboardingsByStage(),
      services.listOnboardings({ stage, search, cursor, limit: config.pageSize }),
    ]);
    const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
    const link = (s: Stage | undefined) => {
      const q = new URLSearchParams();
      if (s) q.set('stage', s);
      if (search) q.set('q', search);
      const qs = q.toString();
      return `/console${qs ? `?${qs}` : ''}`;
    };
    const pills = h`<ul class="stages" aria-label="Stages">
<li><a href="${link(undefined)}"${stage ? '' : h` aria-current="true"`}>All <span class="muted">${total}</span></a></li>
${STAGES.filter((s) => (counts[s] ?? 0) > 0 || s === stage).map(
  (s) =>
    h`<li><a href="${link(s)}"${s === stage ? h` aria-current="true"` : ''}>${s} <span class="muted">${counts[s] ?? 0}</span></a></li>`,
)}</ul>`;
    const nextQ = new URLSearchParams();
    if (stage) nextQ.set('stage', stage);
    if (search) nextQ.set('q', search);
    if (page.nextCursor) nextQ.set('cursor', page.nextCursor);
    const body = h`<h1>Onboardings</h1>
${pills}
<form method="get" action="/console" class="search" role="search">
${stage ? h`<input type="hidden" name="stage" value="${stage}">` : ''}
<div><label for="q">Search company, e-mail or AWS account id</label>
<input id="q" name="q" type="search" value="${search ?? ''}" maxlength="200"></div>
<button type="submit">Search</button>
</form>
<table>
<thead><tr><th>Company</th><th>Contact</th><th>AWS account</th><th>Stage</th><th>Updated</th></tr></thead>
<tbody>
${
  page.items.length === 0
    ? h`<tr><td colspan="5" class="muted">No onboardings${search ? h` match “${search}”` : ''}.</td></tr>`
    : page.items.map(
        (o) =>
          h`<tr><td><a href="/console/onboardings/${o.onboardingId}">${o.company}</a></td><td>${o.contactName}<br><span class="muted">${o.email}</span></td><td>${o.awsAccountId}</td><td><span class="badge">${o.stage}</span></td><td>${when(o.updatedAt)}</td></tr>`,
      )
}
</tbody></table>
<nav class="pager" aria-label="Pages">
${cursor ? h`<a href="${link(stage)}">« First page</a>` : h`<span></span>`}
${page.nextCursor ? h`<a href="/console?${nextQ.toString()}" rel="next">Next page »</a>` : h`<span></span>`}
</nav>`;
    return c.html(
      staffPage({ title: 'Onboardings', body, staff, csrf: csrfToken(c, config, staffBinding(c)) }).value,
    );
  });

  const detailPage = async (
    c: Ctx,
    o: OnboardingDetail,
    opts: {
      status?: 200 | 400 | 409;
      banner?: Html;
      errors?: FieldErrors;
      values?: Record<string, string>;
      action?: string;
    },
  ) => {
    const staff = c.get('staff') as StaffSession;
    const csrf = csrfToken(c, config, staffBinding(c));
    const history = await services.getExecutionHistory(o.onboardingId);
    const ctx = {
      csrf,
      onboarding: o,
      values: opts.values ?? {},
      errors: opts.errors ?? {},
      action: opts.action,
    };
    const open = o.tasks.find((t) => t.outcome === undefined && t.stage === o.stage);
    const running = o.status === 'RUNNING';
    let actions: Html;
    if (!running) {
      actions = notice('info', `This onboarding has ended (${o.status}).`);
    } else if (!canAct(staff)) {
      actions = notice('info', `Read-only: your role (${staff.role}) cannot change onboardings.`);
    } else if (isStaffStage(o.stage)) {
      actions = h`${open?.context ? h`<details class="card"><summary>Details of this stage</summary><pre>${JSON.stringify(open.context, null, 2)}</pre></details>` : ''}
${stageForms(o.stage, ctx)}${closeForm(ctx)}`;
    } else {
      actions = h`${notice('info', open ? `Waiting for the ${open.stage === 'AwaitAcceptance' ? 'buyer to subscribe on AWS Marketplace' : 'buyer'} (${open.stage}) since ${when(open.openedAt)}${open.dueAt ? `, due ${when(open.dueAt)}` : ''}.` : `The workflow is working on ${o.stage}.`)}
${closeForm(ctx)}`;
    }
    const listErrors =
      opts.errors && Object.keys(opts.errors).length > 0
        ? notice(
            'bad',
            h`The form was not accepted; nothing was changed.<ul>${Object.entries(opts.errors).map(([k, m]) => h`<li>${k === '_form' ? '' : `${k}: `}${m}</li>`)}</ul>`,
          )
        : '';
    const facts: [string, string | undefined][] = [
      ['Onboarding id', o.onboardingId],
      ['Stage', `${o.stage} (${o.status})`],
      ['Contact', `${o.contactName} <${o.email}>`],
      ['AWS account id', o.awsAccountId],
      ['Plan of interest', o.plan],
      ['Message', o.message],
      ['Offer id', o.offerId],
      ['Offer expires', o.offerExpiresAt ? when(o.offerExpiresAt) : undefined],
      ['Agreement id', o.agreementId],
      ['License', o.licenseArn],
      ['SaaS account', o.accountId],
      ['Closed because', o.closedReason],
      ['Started', when(o.createdAt)],
      ['Updated', when(o.updatedAt)],
    ];
    const body = h`<p><a href="/console">« Onboardings</a></p>
<h1>${o.company} <span class="badge">${o.stage}</span></h1>
${opts.banner ?? ''}${listErrors}
<div class="card"><dl class="facts">${facts.filter(([, v]) => v).map(([k, v]) => h`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
<p><a href="/audit/onboardings/${o.onboardingId}">Full execution history (audit view)</a></p></div>
<h2>Stages</h2>
<div class="card">${stepper(o, history)}</div>
<h2>Next step</h2>
${actions}`;
    return c.html(staffPage({ title: o.company, body, staff, csrf }).value, opts.status ?? 200);
  };

  const load = async (c: Ctx) => {
    const id = c.req.param('id') ?? '';
    return /^onb-[0-9a-z]{10,40}$/.test(id) ? services.getOnboarding(id) : undefined;
  };
  const notFound = (c: Ctx) =>
    c.html(
      staffPage({
        title: 'Not found',
        body: h`<h1>No such onboarding</h1><p><a href="/console">« Onboardings</a></p>`,
        staff: c.get('staff'),
        csrf: csrfToken(c, config, staffBinding(c)),
      }).value,
      404,
    );

  app.get('/onboardings/:id', async (c) => {
    const o = await load(c);
    if (!o) return notFound(c);
    const done = c.req.query('done');
    const banner = done && DONE_TEXT[done] ? notice('ok', DONE_TEXT[done] as string) : undefined;
    return detailPage(c, o, { banner });
  });

  const finish = async (
    c: Ctx,
    o: OnboardingDetail,
    parsed: ParsedForm,
    values: Record<string, string>,
    run: (payload: unknown) => Promise<ActionResult>,
    doneKey: string,
  ) => {
    if (!parsed.ok)
      return detailPage(c, o, { status: 400, errors: parsed.errors, values, action: parsed.action });
    const result = await run(parsed.payload);
    if (result.kind === 'done')
      return c.redirect(`/console/onboardings/${o.onboardingId}?done=${doneKey}`, 303);
    const fresh = (await services.getOnboarding(o.onboardingId)) ?? o;
    return detailPage(c, fresh, { status: 409, banner: notice('warn', refusalText(result)) });
  };

  app.post('/onboardings/:id/stages/:stage', async (c) => {
    const o = await load(c);
    if (!o) return notFound(c);
    const stage = c.req.param('stage');
    const staff = c.get('staff') as StaffSession;
    const values = formStrings(await c.req.parseBody());
    if (!isStaffStage(stage)) {
      return detailPage(c, o, {
        status: 400,
        banner: notice('bad', `${stage} is not a stage staff complete from the console.`),
      });
    }
    const actor = staffActor(staff);
    return finish(
      c,
      o,
      parseStageForm(stage, values, actor),
      values,
      (payload) => services.completeHumanStage({ onboardingId: o.onboardingId, stage, payload, actor }),
      stage,
    );
  });

  app.post('/onboardings/:id/close', async (c) => {
    const o = await load(c);
    if (!o) return notFound(c);
    const staff = c.get('staff') as StaffSession;
    const values = formStrings(await c.req.parseBody());
    const parsed = parseCloseForm(values, staffActor(staff));
    return finish(
      c,
      o,
      parsed,
      values,
      (payload) =>
        services.closeOnboarding({
          onboardingId: o.onboardingId,
          request: payload as { actor: StaffActor; reason: string },
        }),
      'closed',
    );
  });

  return app;
}
