/**
 * The workflow's one retry policy for transient failures of its tasks: Lambda's service errors and throttling, each
 * retried 6 times from 2 s, doubling. Every Lambda task takes it from here (CDK's built-in service-error retry is
 * switched off, it is the first entry). Application errors that a retry can clear go in this list too.
 */
import { Duration } from 'aws-cdk-lib';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';

const BACKOFF = { interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2 } as const;

export const TRANSIENT_RETRIES: readonly sfn.RetryProps[] = [
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
];

/** Adds the transient-failure retries to a task (before any retry of its own, so they are tried first). */
export function retryTransientFailures(task: sfn.TaskStateBase): void {
  for (const retry of TRANSIENT_RETRIES) task.addRetry(retry);
}
