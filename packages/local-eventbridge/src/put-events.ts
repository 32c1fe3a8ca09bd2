/**
 * PutEvents entries -> full EventBridge events (`version`, `id`, `detail-type`, `source`, `account`, `time`,
 * `region`, `resources`, `detail`), with the per-entry errors EventBridge reports instead of failing the call.
 */
import { randomUUID } from 'node:crypto';

export interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly Resources?: readonly string[];
  /** Epoch seconds on the wire; a Date or ISO text in-process. */
  readonly Time?: number | string | Date;
  readonly EventBusName?: string;
  readonly TraceHeader?: string;
}

export interface PutEventsResultEntry {
  readonly EventId?: string;
  readonly ErrorCode?: string;
  readonly ErrorMessage?: string;
}

export interface PutEventsResult {
  readonly FailedEntryCount: number;
  readonly Entries: PutEventsResultEntry[];
}

export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: Record<string, unknown>;
}

export interface AcceptedEvent {
  readonly busName: string;
  readonly event: BusEvent;
}

/** `2024-08-30T21:36:03Z`: EventBridge event times carry whole seconds. */
export function eventTime(value: PutEventsEntry['Time'], now: Date): string | undefined {
  const date =
    value === undefined
      ? now
      : value instanceof Date
        ? value
        : typeof value === 'number'
          ? new Date(value * 1000)
          : new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** `default`, a bus name, or a bus ARN (`arn:aws:events:<region>:<account>:event-bus/<name>`) -> the name. */
export function busNameOf(value: string | undefined): string {
  if (value === undefined || value === '') return 'default';
  return value.startsWith('arn:') ? (value.split('/').pop() ?? value) : value;
}

export function buildEvent(
  entry: PutEventsEntry,
  ctx: {
    readonly account: string;
    readonly region: string;
    readonly knownBuses: ReadonlySet<string>;
    readonly now: Date;
  },
): { ok: AcceptedEvent } | { error: Required<Omit<PutEventsResultEntry, 'EventId'>> } {
  const missing = (['Source', 'DetailType', 'Detail'] as const).filter(
    (k) => typeof entry[k] !== 'string' || entry[k] === '',
  );
  if (missing.length > 0) {
    return {
      error: {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `Parameter(s) ${missing.join(', ')} could not be validated. They are required.`,
      },
    };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    detail = undefined;
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return { error: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' } };
  }
  const time = eventTime(entry.Time, ctx.now);
  if (time === undefined) {
    return { error: { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Time is not valid.' } };
  }
  const busName = busNameOf(entry.EventBusName);
  if (!ctx.knownBuses.has(busName)) {
    return {
      error: { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` },
    };
  }
  return {
    ok: {
      busName,
      event: {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType as string,
        source: entry.Source as string,
        account: ctx.account,
        time,
        region: ctx.region,
        resources: [...(entry.Resources ?? [])],
        detail: detail as Record<string, unknown>,
      },
    },
  };
}
