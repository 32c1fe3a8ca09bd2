/**
 * Execution histories for auditors (pure): the normalized event shape the ExecutionHistory port returns, and the
 * rows exported for a date range (CSV/JSON). Every value here has passed through redactTokens.
 */
import { redactTokens } from './redact.js';

export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  timestamp: string;
  type: string;
  /** The event's `<type>EventDetails` object as Step Functions returns it. */
  details?: Record<string, unknown>;
}

export interface ExecutionSummary {
  executionArn: string;
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  startDate: string;
  stopDate?: string;
}

export interface ArchivedHistory {
  onboardingId: string;
  execution: ExecutionSummary;
  archivedAt: string;
  events: HistoryEvent[];
}

export interface AuditRow {
  onboardingId: string;
  executionArn: string;
  eventId: number;
  timestamp: string;
  type: string;
  /** The state the event belongs to (the last state entered). */
  stage: string;
  /** `kind:id` of the actor found in the event's input/output, if any. */
  actor: string;
  /** Redacted details as JSON. */
  details: string;
}

function parseMaybe(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

/** Finds an `actor` object ({kind, id}) anywhere in the event's input/output/parameters. */
export function actorOf(details: Record<string, unknown> | undefined): string {
  if (!details) return '';
  const seen = new Set<unknown>();
  const visit = (v: unknown, depth: number): string => {
    if (!v || typeof v !== 'object' || depth > 6 || seen.has(v)) return '';
    seen.add(v);
    const o = v as Record<string, unknown>;
    const a = o.actor as Record<string, unknown> | undefined;
    if (a && typeof a.kind === 'string' && typeof a.id === 'string') return `${a.kind}:${a.id}`;
    for (const child of Object.values(o)) {
      const found = visit(typeof child === 'string' ? parseMaybe(child) : child, depth + 1);
      if (found) return found;
    }
    return '';
  };
  for (const key of ['output', 'input', 'parameters', 'cause']) {
    const found = visit(parseMaybe(details[key]), 0);
    if (found) return found;
  }
  return '';
}

export function auditRows(
  onboardingId: string,
  executionArn: string,
  events: readonly HistoryEvent[],
): AuditRow[] {
  let stage = '';
  return events.map((raw) => {
    const e = redactTokens(raw);
    const name = e.details?.name;
    if (e.type.endsWith('StateEntered') && typeof name === 'string') stage = name;
    const row: AuditRow = {
      onboardingId,
      executionArn,
      eventId: e.id,
      timestamp: e.timestamp,
      type: e.type,
      stage,
      actor: actorOf(e.details),
      details: e.details ? JSON.stringify(e.details) : '',
    };
    return row;
  });
}

const CSV_COLUMNS: (keyof AuditRow)[] = [
  'onboardingId',
  'executionArn',
  'eventId',
  'timestamp',
  'type',
  'stage',
  'actor',
  'details',
];

/** One CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvCell(v: unknown): string {
  let s = String(v ?? '');
  // no formula injection when opened in a spreadsheet
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(rows: readonly AuditRow[]): string {
  const out = [CSV_COLUMNS.join(',')];
  for (const r of rows) out.push(CSV_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return `${out.join('\r\n')}\r\n`;
}

/** The JSON export of audit rows; the audit view and the CLI both download it. */
export const toJson = (rows: readonly AuditRow[]): string => `${JSON.stringify({ rows }, null, 2)}\n`;
