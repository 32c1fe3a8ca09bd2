/** Builds a TaskRequest the way the engine hands one to a dispatcher. */
import type { TaskRequest } from '../../src/tasks.js';

export function taskRequest(overrides: Partial<TaskRequest> & Pick<TaskRequest, 'resource'>): TaskRequest {
  return {
    parameters: {},
    stateName: 'Step',
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:sm:e1',
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:sm',
    region: 'us-east-1',
    accountId: '123456789012',
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** Resolves with the rejection of a promise that must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
