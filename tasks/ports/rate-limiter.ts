/**
 * Per-client limits on what anyone on the internet can do (issue 10): the inquiry form, which mails an address it
 * cannot verify, and the buyer's sign-in, which checks passwords. Fixed windows counted in a shared store (DynamoDB
 * in AWS, so every Lambda container sees the same count), keyed by a digest of the subject (a client address, an
 * e-mail), never the subject itself.
 */
import type { RateLimit } from '../domain/rate-limits.js';

export { type RateLimit, windowOf } from '../domain/rate-limits.js';

export interface RateVerdict {
  readonly allowed: boolean;
  /** Hits in the current window, this one included (for `hit`). */
  readonly count: number;
  /** Seconds until the window ends (what Retry-After says when not allowed). */
  readonly retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts one hit of `subject` in the current window of `limit`; allowed while the count is within the limit. */
  hit(limit: RateLimit, subject: string): Promise<RateVerdict>;
  /** The current window's count without adding a hit (is the sign-in locked out?). */
  peek(limit: RateLimit, subject: string): Promise<RateVerdict>;
}
