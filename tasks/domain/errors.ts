/**
 * Named domain errors. Entities guard their invariants and throw these; use cases turn the expected ones into
 * results, handlers turn `workflowError` into the error name Step Functions sees.
 */
import { WORKFLOW_ERRORS } from '../../workflows/contracts/workflow-errors.js';

export abstract class DomainError extends Error {
  /** When set, a task handler rethrows this error under that name so the workflow can catch it. */
  readonly workflowError?: string;
  /** An expected failure that heals itself when delivered again (logged as a warning, not an error). */
  readonly retriedByDesign?: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // each subclass names itself (override readonly name): bundles are minified without keepNames
    this.name = 'DomainError';
  }
}

export class StageTransitionError extends DomainError {
  override readonly name = 'StageTransitionError';
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`an onboarding at stage ${from} cannot move to ${to}`);
  }
}

export class SubscriptionNotConfirmedError extends DomainError {
  override readonly name = 'SubscriptionNotConfirmedError';
  override readonly workflowError = WORKFLOW_ERRORS.subscriptionNotConfirmed;
  constructor(onboardingId: string, detail: string) {
    super(`onboarding ${onboardingId}: the subscription is not confirmed yet (${detail})`);
  }
}

export class SubscriptionFailedError extends DomainError {
  override readonly name = 'SubscriptionFailedError';
  override readonly workflowError = WORKFLOW_ERRORS.subscriptionFailed;
  constructor(onboardingId: string, detail: string) {
    super(`onboarding ${onboardingId}: the subscription failed or ended (${detail})`);
  }
}

export class OnboardingNotFoundError extends DomainError {
  override readonly name = 'OnboardingNotFoundError';
  constructor(readonly onboardingId: string) {
    super(`onboarding ${onboardingId} does not exist`);
  }
}

export class AccountNotFoundError extends DomainError {
  override readonly name = 'AccountNotFoundError';
  constructor(readonly accountId: string) {
    super(`account ${accountId} does not exist`);
  }
}

export class InvalidTaskInputError extends DomainError {
  override readonly name = 'InvalidTaskInputError';
  constructor(
    readonly task: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(`${task}: invalid input: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  }
}

/**
 * Optimistic concurrency: someone else saved the same record in between. Use cases retry a few times; a task that
 * still loses reaches the workflow as `Onboarding.ConcurrentUpdate`, which it retries with jittered backoff.
 */
export class ConcurrentUpdateError extends DomainError {
  override readonly name = 'ConcurrentUpdateError';
  override readonly workflowError = WORKFLOW_ERRORS.concurrentUpdate;
  constructor(readonly key: string) {
    super(`${key} was changed concurrently`);
  }
}

/**
 * The vendor's SaaS did not answer a provisioning call (timeout, 5xx, throttled, network, bad answer, a secret it
 * did not accept). The call is idempotent by key, so the workflow retries it with backoff, then escalates.
 */
export class ProvisioningUnavailableError extends DomainError {
  override readonly name = 'ProvisioningUnavailableError';
  override readonly workflowError = WORKFLOW_ERRORS.provisioningUnavailable;
  constructor(
    readonly operation: string,
    readonly reason: string,
    detail: string,
  ) {
    super(`the vendor's SaaS is unavailable for ${operation} (${reason}): ${detail}`);
  }
}

/** The vendor's SaaS refused a provisioning call that no buyer can fix (support decides). */
export class ProvisioningRefusedError extends DomainError {
  override readonly name = 'ProvisioningRefusedError';
  override readonly workflowError = WORKFLOW_ERRORS.provisioningRefused;
  constructor(
    readonly operation: string,
    readonly reason: string,
    detail?: string,
  ) {
    super(`the vendor's SaaS refused ${operation} (${reason})${detail ? `: ${detail}` : ''}`);
  }
}

/**
 * An advisory's Resolved came while none of the agreement's advisories was open: AWS names no advisory in these
 * events, so it may have overtaken its Issued. Thrown (not recorded) while the event is fresh, so the delivery is
 * retried (Lambda's asynchronous retries; the local bus's) once the Issued is recorded.
 */
export class AdvisoryNotIssuedYetError extends DomainError {
  override readonly name = 'AdvisoryNotIssuedYetError';
  override readonly retriedByDesign = true;
  constructor(
    readonly agreementId: string,
    readonly eventId: string,
  ) {
    super(
      `agreement ${agreementId}: an advisory's Resolved (event ${eventId}) came before any open advisory; retried`,
    );
  }
}
