/**
 * The deal's steps that wait (the lifecycle workflow's Renewal and AdvisoryReview), on the deal view: who must act by
 * when, what they act on, and the stage's form for the people whose step it is. The forms post to the registry's
 * form of the stage, like every staff stage; the server finds the task token.
 */
import { html } from 'hono/html';
import type { HumanTaskView } from '../../tasks/domain/human-task.js';
import type { Onboarding } from '../../tasks/domain/onboarding.js';
import {
  isStaffStage,
  type Locale,
  numberedLabel,
  type StaffRole,
  staffMayComplete,
} from '../../workflows/contracts/index.js';
import { when } from '../html/format.js';
import { type Html, notice } from '../html/layout.js';
import { roleName } from './list.js';
import { stageForms } from './stage-forms.js';
import { words } from './words.js';

export interface DealTasksCtx {
  readonly onboarding: Onboarding;
  readonly csrf: string;
  readonly locale: Locale;
  /** The reader's role (undefined: read only). */
  readonly role?: StaffRole;
}

export function dealTasksSection(tasks: readonly HumanTaskView[], ctx: DealTasksCtx): Html | string {
  if (tasks.length === 0) return '';
  const w = words(ctx.locale);
  return html`${tasks.map((t) => {
    const mine = !!ctx.role && isStaffStage(t.stage) && staffMayComplete(ctx.role, t.stage);
    const about = [t.context?.agreementId, t.context?.endTime ? when(String(t.context.endTime)) : undefined]
      .filter(Boolean)
      .join(' · ');
    const offer = renewalOfferNotice(t.context?.renewalOffer, w);
    return html`<section class="card" data-deal-task="${t.stage}">
${notice('info', `${w['next.waits'](numberedLabel(t.stage, ctx.locale), roleName(t.assignee, ctx.locale), when(t.openedAt), when(t.dueAt))}${about ? ` (${about})` : ''}`)}
${offer ? notice(offer.kind, offer.text) : ''}
${mine && isStaffStage(t.stage) ? stageForms(t.stage, { csrf: ctx.csrf, locale: ctx.locale, onboarding: ctx.onboarding, values: {}, errors: {}, ...(t.instance ? { instance: t.instance } : {}) }) : ''}
</section>`;
  })}`;
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
        String(r.failure?.message ?? ''),
      ),
    };
  return undefined;
}
