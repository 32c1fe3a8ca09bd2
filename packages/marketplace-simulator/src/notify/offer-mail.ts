/**
 * The e-mail AWS Marketplace sends the root user of each account an offer targets when the offer is published:
 * "You have a new Private Offer", the words "AWS Marketplace" linking to the offer (the procurement link shape AWS
 * uses, which the simulator's buyer pages accept). Sent from no-reply@marketplace.aws.
 */
import type { SimulatorConfig } from '../config.js';
import type { OfferRecord } from '../model.js';
import type { DocStore } from '../store.js';

export const OFFER_MAIL_SUBJECT = 'You have a new Private Offer';

export interface MailMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Why it was sent, e.g. `offer-published:offer-abc`. */
  tag: string;
}

/** Run-time account e-mails (admin.setAccountEmail), kept with the rest of the state. */
export interface AccountContactRecord {
  accountId: string;
  email: string;
}

/** The root user's e-mail of an AWS account, as the simulator knows it; undefined when it does not. */
export function accountEmail(
  store: DocStore,
  config: SimulatorConfig,
  accountId: string,
): string | undefined {
  const set = store.peek<AccountContactRecord>('accountContact', accountId);
  if (set) return set.email;
  const mail = config.offerMail;
  if (!mail) return undefined;
  return mail.accountEmails[accountId] ?? mail.accountEmailPattern?.replaceAll('{accountId}', accountId);
}

/** The link AWS puts on "AWS Marketplace": the offer's procurement page. */
export function procurementUrl(baseUrl: string, offer: Pick<OfferRecord, 'id' | 'productId'>): string {
  const q = new URLSearchParams({ productId: offer.productId, offerId: offer.id });
  return `${baseUrl}/marketplace/pp/procurement?${q.toString()}`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** `January 31, 2027 23:59 UTC`: AWS states offer dates in UTC. */
export function formatExpiry(iso: string): string {
  const d = new Date(iso);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${hh}:${mm} UTC`;
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

export function offerPublishedMail(input: {
  offer: OfferRecord;
  accountId: string;
  to: string;
  from: string;
  baseUrl: string;
  productTitle: string;
  sellerName: string;
}): MailMessage {
  const { offer, accountId } = input;
  const link = procurementUrl(input.baseUrl, offer);
  const until = offer.availabilityEndDate ? formatExpiry(offer.availabilityEndDate) : 'the offer expires';
  const offerName = offer.name ?? offer.id;
  const text = [
    'You have a new Private Offer',
    '',
    `A Marketplace Private Offer has been published for AWS account ${accountId}. You have until ${until} to accept the offer in AWS Marketplace (${link}).`,
    '',
    `Offer: ${offerName} (${offer.id})`,
    `Product: ${input.productTitle}`,
    `Seller: ${input.sellerName}`,
    '',
    'To review and accept the offer, sign in to AWS Marketplace with this AWS account.',
    '',
    'Amazon Web Services',
  ].join('\n');
  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(OFFER_MAIL_SUBJECT)}</title></head>
<body><div style="font-family:Arial,Helvetica,sans-serif;color:#16191f;line-height:1.5">
<h1 style="font-size:20px">You have a new Private Offer</h1>
<p>A Marketplace Private Offer has been published for AWS account ${e(accountId)}. You have until ${e(until)} to accept the offer in <a href="${e(link)}" target="_blank" rel="noopener">AWS Marketplace</a>.</p>
<table style="border-collapse:collapse">
<tr><th style="text-align:left;padding-right:12px">Offer</th><td>${e(offerName)} (${e(offer.id)})</td></tr>
<tr><th style="text-align:left;padding-right:12px">Product</th><td>${e(input.productTitle)}</td></tr>
<tr><th style="text-align:left;padding-right:12px">Seller</th><td>${e(input.sellerName)}</td></tr>
</table>
<p>To review and accept the offer, sign in to AWS Marketplace with this AWS account.</p>
<p>Amazon Web Services</p>
</div></body></html>`;
  return {
    from: input.from,
    to: [input.to],
    subject: OFFER_MAIL_SUBJECT,
    text,
    html,
    tag: `offer-published:${offer.id}`,
  };
}
