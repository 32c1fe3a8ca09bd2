/**
 * The caller's network address, as the platform saw it, for the per-client limits: API Gateway's
 * `requestContext.http.sourceIp` in Lambda (X-Forwarded-For is not trusted: anyone can send it), the socket's peer
 * address on Node (the local stack). Undefined when neither is known (requests made in-process by tests).
 */
import type { Context } from 'hono';

export function clientAddress(c: Context): string | undefined {
  const env = c.env as
    | {
        requestContext?: { http?: { sourceIp?: string } };
        event?: { requestContext?: { http?: { sourceIp?: string } } };
        incoming?: { socket?: { remoteAddress?: string } };
      }
    | undefined;
  return (
    env?.requestContext?.http?.sourceIp ??
    env?.event?.requestContext?.http?.sourceIp ??
    env?.incoming?.socket?.remoteAddress ??
    undefined
  );
}
