/** The private offer's contract details page (the link of the offer e-mail) and its Subscribe form. */

import { html } from 'hono/html';
import type { SimulatorConfig } from '../config.js';
import type { AgreementRecord, OfferRecord, OfferTerm } from '../model.js';
import { formatDate, type Html, label, layout } from './html.js';

type Rate = { DimensionKey: string; Price: string };
type RateCard = { Selector: { Value: string }; RateCard: Rate[]; Constraints: Record<string, string> };

export function accountPromptPage(title: string, action: string, message?: string): string {
  return layout(
    title,
    html`<h1>${title}</h1>
${message ? html`<p class="notice error">${message}</p>` : ''}
<p>このページを表示するには、購入に使用する AWS アカウントを指定してください。</p>
<form method="get" action="${action}">
  <label>${label('AWS アカウント ID', 'AWS account ID')}
  <input type="text" name="account" inputmode="numeric" pattern="\\d{12}" maxlength="12" required autofocus></label>
  <button type="submit">続行 <span class="en">(Continue)</span></button>
</form>`,
  );
}

export function messagePage(
  title: string,
  message: Html | string,
  kind: 'error' | 'ok' | 'info' = 'error',
): string {
  return layout(
    title,
    html`<h1>${title}</h1><p class="notice ${kind === 'info' ? '' : kind}">${message}</p>`,
  );
}

function durationText(d: unknown): string {
  if (typeof d !== 'string') return '—';
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(d);
  if (!m) return d;
  const parts = [m[1] && `${m[1]} 年`, m[2] && `${m[2]} か月`, m[3] && `${m[3]} 日`].filter(Boolean);
  return `${parts.join(' ')} (${d})`;
}

/**
 * One dimension of a rate card: a quantity per dimension when several may be bought together, otherwise a choice
 * of one dimension (radio `dimension`), with a quantity only when the offer lets the buyer configure it.
 */
function rateRow(r: Rate, currency: string, card: RateCard, first: boolean, editable: boolean): Html {
  const single = card.Constraints.MultipleDimensionSelection === 'Disallowed';
  const quantityAllowed = card.Constraints.QuantityConfiguration !== 'Disallowed';
  const disabled = editable ? '' : 'disabled';
  const choose = single
    ? html`<label><input type="radio" name="dimension" value="${r.DimensionKey}" ${first ? 'checked' : ''} ${disabled}> ${r.DimensionKey}</label>`
    : html`${r.DimensionKey}`;
  const quantity = single
    ? quantityAllowed && first
      ? html`<input type="number" min="1" step="1" name="quantity" value="1" ${disabled}>`
      : html`1`
    : html`<input type="number" min="0" step="1" name="qty_${r.DimensionKey}" value="${first ? 1 : 0}" ${quantityAllowed && editable ? '' : 'readonly'}>`;
  return html`<tr><td>${choose}</td><td>${r.Price} ${currency}</td><td>${quantity}</td></tr>`;
}

function pricingSection(term: OfferTerm, editable: boolean): Html {
  const currency = String(term.CurrencyCode ?? '');
  switch (term.Type) {
    case 'ConfigurableUpfrontPricingTerm': {
      const cards = term.RateCards as RateCard[];
      return html`<h2>${label('料金', 'Pricing')}: ${label('前払い契約', 'Upfront contract')}</h2>
${cards.map(
  (card, i) => html`<fieldset>
  <legend><label><input type="radio" name="selector" value="${card.Selector.Value}" ${i === 0 ? 'checked' : ''} ${editable ? '' : 'disabled'}>
  ${label('契約期間', 'Contract duration')}: ${durationText(card.Selector.Value)}</label></legend>
  <table><tr><th>${label('ディメンション', 'Dimension')}</th><th>${label('単価', 'Unit price')}</th><th>${label('数量', 'Quantity')}</th></tr>
  ${card.RateCard.map((r, j) => rateRow(r, currency, card, i === 0 && j === 0, editable))}
  </table></fieldset>`,
)}`;
    }
    case 'UsageBasedPricingTerm':
      return html`<h2>${label('料金', 'Pricing')}: ${label('従量課金', 'Usage')}</h2>
<table><tr><th>${label('ディメンション', 'Dimension')}</th><th>${label('単価', 'Unit price')}</th></tr>
${(term.RateCards as Array<{ RateCard: Rate[] }>).flatMap((c) => c.RateCard).map((r) => html`<tr><td>${r.DimensionKey}</td><td>${r.Price} ${currency}</td></tr>`)}
</table>`;
    case 'FixedUpfrontPricingTerm':
      return html`<h2>${label('料金', 'Pricing')}: ${label('固定前払い', 'Fixed upfront')}</h2>
<table><tr><th>${label('価格', 'Price')}</th><td>${term.Price} ${currency}</td></tr>
<tr><th>${label('期間', 'Duration')}</th><td>${durationText(term.Duration)}</td></tr>
${(term.Grants as Array<{ DimensionKey: string; MaxQuantity?: number }>).map((g) => html`<tr><th>${g.DimensionKey}</th><td>${g.MaxQuantity ?? '無制限'}</td></tr>`)}
</table>`;
    case 'FreeTrialPricingTerm':
      return html`<h2>${label('無料トライアル', 'Free trial')}</h2><p>${durationText(term.Duration)}</p>`;
    case 'RecurringPaymentTerm':
      return html`<h2>${label('月額料金', 'Monthly charge')}</h2><p>${term.Price} ${currency}</p>`;
    case 'ByolPricingTerm':
      return html`<h2>${label('お持ちのライセンス', 'Bring your own license')}</h2>`;
    default:
      return html``;
  }
}

export interface OfferPageInput {
  readonly offer: OfferRecord;
  readonly accountId: string;
  readonly config: SimulatorConfig;
  readonly expired: boolean;
  readonly existing?: AgreementRecord;
  readonly error?: string;
}

export function offerPage({ offer, accountId, config, expired, existing, error }: OfferPageInput): string {
  const validity = offer.terms.find((t) => t.Type === 'ValidityTerm');
  const legal = offer.terms.find((t) => t.Type === 'LegalTerm');
  const support = offer.terms.find((t) => t.Type === 'SupportTerm');
  const canSubscribe = !expired && existing === undefined;
  const acc = encodeURIComponent(accountId);
  const body = html`<h1>${config.productTitle}</h1>
<p>${label('販売者', 'Sold by')}: ${config.sellerName}　/　${label('プライベートオファー', 'Private offer')}</p>
${error ? html`<p class="notice error">${error}</p>` : ''}
${expired ? html`<p class="notice error">このオファーは有効期限が切れています <span class="en">(This offer has expired)</span>。販売者にお問い合わせください。</p>` : ''}
${
  existing
    ? html`<p class="notice ok">このオファーは既に承諾済みです <span class="en">(You have already accepted this offer)</span>。
<a href="/agreements/${existing.agreementId}?account=${acc}">契約の詳細を表示 (View agreement)</a></p>`
    : ''
}
<h2>${label('契約の詳細', 'Contract details')}</h2>
<table>
<tr><th>${label('オファー名', 'Offer name')}</th><td>${offer.name ?? '—'}</td></tr>
<tr><th>${label('オファー ID', 'Offer ID')}</th><td>${offer.id}</td></tr>
<tr><th>${label('AWS アカウント', 'AWS account')}</th><td>${accountId} <a href="/?signout=1">${label('切り替え', 'Switch')}</a></td></tr>
<tr><th>${label('オファーの有効期限', 'Offer expiration date')}</th><td>${formatDate(offer.availabilityEndDate)}</td></tr>
${
  validity
    ? html`<tr><th>${label('契約期間', 'Contract duration')}</th><td>${
        validity.AgreementEndDate
          ? html`${validity.AgreementStartDate ?? ''} 〜 ${validity.AgreementEndDate}`
          : durationText(validity.AgreementDuration)
      }</td></tr>`
    : ''
}
</table>
<form method="post" action="/offers/${offer.id}/subscribe">
<input type="hidden" name="account" value="${accountId}">
${offer.terms.map((t) => pricingSection(t, canSubscribe))}
<h2>${label('契約条件', 'Terms and conditions')}</h2>
<ul>${((legal?.Documents as Array<Record<string, string>> | undefined) ?? []).map((d) =>
    d.Type === 'StandardEula'
      ? html`<li>Standard Contract for AWS Marketplace (${d.Version})</li>`
      : html`<li><a href="${d.Url}">${label('エンドユーザー使用許諾契約', 'EULA')}</a></li>`,
  )}</ul>
${support ? html`<p>${label('返金ポリシー', 'Refund policy')}: ${support.RefundPolicy}</p>` : ''}
${canSubscribe ? html`<p><button type="submit">サブスクライブ <span class="en">(Subscribe)</span></button></p>` : ''}
</form>`;
  return layout(offer.name ?? offer.id, body);
}
