/** The stage stepper of an onboarding: where it stands, and who did what and when at each stage. */

import { html } from 'hono/html';
import type { HumanTaskView } from '../../tasks/domain/human-task.js';
import type { Onboarding } from '../../tasks/domain/onboarding.js';
import type { TimelineEntry } from '../../tasks/domain/timeline.js';
import { type Actor, STAGE_ASSIGNEE, type Stage } from '../../workflows/contracts/index.js';
import { when, who } from '../html/format.js';
import type { Html } from '../html/layout.js';

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

const SIDE: readonly { stage: Stage; label: string }[] = [
  { stage: 'OfferFailed', label: 'Offer creation failed' },
  { stage: 'OfferExpired', label: 'Offer expired' },
  { stage: 'StageTimedOut', label: 'A stage timed out' },
  { stage: 'SubscriptionFailed', label: 'Subscription failed' },
  { stage: 'Closed', label: 'Closed' },
];

const TASK_NOTE: Record<HumanTaskView['status'], string> = {
  open: 'waiting',
  claimed: 'being completed',
  completed: 'completed',
  failed: 'ended',
  'timed-out': 'timed out',
  gone: 'no longer waiting',
};

interface Facts {
  at: string;
  text: string;
  actor?: Actor;
}

/** The last thing that happened at each stage: a human task's state, else the last activity entry. */
function factsByStage(
  tasks: readonly HumanTaskView[],
  timeline: readonly TimelineEntry[],
): Map<Stage, Facts> {
  const facts = new Map<Stage, Facts>();
  for (const e of timeline) {
    if (e.actor.kind === 'system' && facts.get(e.stage)?.actor && e.action === 'stage-opened') continue;
    facts.set(e.stage, { at: e.at, text: e.summary, actor: e.actor });
  }
  for (const t of tasks) {
    const status = TASK_NOTE[t.status];
    if (t.status === 'open' || t.status === 'claimed') {
      facts.set(t.stage, {
        at: t.openedAt,
        text: `${status} for ${STAGE_ASSIGNEE[t.stage]} since ${when(t.openedAt)}, due ${when(t.dueAt)}`,
      });
    } else {
      facts.set(t.stage, {
        at: t.completedAt ?? t.openedAt,
        text: `${status} ${when(t.completedAt)}`,
        ...(t.completedBy ? { actor: t.completedBy } : {}),
      });
    }
  }
  return facts;
}

function row(label: string, state: 'done' | 'current' | 'todo', meta: string): Html {
  return html`<li class="${state}"${state === 'current' ? html` aria-current="step"` : ''}><span class="dot" aria-hidden="true"></span><span>${label}</span><span class="meta">${meta}</span></li>`;
}

const describe = (f: Facts | undefined): string =>
  f ? `${f.text}${f.actor && !f.text.includes(f.actor.id) ? ` — ${who(f.actor)}` : ''}` : '';

export function stepper(
  o: Onboarding,
  tasks: readonly HumanTaskView[],
  timeline: readonly TimelineEntry[],
): Html {
  const facts = factsByStage(tasks, timeline);
  const ended = o.status !== 'active';
  const rows = MAIN_PATH.map(({ stage, label }) => {
    const f = facts.get(stage);
    const current = stage === o.stage && (!ended || stage === 'Completed');
    const state = current
      ? 'current'
      : f || (stage === 'Completed' && o.status === 'completed')
        ? 'done'
        : 'todo';
    return row(label, state, f ? describe(f) : ended && state === 'todo' ? 'not reached' : '');
  });
  const side = SIDE.filter(({ stage }) => stage === o.stage || facts.has(stage)).map(({ stage, label }) => {
    const f = facts.get(stage);
    const text =
      stage === 'Closed' && o.end
        ? `${when(o.end.at)}: ${o.end.reason} (${o.end.outcome}, at ${o.end.stage})`
        : describe(f);
    return row(label, stage === o.stage ? 'current' : 'done', text);
  });
  return html`<ol class="stepper" aria-label="Stages">${rows}${side}</ol>`;
}
