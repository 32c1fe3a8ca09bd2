/**
 * The deal view (issue 11): one customer's onboarding and every agreement after it, in order, with each episode of
 * each agreement (created, amended, plan changed, renewed, ending, ended, late). Read-only; every staff role,
 * auditors included, may read it: GET /console/deal/<onboardingId>.
 */

import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import type { Agreement } from '../../tasks/domain/agreement.js';
import * as uc from '../../tasks/use-cases/index.js';
import type { AppEnv, WebDeps } from '../env.js';
import { when } from '../html/format.js';
import { type Html, notice, staffPage } from '../html/layout.js';
import { csrfToken } from '../security/csrf.js';
import { staffBinding } from './auth.js';
import { requireStaff } from './console.js';

const ONBOARDING_ID = /^onb-[a-z0-9]{6,40}$/;

function agreementRow(a: Agreement): Html {
  const grants = a.entitlements
    ? Object.entries(a.entitlements)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(', ')
    : '—';
  return html`<section class="card" id="agreement-${a.agreementId}">
<h2>${a.agreementId} <span class="badge">${a.status}</span></h2>
<dl class="facts">
<dt>種別 / Intent</dt><dd>${a.intent ?? '—'}</dd>
<dt>期間 / Term</dt><dd>${when(a.startTime)} → ${when(a.endTime)}</dd>
<dt>テナント / Tenant</dt><dd>${a.tenantId ?? '—'}</dd>
<dt>契約内容 / Grants</dt><dd>${grants}</dd>
<dt>前の契約 / Previous</dt><dd>${a.previousAgreementId ? html`<a href="#agreement-${a.previousAgreementId}">${a.previousAgreementId}</a>` : '—'}</dd>
<dt>次の契約 / Next</dt><dd>${a.nextAgreementId ? html`<a href="#agreement-${a.nextAgreementId}">${a.nextAgreementId}</a>` : '—'}</dd>
</dl>
<table><thead><tr><th>日時 / When (UTC)</th><th>出来事 / Episode</th><th>内容 / What</th></tr></thead><tbody>
${a.episodes.map((e) => html`<tr><td>${when(e.at)}</td><td>${e.kind}</td><td>${e.summary}</td></tr>`)}
</tbody></table>
</section>`;
}

export function dealRoutes(deps: WebDeps) {
  const { config } = deps;
  const app = new Hono<AppEnv>();
  app.use('*', requireStaff());
  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    const staff = c.get('staff');
    const page = (status: 200 | 404, body: Html) =>
      c.html(
        staffPage({
          title: `Deal ${id}`,
          body,
          ...(staff ? { staff } : {}),
          csrf: csrfToken(c, config, staffBinding(c)),
        }),
        status,
      );
    const detail = ONBOARDING_ID.test(id) ? await uc.getOnboarding(deps.ports, id) : undefined;
    if (!detail?.ok)
      return page(
        404,
        html`<h1>404</h1>${notice('bad', `No onboarding ${id}.`)}<p><a href="/console">← /console</a></p>`,
      );
    const deal = await uc.dealOf(deps.ports, id);
    const o = detail.onboarding;
    return page(
      200,
      html`<p><a href="/console/onboardings/${id}">← ${o.inquiry.company} (${id})</a></p>
<h1>契約の経過 / Deal: ${o.inquiry.company}</h1>
<p>AWS ${o.buyerAwsAccountId} · ${o.stage}${o.paidPlan ? ` · ${o.paidPlan.plan} (${o.paidPlan.accountId})` : ''}</p>
${deal.length ? deal.map(agreementRow) : notice('info', 'まだ契約はありません / No agreement yet.')}`,
    );
  });
  return app;
}
