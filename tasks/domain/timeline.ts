/** Who did what, when: the onboarding's own activity log (kept with it; the execution history is the other half). */
import type { Actor } from '../../workflows/contracts/actor.js';
import type { Locale } from '../../workflows/contracts/inquiry.js';
import { numberedLabel, type Stage } from '../../workflows/contracts/stage-registry.js';
import { csvCell } from './audit.js';
import { actorWords, readable, type Said, say } from './timeline-texts.js';

export interface TimelineEntry {
  onboardingId: string;
  at: string;
  actor: Actor;
  stage: Stage;
  /** Short machine-readable action, e.g. `inquiry-recorded`, `stage-completed`, `offer-created`. */
  action: string;
  /** The one-liner in English, as stored (the raw export, older readers). Never contains a task token. */
  summary: string;
  /** What it says as a code of the catalogue (timeline-texts.ts) and its parameters; absent on older entries. */
  text?: Said;
  detail?: Record<string, unknown>;
}

export function entry(
  onboardingId: string,
  at: string,
  actor: Actor,
  stage: Stage,
  action: string,
  text: Said | string,
  detail?: Record<string, unknown>,
): TimelineEntry {
  const summary = typeof text === 'string' ? text : (say(text, 'en') ?? text.code);
  return {
    onboardingId,
    at,
    actor,
    stage,
    action,
    summary,
    ...(typeof text === 'string' ? {} : { text }),
    ...(detail ? { detail } : {}),
  };
}

/** What the entry says in the reader's language (the catalogue; an older entry's English when not recognised). */
export function entryText(e: Pick<TimelineEntry, 'action' | 'summary' | 'text'>, locale: Locale): string {
  return readable(e, e.action, locale);
}

/**
 * Who acted, in words, one form everywhere a person reads it: staff by name and role, the buyer by e-mail with the AWS
 * account they act for, the system by its component.
 */
export function describeActor(actor: Actor, locale: Locale = 'en'): string {
  return actorWords(actor, locale);
}

const TIMELINE_COLUMNS = ['time', 'stage', 'actor', 'action', 'summary'] as const;

/**
 * The readable timeline as CSV for people and spreadsheets: a UTF-8 byte order mark (so Excel reads Japanese names),
 * plain columns (time, stage, actor, action, summary; with `reference` first when several onboardings are in it), the
 * stage by its label, CRLF line ends. The raw events stay in the JSON export.
 */
export function timelineCsv(
  entries: readonly TimelineEntry[],
  options: { reference?: boolean; locale?: Locale } = {},
): string {
  const head = [...(options.reference ? ['reference'] : []), ...TIMELINE_COLUMNS];
  const lines = [head.join(',')];
  for (const e of entries) {
    const cells = [
      ...(options.reference ? [e.onboardingId] : []),
      e.at,
      numberedLabel(e.stage, options.locale ?? 'en'),
      describeActor(e.actor, options.locale ?? 'en'),
      e.action,
      entryText(e, options.locale ?? 'en'),
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
