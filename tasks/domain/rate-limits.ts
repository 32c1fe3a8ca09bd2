/**
 * The limits on the public forms (issue 10 items 5 and 7): measured against what a person does (an inquiry or two,
 * a few mistyped passwords) and what an abuser needs (hundreds of mails, thousands of guesses).
 */
import * as z from 'zod';
export interface RateLimit {
  /** What is limited, e.g. `inquiry-address`. */
  readonly scope: string;
  /** Hits allowed per window. */
  readonly limit: number;
  readonly windowSeconds: number;
}

/** The window a moment falls in, and the seconds left in it. */
export function windowOf(limit: RateLimit, nowMs: number): { start: number; retryAfterSeconds: number } {
  const seconds = Math.floor(nowMs / 1000);
  const start = seconds - (seconds % limit.windowSeconds);
  return { start, retryAfterSeconds: Math.max(1, start + limit.windowSeconds - seconds) };
}

export const RATE_LIMITS = {
  /** Inquiries from one client address: 5 per 10 minutes. */
  inquiryPerAddress: { scope: 'inquiry-address', limit: 5, windowSeconds: 600 },
  /** Inquiries naming one e-mail address (mails sent to it): 3 per hour, so the form cannot flood a mailbox. */
  inquiryPerEmail: { scope: 'inquiry-email', limit: 3, windowSeconds: 3600 },
  /** Failed buyer sign-ins for one e-mail: 5 per 15 minutes, then that account is locked out until the window ends. */
  loginFailuresPerEmail: { scope: 'login-email', limit: 5, windowSeconds: 900 },
  /** Failed buyer sign-ins from one client address (guessing across accounts): 20 per 15 minutes. */
  loginFailuresPerAddress: { scope: 'login-address', limit: 20, windowSeconds: 900 },
} as const satisfies Record<string, RateLimit>;

export type RateLimitName = keyof typeof RATE_LIMITS;
/** A deployment's changes to the limits (env RATE_LIMITS, JSON): e.g. `{"inquiryPerAddress":{"limit":20}}`. */
export type RateLimitOverrides = Partial<Record<RateLimitName, { limit?: number; windowSeconds?: number }>>;

const LimitOverride = z
  .object({
    limit: z.number().int().min(1).max(1_000_000).optional(),
    windowSeconds: z.number().int().min(1).max(86_400).optional(),
  })
  .strict();
/** The overrides as a deployment gives them (CDK context `rateLimits`, env RATE_LIMITS): known names only. */
export const RateLimitOverridesSchema = z
  .object(
    Object.fromEntries(
      (Object.keys(RATE_LIMITS) as RateLimitName[]).map((n) => [n, LimitOverride.optional()]),
    ),
  )
  .strict();

/** The limit `name` with the deployment's overrides. */
export function rateLimit(name: RateLimitName, overrides?: RateLimitOverrides): RateLimit {
  return { ...RATE_LIMITS[name], ...overrides?.[name] };
}
