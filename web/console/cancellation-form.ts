/**
 * The deal view's cancellation request (issue 11 item 2): on a live agreement, the form sales fills in (AWS's reason
 * code, a note); while a request waits for the buyer, who sent it, until when, and the withdraw button; afterwards,
 * the last request's outcome. Each form carries a fresh clientToken, so a form sent twice reaches AWS once.
 */
import { randomUUID } from 'node:crypto';
import { html } from 'hono/html';
import type { Agreement } from '../../tasks/domain/agreement.js';
import { isEnded } from '../../tasks/domain/agreement.js';
import { CANCELLATION_REASON_CODES, REASON_LABELS } from '../../tasks/domain/agreement-cancellation.js';
import { actorWords } from '../../tasks/domain/timeline-texts.js';
import type { Locale } from '../../workflows/contracts/index.js';
import { when } from '../html/format.js';
import { csrfField, type FieldErrors, type Html, notice, select, textarea } from '../html/layout.js';
import type { ConsoleWords } from './words.js';

const DAY_MS = 86_400_000;

export interface CancellationFormState {
  /** The agreement whose form was sent (its values and errors are shown again). */
  readonly agreementId?: string;
  readonly values?: Readonly<Record<string, string>>;
  readonly errors?: FieldErrors;
}

export const cancellationPath = (onboardingId: string, agreementId: string) =>
  `/console/deal/${onboardingId}/agreements/${encodeURIComponent(agreementId)}/cancellation`;

export function cancellationSection(
  a: Agreement,
  o: {
    readonly onboardingId: string;
    readonly w: ConsoleWords;
    readonly locale: Locale;
    readonly csrf: string;
    /** Sales and admins act; others read. */
    readonly mayAct: boolean;
    readonly state?: CancellationFormState;
  },
): Html {
  const { w, locale } = o;
  const c = a.cancellation;
  const path = cancellationPath(o.onboardingId, a.agreementId);
  const mine = o.state?.agreementId === a.agreementId ? o.state : undefined;
  if (c?.status === 'PENDING_APPROVAL') {
    const due = new Date(Date.parse(c.requestedAt) + 7 * DAY_MS).toISOString();
    const by = c.requestedBy ? actorWords(c.requestedBy, locale) : 'AWS Marketplace Management Portal';
    return html`<div class="cancellation" data-cancellation="${c.status}">
${notice('warn', w['cancel.pending'](c.requestId, by, when(c.requestedAt), when(due)))}
${
  o.mayAct
    ? html`<form method="post" action="${path}/withdraw">${csrfField(o.csrf)}
${textarea({ name: 'reason', label: w['cancel.withdrawReason'], optionalLabel: w['cancel.optional'], value: mine?.values?.reason ?? '', ...(mine?.errors ? { errors: mine.errors } : {}) })}
<button type="submit" class="secondary">${w['cancel.withdraw']}</button></form>`
    : ''
}
</div>`;
  }
  const last = c
    ? html`<p class="muted" data-cancellation="${c.status}">${w['cancel.last'](c.requestId, w[`cancel.status.${c.status}`])}</p>`
    : html``;
  if (isEnded(a) || !o.mayAct) return last;
  const errors = mine?.errors;
  const options: [string, string][] = [
    ['', w['cancel.choose']],
    ...CANCELLATION_REASON_CODES.map((code) => [code, REASON_LABELS[code][locale]] as [string, string]),
  ];
  return html`${last}<details class="cancellation"${errors ? html` open` : ''}><summary>${w['cancel.title']}</summary>
<p>${w['cancel.explain']}</p>
${errors?._form ? html`<p class="err">${errors._form}</p>` : ''}
<form method="post" action="${path}">${csrfField(o.csrf)}
<input type="hidden" name="clientToken" value="${mine?.values?.clientToken ?? randomUUID()}">
${select({ name: 'reasonCode', label: w['cancel.reasonCode'], options, value: mine?.values?.reasonCode ?? '', required: true, ...(errors ? { errors } : {}) })}
${textarea({ name: 'note', label: w['cancel.note'], optionalLabel: w['cancel.optional'], value: mine?.values?.note ?? '', ...(errors ? { errors } : {}) })}
<button type="submit">${w['cancel.submit']}</button>
</form></details>`;
}
