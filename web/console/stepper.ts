/** The stage stepper of an onboarding: where it stands, and who did what and when at each stage. */

import { html } from 'hono/html';
import type { HumanTaskView } from '../../tasks/domain/human-task.js';
import type { Onboarding } from '../../tasks/domain/onboarding.js';
import type { TimelineEntry } from '../../tasks/domain/timeline.js';
import {
  type Actor,
  assigneeOf,
  numberedLabel,
  STAGES,
  type Stage,
  stageEntry,
} from '../../workflows/contracts/index.js';
import { when, who } from '../html/format.js';
import type { Html } from '../html/layout.js';

/** A row per stage of the registry's main path with its step number (a Choice is never a record's stage). */
export const MAIN_PATH: readonly { stage: Stage; label: string }[] = STAGES.filter(
  (s) => stageEntry(s).path === 'main' && stageEntry(s).kind !== 'choice',
).map((stage) => ({ stage, label: numberedLabel(stage, 'en') }));

/** Side paths and ends off the main path, shown once the onboarding has been there. */
const SIDE: readonly { stage: Stage; label: string }[] = STAGES.filter(
  (s) => stageEntry(s).path === 'side',
).map((stage) => ({ stage, label: numberedLabel(stage, 'en') }));

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
        text: `${status} for ${assigneeOf(t.stage)} since ${when(t.openedAt)}, due ${when(t.dueAt)}`,
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
