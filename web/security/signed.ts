/**
 * Signed, expiring tokens (HMAC-SHA256) for cookies: `<base64url(json)>.<base64url(mac)>`. The purpose is part of
 * the MAC so a buyer session can never be replayed as a staff session (or the other way round).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const b64 = (buf: Buffer): string => buf.toString('base64url');

export function mac(secret: string, purpose: string, data: string): string {
  return b64(createHmac('sha256', secret).update(`${purpose}\n${data}`).digest());
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function randomId(bytes = 18): string {
  return b64(randomBytes(bytes));
}

export function signToken(secret: string, purpose: string, payload: object): string {
  const body = b64(Buffer.from(JSON.stringify(payload)));
  return `${body}.${mac(secret, purpose, body)}`;
}

/** The payload if the token is intact and not expired (`exp`, epoch seconds), else undefined. */
export function verifyToken(
  secret: string,
  purpose: string,
  token: string | undefined,
  nowSeconds: number,
): Record<string, unknown> | undefined {
  if (!token || token.length > 4096) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  const body = token.slice(0, dot);
  if (!safeEqual(token.slice(dot + 1), mac(secret, purpose, body))) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (typeof payload !== 'object' || payload === null) return undefined;
    const exp = (payload as { exp?: unknown }).exp;
    if (typeof exp !== 'number' || exp <= nowSeconds) return undefined;
    return payload as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
