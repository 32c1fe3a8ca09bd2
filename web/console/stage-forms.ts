/**
 * The forms of the human stages staff complete, and how a submitted form becomes the stage's callback payload
 * (validated with the stage's callback contract in the stage registry). The stages are the registry's STAFF_STAGES
 * (sales and support stages); each posts to its registry `form`. Staff act on (onboarding, stage): no form has a task
 * token, the server finds it.
 */

import { html } from 'hono/html';
import type { Onboarding } from '../../tasks/domain/onboarding.js';
import type { FieldIssue } from '../../tasks/domain/validation.js';
import {
  humanStage,
  type Locale,
  type StaffActor,
  type StaffStage,
  stageEntry,
} from '../../workflows/contracts/index.js';
import { issuesToErrors, optional } from '../forms/errors.js';
import type { Html } from '../html/layout.js';
import { csrfField, errorText, type FieldErrors, field, textarea } from '../html/layout.js';
import { type ConsoleWords, words } from './words.js';

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
  errorsOf(issues: readonly FieldIssue[], locale?: Locale): FieldErrors;
}

/** `values`: the submitted form, so that a blank field reads "required" whatever rule it failed first. */
function submission(
  action: string,
  payload: unknown,
  values: Record<string, string>,
  rowOf: number[] = [],
): StageSubmission {
  // a dimension row's fields are named by their form row; the payload's rows skip blank ones
  const submitted: Record<string, string> = { ...values };
  rowOf.forEach((row, i) => {
    for (const f of ['key', 'price']) {
      const v = values[`dimensions.${row}.${f}`];
      if (v !== undefined) submitted[`dimensions.${i}.${f}`] = v;
    }
  });
  return {
    action,
    payload,
    errorsOf: (issues, locale) =>
      remapRows(
        issuesToErrors(issues, { stripPrefix: 'terms', values: submitted, ...(locale ? { locale } : {}) }),
        rowOf,
      ),
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
      return submission('terms', terms, values, rowOf);
    }
    case 'OfferFailed': {
      if (action === 'retry') {
        const { terms, rowOf } = termsFromForm(values, actor);
        return submission(action, { action, terms }, values, rowOf);
      }
      return submission(
        action,
        action === 'manual' ? { action, offerId: values.offerId?.trim() } : { action, reason },
        values,
      );
    }
    case 'OfferExpired': {
      if (action === 'recreate') {
        const { terms, rowOf } = termsFromForm(values, actor);
        return submission(action, { action, terms }, values, rowOf);
      }
      return submission(
        action,
        action === 'extend'
          ? { action, offerExpiresAt: dateToIso(values.offerExpiresAt) }
          : { action, reason },
        values,
      );
    }
    case 'StageTimedOut':
      return submission(
        action,
        action === 'reopen' ? { action, note: optional(values.note) } : { action, reason },
        values,
      );
    // the deal after the sale (forms shown on the deal view): a decision and an optional note
    case 'Renewal':
      if (action === 'draft-offer') {
        // the renewal offer is always created through the Catalog API (CreateReplacementOffer)
        const { terms, rowOf } = termsFromForm({ ...values, offerCreation: 'automatic' }, actor);
        return submission(action, { action, terms }, values, rowOf);
      }
      return submission(action, { action, note: optional(values.note) }, values);
    case 'AdvisoryReview':
      return submission(action, { action, note: optional(values.note) }, values);
  }
}

export const CLOSE_ACTION = 'close-onboarding';

/** Staff stages whose own forms include closing (a decision `close`): the general close form is not shown twice. */
export const hasOwnClose = (stage: StaffStage): boolean => stage !== 'Consultation';

// ---------------------------------------------------------------------------------------------------------------

interface FormCtx {
  readonly csrf: string;
  /** The reader's language (English when not given). */
  readonly locale?: Locale;
  readonly onboarding: Onboarding;
  /** The submitted values and errors, for the form that was submitted (action). */
  readonly values: Record<string, string>;
  readonly errors: FieldErrors;
  readonly action?: string;
  /** A deal step's instance (the deal view lists each waiting step): the form completes that one. */
  readonly instance?: string;
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
  w: ConsoleWords,
  /** Offer the choice automatic/manual (not for a renewal offer: always through the API). */
  withCreation = true,
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
<div>${field({ id: id('plan'), name: 'plan', label: w['form.plan'], value: v('plan', String(defaults.plan ?? '')), errors, required: true })}</div>
<div>${field({ id: id('offerName'), name: 'offerName', label: w['form.offerName'], value: v('offerName', String(defaults.offerName ?? '')), errors, required: true, attrs: html` maxlength="150"` })}</div>
</div>
${field({ id: id('offerDescription'), name: 'offerDescription', label: w['form.offerDescription'], value: v('offerDescription', String(defaults.offerDescription ?? '')), errors, optionalLabel: w['form.optional'], attrs: html` maxlength="255"` })}
<div class="row">
<div>${field({ id: id('durationMonths'), name: 'durationMonths', label: w['form.duration'], type: 'number', value: v('durationMonths', defaults.durationMonths === undefined ? '12' : String(defaults.durationMonths)), errors, required: true, attrs: html` min="1" max="60"` })}</div>
<div>${field({ id: id('offerExpiresAt'), name: 'offerExpiresAt', label: w['form.expires'], type: 'date', value: v('offerExpiresAt', isoToDate(defaults.offerExpiresAt)), errors, required: true })}</div>
</div>
<label>${w['form.dimensions']} <small>(USD)</small></label>
<input type="hidden" name="currency" value="USD">
${errorText('dimensions', errors, id('dimensions'))}
<div class="dims">${Array.from({ length: DIMENSION_ROWS }, (_, i) => {
    const d = dims[i] ?? {};
    return html`<div>${field({ id: id(`dimensions.${i}.key`), name: `dimensions.${i}.key`, label: w['form.dimensionKey'].replace('{n}', String(i + 1)), value: v(`dimensions.${i}.key`, d.key ?? ''), errors })}</div>
<div>${field({ id: id(`dimensions.${i}.price`), name: `dimensions.${i}.price`, label: w['form.price'], value: v(`dimensions.${i}.price`, d.price ?? ''), errors, attrs: html` inputmode="decimal"` })}</div>`;
  })}</div>
${field({ id: id('eulaUrl'), name: 'eulaUrl', label: w['form.eula'], type: 'url', value: v('eulaUrl', String(defaults.eulaUrl ?? '')), errors, optionalLabel: w['form.optional'] })}
${
  withCreation
    ? html`<fieldset><legend>${w['form.creation']}</legend>
<label class="inline"><input type="radio" name="offerCreation" value="automatic"${creation === 'automatic' ? html` checked` : ''}> ${w['form.automatic']}</label>
<label class="inline"><input type="radio" name="offerCreation" value="manual"${creation === 'manual' ? html` checked` : ''}> ${w['form.manual']}</label>
${errorText('offerCreation', errors, id('offerCreation'))}
<div data-when-manual>${field({ id: id('manualOfferId'), name: 'manualOfferId', label: w['form.manualOfferId'], value: v('manualOfferId'), errors, optionalLabel: w['form.whenManual'], attrs: html` placeholder="offer-…"` })}</div>
</fieldset>`
    : ''
}
${textarea({ id: id('notes'), name: 'notes', label: w['form.notes'], value: v('notes'), errors, optionalLabel: w['form.optional'] })}`;
}

function reasonForm(ctx: FormCtx, url: string, action: string, title: string, button: string): Html {
  const { values, errors } = own(ctx, action);
  const w = words(ctx.locale ?? 'en');
  return html`<form method="post" action="${url}" class="card" novalidate>
<h3>${title}</h3>
${csrfField(ctx.csrf)}<input type="hidden" name="action" value="${action}">
${errors._form ? html`<p class="err">${errors._form}</p>` : ''}
${textarea({ id: `f-${action}-reason`, name: 'reason', label: w['form.reason'], value: values.reason, errors, required: true })}
<button type="submit" class="danger" data-confirm="${w['form.confirmClose']}">${button}</button>
</form>`;
}

/** Renewal: offer sent / not renewing; AdvisoryReview: reviewed. Each with an optional note. */
function dealForm(stage: 'Renewal' | 'AdvisoryReview', ctx: FormCtx, url: string, w: ConsoleWords): Html {
  const choices: [string, string][] =
    stage === 'Renewal'
      ? [
          ['offer-sent', w['deal.offerSent']],
          ['not-renewing', w['deal.notRenewing']],
        ]
      : [['reviewed', w['deal.reviewed']]];
  const { values, errors } =
    ctx.action === 'draft-offer' ? { values: {}, errors: {} } : own(ctx, ctx.action ?? '');
  const chosen = values.action ?? choices[0]?.[0];
  const decision = html`<form method="post" action="${url}" class="card" novalidate>
<h3>${stage === 'Renewal' ? w['deal.renewalTitle'] : w['deal.advisoryTitle']}</h3>
${csrfField(ctx.csrf)}${formError(errors)}
<fieldset>${choices.map(([value, label]) => html`<label class="inline"><input type="radio" name="action" value="${value}"${value === chosen ? html` checked` : ''}> ${label}</label>`)}</fieldset>
${textarea({ id: `f-${stage}-note`, name: 'note', label: w['form.note'], value: values.note, errors, optionalLabel: w['form.optional'] })}
<button type="submit">${stage === 'Renewal' ? w['deal.recordRenewal'] : w['deal.reviewed']}</button>
</form>`;
  if (stage !== 'Renewal') return decision;
  // the agreed terms of the sale as defaults, with a new expiry to choose
  const o = ctx.onboarding;
  const { offerExpiresAt: _expired, ...previous } = (o.terms ?? {}) as Record<string, unknown>;
  const draft = own(ctx, 'draft-offer');
  return html`<div class="actions">${decision}
<form method="post" action="${url}" class="card" novalidate data-renewal-offer><h3>${w['deal.draftOfferTitle']}</h3>
${csrfField(ctx.csrf)}<input type="hidden" name="action" value="draft-offer">${formError(draft.errors)}
${termsFields('draft', draft.values, draft.errors, { plan: o.plan, ...previous }, w, false)}
<button type="submit">${w['deal.draftOffer']}</button></form>
</div>`;
}

function formError(errors: FieldErrors): Html {
  return errors._form ? html`<p class="err">${errors._form}</p>` : html``;
}

/** The forms of a staff stage. */
export function stageForms(stage: StaffStage, ctx: FormCtx): Html {
  const o = ctx.onboarding;
  const url = `${stageUrl(o, stage)}${ctx.instance ? `?instance=${encodeURIComponent(ctx.instance)}` : ''}`;
  const terms = (o.terms ?? { plan: o.plan }) as Record<string, unknown>;
  const w = words(ctx.locale ?? 'en');
  switch (stage) {
    case 'Consultation': {
      const { values, errors } = own(ctx, 'terms');
      return html`<form method="post" action="${url}" class="card" novalidate>
<h3>${w['form.agreedTerms'](humanStage('Consultation').step ?? '', humanStage('Consultation').label[ctx.locale ?? 'en'])}</h3>
${csrfField(ctx.csrf)}<input type="hidden" name="action" value="terms">${formError(errors)}
${termsFields('terms', values, errors, { plan: o.plan, ...(o.terms ?? {}) }, w)}
<button type="submit">${w['form.recordTerms']}</button>
</form>`;
    }
    case 'OfferFailed': {
      const retry = own(ctx, 'retry');
      const manual = own(ctx, 'manual');
      return html`<div class="actions">
<form method="post" action="${url}" class="card" novalidate><h3>${w['form.retryTitle']}</h3>
${csrfField(ctx.csrf)}<input type="hidden" name="action" value="retry">${formError(retry.errors)}
${termsFields('retry', retry.values, retry.errors, terms, w)}
<button type="submit">${w['form.retry']}</button></form>
<form method="post" action="${url}" class="card" novalidate><h3>${w['form.manualTitle']}</h3>
${csrfField(ctx.csrf)}<input type="hidden" name="action" value="manual">${formError(manual.errors)}
${field({ id: 'f-manual-offerId', name: 'offerId', label: w['form.offerId'], value: manual.values.offerId, errors: manual.errors, required: true, attrs: html` placeholder="offer-…"` })}
<button type="submit">${w['form.useOffer']}</button></form>
${reasonForm(ctx, url, 'close', w['form.giveUp'], w['form.closeButton'])}
</div>`;
    }
    case 'OfferExpired': {
      const extend = own(ctx, 'extend');
      const recreate = own(ctx, 'recreate');
      return html`<div class="actions">
<form method="post" action="${url}" class="card" novalidate><h3>${w['form.extendTitle']}</h3>
${csrfField(ctx.csrf)}<input type="hidden" name="action" value="extend">${formError(extend.errors)}
${field({ id: 'f-extend-offerExpiresAt', name: 'offerExpiresAt', label: w['form.newExpiry'], type: 'date', value: extend.values.offerExpiresAt, errors: extend.errors, required: true })}
<button type="submit">${w['form.extend']}</button></form>
<form method="post" action="${url}" class="card" novalidate><h3>${w['form.recreateTitle']}</h3>
${csrfField(ctx.csrf)}<input type="hidden" name="action" value="recreate">${formError(recreate.errors)}
${termsFields('recreate', recreate.values, recreate.errors, terms, w)}
<button type="submit">${w['form.recreate']}</button></form>
${reasonForm(ctx, url, 'close', w['form.close'], w['form.closeButton'])}
</div>`;
    }
    case 'Renewal':
    case 'AdvisoryReview':
      return dealForm(stage, ctx, url, w);
    case 'StageTimedOut': {
      const reopen = own(ctx, 'reopen');
      return html`<div class="actions">
<form method="post" action="${url}" class="card" novalidate><h3>${w['form.reopenTitle']}</h3>
${csrfField(ctx.csrf)}<input type="hidden" name="action" value="reopen">${formError(reopen.errors)}
${textarea({ id: 'f-reopen-note', name: 'note', label: w['form.note'], value: reopen.values.note, errors: reopen.errors, optionalLabel: w['form.optional'] })}
<button type="submit">${w['form.reopen']}</button></form>
${reasonForm(ctx, url, 'close', w['form.close'], w['form.closeButton'])}
</div>`;
    }
  }
}

/** Closing at any stage (CloseRequest). */
export function closeForm(ctx: FormCtx): Html {
  const w = words(ctx.locale ?? 'en');
  return reasonForm(
    ctx,
    (stageEntry('Closed').form ?? '').replace(':id', encodeURIComponent(ctx.onboarding.id)),
    CLOSE_ACTION,
    w['form.closeTitle'],
    w['form.closeWithReason'],
  );
}
