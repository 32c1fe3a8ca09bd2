import type { RateLimitOverrides } from '../domain/rate-limits.js';

/** Settings the use cases need (from env in AWS/local: see tasks/adapters/aws/env.ts). */
export interface TasksConfig {
  /** Support team mailbox: stage timeouts, failures, closures, StageTimedOut tasks. */
  supportEmail: string;
  /** Sales team mailbox: Consultation, OfferFailed, OfferExpired tasks. Defaults to supportEmail. */
  salesEmail: string;
  /** Base URL of the web app (console links in staff e-mails). */
  webBaseUrl: string;
  /**
   * Where a buyer opens a private offer. `{offerId}` and `{productId}` are replaced; without placeholders
   * `?productId=…&offerId=…` is appended (AWS: https://aws.amazon.com/marketplace/pp/procurement).
   */
  offerUrlBase: string;
  /** Marketplace Catalog product id (prod-…) the offers are made for. */
  productId: string;
  /** Marketplace product code (Metering/Entitlement). */
  productCode: string;
  /** Changes to the public forms' limits (tasks/domain/rate-limits.ts), from env RATE_LIMITS. */
  rateLimits?: RateLimitOverrides;
  /**
   * Hours an ended agreement's paid plan stays before it is ended (a renewal arriving meanwhile keeps it), from env
   * PLAN_END_GRACE_HOURS. 0 (default): ended at once.
   */
  planEndGraceHours?: number;
}

export function consoleUrl(config: Pick<TasksConfig, 'webBaseUrl'>, onboardingId: string): string {
  return `${config.webBaseUrl.replace(/\/+$/, '')}/console/onboardings/${encodeURIComponent(onboardingId)}`;
}

/** The deal view of an onboarding's customer: where the deal's steps (Renewal, AdvisoryReview) are done. */
export function dealUrl(config: Pick<TasksConfig, 'webBaseUrl'>, onboardingId: string): string {
  return `${config.webBaseUrl.replace(/\/+$/, '')}/console/deal/${encodeURIComponent(onboardingId)}`;
}

export function offerUrl(config: Pick<TasksConfig, 'offerUrlBase' | 'productId'>, offerId: string): string {
  const base = config.offerUrlBase;
  if (base.includes('{offerId}')) {
    return base
      .replaceAll('{offerId}', encodeURIComponent(offerId))
      .replaceAll('{productId}', encodeURIComponent(config.productId));
  }
  const sep = base.includes('?') ? '&' : '?';
  return `${base}${sep}productId=${encodeURIComponent(config.productId)}&offerId=${encodeURIComponent(offerId)}`;
}
