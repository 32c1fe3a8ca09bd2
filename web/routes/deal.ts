/**
 * The deal view (issue 11): one customer's onboarding and every agreement after it, in order, with each episode of
 * each agreement (created, amended, plan changed, renewed, ending, ended, late), in the reader's language (the
 * console's words). Read-only; every staff role, auditors included, may read it: GET /console/deal/<onboardingId>.
 */

import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import type { Agreement } from '../../tasks/domain/agreement.js';
import { readable } from '../../tasks/domain/timeline-texts.js';
import * as uc from '../../tasks/use-cases/index.js';
import type { Locale } from '../../workflows/contracts/index.js';
import { type ConsoleWords, words } from '../console/words.js';
import type { AppEnv, WebDeps } from '../env.js';
import { when } from '../html/format.js';
import { type Html, notice, staffPage } from '../html/layout.js';
import { csrfToken } from '../security/csrf.js';
import { staffBinding } from './auth.js';
import { languageOf, requireStaff } from './console.js';

const ONBOARDING_ID = /^onb-[a-z0-9]{6,40}$/;

function agreementRow(a: Agreement, w: ConsoleWords, locale: Locale): Html {
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
<dt>${w['deal.tenant']}</dt><dd>${a.tenantId ?? '—'}</dd>
<dt>${w['deal.grants']}</dt><dd>${grants}</dd>
<dt>${w['deal.previous']}</dt><dd>${link(a.previousAgreementId)}</dd>
<dt>${w['deal.next']}</dt><dd>${link(a.nextAgreementId)}</dd>
</dl>
<div class="table-wrap"><table class="list"><thead><tr><th>${w['deal.when']}</th><th>${w['deal.episode']}</th><th>${w['deal.what']}</th></tr></thead><tbody>
${a.episodes.map((e) => html`<tr><td data-label="${w['deal.when']}">${when(e.at)}</td><td data-label="${w['deal.episode']}" data-kind="${e.kind}">${w[`deal.kind.${e.kind}`]}</td><td data-label="${w['deal.what']}">${readable(e, e.kind, locale)}</td></tr>`)}
</tbody></table></div>
</section>`;
}

export function dealRoutes(deps: WebDeps) {
  const { config } = deps;
  const app = new Hono<AppEnv>();
  app.use('*', requireStaff());
  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    const staff = c.get('staff');
    const language = languageOf(c);
    const w = words(language.locale);
    const page = (status: 200 | 404, body: Html) =>
      c.html(
        staffPage({
          title: `${w['deal.title']} ${id}`,
          body,
          ...(staff ? { staff } : {}),
          csrf: csrfToken(c, config, staffBinding(c)),
          ...language,
        }),
        status,
      );
    const detail = ONBOARDING_ID.test(id) ? await uc.getOnboarding(deps.ports, id) : undefined;
    if (!detail?.ok)
      return page(
        404,
        html`<h1>404</h1>${notice('bad', w['deal.notFound'])}<p><a href="/console">← /console</a></p>`,
      );
    const deal = await uc.dealOf(deps.ports, id);
    const o = detail.onboarding;
    return page(
      200,
      html`<p><a href="/console/onboardings/${id}">← ${w['deal.back']}: ${o.inquiry.company} (${id})</a></p>
<h1>${w['deal.title']}: ${o.inquiry.company}</h1>
<p>AWS ${o.buyerAwsAccountId} · ${o.stage}${o.paidPlan ? ` · ${o.paidPlan.plan} (${o.paidPlan.accountId})` : ''}</p>
${deal.length ? deal.map((a) => agreementRow(a, w, language.locale)) : notice('info', w['deal.none'])}`,
    );
  });
  return app;
}
