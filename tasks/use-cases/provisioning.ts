/**
 * How the use cases read a provisioning outcome (tasks/ports/provisioning.ts): done and already-done give the
 * value (and whether it happened now); a refusal or an unavailable vendor becomes the named error the workflow
 * acts on (`Onboarding.ProvisioningRefused` goes to support; `Onboarding.ProvisioningUnavailable` is retried with
 * backoff with the same idempotency key, then escalated).
 */
import { ProvisioningRefusedError, ProvisioningUnavailableError } from '../domain/errors.js';
import type { ProvisioningOperation, ProvisioningOutcome } from '../ports/provisioning.js';

export function provisioned<T>(
  operation: ProvisioningOperation,
  outcome: ProvisioningOutcome<T>,
): { value: T; happenedNow: boolean } {
  switch (outcome.outcome) {
    case 'done':
      return { value: outcome.value, happenedNow: true };
    case 'already-done':
      return { value: outcome.value, happenedNow: false };
    case 'refused':
      throw new ProvisioningRefusedError(operation, outcome.reason, outcome.detail);
    case 'unavailable':
      throw new ProvisioningUnavailableError(operation, outcome.reason, outcome.detail);
  }
}
