/** Audit exports of timeline entries: CSV (RFC 4180, formula-safe) and JSON. Shared by the web app and the CLI. */
import type { TimelineEntry } from '../services.js';

export const CSV_COLUMNS = [
  'onboardingId',
  'at',
  'stage',
  'event',
  'actorKind',
  'actorId',
  'actorRole',
  'source',
  'input',
  'output',
] as const;

const json = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** Quotes when needed; a cell that a spreadsheet would run as a formula gets a leading apostrophe. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(entries: readonly TimelineEntry[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const e of entries) {
    const actor = e.actor;
    const row = [
      e.onboardingId,
      e.at,
      e.stage ?? '',
      e.event,
      actor?.kind ?? '',
      actor?.id ?? '',
      actor?.kind === 'staff' ? actor.role : '',
      e.source,
      json(e.input),
      json(e.output),
    ];
    lines.push(row.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function toJson(entries: readonly TimelineEntry[]): string {
  return `${JSON.stringify({ entries }, null, 2)}\n`;
}

/** `YYYY-MM-DD` dates (inclusive) to an ISO range [from 00:00Z, to 23:59:59.999Z]; errors name the field. */
export function dateRange(
  from: string | undefined,
  to: string | undefined,
): { ok: true; from: string; to: string } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const parse = (name: string, v: string | undefined, time: string) => {
    if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) {
      errors[name] = `${name} must be a date (YYYY-MM-DD)`;
      return undefined;
    }
    const d = new Date(`${v}T${time}Z`);
    if (Number.isNaN(d.getTime()) || !d.toISOString().startsWith(v)) {
      errors[name] = `${name} must be a real date`;
      return undefined;
    }
    return d;
  };
  const a = parse('from', from, '00:00:00.000');
  const b = parse('to', to, '23:59:59.999');
  if (a && b && a > b) errors.to = 'to must not be before from';
  if (a && b && b.getTime() - a.getTime() > 366 * 86_400_000)
    errors.to = 'the range must be at most 366 days';
  if (!a || !b || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, from: a.toISOString(), to: b.toISOString() };
}
