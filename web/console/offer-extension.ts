/**
 * Extending the offer while the buyer has not subscribed (AwaitAcceptance): the current expiry in UTC and in the
 * buyer's time, a new date (end of that day, UTC), the last extension and who made it. Posted to
 * /console/onboardings/:id/extend-offer (web/routes/console.ts → extendOfferWhileWaiting); the task token never
 * reaches the page.
 */
import { html } from 'hono/html';
import { defaultTimeZone, formatDateTime } from '../../tasks/domain/emails/format.js';
import type { Onboarding } from '../../tasks/domain/onboarding.js';
import type { Actor, Locale } from '../../workflows/contracts/index.js';
import { when, who } from '../html/format.js';
import { csrfField, type FieldErrors, field, type Html } from '../html/layout.js';
import { words } from './words.js';

export const EXTEND_ACTION = 'extend-offer';

interface TimelineEntry {
  readonly action: string;
  readonly at: string;
  readonly actor?: Actor;
  readonly detail?: Record<string, unknown>;
}

export function offerExtensionForm(args: {
  readonly onboarding: Onboarding;
  readonly timeline: readonly TimelineEntry[];
  readonly csrf: string;
  readonly locale: Locale;
  /** The submitted values and errors, when this form was the one submitted. */
  readonly values: Record<string, string>;
  readonly errors: FieldErrors;
  readonly action?: string;
}): Html {
  const o = args.onboarding;
  if (!o.offer) return html``;
  const w = words(args.locale);
  const mine = args.action === EXTEND_ACTION;
  const errors = mine ? args.errors : {};
  // the UTC time and the buyer's own (formatDateTime states both)
  const expires = formatDateTime(
    o.offer.expiresAt,
    args.locale,
    o.inquiry.timeZone ?? defaultTimeZone(o.locale),
  );
  const last = args.timeline.filter((e) => e.action === 'offer-extension-asked').at(-1);
  const day = (v: unknown) => (typeof v === 'string' ? v.slice(0, 10) : '');
  return html`<form method="post" action="/console/onboardings/${encodeURIComponent(o.id)}/extend-offer" class="card" novalidate data-form="extend-offer">
<h3>${w['extend.title']}</h3>
${csrfField(args.csrf)}
<p>${w['extend.help'](expires)}</p>
${last ? html`<p class="muted">${w['extend.last'](day(last.detail?.previousExpiresAt), day(last.detail?.offerExpiresAt), when(last.at), who(last.actor, args.locale))}</p>` : ''}
${errors._form ? html`<p class="err">${errors._form}</p>` : ''}
${field({ id: 'f-extend-offer-offerExpiresAt', name: 'offerExpiresAt', label: w['form.newExpiry'], type: 'date', value: mine ? args.values.offerExpiresAt : '', errors, required: true })}
<button type="submit">${w['extend.button']}</button>
</form>`;
}
