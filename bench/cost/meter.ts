/**
 * Counts what the application asks of the local services, in this process, at the HTTP level (`http.request`, which
 * the SDK's HTTP handler looks up when a client first sends, is wrapped while the meter runs: construct the meter
 * before the stack so that every client gets the wrapper): requests per service and operation, DynamoDB capacity units as dynalite computes them
 * from item sizes (every DynamoDB request is sent with ReturnConsumedCapacity=INDEXES and the answer read), the
 * index writes of each written item, SES recipients; and the web function's invocations and durations (requests to
 * the web port, `http.server.request.start` to `http.server.response.finish`). Requests made inside `asDriver` (the
 * bench playing buyers and staff: polling Step Functions history, reading the inbox) are not counted.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import http, { type ClientRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { ONBOARDING_TABLE } from '../../tasks/table.js';

const require = createRequire(import.meta.url);
/** dynalite's own capacity rule (DynamoDB's item size rules: 1 KB per write unit, 4 KB per read unit). */
const { capacityUnits } = require('dynalite/db/index.js') as {
  capacityUnits: (item: Record<string, unknown>, isRead: boolean, consistent?: boolean) => number;
};

const driver = new AsyncLocalStorage<true>();
/** Runs `work` as the bench's people: the requests it makes are not the application's and are not counted. */
export const asDriver = <T>(work: () => Promise<T>): Promise<T> => driver.run(true, work);

export interface MeterReading {
  /** `service operation` → requests. */
  readonly requests: Record<string, number>;
  readonly readUnits: number;
  readonly writeUnits: number;
  /** Of writeUnits: the global secondary index entries written. */
  readonly indexWriteUnits: number;
  readonly sesRecipients: number;
  readonly webInvocations: number;
  readonly webMs: number;
}

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const ALL_PROJECTED = new Set(
  ONBOARDING_TABLE.indexes.filter((i) => !('include' in i)).map((i) => i.partitionKey as string),
);

export class Meter {
  private readonly requests = new Map<string, number>();
  private readUnits = 0;
  private writeUnits = 0;
  private indexWriteUnits = 0;
  private sesRecipients = 0;
  private webInvocations = 0;
  private webMs = 0;
  private readonly webStarts = new WeakMap<ServerResponse, number>();
  private readonly onServerStart = (message: unknown) => {
    const { response, server } = message as { response: ServerResponse; server: Server };
    if (this.portOf(server) !== this.webPort) return;
    this.webStarts.set(response, performance.now());
  };
  private readonly onServerFinish = (message: unknown) => {
    const { response } = message as { response: ServerResponse };
    const started = this.webStarts.get(response);
    if (started === undefined) return;
    this.webInvocations += 1;
    this.webMs += Math.ceil(performance.now() - started); // Lambda bills duration rounded up to the millisecond
  };

  private readonly originalRequest = http.request;
  /** port → service name of the local endpoints, and the web app's port: set once the stack listens. */
  private services = new Map<number, string>();
  private webPort = -1;

  constructor() {
    const original = this.originalRequest;
    http.request = ((...args: Parameters<typeof http.request>) => {
      const request = original(...args);
      this.clientRequest(request);
      return request;
    }) as typeof http.request;
    diagnostics.subscribe('http.server.request.start', this.onServerStart);
    diagnostics.subscribe('http.server.response.finish', this.onServerFinish);
  }

  stop(): void {
    http.request = this.originalRequest;
    diagnostics.unsubscribe('http.server.request.start', this.onServerStart);
    diagnostics.unsubscribe('http.server.response.finish', this.onServerFinish);
  }

  /** What to count: the local endpoints (port → service) and the web app's port. */
  watch(services: ReadonlyMap<number, string>, webPort: number): void {
    this.services = new Map(services);
    this.webPort = webPort;
  }

  read(): MeterReading {
    return {
      requests: Object.fromEntries(this.requests),
      readUnits: this.readUnits,
      writeUnits: this.writeUnits,
      indexWriteUnits: this.indexWriteUnits,
      sesRecipients: this.sesRecipients,
      webInvocations: this.webInvocations,
      webMs: this.webMs,
    };
  }

  private portOf(server: Server): number | undefined {
    const address = server.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  private clientRequest(request: ClientRequest): void {
    if (driver.getStore()) return;
    const port = Number(String(request.getHeader('host') ?? '').split(':')[1]);
    const service = this.services.get(port);
    if (!service) return;
    const target = String(request.getHeader('x-amz-target') ?? '');
    const operation = target
      ? (target.split('.').pop() ?? target)
      : `${request.method} ${pathOf(request.path, service)}`;
    const key = `${service} ${operation}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    if (service === 'dynamodb') this.meterDynamo(request, operation);
    else if (service === 'ses' && request.method === 'POST') this.meterSes(request);
  }

  /** Asks dynalite for the consumed capacity (it computes it from the item sizes) and adds the index writes. */
  private meterDynamo(request: ClientRequest, operation: string): void {
    withBody(request, (body) => {
      const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      if (operation === 'PutItem') this.indexWrites(input.Item as Record<string, unknown> | undefined);
      if (operation === 'BatchWriteItem') {
        for (const writes of Object.values(
          (input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Record<string, unknown> } }[]>,
        ))
          for (const w of writes) this.indexWrites(w.PutRequest?.Item);
      }
      return Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: 'INDEXES' }));
    });
    withResponseBody(request, (body) => {
      const output = JSON.parse(body.toString('utf8') || '{}') as { ConsumedCapacity?: unknown };
      const consumed = [output.ConsumedCapacity].flat().filter(Boolean) as { CapacityUnits?: number }[];
      const units = consumed.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      if (READS.has(operation)) this.readUnits += units;
      else this.writeUnits += units;
    });
  }

  /** One index entry per global secondary index the written item is in: its projected size, 1 KB per unit. */
  private indexWrites(item: Record<string, unknown> | undefined): void {
    if (!item) return;
    for (const index of ONBOARDING_TABLE.indexes) {
      if (!(index.partitionKey in item) || !(index.sortKey in item)) continue;
      const units = ALL_PROJECTED.has(index.partitionKey) ? capacityUnits(item, false) : 1;
      this.indexWriteUnits += units;
      this.writeUnits += units;
    }
  }

  private meterSes(request: ClientRequest): void {
    withBody(request, (body) => {
      const text = body.toString('utf8');
      try {
        const input = JSON.parse(text) as { Destination?: Record<string, string[] | undefined> };
        const d = input.Destination ?? {};
        this.sesRecipients +=
          [d.ToAddresses, d.CcAddresses, d.BccAddresses].flat().filter(Boolean).length || 1;
      } catch {
        this.sesRecipients += 1; // a form-encoded (v1) or raw message: one message
      }
      return undefined;
    });
  }
}

/** The path without ids: `/v2/email/outbound-emails`, S3 keys collapsed to the bucket. */
function pathOf(path: string, service: string): string {
  const bare = path.split('?')[0] ?? path;
  if (service === 's3') return `/${bare.split('/')[1] ?? ''}/…`;
  return bare;
}

/** Sees (and may replace) the request body the SDK sends in one `end(body)` call, before the headers go out. */
function withBody(request: ClientRequest, inspect: (body: Buffer) => Buffer | undefined): void {
  const end = request.end.bind(request) as (...args: unknown[]) => ClientRequest;
  request.end = ((...args: unknown[]) => {
    const [chunk] = args;
    if (chunk && typeof chunk !== 'function' && !request.headersSent) {
      const body = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string | Uint8Array);
      const replaced = inspect(body);
      if (replaced) {
        request.setHeader('content-length', replaced.length);
        return end(replaced, ...args.slice(1).filter((a) => typeof a === 'function'));
      }
    }
    return end(...args);
  }) as typeof request.end;
}

/** Reads the response body as it streams to the SDK, without consuming it. */
function withResponseBody(request: ClientRequest, done: (body: Buffer) => void): void {
  request.prependListener('response', (response: IncomingMessage) => {
    const chunks: Buffer[] = [];
    const push = response.push.bind(response);
    response.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (chunk === null) {
        try {
          done(Buffer.concat(chunks));
        } catch {
          // not JSON: nothing to count
        }
      } else if (chunk) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
      return push(chunk, encoding);
    };
  });
}
