/**
 * SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat. A token whose task already closed (it completed, failed,
 * timed out, or its execution ended) is answered with TaskTimedOut, as AWS documents
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html: "the task associated
 * with the token has already been closed"); a token this runtime never issued is InvalidToken. The token of an open
 * activity task whose activity was deleted is TaskDoesNotExist ("The activity does not exist.", same page).
 */
import type * as sfn from '@aws-sdk/client-sfn';
import { Engine, MAX_PAYLOAD_BYTES } from '../engine/engine.js';
import { isActivityResource } from './activities.js';
import { type ApiContext, apiError, requireString, validationError } from './context.js';

export class Callbacks {
  constructor(
    private readonly ctx: ApiContext,
    /** Whether an activity still exists (an open task of a deleted activity answers TaskDoesNotExist). */
    private readonly activityExists: (arn: string) => boolean = () => true,
  ) {}

  #open(taskToken: unknown) {
    const token = requireString(taskToken, 'taskToken');
    if (!Engine.isWellFormedToken(token)) throw apiError('InvalidToken', "Invalid Token: 'Invalid token'");
    const found = this.ctx.engine.lookupToken(token);
    if (found.entry) {
      const resource = this.ctx.engine.tokenResource(found.entry);
      if (resource && isActivityResource(resource) && !this.activityExists(resource)) {
        throw apiError('TaskDoesNotExist', `Task Does Not Exist: 'Activity Does Not Exist: ${resource}'`);
      }
      return { token, entry: found.entry };
    }
    if (found.status === 'unknown') throw apiError('InvalidToken', "Invalid Token: 'Invalid token'");
    throw apiError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
  }

  async sendTaskSuccess(input: sfn.SendTaskSuccessInput): Promise<sfn.SendTaskSuccessOutput> {
    const text = requireString(input.output, 'output');
    if (Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES) {
      throw validationError(
        `Value at 'output' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES}`,
      );
    }
    let output: unknown;
    try {
      output = JSON.parse(text);
    } catch (e) {
      throw apiError('InvalidOutput', `Invalid Output: '${(e as Error).message}'`);
    }
    const { token, entry } = this.#open(input.taskToken);
    this.ctx.engine.takeToken(token);
    await this.ctx.engine.postDurable(entry.exec, entry.threadId, {
      t: 'callback',
      attempt: entry.attempt,
      outcome: { kind: 'success', output },
    });
    return {};
  }

  async sendTaskFailure(input: sfn.SendTaskFailureInput): Promise<sfn.SendTaskFailureOutput> {
    const { token, entry } = this.#open(input.taskToken);
    this.ctx.engine.takeToken(token);
    await this.ctx.engine.postDurable(entry.exec, entry.threadId, {
      t: 'callback',
      attempt: entry.attempt,
      outcome: { kind: 'failure', error: input.error, cause: input.cause },
    });
    return {};
  }

  async sendTaskHeartbeat(input: sfn.SendTaskHeartbeatInput): Promise<sfn.SendTaskHeartbeatOutput> {
    const { entry } = this.#open(input.taskToken);
    await this.ctx.engine.postDurable(entry.exec, entry.threadId, { t: 'heartbeat', attempt: entry.attempt });
    return {};
  }
}
