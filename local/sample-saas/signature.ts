/**
 * The sample SaaS checks the onboarding's signature exactly as docs/vendor-saas.md tells a vendor to (the reference
 * check, typed): HMAC-SHA256 over `<timestamp>.<raw body>`, any of the comma-separated `v1=` values, 300 s skew.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_SKEW_SECONDS = 300;

export function verifyOnboardingSignature(
  secret: string,
  headers: { signature?: string | undefined; timestamp?: string | undefined },
  rawBody: string,
  nowMs: number,
): boolean {
  const timestamp = headers.timestamp ?? '';
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS)
    return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  return (headers.signature ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('v1='))
    .map((s) => Buffer.from(s.slice(3), 'hex'))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}
