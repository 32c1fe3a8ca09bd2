/**
 * The buyer's page of a seller's cancellation request: why the seller asks, until when the buyer may answer (no
 * answer within 7 days approves it), and the two answers: approve (the agreement ends) or reject (with a reason the
 * seller reads).
 */

import { html } from 'hono/html';
import type { AgreementRecord, CancellationReasonCode, CancellationRequestRecord } from '../model.js';
import { formatDate, label, layout } from './html.js';

export const REASON_LABELS: Record<CancellationReasonCode, readonly [string, string]> = {
  INCORRECT_TERMS_ACCEPTED: ['誤った条件での契約', 'Incorrect terms accepted'],
  REPLACING_AGREEMENT: ['別の契約への置き換え', 'Replacing agreement'],
  TEST_AGREEMENT: ['テスト用の契約', 'Test agreement'],
  ALTERNATIVE_PROCUREMENT_CHANNEL: ['別の調達経路での購入', 'Alternative procurement channel'],
  PRODUCT_DISCONTINUED: ['製品の提供終了', 'Product discontinued'],
  UNINTENDED_RENEWAL: ['意図しない更新', 'Unintended renewal'],
  BUYER_DISSATISFACTION: ['購入者のご不満', 'Buyer dissatisfaction'],
  OTHER: ['その他', 'Other'],
};

export const REQUEST_STATUS_LABELS: Record<CancellationRequestRecord['status'], readonly [string, string]> = {
  PENDING_APPROVAL: ['承認待ち', 'Pending approval'],
  APPROVED: ['承認済み', 'Approved'],
  REJECTED: ['拒否済み', 'Rejected'],
  CANCELLED: ['販売者が取り下げ', 'Withdrawn by the seller'],
  VALIDATION_FAILED: ['検証エラー', 'Validation failed'],
};

const both = ([ja, en]: readonly [string, string]) => label(ja, en);

export function cancellationRequestPage(input: {
  readonly agreement: AgreementRecord;
  readonly request: CancellationRequestRecord;
  readonly productTitle: string;
  readonly sellerName: string;
  /** A message above the page (an answer given, or why it was not taken). */
  readonly notice?: { kind: 'ok' | 'error'; text: string };
}): string {
  const { agreement: a, request: r, productTitle, sellerName, notice } = input;
  const base = `/agreements/${a.agreementId}/cancellation-requests/${r.id}`;
  const pending = r.status === 'PENDING_APPROVAL';
  const body = html`<h1>${label('契約のキャンセルリクエスト', 'Agreement cancellation request')}</h1>
${notice ? html`<p class="notice ${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}">${notice.text}</p>` : ''}
${
  pending
    ? html`<p class="notice">${sellerName} から、この契約のキャンセルのリクエストが届いています。${formatDate(r.autoApproveAt)} までに回答がない場合、リクエストは自動的に承認され、契約はキャンセルされます。
<span class="en">(${sellerName} asks to cancel this agreement. If you do not answer by ${formatDate(r.autoApproveAt)}, the request is approved automatically and the agreement is cancelled.)</span></p>`
    : ''
}
<table>
<tr><th>${label('製品', 'Product')}</th><td>${productTitle}</td></tr>
<tr><th>${label('契約 ID', 'Agreement ID')}</th><td><a href="/agreements/${a.agreementId}?account=${encodeURIComponent(a.acceptorAccountId)}">${a.agreementId}</a></td></tr>
<tr><th>${label('販売者', 'Seller')}</th><td>${sellerName}</td></tr>
<tr><th>${label('理由', 'Reason')}</th><td>${both(REASON_LABELS[r.reasonCode])}</td></tr>
<tr><th>${label('販売者からのメモ', "Seller's note")}</th><td>${r.description ?? '—'}</td></tr>
<tr><th>${label('リクエスト日時', 'Requested')}</th><td>${formatDate(r.createdAt)}</td></tr>
<tr><th>${label('ステータス', 'Status')}</th><td data-status="${r.status}">${both(REQUEST_STATUS_LABELS[r.status])}</td></tr>
${r.statusMessage ? html`<tr><th>${label('メッセージ', 'Message')}</th><td>${r.statusMessage}</td></tr>` : ''}
${pending ? html`<tr><th>${label('回答期限', 'Answer by')}</th><td>${formatDate(r.autoApproveAt)}</td></tr>` : ''}
</table>
${
  pending
    ? html`<h2>${label('承認する', 'Approve')}</h2>
<p>承認すると契約はキャンセルされ、製品は使えなくなります。<span class="en">(Approving cancels the agreement; the product can no longer be used.)</span></p>
<form method="post" action="${base}/accept" onsubmit="return confirm('キャンセルを承認しますか？ (Approve the cancellation?)')">
  <input type="hidden" name="account" value="${a.acceptorAccountId}">
  <button type="submit">承認する <span class="en">(Approve)</span></button>
</form>
<h2>${label('拒否する', 'Reject')}</h2>
<form method="post" action="${base}/reject">
  <input type="hidden" name="account" value="${a.acceptorAccountId}">
  <p><label for="reason">${label('拒否の理由（販売者に表示されます）', 'Reason for rejecting (shown to the seller)')}</label><br>
  <textarea id="reason" name="reason" rows="3" maxlength="2000" required style="width:100%;box-sizing:border-box"></textarea></p>
  <button type="submit" class="secondary">拒否する <span class="en">(Reject)</span></button>
</form>`
    : ''
}
<p><a href="/?account=${encodeURIComponent(a.acceptorAccountId)}">${label('購入したもの', 'Your purchases')}</a></p>`;
  return layout(`${productTitle} — ${r.id}`, body);
}
