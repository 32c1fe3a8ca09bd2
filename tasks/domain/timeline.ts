/** Who did what, when: the onboarding's own activity log (kept with it; the execution history is the other half). */
import type { Actor } from '../../workflows/contracts/actor.js';
import type { Locale } from '../../workflows/contracts/inquiry.js';
import { numberedLabel, type Stage } from '../../workflows/contracts/stage-registry.js';
import { csvCell } from './audit.js';

export interface TimelineEntry {
  onboardingId: string;
  at: string;
  actor: Actor;
  stage: Stage;
  /** Short machine-readable action, e.g. `inquiry-recorded`, `stage-completed`, `offer-created`. */
  action: string;
  /** Human-readable one-liner. Never contains a task token. */
  summary: string;
  detail?: Record<string, unknown>;
}

export function entry(
  onboardingId: string,
  at: string,
  actor: Actor,
  stage: Stage,
  action: string,
  summary: string,
  detail?: Record<string, unknown>,
): TimelineEntry {
  return { onboardingId, at, actor, stage, action, summary, ...(detail ? { detail } : {}) };
}

/**
 * Who acted, in words, one form everywhere a person reads it: staff by name and role, the buyer by e-mail with the AWS
 * account they act for, the system by its component.
 */
export function describeActor(actor: Actor): string {
  switch (actor.kind) {
    case 'staff':
      return `${actor.name ?? actor.id} (${actor.role})`;
    case 'buyer':
      return actor.email && actor.email !== actor.id
        ? `buyer ${actor.email} (AWS account ${actor.id})`
        : `buyer ${actor.email ?? actor.id}`;
    case 'system':
      return `system (${actor.id})`;
  }
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
      describeActor(e.actor),
      e.action,
      e.summary,
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
