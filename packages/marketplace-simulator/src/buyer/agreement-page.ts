/**
 * After subscribing: the agreement with the "アカウントを設定" (Set up your account) button, a real HTML form
 * POSTing `x-amzn-marketplace-token` to the product's fulfillment URL, as AWS Marketplace does; and a way to
 * cancel the subscription.
 */

import { html } from 'hono/html';
import type { AgreementRecord, CancellationRequestRecord, OfferRecord } from '../model.js';
import { REQUEST_STATUS_LABELS } from './cancellation-page.js';
import { formatDate, label, layout } from './html.js';

const STATUS_JA: Record<string, string> = {
  ACTIVE: '有効',
  CANCELLED: 'キャンセル済み',
  EXPIRED: '期限切れ',
  TERMINATED: '終了',
  ROLLED_BACK: '処理中',
};

export interface AgreementPageInput {
  readonly agreement: AgreementRecord;
  readonly offer: OfferRecord | undefined;
  readonly productTitle: string;
  readonly fulfillmentUrl: string;
  /** A fresh registration token, when account setup is offered. */
  readonly token?: string;
  readonly justSubscribed: boolean;
  /** The seller's latest cancellation request on this agreement, if any. */
  readonly cancellationRequest?: CancellationRequestRecord | undefined;
}

export function agreementPage(input: AgreementPageInput): string {
  const { agreement: a, offer, productTitle, fulfillmentUrl, token, justSubscribed } = input;
  const request = input.cancellationRequest;
  const requestUrl = request
    ? `/agreements/${a.agreementId}/cancellation-requests/${request.id}?account=${encodeURIComponent(a.acceptorAccountId)}`
    : '';
  const active = a.status === 'ACTIVE';
  const status = a.status === 'ROLLED_BACK' ? 'ACTIVE' : a.status; // a failing payment is not visible yet
  const body = html`<h1>${productTitle}</h1>
${
  justSubscribed
    ? html`<p class="notice ok">サブスクリプションが完了しました。ご購入ありがとうございます。
<span class="en">(Thank you for subscribing to this product.)</span></p>`
    : ''
}
${
  token
    ? html`<h2>${label('契約の完了とアカウントの設定', 'Complete your registration')}</h2>
<p>販売者のウェブサイトでアカウントの設定を完了してください。<span class="en">(Set up your account on the seller's website to start using the product.)</span></p>
<form method="post" action="${fulfillmentUrl}" enctype="application/x-www-form-urlencoded">
  <input type="hidden" name="x-amzn-marketplace-token" value="${token}">
  <button type="submit">アカウントを設定 <span class="en">(Set up your account)</span></button>
</form>`
    : ''
}
${
  request?.status === 'PENDING_APPROVAL'
    ? html`<p class="notice" role="status">販売者から、この契約のキャンセルのリクエストが届いています。<a href="${requestUrl}">リクエストを確認して回答する</a>
<span class="en">(The seller asked to cancel this agreement: <a href="${requestUrl}">review and answer the request</a>.)</span></p>`
    : ''
}
<h2>${label('契約', 'Agreement')}</h2>
<table>
<tr><th>${label('契約 ID', 'Agreement ID')}</th><td>${a.agreementId}</td></tr>
<tr><th>${label('ステータス', 'Status')}</th><td>${STATUS_JA[status] ?? status} (${status})</td></tr>
<tr><th>${label('オファー', 'Offer')}</th><td>${offer?.name ?? a.offerId}</td></tr>
<tr><th>${label('AWS アカウント', 'AWS account')}</th><td>${a.acceptorAccountId}</td></tr>
<tr><th>${label('開始日', 'Start date')}</th><td>${formatDate(a.startTime)}</td></tr>
<tr><th>${label('終了日', 'End date')}</th><td>${formatDate(a.endTime)}</td></tr>
${
  a.estimatedCharges
    ? html`<tr><th>${label('見積り額', 'Estimated charges')}</th><td>${a.estimatedCharges.agreementValue} ${a.estimatedCharges.currencyCode}</td></tr>`
    : ''
}
${
  request
    ? html`<tr><th>${label('キャンセルリクエスト', 'Cancellation request')}</th><td><a href="${requestUrl}">${request.id}</a> (${label(...REQUEST_STATUS_LABELS[request.status])})</td></tr>`
    : ''
}
</table>
${
  active
    ? html`<form method="post" action="/agreements/${a.agreementId}/cancel" onsubmit="return confirm('サブスクリプションをキャンセルしますか？')">
  <input type="hidden" name="account" value="${a.acceptorAccountId}">
  <button type="submit" class="secondary">サブスクリプションをキャンセル <span class="en">(Cancel subscription)</span></button>
</form>`
    : ''
}
<p><a href="/?account=${encodeURIComponent(a.acceptorAccountId)}">${label('購入したもの', 'Your purchases')}</a></p>`;
  return layout(`${productTitle} — ${a.agreementId}`, body);
}
