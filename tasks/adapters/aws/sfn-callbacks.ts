/** Step Functions callbacks and StartExecution; the SDK's named errors become the port's outcomes. */
import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { withoutSecret } from '../../domain/redact.js';
import type { CallbackResult, WorkflowCallbacks } from '../../ports/workflow-callbacks.js';
import { readSettings } from './env.js';
import { once, regionOf } from './sdk-clients.js';

const OUTCOMES: Record<string, CallbackResult> = {
  TaskTimedOut: { ok: false, reason: 'timed-out' },
  InvalidToken: { ok: false, reason: 'invalid-token' },
  TaskDoesNotExist: { ok: false, reason: 'does-not-exist' },
};

/** Any other error is thrown without the token, should its message quote it. */
async function callback(taskToken: string, send: () => Promise<unknown>): Promise<CallbackResult> {
  try {
    await send();
    return { ok: true };
  } catch (err) {
    const outcome = err instanceof Error ? OUTCOMES[err.name] : undefined;
    if (outcome) return outcome;
    throw withoutSecret(err, taskToken);
  }
}

/** Step Functions limits: error 256 characters, cause 32,768 characters. */
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export class SfnCallbacks implements WorkflowCallbacks {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: () => string,
  ) {}

  sendTaskSuccess(taskToken: string, output: unknown) {
    return callback(taskToken, () =>
      this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    );
  }

  sendTaskFailure(taskToken: string, error: string, cause: string) {
    return callback(taskToken, () =>
      this.sfn.send(
        new SendTaskFailureCommand({ taskToken, error: clip(error, 256), cause: clip(cause, 32_768) }),
      ),
    );
  }

  sendTaskHeartbeat(taskToken: string) {
    return callback(taskToken, () => this.sfn.send(new SendTaskHeartbeatCommand({ taskToken })));
  }

  async startExecution(name: string, input: unknown) {
    try {
      const r = await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn(),
          name,
          input: JSON.stringify(input),
        }),
      );
      return {
        ok: true as const,
        executionArn: r.executionArn ?? '',
        startDate: (r.startDate ?? new Date()).toISOString(),
      };
    } catch (err) {
      if (err instanceof Error && err.name === 'ExecutionAlreadyExists')
        return { ok: false as const, reason: 'already-exists' as const };
      throw err;
    }
  }
}

export const sfnClient = once(() => new SFNClient({ region: regionOf(process.env) }));

export function sfnCallbacksFromEnv(env: Record<string, string | undefined> = process.env): SfnCallbacks {
  return new SfnCallbacks(sfnClient(), readSettings(env).stateMachineArn);
}
