/**
 * Whether an error from an AWS SDK call means the service throttled the caller (HTTP 429, a throttling error code,
 * or the model's retryable-throttling trait), after the SDK's own retries gave up: the SDK's own classification.
 */
import { isThrottlingError } from '@smithy/core/retry';

export function isThrottled(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return isThrottlingError(err as Parameters<typeof isThrottlingError>[0]);
}
