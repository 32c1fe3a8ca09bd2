/**
 * The stage stepper of an onboarding: where it stands, and who did what and when at each stage.
 *
 * The rows come from the stage registry: the main path in the procedure's order (a Choice is never a record's stage),
 * and each side path the onboarding has been on right after the main stage it left from (the registry's edges say
 * where OfferFailed and OfferExpired come from; StageTimedOut and Closed say it themselves). A main stage is
 * - `done` when it has happened (a fact, or it lies on every path to where the onboarding is: the completion e-mail of
 *   a completed onboarding);
 * - `skipped` when the onboarding went past it on another branch (manual offer, existing or new account);
 * - `failed` when the onboarding left it for a side path (offer failed, offer expired, timed out, closed there);
 * - `current` while the onboarding is at it; `todo` after it while active; `unreached` after it once ended.
 */

import { html } from 'hono/html';
import type { HumanTaskView } from '../../tasks/domain/human-task.js';
import type { Onboarding } from '../../tasks/domain/onboarding.js';
import { entryText, type TimelineEntry } from '../../tasks/domain/timeline.js';
import {
  type Actor,
  assigneeOf,
  type Locale,
  numberedLabel,
  STAGES,
  type Stage,
  stageEntry,
} from '../../workflows/contracts/index.js';
import { when, who } from '../html/format.js';
import type { Html } from '../html/layout.js';
import { roleName } from './list.js';
import { words } from './words.js';

/** A row per stage of the registry's main path with its step number (a Choice is never a record's stage). */
export const MAIN_PATH: readonly { stage: Stage; label: string }[] = STAGES.filter(
  (s) => stageEntry(s).path === 'main' && stageEntry(s).kind !== 'choice',
).map((stage) => ({ stage, label: numberedLabel(stage, 'en') }));

/** Side paths and ends off the main path, shown once the onboarding has been there. */
export const SIDE_PATHS: readonly Stage[] = STAGES.filter((s) => stageEntry(s).path === 'side');

export type RowState = 'done' | 'current' | 'failed' | 'skipped' | 'todo' | 'unreached';

export interface StepperRow {
  readonly stage: Stage;
  readonly label: string;
  readonly state: RowState;
  readonly meta: string;
  /** A side path's row (indented under the stage it left from). */
  readonly side: boolean;
}

/** Timeline actions that say a stage did not succeed. */
const FAILURE_ACTIONS: ReadonlySet<string> = new Set(['offer-failed', 'stage-failed']);

interface Facts {
  at: string;
  text: string;
  actor?: Actor;
  failed: boolean;
}

/** The last thing that happened at each stage: a human task's state, else the last activity entry. */
function factsByStage(
  tasks: readonly HumanTaskView[],
  timeline: readonly TimelineEntry[],
  locale: Locale,
): Map<Stage, Facts> {
  const w = words(locale);
  const facts = new Map<Stage, Facts>();
  let completed = false;
  for (const e of timeline) {
    if (e.actor.kind === 'system' && facts.get(e.stage)?.actor && e.action === 'stage-opened') continue;
    // "Completed" says when the onboarding completed, not the deal's later signals recorded at that stage
    if (e.stage === 'Completed' && completed) continue;
    if (e.stage === 'Completed' && e.action === 'completed') completed = true;
    facts.set(e.stage, {
      at: e.at,
      text: entryText(e, locale),
      actor: e.actor,
      failed: FAILURE_ACTIONS.has(e.action),
    });
  }
  for (const t of tasks) {
    const status = w[`task.${t.status}`];
    if (t.status === 'open' || t.status === 'claimed') {
      facts.set(t.stage, {
        at: t.openedAt,
        text: w['task.waitingFor'](
          status,
          roleName(assigneeOf(t.stage), locale),
          when(t.openedAt),
          when(t.dueAt),
        ),
        failed: false,
      });
    } else {
      facts.set(t.stage, {
        at: t.completedAt ?? t.openedAt,
        text: `${status} ${when(t.completedAt)}`,
        ...(t.completedBy ? { actor: t.completedBy } : {}),
        failed: t.status === 'timed-out' || t.status === 'failed',
      });
    }
  }
  return facts;
}

const MAIN_STAGES: readonly Stage[] = MAIN_PATH.map((r) => r.stage);
const isMain = (s: Stage) => MAIN_STAGES.includes(s);

/** Whether `target` can be reached from the first stage along main-path edges without passing `without`. */
function reachableWithout(target: Stage, without: Stage): boolean {
  const start = STAGES[0] as Stage;
  if (start === without) return false;
  const seen = new Set<Stage>([start]);
  const todo: Stage[] = [start];
  while (todo.length > 0) {
    const s = todo.pop() as Stage;
    if (s === target) return true;
    for (const n of stageEntry(s).next) {
      if (n === without || seen.has(n) || stageEntry(n).path !== 'main') continue;
      seen.add(n);
      todo.push(n);
    }
  }
  return false;
}

/** The registry's stage that leads to a side path (the first main one), e.g. CreateOffer → OfferFailed. */
function registryOrigin(side: Stage): Stage | undefined {
  const from = STAGES.filter((s) => (stageEntry(s).next as readonly Stage[]).includes(side));
  return from.find(isMain) ?? from[0];
}

const isStage = (s: unknown): s is Stage =>
  typeof s === 'string' && (STAGES as readonly string[]).includes(s);

/** The stage a StageTimedOut escalation is about: its task's context (the workflow's `$reason.stage`). */
function escalatedStage(tasks: readonly HumanTaskView[]): Stage | undefined {
  const escalation = tasks.find((t) => t.stage === 'StageTimedOut');
  const stage = escalation?.context?.stage;
  if (isStage(stage) && stage !== 'StageTimedOut') return stage;
  const last = tasks
    .filter((t) => t.stage !== 'StageTimedOut' && (t.status === 'timed-out' || t.status === 'failed'))
    .sort((a, b) => (b.completedAt ?? b.openedAt).localeCompare(a.completedAt ?? a.openedAt))[0];
  return last?.stage;
}

/** Where a side path was entered from, as the record and the registry tell it. */
function originOf(side: Stage, o: Onboarding, tasks: readonly HumanTaskView[]): Stage | undefined {
  if (side === 'Closed' || side === 'SubscriptionFailed') return o.end?.stage;
  if (side === 'StageTimedOut') return escalatedStage(tasks);
  return registryOrigin(side);
}

/** The main stage a (side) stage hangs off, following side paths back to the main path. */
function mainAnchor(
  stage: Stage | undefined,
  o: Onboarding,
  tasks: readonly HumanTaskView[],
): Stage | undefined {
  let s = stage;
  for (let hops = 0; s && !isMain(s) && hops < STAGES.length; hops++) s = originOf(s, o, tasks);
  return s && isMain(s) ? s : undefined;
}

const describe = (f: Facts | undefined, locale: Locale): string =>
  f ? `${f.text}${f.actor && !f.text.includes(f.actor.id) ? ` — ${who(f.actor, locale)}` : ''}` : '';

/** The stepper's rows for an onboarding: every main stage once, side paths after the stage they left from. */
export function stepperRows(
  o: Onboarding,
  tasks: readonly HumanTaskView[],
  timeline: readonly TimelineEntry[],
  locale: Locale = 'en',
): StepperRow[] {
  const w = words(locale);
  const facts = factsByStage(tasks, timeline, locale);
  const ended = o.status !== 'active';
  // the main stage the onboarding stands at (or left from, for a side path); the last one with facts otherwise
  const position: Stage =
    mainAnchor(o.stage, o, tasks) ??
    [...MAIN_STAGES].reverse().find((s) => facts.has(s)) ??
    (MAIN_STAGES[0] as Stage);
  const atIndex = MAIN_STAGES.indexOf(position);
  const onSide = !isMain(o.stage);

  const sideRows = new Map<Stage, StepperRow[]>();
  for (const stage of SIDE_PATHS) {
    if (stage !== o.stage && !facts.has(stage) && !(stage === 'Closed' && o.end)) continue;
    const anchor = mainAnchor(stage, o, tasks) ?? position;
    const f = facts.get(stage);
    const meta =
      stage === 'Closed' && o.end
        ? w['fact.endedLine'](when(o.end.at), numberedLabel(o.end.stage, locale), o.end.reason, o.end.outcome)
        : describe(f, locale);
    const state: RowState =
      stage === o.stage && !ended ? 'current' : stage === 'Closed' || f?.failed ? 'failed' : 'done';
    const rows = sideRows.get(anchor) ?? [];
    rows.push({ stage, label: numberedLabel(stage, locale), state, meta, side: true });
    sideRows.set(anchor, rows);
  }

  const rows: StepperRow[] = [];
  MAIN_PATH.forEach(({ stage }, i) => {
    const label = numberedLabel(stage, locale);
    const f = facts.get(stage);
    let state: RowState;
    let meta = describe(f, locale);
    if (i < atIndex) {
      if (f) state = f.failed ? 'failed' : 'done';
      else if (reachableWithout(position, stage)) {
        state = 'skipped';
        meta = w['step.skipped'];
      } else state = 'done';
    } else if (i === atIndex) {
      if (stage === 'Completed' && o.status === 'completed') state = 'done';
      else if (onSide || ended) state = 'failed';
      else state = 'current';
    } else {
      state = ended ? 'unreached' : 'todo';
      meta = ended ? w['step.notReached'] : '';
    }
    rows.push({ stage, label, state, meta, side: false });
    rows.push(...(sideRows.get(stage) ?? []));
  });
  return rows;
}

function row(r: StepperRow): Html {
  return html`<li class="${r.state}${r.side ? ' side' : ''}"${r.state === 'current' ? html` aria-current="step"` : ''}><span class="dot" aria-hidden="true"></span><span>${r.label}</span><span class="meta">${r.meta}</span></li>`;
}

export function stepper(
  o: Onboarding,
  tasks: readonly HumanTaskView[],
  timeline: readonly TimelineEntry[],
  locale: Locale = 'en',
): Html {
  return html`<ol class="stepper" aria-label="${words(locale)['detail.stages']}">${stepperRows(o, tasks, timeline, locale).map(row)}</ol>`;
}
