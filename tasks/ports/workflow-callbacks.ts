/** What Step Functions said about a callback; `ok: false` outcomes are expected, anything else is thrown. */
export type CallbackResult =
  | { ok: true }
  | { ok: false; reason: 'timed-out' | 'invalid-token' | 'does-not-exist' };

export interface WorkflowCallbacks {
  sendTaskSuccess(taskToken: string, output: unknown): Promise<CallbackResult>;
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<CallbackResult>;
  sendTaskHeartbeat(taskToken: string): Promise<CallbackResult>;
  /**
   * StartExecution named `name`. Step Functions treats a repeat with the same name and input as the same
   * execution (`alreadyStarted: false` either way); the same name with other input gives `already-exists`.
   */
  startExecution(
    name: string,
    input: unknown,
  ): Promise<{ ok: true; executionArn: string; startDate: string } | { ok: false; reason: 'already-exists' }>;
}
