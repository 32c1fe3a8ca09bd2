/** The buyer's start page: the private offers targeted to an account and its subscriptions. */

import { html } from 'hono/html';
import type { AgreementRecord, CancellationRequestRecord, OfferRecord } from '../model.js';
import { formatDate, type Html, label, layout } from './html.js';

/**
 * The simulator's own control (not AWS's): time travel. The clock moves forward and what falls in between happens
 * (Ending notices, expiries, 7-day auto-approvals of cancellation requests).
 */
function clockForm(now: Date): Html {
  const options = [
    ['PT1H', '1 時間 (1 hour)'],
    ['P1D', '1 日 (1 day)'],
    ['P7D', '7 日 (7 days)'],
    ['P8D', '8 日 (8 days)'],
    ['P30D', '30 日 (30 days)'],
    ['P90D', '90 日 (90 days)'],
    ['P6M', '6 か月 (6 months)'],
    ['P1Y', '1 年 (1 year)'],
  ] as const;
  return html`<details class="clock"><summary>${label('シミュレーターの時計', 'Simulator clock')}: ${formatDate(now.toISOString())}</summary>
<form method="post" action="/clock" class="clock">
  <label for="duration">${label('時間を進める', 'Move time forward by')}</label>
  <select id="duration" name="duration">${options.map(([v, l]) => html`<option value="${v}">${l}</option>`)}</select>
  <button type="submit" class="secondary">進める <span class="en">(Advance)</span></button>
</form>
<p>期限の近い契約の通知、契約の満了、7 日間回答のないキャンセルリクエストの自動承認が、その間に起きたものとして送られます。<span class="en">(Ending notices, expiries and 7-day auto-approvals that fall in between happen now.)</span></p>
</details>`;
}

export function indexPage(
  accountId: string | undefined,
  offers: OfferRecord[],
  agreements: AgreementRecord[],
  extra: { pending?: ReadonlyMap<string, CancellationRequestRecord>; now?: Date; travelled?: string } = {},
): string {
  const now = extra.now ?? new Date();
  const travelled = extra.travelled
    ? html`<p class="notice ok" role="status">${label('時計を進めました', 'The clock moved forward')}: ${formatDate(extra.travelled)}</p>`
    : '';
  if (accountId === undefined) {
    return layout(
      'AWS Marketplace',
      html`${travelled}<h1>${label('プライベートオファー', 'Private offers')}</h1>
<form method="get" action="/">
  <label>${label('AWS アカウント ID', 'AWS account ID')}
  <input type="text" name="account" inputmode="numeric" pattern="\\d{12}" maxlength="12" required autofocus></label>
  <button type="submit">表示 <span class="en">(Show)</span></button>
</form>
${clockForm(now)}`,
    );
  }
  const acc = encodeURIComponent(accountId);
  const pendingLink = (a: AgreementRecord) => {
    const r = extra.pending?.get(a.agreementId);
    return r
      ? html` · <a href="/agreements/${a.agreementId}/cancellation-requests/${r.id}?account=${acc}">${label('キャンセルのリクエストに回答', 'Answer the cancellation request')}</a>`
      : '';
  };
  return layout(
    'AWS Marketplace',
    html`${travelled}<h1>${label('プライベートオファー', 'Private offers')}</h1>
<p>${label('AWS アカウント', 'AWS account')}: ${accountId} <a href="/?signout=1">${label('切り替え', 'Switch')}</a></p>
${
  offers.length === 0
    ? html`<p>このアカウント向けのオファーはありません。<span class="en">(No offers for this account.)</span></p>`
    : html`<table><tr><th>${label('オファー', 'Offer')}</th><th>${label('オファーの有効期限', 'Offer expiration date')}</th></tr>
${offers.map((o) => html`<tr><td><a href="/offers/${o.id}?account=${acc}">${o.name ?? o.id}</a></td><td>${formatDate(o.availabilityEndDate)}</td></tr>`)}</table>`
}
<h2>${label('サブスクリプション', 'Subscriptions')}</h2>
${
  agreements.length === 0
    ? html`<p>—</p>`
    : html`<table><tr><th>${label('契約 ID', 'Agreement ID')}</th><th>${label('ステータス', 'Status')}</th></tr>
${agreements.map((a) => html`<tr><td><a href="/agreements/${a.agreementId}?account=${acc}">${a.agreementId}</a></td><td>${a.status}${pendingLink(a)}</td></tr>`)}</table>`
}
${clockForm(now)}`,
  );
}
