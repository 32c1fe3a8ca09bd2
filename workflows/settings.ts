/** The tunable numbers of the onboarding workflow: stage timeouts, offer polling, activation retries. */
import { Duration } from 'aws-cdk-lib';
import { FIXED_TIMEOUT_STAGES, type FixedTimeoutStage, humanStage } from './contracts/index.js';

export type { FixedTimeoutStage } from './contracts/index.js';

/**
 * How long each human stage waits before it times out (then support is told, see StageTimedOut): the registry's
 * `defaultTimeout` of each stage with a fixed one (AwaitAcceptance's follows the offer expiry).
 */
export const DEFAULT_STAGE_TIMEOUTS: Readonly<Record<FixedTimeoutStage, Duration>> = Object.fromEntries(
  FIXED_TIMEOUT_STAGES.map((stage) => {
    const timeout = humanStage(stage).defaultTimeout;
    if (typeof timeout !== 'object') throw new Error(`${stage} has no fixed timeout`);
    return [stage, Duration.days(timeout.days)];
  }),
) as Record<FixedTimeoutStage, Duration>;

export interface OfferPolling {
  /** Wait before the first DescribeChangeSet; doubles after each check. */
  readonly firstWait: Duration;
  /** Longest wait between two checks. */
  readonly maxWait: Duration;
  /** Checks before the change set is given up as failed (→ OfferFailed). */
  readonly maxChecks: number;
}

/** 1, 2, 4, 8, 15, 15 … minutes: about 2.5 hours over 12 checks (offers usually publish within an hour). */
export const DEFAULT_OFFER_POLLING: OfferPolling = {
  firstWait: Duration.minutes(1),
  maxWait: Duration.minutes(15),
  maxChecks: 12,
};

export interface ActivationRetry {
  /** First wait after `Onboarding.SubscriptionNotConfirmed`; doubles after each attempt up to `maxDelay`. */
  readonly interval: Duration;
  readonly maxDelay: Duration;
  /** Retries before support is told (StageTimedOut). */
  readonly maxAttempts: number;
}

/** 30 s, 1, 2, 4, 8, 15, 15, 15 min: about an hour for the agreement to be confirmed. */
export const DEFAULT_ACTIVATION_RETRY: ActivationRetry = {
  interval: Duration.seconds(30),
  maxDelay: Duration.minutes(15),
  maxAttempts: 8,
};

/** After the offer expires, AwaitAcceptance still waits this long for a late agreement event. */
export const DEFAULT_ACCEPTANCE_GRACE = Duration.hours(1);

const wholeSeconds = (what: string, d: Duration, min: number, max: number): number => {
  const s = d.toSeconds({ integral: false });
  if (!Number.isInteger(s) || s < min || s > max) {
    throw new Error(
      `OnboardingWorkflow: ${what} must be ${min} to ${max} whole seconds, got ${d.toHumanString()}`,
    );
  }
  return s;
};

const count = (what: string, n: number, min: number, max: number): number => {
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`OnboardingWorkflow: ${what} must be a whole number from ${min} to ${max}, got ${n}`);
  }
  return n;
};

export function checkOfferPolling(p: OfferPolling): { first: number; max: number; checks: number } {
  const first = wholeSeconds('offerPolling.firstWait', p.firstWait, 1, 3600);
  const max = wholeSeconds('offerPolling.maxWait', p.maxWait, first, 86_400);
  return { first, max, checks: count('offerPolling.maxChecks', p.maxChecks, 1, 200) };
}

export function checkActivationRetry(r: ActivationRetry): ActivationRetry {
  const interval = wholeSeconds('activationRetry.interval', r.interval, 1, 3600);
  wholeSeconds('activationRetry.maxDelay', r.maxDelay, interval, 86_400);
  count('activationRetry.maxAttempts', r.maxAttempts, 0, 50);
  return r;
}

export function checkGrace(grace: Duration): number {
  return wholeSeconds('acceptanceGrace', grace, 0, 7 * 86_400);
}
