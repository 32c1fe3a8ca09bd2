/**
 * The forms of the human stages staff complete, and how a submitted form becomes the stage's callback payload
 * (validated with the stage's callback contract in the stage registry). The stages are the registry's STAFF_STAGES
 * (sales and support stages); each posts to its registry `form`. Staff act on (onboarding, stage): no form has a task
 * token, the server finds it.
 */

import { html } from 'hono/html';
import type { Onboarding } from '../../tasks/domain/onboarding.js';
import type { FieldIssue } from '../../tasks/domain/validation.js';
import { humanStage, type StaffActor, type StaffStage, stageEntry } from '../../workflows/contracts/index.js';
import { issuesToErrors, optional } from '../forms/errors.js';
import type { Html } from '../html/layout.js';
import { csrfField, errorText, type FieldErrors, field, textarea } from '../html/layout.js';

export const DIMENSION_ROWS = 3;

/** `2025-06-30` → end of that day UTC; anything else passes through for the contract to reject. */
export function dateToIso(value: string | undefined): string | undefined {
  const v = optional(value)?.trim();
  if (!v) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const d = new Date(`${v}T23:59:59Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().startsWith(v)) return `${v}T23:59:59Z`;
    return `${v} is not a date`;
  }
  return v;
}

const isoToDate = (iso: unknown): string => (typeof iso === 'string' ? iso.slice(0, 10) : '');

function numberOrRaw(value: string | undefined): number | string | undefined {
  const v = optional(value)?.trim();
  if (v === undefined) return undefined;
  return /^-?\d+$/.test(v) ? Number(v) : v;
}

/** Terms from form fields; also returns how dimension rows map back to form rows (blank rows are skipped). */
function termsFromForm(values: Record<string, string>, actor: StaffActor) {
  const rows: { key: string; price: string }[] = [];
  const rowOf: number[] = [];
  for (let i = 0; i < DIMENSION_ROWS; i++) {
    const key = values[`dimensions.${i}.key`]?.trim() ?? '';
    const price = values[`dimensions.${i}.price`]?.trim() ?? '';
    if (key === '' && price === '') continue;
    rows.push({ key, price });
    rowOf.push(i);
  }
  const terms = {
    actor,
    plan: values.plan,
    offerName: values.offerName,
    offerDescription: optional(values.offerDescription),
    currency: values.currency ?? 'USD',
    durationMonths: numberOrRaw(values.durationMonths),
    dimensions: rows,
    offerExpiresAt: dateToIso(values.offerExpiresAt),
    eulaUrl: optional(values.eulaUrl)?.trim(),
    offerCreation: values.offerCreation,
    manualOfferId: optional(values.manualOfferId)?.trim(),
    notes: optional(values.notes),
  };
  return { terms, rowOf };
}

function remapRows(errors: FieldErrors, rowOf: number[]): FieldErrors {
  const out: Record<string, string> = {};
  for (const [name, message] of Object.entries(errors)) {
    const m = /^dimensions\.(\d+)\.(key|price)$/.exec(name);
    out[m ? `dimensions.${rowOf[Number(m[1])] ?? 0}.${m[2]}` : name] = message;
  }
  return out;
}

/** A submitted stage form as the stage's callback payload, and how to show the use case's issues on it. */
export interface StageSubmission {
  readonly action: string;
  readonly payload: unknown;
  /** Field messages from the use case's issues, placed on this form's fields. */
  errorsOf(issues: readonly FieldIssue[]): FieldErrors;
}

function submission(action: string, payload: unknown, rowOf: number[] = []): StageSubmission {
  return {
    action,
    payload,
    errorsOf: (issues) => remapRows(issuesToErrors(issues, { stripPrefix: 'terms' }), rowOf),
  };
}

/** Builds the payload of a staff stage from its form (the use case validates it with the stage's contract). */
export function stageSubmission(
  stage: StaffStage,
  values: Record<string, string>,
  actor: StaffActor,
): StageSubmission {
  const action = values.action ?? '';
  const reason = values.reason;
  switch (stage) {
    case 'Consultation': {
      const { terms, rowOf } = termsFromForm(values, actor);
      return submission('terms', terms, rowOf);
    }
    case 'OfferFailed': {
      if (action === 'retry') {
        const { terms, rowOf } = termsFromForm(values, actor);
        return submission(action, { action, terms }, rowOf);
      }
      return submission(
        action,
        action === 'manual' ? { action, offerId: values.offerId?.trim() } : { action, reason },
      );
    }
    case 'OfferExpired': {
      if (action === 'recreate') {
        const { terms, rowOf } = termsFromForm(values, actor);
        return submission(action, { action, terms }, rowOf);
      }
      return submission(
        action,
        action === 'extend'
          ? { action, offerExpiresAt: dateToIso(values.offerExpiresAt) }
          : { action, reason },
      );
    }
    case 'StageTimedOut':
      return submission(
        action,
        action === 'reopen' ? { action, note: optional(values.note) } : { action, reason },
      );
  }
}

export const CLOSE_ACTION = 'close-onboarding';

/** Staff stages whose own forms include closing (a decision `close`): the general close form is not shown twice. */
export const hasOwnClose = (stage: StaffStage): boolean => stage !== 'Consultation';

// ---------------------------------------------------------------------------------------------------------------

interface FormCtx {
  readonly csrf: string;
  readonly onboarding: Onboarding;
  /** The submitted values and errors, for the form that was submitted (action). */
  readonly values: Record<string, string>;
  readonly errors: FieldErrors;
  readonly action?: string;
}

/** The registry's `form` of the stage, for this onboarding. */
const stageUrl = (o: Onboarding, stage: StaffStage) =>
  (humanStage(stage).form ?? '').replace(':id', encodeURIComponent(o.id));

function own(ctx: FormCtx, action: string): { values: Record<string, string>; errors: FieldErrors } {
  return ctx.action === action ? { values: ctx.values, errors: ctx.errors } : { values: {}, errors: {} };
}

function termsFields(
  prefix: string,
  values: Record<string, string>,
  errors: FieldErrors,
  defaults: Record<string, unknown>,
): Html {
  const v = (name: string, fallback = ''): string => values[name] ?? fallback;
  const id = (name: string) => `f-${prefix}-${name.replace(/\./g, '-')}`;
  const dims = Array.isArray(defaults.dimensions)
    ? (defaults.dimensions as { key?: string; price?: string }[])
    : [];
  const creation = v(
    'offerCreation',
    typeof defaults.offerCreation === 'string' ? defaults.offerCreation : 'automatic',
  );
  return html`<div class="row">
<div>${field({ id: id('plan'), name: 'plan', label: 'Plan', value: v('plan', String(defaults.plan ?? '')), errors, required: true })}</div>
<div>${field({ id: id('offerName'), name: 'offerName', label: 'Offer name', value: v('offerName', String(defaults.offerName ?? '')), errors, required: true, attrs: html` maxlength="150"` })}</div>
</div>
${field({ id: id('offerDescription'), name: 'offerDescription', label: 'Offer description', value: v('offerDescription', String(defaults.offerDescription ?? '')), errors, optionalLabel: 'optional', attrs: html` maxlength="255"` })}
<div class="row">
<div>${field({ id: id('durationMonths'), name: 'durationMonths', label: 'Duration (months)', type: 'number', value: v('durationMonths', defaults.durationMonths === undefined ? '12' : String(defaults.durationMonths)), errors, required: true, attrs: html` min="1" max="60"` })}</div>
<div>${field({ id: id('offerExpiresAt'), name: 'offerExpiresAt', label: 'Offer expires on (end of day, UTC)', type: 'date', value: v('offerExpiresAt', isoToDate(defaults.offerExpiresAt)), errors, required: true })}</div>
</div>
<label>Price dimensions <small>(USD)</small></label>
<input type="hidden" name="currency" value="USD">
${errorText('dimensions', errors, id('dimensions'))}
<div class="dims">${Array.from({ length: DIMENSION_ROWS }, (_, i) => {
    const d = dims[i] ?? {};
    return html`<div>${field({ id: id(`dimensions.${i}.key`), name: `dimensions.${i}.key`, label: `Dimension ${i + 1} key`, value: v(`dimensions.${i}.key`, d.key ?? ''), errors })}</div>
<div>${field({ id: id(`dimensions.${i}.price`), name: `dimensions.${i}.price`, label: 'Price', value: v(`dimensions.${i}.price`, d.price ?? ''), errors, attrs: html` inputmode="decimal"` })}</div>`;
  })}</div>
${field({ id: id('eulaUrl'), name: 'eulaUrl', label: 'EULA URL', type: 'url', value: v('eulaUrl', String(defaults.eulaUrl ?? '')), errors, optionalLabel: 'optional' })}
<fieldset><legend>Offer creation</legend>
<label class="inline"><input type="radio" name="offerCreation" value="automatic"${creation === 'automatic' ? html` checked` : ''}> automatic (Marketplace Catalog API)</label>
<label class="inline"><input type="radio" name="offerCreation" value="manual"${creation === 'manual' ? html` checked` : ''}> manual (created by hand in the AWS Marketplace Management Portal)</label>
${errorText('offerCreation', errors, id('offerCreation'))}
<div data-when-manual>${field({ id: id('manualOfferId'), name: 'manualOfferId', label: 'Manual offer id', value: v('manualOfferId'), errors, optionalLabel: 'when manual', attrs: html` placeholder="offer-…"` })}</div>
</fieldset>
${textarea({ id: id('notes'), name: 'notes', label: 'Notes', value: v('notes'), errors, optionalLabel: 'optional' })}`;
}

function reasonForm(ctx: FormCtx, url: string, action: string, title: string, button: string): Html {
  const { values, errors } = own(ctx, action);
  return html`<form method="post" action="${url}" class="card" novalidate>
<h3>${title}</h3>
${csrfField(ctx.csrf)}<input type="hidden" name="action" value="${action}">
${errors._form ? html`<p class="err">${errors._form}</p>` : ''}
${textarea({ id: `f-${action}-reason`, name: 'reason', label: 'Reason', value: values.reason, errors, required: true })}
<button type="submit" class="danger" data-confirm="Close this onboarding?">${button}</button>
</form>`;
}

function formError(errors: FieldErrors): Html {
  return errors._form ? html`<p class="err">${errors._form}</p>` : html``;
}

/** The forms of a staff stage. */
export function stageForms(stage: StaffStage, ctx: FormCtx): Html {
  const o = ctx.onboarding;
  const url = stageUrl(o, stage);
  const terms = (o.terms ?? { plan: o.plan }) as Record<string, unknown>;
  switch (stage) {
    case 'Consultation': {
      const { values, errors } = own(ctx, 'terms');
      return html`<form method="post" action="${url}" class="card" novalidate>
<h3>Agreed terms (step ${humanStage('Consultation').step}, ${humanStage('Consultation').label.ja})</h3>
${csrfField(ctx.csrf)}<input type="hidden" name="action" value="terms">${formError(errors)}
${termsFields('terms', values, errors, { plan: o.plan, ...(o.terms ?? {}) })}
<button type="submit">Record the agreed terms</button>
</form>`;
    }
    case 'OfferFailed': {
      const retry = own(ctx, 'retry');
      const manual = own(ctx, 'manual');
      return html`<div class="actions">
<form method="post" action="${url}" class="card" novalidate><h3>Retry with amended terms</h3>
${csrfField(ctx.csrf)}<input type="hidden" name="action" value="retry">${formError(retry.errors)}
${termsFields('retry', retry.values, retry.errors, terms)}
<button type="submit">Retry the offer</button></form>
<form method="post" action="${url}" class="card" novalidate><h3>Use an offer created by hand</h3>
${csrfField(ctx.csrf)}<input type="hidden" name="action" value="manual">${formError(manual.errors)}
${field({ id: 'f-manual-offerId', name: 'offerId', label: 'Offer id', value: manual.values.offerId, errors: manual.errors, required: true, attrs: html` placeholder="offer-…"` })}
<button type="submit">Use this offer</button></form>
${reasonForm(ctx, url, 'close', 'Give up and close', 'Close the onboarding')}
</div>`;
    }
    case 'OfferExpired': {
      const extend = own(ctx, 'extend');
      const recreate = own(ctx, 'recreate');
      return html`<div class="actions">
<form method="post" action="${url}" class="card" novalidate><h3>Extend the offer</h3>
${csrfField(ctx.csrf)}<input type="hidden" name="action" value="extend">${formError(extend.errors)}
${field({ id: 'f-extend-offerExpiresAt', name: 'offerExpiresAt', label: 'New expiry (end of day, UTC)', type: 'date', value: extend.values.offerExpiresAt, errors: extend.errors, required: true })}
<button type="submit">Extend</button></form>
<form method="post" action="${url}" class="card" novalidate><h3>Re-create the offer</h3>
${csrfField(ctx.csrf)}<input type="hidden" name="action" value="recreate">${formError(recreate.errors)}
${termsFields('recreate', recreate.values, recreate.errors, terms)}
<button type="submit">Re-create the offer</button></form>
${reasonForm(ctx, url, 'close', 'Close', 'Close the onboarding')}
</div>`;
    }
    case 'StageTimedOut': {
      const reopen = own(ctx, 'reopen');
      return html`<div class="actions">
<form method="post" action="${url}" class="card" novalidate><h3>Re-open the stage that timed out</h3>
${csrfField(ctx.csrf)}<input type="hidden" name="action" value="reopen">${formError(reopen.errors)}
${textarea({ id: 'f-reopen-note', name: 'note', label: 'Note', value: reopen.values.note, errors: reopen.errors, optionalLabel: 'optional' })}
<button type="submit">Re-open</button></form>
${reasonForm(ctx, url, 'close', 'Close', 'Close the onboarding')}
</div>`;
    }
  }
}

/** Closing at any stage (CloseRequest). */
export function closeForm(ctx: FormCtx): Html {
  return reasonForm(
    ctx,
    (stageEntry('Closed').form ?? '').replace(':id', encodeURIComponent(ctx.onboarding.id)),
    CLOSE_ACTION,
    'Close this onboarding',
    'Close with this reason',
  );
}
