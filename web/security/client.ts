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
  const address =
    env?.requestContext?.http?.sourceIp ??
    env?.event?.requestContext?.http?.sourceIp ??
    env?.incoming?.socket?.remoteAddress;
  return address ? clientKey(address) : undefined;
}

/**
 * The part of an address that names one client: IPv4 as it is (an IPv4-mapped IPv6 address as its IPv4), IPv6 by
 * its /64 prefix, since one subscriber usually holds a whole /64 and could otherwise change address per request.
 */
export function clientKey(address: string): string {
  const a = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped?.[1]) return mapped[1];
  if (!a.includes(':')) return a;
  const [head = '', tail = ''] = a.split('%')[0]?.split('::') ?? [];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = a.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => (g === '' ? '0' : g.replace(/^0+(?=.)/, '')))
    .join(':')}::/64`;
}
