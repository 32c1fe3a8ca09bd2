/**
 * Wire conventions of the AWS protocols the simulator speaks: REST-JSON (Catalog API) and JSON 1.0/1.1
 * (`X-Amz-Target` RPC: Metering, Entitlement, Agreement). Errors carry `x-amzn-ErrorType` and a JSON body the
 * SDK's deserializers read (`__type` + `message` for RPC, the modelled members for REST-JSON).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A modelled service error: HTTP status, error type (shape name) and message, plus modelled members. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly members: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = type;
  }
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new ApiError(413, 'RequestEntityTooLargeException', 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function parseJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApiError(400, 'SerializationException', 'Request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError(400, 'SerializationException', 'Request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** JSON 1.x timestamps are epoch seconds; this turns ISO strings into them. */
export const epochSeconds = (iso: string | undefined): number | undefined =>
  iso === undefined ? undefined : Date.parse(iso) / 1000;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(text);
}

/** JSON 1.0/1.1 error: `{"__type": "<Type>", "message": "..."}` plus modelled members. */
export function sendRpcError(res: ServerResponse, err: ApiError, contentType: string): void {
  sendJson(res, err.status, { __type: err.type, message: err.message, ...err.members }, contentType, {
    'x-amzn-errortype': err.type,
  });
}

/** REST-JSON error (Catalog API): members are PascalCase, the message is `Message`. */
export function sendRestError(res: ServerResponse, err: ApiError): void {
  sendJson(res, err.status, { Message: err.message, ...err.members }, 'application/json', {
    'x-amzn-errortype': err.type,
  });
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, 'content-length': 0 });
  res.end();
}
