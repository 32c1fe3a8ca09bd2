/**
 * The deal's steps that wait (the lifecycle workflow's Renewal and AdvisoryReview), on the deal view: who must act by
 * when, what they act on, and the stage's form for the people whose step it is. The forms post to the registry's
 * form of the stage, like every staff stage; the server finds the task token.
 */
import { html } from 'hono/html';
import { type CancellationReasonCode, REASON_LABELS } from '../../tasks/domain/agreement-cancellation.js';
import type { HumanTaskView } from '../../tasks/domain/human-task.js';
import type { Onboarding } from '../../tasks/domain/onboarding.js';
import {
  ACTING_ROLES,
  isStaffStage,
  type Locale,
  numberedLabel,
  type StaffRole,
  staffMayComplete,
} from '../../workflows/contracts/index.js';
import { when } from '../html/format.js';
import { type FieldErrors, type Html, notice } from '../html/layout.js';
import { roleName, staffRoleName } from './list.js';
import { stageForms } from './stage-forms.js';
import { words } from './words.js';

export interface DealTasksCtx {
  readonly onboarding: Onboarding;
  readonly csrf: string;
  readonly locale: Locale;
  /** The reader's role (undefined: read only). */
  readonly role?: StaffRole;
  /** The step's form that was sent and not accepted: its values and errors, shown on it again. */
  readonly step?: DealStepFormState;
}

export interface DealStepFormState {
  readonly stage: string;
  /** Which of the step's forms (its `action` field: draft-offer, offer-sent, not-renewing, reviewed). */
  readonly action: string;
  readonly values: Record<string, string>;
  readonly errors: FieldErrors;
}

/** The errors of a form not accepted, as a list above it (each message names its field). */
function notAccepted(errors: FieldErrors, w: ReturnType<typeof words>): Html | string {
  const messages = Object.values(errors);
  if (messages.length === 0) return '';
  return notice('bad', html`${w['detail.notAccepted']}<ul>${messages.map((m) => html`<li>${m}</li>`)}</ul>`);
}

export function dealTasksSection(tasks: readonly HumanTaskView[], ctx: DealTasksCtx): Html | string {
  if (tasks.length === 0) return '';
  const w = words(ctx.locale);
  return html`${tasks.map((t) => {
    const mine = !!ctx.role && isStaffStage(t.stage) && staffMayComplete(ctx.role, t.stage);
    const offer = renewalOfferNotice(t.context?.renewalOffer, w);
    const sent = ctx.step?.stage === t.stage ? ctx.step : undefined;
    return html`<section class="card" data-deal-task="${t.stage}">
${notice('info', w['next.waits'](numberedLabel(t.stage, ctx.locale), roleName(t.assignee, ctx.locale), when(t.openedAt), when(t.dueAt)))}
${stepFacts(t.context, w, ctx.locale)}
${offer ? notice(offer.kind, offer.text) : ''}
${sent ? notAccepted(sent.errors, w) : ''}
${!mine && ctx.role && t.assignee !== 'buyer' ? notYours(ctx.role, ctx.locale) : ''}
${mine && isStaffStage(t.stage) ? stageForms(t.stage, { csrf: ctx.csrf, locale: ctx.locale, onboarding: ctx.onboarding, values: sent?.values ?? {}, errors: sent?.errors ?? {}, ...(sent ? { action: sent.action } : {}), ...(t.instance ? { instance: t.instance } : {}) }) : ''}
</section>`;
  })}`;
}

/** Why a staff member sees a step without its form: another role acts on it, or theirs only reads. */
function notYours(role: StaffRole, locale: Locale): Html {
  const w = words(locale);
  const named = staffRoleName(role, locale);
  const text = (ACTING_ROLES as readonly string[]).includes(role)
    ? w['next.notYours'](named).trim()
    : w['next.readOnly'](named);
  return html`<p class="muted" data-not-yours>${text}</p>`;
}

/**
 * What the step is about, each fact named: the agreement (a link to its card below), when it ends (Renewal), the
 * advisory to review (AdvisoryReview), the cancellation request (CancellationAnswer).
 */
function stepFacts(
  context: Record<string, unknown> | undefined,
  w: ReturnType<typeof words>,
  locale: Locale,
): Html | string {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  const agreementId = text(context?.agreementId);
  const endTime = text(context?.endTime);
  // AWS's advisory events carry only when it was issued; a description or type where one was given
  const issuedAt = text(context?.issuedAt);
  const advisory =
    text(context?.description) ??
    text(context?.type) ??
    (issuedAt ? w['deal.stepAdvisoryIssued'](when(issuedAt)) : undefined);
  const requestId = text(context?.requestId);
  const reason = text(context?.reasonCode);
  const reasonWords =
    reason && reason in REASON_LABELS ? REASON_LABELS[reason as CancellationReasonCode][locale] : reason;
  if (!agreementId && !endTime && !advisory && !requestId) return '';
  return html`<dl class="facts" data-step-facts>
${agreementId ? html`<dt>${w['deal.stepAgreement']}</dt><dd><a href="#agreement-${agreementId}">${agreementId}</a></dd>` : ''}
${endTime ? html`<dt>${w['deal.stepEnds']}</dt><dd>${when(endTime)}</dd>` : ''}
${advisory ? html`<dt>${w['deal.stepAdvisory']}</dt><dd>${advisory}</dd>` : ''}
${requestId ? html`<dt>${w['deal.stepRequest']}</dt><dd>${requestId}${reasonWords ? w['deal.stepReason'](reasonWords) : ''}</dd>` : ''}
</dl>`;
}

/** What became of the renewal offer sales drafted (the Renewal step's context, set by the lifecycle workflow). */
function renewalOfferNotice(
  value: unknown,
  w: ReturnType<typeof words>,
): { kind: 'info' | 'bad'; text: string } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const r = value as {
    outcome?: string;
    offerId?: string;
    offerExpiresAt?: string;
    failure?: { code?: string; message?: string };
  };
  if (r.outcome === 'sent' && r.offerId)
    return {
      kind: 'info',
      text: w['deal.renewalOfferSent'](r.offerId, r.offerExpiresAt ? when(r.offerExpiresAt) : ''),
    };
  if (r.outcome === 'failed')
    return {
      kind: 'bad',
      text: w['deal.renewalOfferFailed'](
        String(r.failure?.code ?? 'ERROR'),
        // AWS's message ends its own sentence; the catalogue's sentence closes it
        String(r.failure?.message ?? '').replace(/[\s.。]+$/u, ''),
      ),
    };
  return undefined;
}
