/**
 * The deal view's page (issue 11): one customer's onboarding and every agreement after it, in order, with each episode
 * of each agreement, the deal's steps that wait (with their forms) and each agreement's cancellation form. Rendered by
 * the deal routes (web/routes/deal.ts) and by the console's stage form route when a deal step's form (Renewal,
 * AdvisoryReview) comes back with errors or is refused: the page the form is on shows why, next to its fields.
 */

import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Agreement } from '../../tasks/domain/agreement.js';
import { agreementWord } from '../../tasks/domain/agreement-words.js';
import { readable } from '../../tasks/domain/timeline-texts.js';
import * as uc from '../../tasks/use-cases/index.js';
import { type Locale, numberedLabel } from '../../workflows/contracts/index.js';
import { type CancellationFormState, cancellationSection } from '../console/cancellation-form.js';
import { type DealStepFormState, dealTasksSection } from '../console/deal-tasks.js';
import { type ConsoleWords, languageOf, words } from '../console/words.js';
import type { AppEnv, WebDeps } from '../env.js';
import { when } from '../html/format.js';
import { type Html, notice, staffPage } from '../html/layout.js';
import { csrfToken } from '../security/csrf.js';
import { staffBinding } from './auth.js';

export const ONBOARDING_ID = /^onb-[a-z0-9]{6,40}$/;

/**
 * The outcome of an action taken on the deal view (a cancellation request sent or withdrawn, a deal step's decision),
 * shown once on the deal page the action redirects to: a short-lived cookie scoped to that page holding its key.
 */
export const DEAL_DONE_COOKIE = 'deal_done';

const DEAL_DONE: Readonly<Record<string, (w: ConsoleWords) => string>> = {
  sent: (w) => w['cancel.sent'],
  withdrawn: (w) => w['cancel.withdrawn'],
  Renewal: (w) => w['done.Renewal'],
  AdvisoryReview: (w) => w['done.AdvisoryReview'],
};

/** The banner of an outcome key (DEAL_DONE_COOKIE), or undefined for a key not known. */
export const dealDoneText = (w: ConsoleWords, done: string): string | undefined => DEAL_DONE[done]?.(w);

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
<h2>${a.agreementId} <span class="badge" data-status="${a.status}" title="${a.status}">${agreementWord('status', a.status, locale)}</span></h2>
<dl class="facts">
<dt>${w['deal.intent']}</dt><dd${a.intent ? html` data-intent="${a.intent}" title="${a.intent}"` : ''}>${a.intent ? agreementWord('intent', a.intent, locale) : '—'}</dd>
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

export interface DealPageExtra {
  /** An action's outcome (or why it was refused), above everything. */
  readonly banner?: Html;
  /** The cancellation form that was sent, with its values and errors. */
  readonly state?: CancellationFormState;
  /** The deal step's form that was sent (Renewal, AdvisoryReview), with its values and errors. */
  readonly step?: DealStepFormState;
}

/** The deal page of the route's `:id`, in the reader's language. */
export async function dealPage(
  deps: WebDeps,
  c: Context<AppEnv>,
  status: 200 | 400 | 403 | 404 | 409,
  extra: DealPageExtra = {},
) {
  const id = c.req.param('id') ?? '';
  const staff = c.get('staff');
  const language = languageOf(c);
  const w = words(language.locale);
  const csrf = csrfToken(c, deps.config, staffBinding(c));
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
<p data-deal-summary>${w['deal.summary'](o.buyerAwsAccountId, numberedLabel(o.stage, language.locale))}${o.paidPlan ? w['deal.plan'](o.paidPlan.plan, o.paidPlan.accountId) : ''}</p>
${dealTasksSection(detail.dealTasks, { onboarding: o, csrf, locale: language.locale, ...(staff ? { role: staff.role } : {}), ...(extra.step ? { step: extra.step } : {}) })}
${deal.length ? deal.map((a) => agreementRow(a, w, language.locale, actions(a), o.paidPlan?.accountId)) : notice('info', w['deal.none'])}`,
  );
}
