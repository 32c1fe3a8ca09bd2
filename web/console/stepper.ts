/** The stage stepper of an onboarding: where it stands, and who did what and when at each stage. */
import { type Actor, type HumanStage, STAGE_ASSIGNEE, type Stage } from '../../workflows/contracts/index.js';
import { when, who } from '../html/format.js';
import { type Html, h } from '../html/h.js';
import type { OnboardingDetail, TimelineEntry } from '../services.js';

/** The main path with the procedure's step numbers (design §1). */
export const MAIN_PATH: readonly { stage: Stage; label: string }[] = [
  { stage: 'Inquiry', label: '1 Inquiry (問い合わせ)' },
  { stage: 'Consultation', label: '2 Consultation (契約内容の相談)' },
  { stage: 'CreateOffer', label: '3 Create offer' },
  { stage: 'SendOfferNotice', label: '3 Offer e-mail' },
  { stage: 'AwaitAcceptance', label: '4–5 Buyer subscribes' },
  { stage: 'AccountSetup', label: '6 Account setup' },
  { stage: 'Registration', label: '6→7 New or existing' },
  { stage: 'CreateAccount', label: '7-1 New account' },
  { stage: 'AccountSelection', label: '7-2 Account selection' },
  { stage: 'ActivatePaidPlan', label: '8 Paid plan' },
  { stage: 'NotifyCompletion', label: '8 Completion e-mail' },
  { stage: 'Completed', label: 'Completed' },
];

const SIDE_LABELS: Partial<Record<Stage, string>> = {
  OfferFailed: 'Offer creation failed',
  OfferExpired: 'Offer expired',
  StageTimedOut: 'A stage timed out',
  SubscriptionFailed: 'Subscription failed',
  Closed: 'Closed',
};

interface StageFacts {
  at?: string;
  actor?: Actor;
  note?: string;
}

function factsByStage(o: OnboardingDetail, history: readonly TimelineEntry[]): Map<string, StageFacts> {
  const facts = new Map<string, StageFacts>();
  for (const e of history) {
    if (!e.stage) continue;
    const prev = facts.get(e.stage) ?? {};
    facts.set(e.stage, { at: e.at, actor: e.actor ?? prev.actor });
  }
  for (const t of o.tasks) {
    const note =
      t.outcome === 'timed-out'
        ? `timed out ${when(t.completedAt ?? t.dueAt)}`
        : t.outcome === 'closed'
          ? 'closed'
          : t.outcome === undefined
            ? `open since ${when(t.openedAt)}${t.dueAt ? `, due ${when(t.dueAt)}` : ''} — waiting on ${STAGE_ASSIGNEE[t.stage as HumanStage]}`
            : undefined;
    facts.set(t.stage, {
      at: t.completedAt ?? t.openedAt,
      actor: t.completedBy ?? facts.get(t.stage)?.actor,
      note,
    });
  }
  return facts;
}

export function stepper(o: OnboardingDetail, history: readonly TimelineEntry[]): Html {
  const facts = factsByStage(o, history);
  const ended = o.status !== 'RUNNING';
  const currentIndex = MAIN_PATH.findIndex((s) => s.stage === o.stage);
  const rows = MAIN_PATH.map((s, i) => {
    const seen =
      facts.has(s.stage) ||
      (currentIndex >= 0 &&
        i < currentIndex &&
        s.stage !== 'CreateAccount' &&
        s.stage !== 'AccountSelection');
    const current = s.stage === o.stage && !(ended && s.stage !== 'Completed');
    const state = current
      ? 'current'
      : seen || (o.stage === 'Completed' && facts.has(s.stage))
        ? 'done'
        : 'todo';
    const f = facts.get(s.stage);
    const meta = f
      ? [f.note ?? when(f.at), f.actor && !f.note ? `by ${who(f.actor)}` : f.actor ? `(${who(f.actor)})` : '']
          .filter(Boolean)
          .join(' ')
      : ended && state === 'todo'
        ? 'not reached'
        : '';
    return h`<li class="${state}"${current ? h` aria-current="step"` : ''}><span class="dot" aria-hidden="true"></span><span>${s.label}</span><span class="meta">${meta}</span></li>`;
  });
  const side = (Object.keys(SIDE_LABELS) as Stage[]).filter((s) => s === o.stage || facts.has(s));
  return h`<ol class="stepper" aria-label="Stages">${rows}${side.map((s) => {
    const f = facts.get(s);
    const current = s === o.stage;
    return h`<li class="${current ? 'current' : 'done'}"${current ? h` aria-current="step"` : ''}><span class="dot" aria-hidden="true"></span><span>${SIDE_LABELS[s]}</span><span class="meta">${f ? `${f.note ?? when(f.at)}${f.actor ? ` by ${who(f.actor)}` : ''}` : ''}${s === 'Closed' && o.closedReason ? ` — ${o.closedReason}` : ''}</span></li>`;
  })}</ol>`;
}
