/**
 * The auditors' side: an onboarding's whole execution history (live from Step Functions, or from the archive once
 * archived or past Step Functions' retention), exports for a date range, and the archive-history task. Task tokens
 * are redacted from everything returned or stored.
 */

import * as z from 'zod';
import {
  type ArchivedHistory,
  type AuditRow,
  auditRows,
  type ExecutionSummary,
  type HistoryEvent,
} from '../domain/audit.js';
import type { Onboarding } from '../domain/onboarding.js';
import { redactTokens } from '../domain/redact.js';
import { withoutStackTraces } from '../domain/stack-traces.js';
import type { TimelineEntry } from '../domain/timeline.js';
import { said } from '../domain/timeline-texts.js';
import { type Invalid, invalid, issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';
import { note, nowIso, SYSTEM, updateOnboarding } from './shared.js';

export type HistoryResult =
  | {
      ok: true;
      source: 'live' | 'archive';
      execution: ExecutionSummary;
      events: HistoryEvent[];
      rows: AuditRow[];
    }
  | { ok: false; error: 'not-found' };

type HistoryPorts = Pick<Ports, 'onboardings' | 'history' | 'archive'>;

/** Every page of the live history, oldest first, redacted. */
async function readLiveHistory(ports: Pick<Ports, 'history'>, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ports.history.getHistoryPage(executionArn, nextToken);
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken);
  return redactTokens(events);
}

export async function getExecutionHistory(
  ports: HistoryPorts,
  onboardingId: string,
  options: { prefer?: 'live' | 'archive' } = {},
): Promise<HistoryResult> {
  return historyOf(ports, onboardingId, await ports.onboardings.get(onboardingId), options);
}

export interface AuditTrail {
  /** undefined when no onboarding record exists (an execution may still have a history). */
  onboarding?: Onboarding;
  /** Who did what (the onboarding's timeline). */
  timeline: TimelineEntry[];
  history: HistoryResult;
}

/** The audit view of one onboarding: its record, its timeline and its execution history, reading the record once. */
export async function getAuditTrail(
  ports: HistoryPorts,
  onboardingId: string,
  options: { prefer?: 'live' | 'archive' } = {},
): Promise<AuditTrail> {
  const onboarding = await ports.onboardings.get(onboardingId);
  const [timeline, history] = await Promise.all([
    onboarding ? ports.onboardings.timeline(onboardingId) : [],
    historyOf(ports, onboardingId, onboarding, options),
  ]);
  // what the audit view shows and exports: the archive keeps the history as it was; staff get no stack traces
  return withoutStackTraces({ ...(onboarding ? { onboarding } : {}), timeline, history });
}

/** Who did what of one onboarding (its timeline, oldest first), for the readable export. */
export async function getTimeline(
  ports: Pick<Ports, 'onboardings'>,
  onboardingId: string,
): Promise<
  { ok: true; onboarding: Onboarding; timeline: TimelineEntry[] } | { ok: false; error: 'not-found' }
> {
  const onboarding = await ports.onboardings.get(onboardingId);
  if (!onboarding) return { ok: false, error: 'not-found' };
  const timeline = await ports.onboardings.timeline(onboardingId);
  return withoutStackTraces({ ok: true as const, onboarding, timeline });
}

async function historyOf(
  ports: HistoryPorts,
  onboardingId: string,
  onboarding: Onboarding | undefined,
  options: { prefer?: 'live' | 'archive' },
): Promise<HistoryResult> {
  const executionArn = onboarding?.executionArn ?? ports.history.executionArnFor(onboardingId);
  const fromArchive = async () => {
    const key = onboarding?.archive?.key;
    const archived = key ? await ports.archive.get(key) : undefined;
    if (!archived) return undefined;
    const events = redactTokens(archived.events);
    return {
      ok: true as const,
      source: 'archive' as const,
      execution: archived.execution,
      events,
      rows: auditRows(onboardingId, archived.execution.executionArn, events),
    };
  };
  if (options.prefer === 'archive') {
    const archived = await fromArchive();
    if (archived) return archived;
  }
  const execution = await ports.history.describeExecution(executionArn);
  if (execution) {
    const events = await readLiveHistory(ports, executionArn);
    return {
      ok: true,
      source: 'live',
      execution,
      events,
      rows: auditRows(onboardingId, executionArn, events),
    };
  }
  return (await fromArchive()) ?? { ok: false, error: 'not-found' };
}

const Range = z.object({
  from: z.iso.date({ message: 'from must be a date (YYYY-MM-DD)' }),
  to: z.iso.date({ message: 'to must be a date (YYYY-MM-DD)' }),
});

export type ExportResult = { ok: true; executions: number; rows: AuditRow[] } | Invalid;
export type TimelineExportResult = { ok: true; onboardings: number; entries: TimelineEntry[] } | Invalid;

/** The range's days, validated. */
function rangeOf(input: { from: unknown; to: unknown }): { from: string; to: string } | Invalid {
  const range = Range.safeParse(input);
  if (!range.success) return invalid(issuesOf(range.error));
  const { from, to } = range.data;
  if (from > to) return invalid([{ path: 'from', message: 'from must not be after to' }]);
  return { from, to };
}

/**
 * Every execution that ended (or, still running, started) between `from` and `to` (inclusive days, UTC), once:
 * archived ones from the archive, the others live from Step Functions. `events` reads its history when asked.
 */
async function eachExecutionInRange(
  ports: HistoryPorts,
  { from, to }: { from: string; to: string },
  visit: (onboardingId: string, executionArn: string, events: () => Promise<HistoryEvent[]>) => Promise<void>,
): Promise<number> {
  const done = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await ports.archive.list({ from, to, limit: 100, ...(cursor ? { cursor } : {}) });
    for (const entry of page.items) {
      const archived = await ports.archive.get(entry.key);
      if (!archived || done.has(archived.execution.executionArn)) continue;
      done.add(archived.execution.executionArn);
      await visit(archived.onboardingId, archived.execution.executionArn, async () => archived.events);
    }
    cursor = page.nextCursor;
  } while (cursor);

  let nextToken: string | undefined;
  do {
    const page = await ports.history.listExecutions({ maxResults: 100, ...(nextToken ? { nextToken } : {}) });
    for (const e of page.executions) {
      const day = (e.stopDate ?? e.startDate).slice(0, 10);
      if (day < from || day > to || done.has(e.executionArn)) continue;
      done.add(e.executionArn);
      await visit(e.name, e.executionArn, () => readLiveHistory(ports, e.executionArn));
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return done.size;
}

/** Raw execution events of every execution in the range (see eachExecutionInRange). */
export async function exportHistories(
  ports: HistoryPorts,
  input: { from: unknown; to: unknown },
): Promise<ExportResult> {
  const range = rangeOf(input);
  if ('ok' in range) return range;
  const rows: AuditRow[] = [];
  const executions = await eachExecutionInRange(ports, range, async (onboardingId, arn, events) => {
    rows.push(...auditRows(onboardingId, arn, await events()));
  });
  return { ok: true, executions, rows };
}

/** Who did what (the readable timeline) of every onboarding with an execution in the range, oldest first. */
export async function exportTimelines(
  ports: HistoryPorts,
  input: { from: unknown; to: unknown },
): Promise<TimelineExportResult> {
  const range = rangeOf(input);
  if ('ok' in range) return range;
  const ids = new Set<string>();
  await eachExecutionInRange(ports, range, async (onboardingId) => {
    ids.add(onboardingId);
  });
  const entries: TimelineEntry[] = [];
  for (const id of ids) entries.push(...(await ports.onboardings.timeline(id)));
  entries.sort((a, b) => a.at.localeCompare(b.at) || a.onboardingId.localeCompare(b.onboardingId));
  return { ok: true, onboardings: ids.size, entries: withoutStackTraces(entries) };
}

export const ArchiveHistoryInput = z.object({
  executionArn: z.string().startsWith('arn:', 'executionArn must be an ARN'),
});

export type ArchiveResult =
  | { ok: true; key: string; events: number; onboardingId: string }
  | { ok: false; error: 'not-found' | 'still-running' };

/** The archive-history task: a terminal execution's whole history, stored for audit beyond 90 days. */
export async function archiveHistory(
  ports: Pick<Ports, 'onboardings' | 'history' | 'archive' | 'clock' | 'log'>,
  input: { executionArn: string },
): Promise<ArchiveResult> {
  const { executionArn } = ArchiveHistoryInput.parse(input);
  const execution = await ports.history.describeExecution(executionArn);
  if (!execution) return { ok: false, error: 'not-found' };
  if (execution.status === 'RUNNING' || execution.status === 'PENDING_REDRIVE')
    return { ok: false, error: 'still-running' };
  const onboardingId = execution.name;
  const events = await readLiveHistory(ports, executionArn);
  const archivedAt = nowIso(ports);
  const history: ArchivedHistory = { onboardingId, execution, archivedAt, events };
  const { key } = await ports.archive.put(history);
  const archive = { key, at: archivedAt, events: events.length };
  if (await ports.onboardings.get(onboardingId)) {
    await updateOnboarding(ports, onboardingId, (o) => ({ ...o, archive }));
    await note(
      ports,
      onboardingId,
      SYSTEM('archive-history'),
      (await ports.onboardings.get(onboardingId))?.stage ?? 'Closed',
      'history-archived',
      said('history-archived', { events: events.length }),
      {
        key,
        status: execution.status,
      },
    );
  } else {
    ports.log.warn('archived an execution without an onboarding record', { executionArn });
  }
  return { ok: true, key, events: events.length, onboardingId };
}
