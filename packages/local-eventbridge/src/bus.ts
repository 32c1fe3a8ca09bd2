/**
 * A local EventBridge: honours a set of rules (typically `rulesFromTemplate(synthesizedTemplate)`), accepts
 * events over the EventBridge JSON 1.1 protocol (`AWSEvents.PutEvents`, so `@aws-sdk/client-eventbridge` works
 * with an endpoint override) or in-process, and delivers each matching event to every target of every
 * matching rule through the `deliver` callback.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DeliveryFailure, type DeliveryLogger, DeliveryQueue } from './delivery.js';
import { targetPayload, validateTargetInput } from './input.js';
import { memoryDeliveryStore, type OwedDelivery, sqliteDeliveryStore } from './outbox.js';
import { compileEventPattern, type EventMatcher } from './pattern.js';
import {
  type BusEvent,
  buildEvent,
  type PutEventsEntry,
  type PutEventsResult,
  type PutEventsResultEntry,
} from './put-events.js';
import type { LocalRule, LocalRuleTarget } from './template.js';

export interface DeliveryContext {
  readonly ruleName: string;
  readonly targetId: string;
  readonly logicalId?: string;
  /** The full event (the payload differs when the target has Input/InputPath/InputTransformer). */
  readonly event: BusEvent;
}

export interface StartLocalEventBusOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  readonly rules: readonly LocalRule[];
  readonly deliver: (targetArn: string, payload: unknown, context: DeliveryContext) => Promise<void>;
  /** The `account` of the events built. @default '000000000000' */
  readonly accountId?: string;
  /** The `region` of the events built. @default 'us-east-1' */
  readonly region?: string;
  /** Bus names accepted besides `default` and those the rules name. */
  readonly eventBusNames?: readonly string[];
  /** Retries after a failed delivery when the target has no RetryPolicy. @default 3 */
  readonly retryAttempts?: number;
  /** First retry delay, doubled each time (capped at 5 s). @default 100 */
  readonly retryBaseDelayMs?: number;
  readonly logger?: DeliveryLogger;
  /**
   * A folder to keep the deliveries owed in (SQLite, written before PutEvents answers): a bus started again on it
   * delivers what an earlier process accepted and had not delivered, as EventBridge would after a crash of ours.
   * @default - kept in memory only
   */
  readonly dataDir?: string;
}

export interface LocalEventBus {
  readonly url: string;
  readonly port: number;
  putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResult>;
  /** Every event accepted, oldest first. */
  readonly events: readonly BusEvent[];
  /**
   * Delivers an accepted event once more to every matching target, with the same event id (EventBridge delivers
   * at least once: handlers must absorb duplicates). Returns the number of deliveries scheduled.
   */
  redeliver(eventId: string): number;
  readonly failures: readonly DeliveryFailure[];
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface CompiledRule {
  readonly rule: LocalRule;
  readonly busName: string;
  readonly matches: EventMatcher;
  readonly arn: string;
}

const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

export async function startLocalEventBus(options: StartLocalEventBusOptions): Promise<LocalEventBus> {
  const account = options.accountId ?? '000000000000';
  const region = options.region ?? 'us-east-1';
  const logger: DeliveryLogger = options.logger ?? {
    error: (m, d) => console.error(`[events] ${m}`, d ?? ''),
    warn: (m, d) => console.warn(`[events] ${m}`, d ?? ''),
  };
  const compiled = options.rules.map((rule) => compileRule(rule, account, region));
  const knownBuses = new Set([
    'default',
    ...(options.eventBusNames ?? []),
    ...compiled.map((c) => c.busName),
  ]);
  const queue = new DeliveryQueue(logger, options.retryBaseDelayMs ?? 100);
  const store = options.dataDir ? sqliteDeliveryStore(options.dataDir) : memoryDeliveryStore();
  const events: BusEvent[] = [];
  const busOf = new Map<string, string>();

  /** The deliveries an accepted event owes: one per target of every enabled rule of its bus that matches it. */
  const owedFor = (busName: string, event: BusEvent, acceptedAt: number): OwedDelivery[] =>
    compiled
      .filter((c) => c.rule.state !== 'DISABLED' && c.busName === busName && c.matches(event))
      .flatMap((c) =>
        c.rule.targets.map((target) => ({
          id: randomUUID(),
          ruleName: c.rule.name,
          targetId: target.id,
          busName,
          event,
          acceptedAt,
        })),
      );

  const schedule = (owed: OwedDelivery): boolean => {
    const c = compiled.find((x) => x.rule.name === owed.ruleName && x.busName === owed.busName);
    const target = c?.rule.targets.find((t) => t.id === owed.targetId);
    if (!c || !target) {
      logger.warn('an owed delivery names a rule or target the bus no longer has; dropped', {
        ruleName: owed.ruleName,
        targetId: owed.targetId,
        eventId: owed.event.id,
      });
      store.settle(owed.id);
      return false;
    }
    const { event } = owed;
    const payload = targetPayload(target, event as unknown as Record<string, unknown>, {
      ruleName: c.rule.name,
      ruleArn: c.arn,
    });
    queue.schedule({
      ruleName: c.rule.name,
      targetId: target.id,
      targetArn: target.arn,
      eventId: event.id,
      maxAttempts: 1 + (target.retryPolicy?.maximumRetryAttempts ?? options.retryAttempts ?? 3),
      maxAgeMs: (target.retryPolicy?.maximumEventAgeInSeconds ?? 86_400) * 1000,
      startedAt: owed.acceptedAt,
      settle: () => store.settle(owed.id),
      run: () =>
        options.deliver(target.arn, structuredClone(payload), {
          ruleName: c.rule.name,
          targetId: target.id,
          ...(target.logicalId !== undefined && { logicalId: target.logicalId }),
          event: structuredClone(event),
        }),
    });
    return true;
  };

  /** Keeps what is owed first, then starts delivering it (the caller answers only after it is kept). */
  const owe = (owed: readonly OwedDelivery[]): number => {
    store.owe(owed);
    return owed.filter(schedule).length;
  };

  const putEvents = async (entries: readonly PutEventsEntry[]): Promise<PutEventsResult> => {
    const now = new Date();
    const owed: OwedDelivery[] = [];
    const results: PutEventsResultEntry[] = entries.map((entry) => {
      const built = buildEvent(entry, { account, region, knownBuses, now });
      if ('error' in built) return built.error;
      events.push(built.ok.event);
      busOf.set(built.ok.event.id, built.ok.busName);
      owed.push(...owedFor(built.ok.busName, built.ok.event, now.getTime()));
      return { EventId: built.ok.event.id };
    });
    owe(owed);
    return { FailedEntryCount: results.filter((r) => r.ErrorCode !== undefined).length, Entries: results };
  };

  // what an earlier process accepted and did not deliver
  for (const owed of store.owed()) schedule(owed);

  const server = createServer((req, res) => {
    handleHttp(req, res, putEvents).catch((err: unknown) => {
      logger.error('request failed', { error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) sendError(res, 500, 'InternalException', 'Internal error');
    });
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    putEvents,
    events,
    redeliver: (eventId) => {
      const event = events.find((e) => e.id === eventId);
      const busName = busOf.get(eventId);
      if (!event || busName === undefined) throw new Error(`No event ${eventId} was accepted by this bus.`);
      return owe(owedFor(busName, event, Date.now()));
    },
    failures: queue.failures,
    idle: () => queue.idle(),
    close: async () => {
      await closeServer(server);
      await queue.close(); // retries waiting for their turn stay owed: the next start delivers them
      store.close();
    },
  };
}

function compileRule(rule: LocalRule, account: string, region: string): CompiledRule {
  const where = `rule ${rule.name}`;
  let matches: EventMatcher;
  try {
    matches = compileEventPattern(rule.eventPattern);
  } catch (err) {
    throw new Error(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
  rule.targets.forEach((t: LocalRuleTarget) => {
    validateTargetInput(t, `${where} target ${t.id}`);
  });
  const busName = rule.eventBusName ?? 'default';
  const busPart = busName === 'default' ? '' : `${busName}/`;
  return { rule, busName, matches, arn: `arn:aws:events:${region}:${account}:rule/${busPart}${rule.name}` };
}

async function handleHttp(
  req: IncomingMessage,
  res: ServerResponse,
  putEvents: (entries: readonly PutEventsEntry[]) => Promise<PutEventsResult>,
): Promise<void> {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (req.method !== 'POST' || !target.startsWith('AWSEvents.')) {
    return sendError(
      res,
      400,
      'UnknownOperationException',
      'Send AWSEvents.<Operation> requests (JSON 1.1).',
    );
  }
  const operation = target.slice('AWSEvents.'.length);
  if (operation !== 'PutEvents') {
    return sendError(
      res,
      400,
      'UnknownOperationException',
      `The local event bus does not support ${operation}.`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) {
      return sendError(
        res,
        413,
        'ValidationException',
        'Total size of the entries in the request is over the limit.',
      );
    }
    chunks.push(chunk as Buffer);
  }
  let body: { Entries?: unknown };
  try {
    body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
  } catch {
    return sendError(res, 400, 'SerializationException', 'The request body is not valid JSON.');
  }
  const entries = body.Entries;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
    return sendError(
      res,
      400,
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
    );
  }
  const result = await putEvents(entries as PutEventsEntry[]);
  res.writeHead(200, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': crypto.randomUUID(),
  });
  res.end(JSON.stringify(result));
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-errortype': type,
    'x-amzn-requestid': crypto.randomUUID(),
  });
  res.end(JSON.stringify({ __type: type, message }));
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
