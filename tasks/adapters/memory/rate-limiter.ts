/** The RateLimiter port in memory (tests, the in-memory stack): the same fixed windows as the DynamoDB adapter. */
import { type RateLimit, type RateLimiter, type RateVerdict, windowOf } from '../../ports/rate-limiter.js';

export class MemoryRateLimiter implements RateLimiter {
  readonly counts = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  private key(limit: RateLimit, subject: string, start: number) {
    return `${limit.scope}#${subject.trim().toLowerCase()}#${start}`;
  }

  async hit(limit: RateLimit, subject: string): Promise<RateVerdict> {
    const w = windowOf(limit, this.now());
    const key = this.key(limit, subject, w.start);
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return { allowed: count <= limit.limit, count, retryAfterSeconds: w.retryAfterSeconds };
  }

  async peek(limit: RateLimit, subject: string): Promise<RateVerdict> {
    const w = windowOf(limit, this.now());
    const count = this.counts.get(this.key(limit, subject, w.start)) ?? 0;
    return { allowed: count <= limit.limit, count, retryAfterSeconds: w.retryAfterSeconds };
  }
}
