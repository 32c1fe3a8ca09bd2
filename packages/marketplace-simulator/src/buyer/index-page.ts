/** The buyer's start page: the private offers targeted to an account and its subscriptions. */

import { html } from 'hono/html';
import type { AgreementRecord, OfferRecord } from '../model.js';
import { formatDate, label, layout } from './html.js';

export function indexPage(
  accountId: string | undefined,
  offers: OfferRecord[],
  agreements: AgreementRecord[],
): string {
  if (accountId === undefined) {
    return layout(
      'AWS Marketplace',
      html`<h1>${label('プライベートオファー', 'Private offers')}</h1>
<form method="get" action="/">
  <label>${label('AWS アカウント ID', 'AWS account ID')}
  <input type="text" name="account" inputmode="numeric" pattern="\\d{12}" maxlength="12" required autofocus></label>
  <button type="submit">表示 <span class="en">(Show)</span></button>
</form>`,
    );
  }
  const acc = encodeURIComponent(accountId);
  return layout(
    'AWS Marketplace',
    html`<h1>${label('プライベートオファー', 'Private offers')}</h1>
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
${agreements.map((a) => html`<tr><td><a href="/agreements/${a.agreementId}?account=${acc}">${a.agreementId}</a></td><td>${a.status}</td></tr>`)}</table>`
}`,
  );
}
