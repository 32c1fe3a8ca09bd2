import type { CallbackResult, WorkflowCallbacks } from '../../ports/workflow-callbacks.js';
import { clone } from './cursor.js';

type TokenState = 'waiting' | 'succeeded' | 'failed' | 'timed-out';

/**
 * Step Functions' callback API in memory: a token is `waiting` until the first success/failure; later calls on it
 * get `invalid-token` like the real service. `expire(token)` simulates TaskTimedOut.
 */
export class MemoryWorkflowCallbacks implements WorkflowCallbacks {
  readonly tokens = new Map<string, TokenState>();
  readonly calls: (
    | { kind: 'success'; token: string; output: unknown }
    | { kind: 'failure'; token: string; error: string; cause: string }
    | { kind: 'heartbeat'; token: string }
  )[] = [];
  readonly executions = new Map<
    string,
    { name: string; input: unknown; executionArn: string; startDate: string }
  >();
  /** Throw this from the next callback (a transient service error). */
  throwNext: Error | undefined;

  constructor(
    private readonly stateMachineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:Onboarding',
  ) {}

  /** Registers a token as waiting (what the state machine does before dispatching a `.waitForTaskToken` task). */
  waiting(token: string) {
    this.tokens.set(token, 'waiting');
  }

  expire(token: string) {
    this.tokens.set(token, 'timed-out');
  }

  private check(token: string): CallbackResult {
    if (this.throwNext) {
      const e = this.throwNext;
      this.throwNext = undefined;
      throw e;
    }
    const state = this.tokens.get(token);
    if (state === undefined) return { ok: false, reason: 'does-not-exist' };
    if (state === 'timed-out') return { ok: false, reason: 'timed-out' };
    if (state !== 'waiting') return { ok: false, reason: 'invalid-token' };
    return { ok: true };
  }

  async sendTaskSuccess(token: string, output: unknown) {
    const r = this.check(token);
    if (r.ok) {
      this.tokens.set(token, 'succeeded');
      this.calls.push({ kind: 'success', token, output: clone(output) });
    }
    return r;
  }

  async sendTaskFailure(token: string, error: string, cause: string) {
    const r = this.check(token);
    if (r.ok) {
      this.tokens.set(token, 'failed');
      this.calls.push({ kind: 'failure', token, error, cause });
    }
    return r;
  }

  async sendTaskHeartbeat(token: string) {
    const r = this.check(token);
    if (r.ok) this.calls.push({ kind: 'heartbeat', token });
    return r;
  }

  async startExecution(name: string, input: unknown) {
    const existing = this.executions.get(name);
    if (existing) {
      if (JSON.stringify(existing.input) !== JSON.stringify(input))
        return { ok: false as const, reason: 'already-exists' as const };
      return { ok: true as const, executionArn: existing.executionArn, startDate: existing.startDate };
    }
    const executionArn = `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const startDate = new Date().toISOString();
    this.executions.set(name, { name, input: clone(input), executionArn, startDate });
    return { ok: true as const, executionArn, startDate };
  }

  successes() {
    return this.calls.filter((c) => c.kind === 'success');
  }

  failures() {
    return this.calls.filter((c) => c.kind === 'failure');
  }
}
