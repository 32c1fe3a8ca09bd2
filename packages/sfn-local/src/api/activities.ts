/**
 * Activities (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html): a Task whose
 * `Resource` is an activity ARN waits until a worker takes it with GetActivityTask (a long poll of up to 60 s that
 * answers without a token when nothing comes), then until the worker answers with SendTaskSuccess/Failure
 * (SendTaskHeartbeat keeps it alive). The engine issues the task token and records the Activity* events; this
 * module keeps the activities, the tasks waiting for a worker and the workers waiting for a task.
 */
import type * as sfn from '@aws-sdk/client-sfn';
import type { TaskDispatcher, TaskRequest } from '../tasks.js';
import { activityArn, requireActivityArn } from './arns.js';
import { type ApiContext, apiError, pageSize, requireName, slicePage } from './context.js';
import type { ActivityRecord, Resources } from './records.js';
import { checkTagCount, tagMap } from './tags.js';

export const ACTIVITY_POLL_MS = 60_000;
/** Concurrent GetActivityTask polls per activity before ActivityWorkerLimitExceeded. */
export const MAX_ACTIVITY_POLLERS = 1000;

const ACTIVITY_RE = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:activity:[^:]+$/;

export function isActivityResource(resource: string): boolean {
  return ACTIVITY_RE.test(resource);
}

interface QueuedTask {
  token: string;
  input: string;
  signal: AbortSignal;
  /** Resolves the engine's dispatch: the task started, with the worker's name. */
  take: (workerName: string | undefined) => void;
}

interface Poller {
  workerName: string | undefined;
  deliver: (task: QueuedTask | undefined) => void;
}

export class Activities {
  readonly #tasks = new Map<string, QueuedTask[]>();
  readonly #pollers = new Map<string, Poller[]>();

  constructor(
    private readonly ctx: ApiContext,
    private readonly res: Resources,
    private readonly pollMs = ACTIVITY_POLL_MS,
  ) {}

  /** Wraps a dispatcher: activity resources wait here for a worker, everything else goes on. */
  dispatcher(inner: TaskDispatcher): TaskDispatcher {
    return {
      dispatch: (request) =>
        isActivityResource(request.resource) ? this.#enqueue(request) : inner.dispatch(request),
      unsupported: (resource) => (isActivityResource(resource) ? undefined : inner.unsupported?.(resource)),
    };
  }

  #enqueue(request: TaskRequest): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (!request.taskToken) {
        reject(new Error(`Activity task without a task token: ${request.resource}`));
        return;
      }
      const task: QueuedTask = {
        token: request.taskToken,
        input: JSON.stringify(request.parameters ?? null),
        signal: request.signal,
        take: (workerName) => resolve({ workerName }),
      };
      const pollers = this.#pollers.get(request.resource);
      const poller = pollers?.shift();
      if (poller) {
        poller.deliver(task);
        return;
      }
      const queue = this.#tasks.get(request.resource) ?? [];
      queue.push(task);
      this.#tasks.set(request.resource, queue);
      request.signal.addEventListener('abort', () => {
        const list = this.#tasks.get(request.resource);
        const at = list?.indexOf(task) ?? -1;
        if (list && at >= 0) list.splice(at, 1);
      });
    });
  }

  /** Ends every waiting poll (without a task), for shutdown. */
  close(): void {
    for (const pollers of this.#pollers.values()) for (const p of pollers.splice(0)) p.deliver(undefined);
  }

  // API ------------------------------------------------------------------------------------------------------------

  createActivity(input: sfn.CreateActivityInput): sfn.CreateActivityOutput {
    const name = requireName(input.name);
    const arn = activityArn(this.ctx.region, this.ctx.accountId, name);
    const existing = this.res.get('activity', arn);
    // Idempotent on the name: differing tags of a later request are ignored, as AWS does.
    if (existing) return { activityArn: arn, creationDate: new Date(existing.createdMs) };
    const tags = tagMap(input.tags);
    checkTagCount(tags, arn);
    const record: ActivityRecord = {
      arn,
      name,
      createdMs: this.ctx.clock.now(),
      tags,
      ...(input.encryptionConfiguration ? { encryptionConfiguration: input.encryptionConfiguration } : {}),
    };
    this.res.put('activity', record);
    return { activityArn: arn, creationDate: new Date(record.createdMs) };
  }

  deleteActivity(input: sfn.DeleteActivityInput): sfn.DeleteActivityOutput {
    const arn = requireActivityArn(input.activityArn);
    this.res.delete('activity', arn);
    return {};
  }

  describeActivity(input: sfn.DescribeActivityInput): sfn.DescribeActivityOutput {
    const a = this.require(requireActivityArn(input.activityArn));
    return {
      activityArn: a.arn,
      name: a.name,
      creationDate: new Date(a.createdMs),
      encryptionConfiguration: (a.encryptionConfiguration as sfn.EncryptionConfiguration) ?? {
        type: 'AWS_OWNED_KEY',
      },
    };
  }

  listActivities(input: sfn.ListActivitiesInput = {}): sfn.ListActivitiesOutput {
    const limit = pageSize(input.maxResults);
    const query = { op: 'ListActivities' };
    const offset = this.ctx.pages.read<number>(query, input.nextToken) ?? 0;
    const all = this.res
      .list('activity')
      .sort((a, b) => a.createdMs - b.createdMs || a.name.localeCompare(b.name));
    const page = slicePage(all, offset, limit);
    return {
      activities: page.items.map((a) => ({
        activityArn: a.arn,
        name: a.name,
        creationDate: new Date(a.createdMs),
      })),
      ...(page.next !== undefined ? { nextToken: this.ctx.pages.issue(query, page.next) } : {}),
    };
  }

  require(arn: string): ActivityRecord {
    const a = this.res.get('activity', arn);
    if (!a) throw apiError('ActivityDoesNotExist', `Activity Does Not Exist: '${arn}'`);
    return a;
  }

  async getActivityTask(input: sfn.GetActivityTaskInput): Promise<sfn.GetActivityTaskOutput> {
    const arn = requireActivityArn(input.activityArn);
    this.require(arn);
    const task = this.#nextTask(arn);
    if (task) return this.#hand(task, input.workerName);
    const pollers = this.#pollers.get(arn) ?? [];
    if (pollers.length >= MAX_ACTIVITY_POLLERS) {
      throw apiError(
        'ActivityWorkerLimitExceeded',
        `Activity Worker Limit Exceeded: at most ${MAX_ACTIVITY_POLLERS} workers may poll '${arn}' at once`,
      );
    }
    this.#pollers.set(arn, pollers);
    const delivered = await new Promise<QueuedTask | undefined>((resolve) => {
      const poller: Poller = { workerName: input.workerName, deliver: resolve };
      pollers.push(poller);
      const timer = setTimeout(() => {
        const at = pollers.indexOf(poller);
        if (at >= 0) pollers.splice(at, 1);
        resolve(undefined);
      }, this.pollMs);
      timer.unref?.();
      poller.deliver = (t) => {
        clearTimeout(timer);
        resolve(t);
      };
    });
    // No task within the poll: AWS answers 200 with a null taskToken.
    return delivered ? this.#hand(delivered, input.workerName) : {};
  }

  #nextTask(arn: string): QueuedTask | undefined {
    const queue = this.#tasks.get(arn);
    while (queue?.length) {
      const task = queue.shift() as QueuedTask;
      if (!task.signal.aborted) return task;
    }
    return undefined;
  }

  #hand(task: QueuedTask, workerName: string | undefined): sfn.GetActivityTaskOutput {
    task.take(workerName);
    return { taskToken: task.token, input: task.input };
  }
}
