/**
 * The workflow's one retry policy for transient failures of its tasks, the errors that mean "try again":
 * - Lambda's service errors and throttling: 6 attempts from 2 s, doubling; a function that died mid-run: 3 attempts;
 * - `IdempotencyAlreadyInProgressError` (Powertools): the same invocation is marked in progress, by a run still going
 *   or by one that died (a crash, a timeout). The mark lapses at that run's deadline, so the retry waits longer than
 *   the function's timeout; then either the first run's result is returned or the task runs again;
 * - `Onboarding.ConcurrentUpdate`: a record kept changing under the task (it retries a few times itself); jittered
 *   backoff so racing writers spread out;
 * - `Onboarding.ProvisioningUnavailable`: the vendor's SaaS did not answer; jittered backoff (same idempotency key);
 * - `Onboarding.Throttled`: an AWS service throttled the task beyond the SDK's own retries; jittered backoff.
 * Every Lambda task and every human-stage fragment takes it from here (CDK's built-in service-error retry is switched
 * off, it is the first entry). Application errors that a retry can clear go in this list too.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { WORKFLOW_ERRORS } from './contracts/workflow-errors.js';

const BACKOFF = { interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2 } as const;

/** What a Lambda function's timeout is when its catalog entry gives none (workflows/contracts/functions.ts). */
export const DEFAULT_FUNCTION_TIMEOUT = Duration.seconds(10);

/** The policy for a task whose function times out after `functionTimeout`, in the order Step Functions tries it. */
export function transientRetries(functionTimeout: Duration = DEFAULT_FUNCTION_TIMEOUT): sfn.RetryProps[] {
  const timeoutSeconds = functionTimeout.toSeconds();
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 900) {
    throw new Error(
      `transientRetries: a Lambda timeout is a whole number of seconds from 1 to 900, got ${functionTimeout.toHumanString()}`,
    );
  }
  return [
    {
      errors: [
        'Lambda.ClientExecutionTimeoutException',
        'Lambda.ServiceException',
        'Lambda.AWSLambdaException',
        'Lambda.SdkClientException',
      ],
      ...BACKOFF,
    },
    { errors: ['Lambda.TooManyRequestsException'], ...BACKOFF },
    {
      // The function died mid-run (out of memory, its timeout, a crash of its runtime): "Unhandled errors in Lambda
      // are reported as Lambda.Unknown" (Step Functions best practices, "Handle Lambda service exceptions"); newer
      // runtimes report a timeout as Sandbox.Timedout. The functions are idempotent, so the task runs again.
      errors: ['Lambda.Unknown', 'Sandbox.Timedout'],
      interval: Duration.seconds(2),
      maxAttempts: 3,
      backoffRate: 2,
    },
    {
      errors: [WORKFLOW_ERRORS.inProgress],
      // past the deadline of the run that holds the mark (its timeout), whenever within it the retry was caught
      interval: Duration.seconds(timeoutSeconds + 2),
      maxAttempts: 3,
      backoffRate: 1,
    },
    {
      errors: [WORKFLOW_ERRORS.concurrentUpdate],
      interval: Duration.seconds(1),
      maxAttempts: 6,
      backoffRate: 2,
      maxDelay: Duration.seconds(30),
      jitterStrategy: sfn.JitterType.FULL,
    },
    {
      // the vendor's SaaS: the same idempotency key is resent, so a retry never provisions twice; about 6 minutes
      errors: [WORKFLOW_ERRORS.provisioningUnavailable],
      interval: Duration.seconds(5),
      maxAttempts: 6,
      backoffRate: 2,
      maxDelay: Duration.seconds(120),
      jitterStrategy: sfn.JitterType.FULL,
    },
    {
      errors: [WORKFLOW_ERRORS.throttled],
      interval: Duration.seconds(2),
      maxAttempts: 6,
      backoffRate: 2,
      maxDelay: Duration.seconds(60),
      jitterStrategy: sfn.JitterType.FULL,
    },
  ];
}

/** The policy with the default function timeout (the errors each entry matches, for tests and readers). */
export const TRANSIENT_RETRIES: readonly sfn.RetryProps[] = transientRetries();

/**
 * Adds the transient-failure retries to a task (before any retry of its own, so they are tried first).
 * `functionTimeout`: the timeout of the function the task invokes (the in-progress retry waits longer than it).
 */
export function retryTransientFailures(task: sfn.TaskStateBase, functionTimeout?: Duration): void {
  for (const retry of transientRetries(functionTimeout)) task.addRetry(retry);
}
