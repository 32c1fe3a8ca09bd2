/** Human tasks as `ONB#<id>/TASK#<slot>` items (the stage, or a deal step's `<stage>#<instance>`); claims are conditional updates (one winner per completion). */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type HumanTask, type TaskSlot, taskSlot } from '../../domain/human-task.js';
import type { HumanTaskStore } from '../../ports/human-task-store.js';
import { isConditionalFailure, keys, queryAll } from './dynamo-common.js';

const fromItem = (item: Record<string, unknown>) => item.task as HumanTask;

export class DynamoHumanTaskStore implements HumanTaskStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: () => string,
  ) {}

  async put(task: HumanTask) {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName(),
        Item: {
          ...keys.task(task.onboardingId, taskSlot(task)),
          type: 'task',
          task,
          taskToken: task.taskToken,
          taskStatus: task.status,
        },
      }),
    );
  }

  async get(onboardingId: string, slot: TaskSlot) {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.tableName(),
        Key: keys.task(onboardingId, slot),
        ConsistentRead: true,
      }),
    );
    return r.Item ? fromItem(r.Item) : undefined;
  }

  async list(onboardingId: string) {
    const items = await queryAll(this.db, {
      TableName: this.tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :t)',
      ExpressionAttributeValues: { ':p': `ONB#${onboardingId}`, ':t': 'TASK#' },
      ConsistentRead: true,
    });
    return items.map(fromItem).sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  }

  async claim(onboardingId: string, slot: TaskSlot, taskToken: string, at: string, staleBefore: string) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName(),
          Key: keys.task(onboardingId, slot),
          UpdateExpression: 'SET taskStatus = :claimed, #task.#status = :claimed, #task.claimedAt = :at',
          ConditionExpression:
            'taskToken = :token AND (taskStatus = :open OR (taskStatus = :claimed AND #task.claimedAt < :stale))',
          ExpressionAttributeNames: { '#task': 'task', '#status': 'status' },
          ExpressionAttributeValues: {
            ':claimed': 'claimed',
            ':open': 'open',
            ':token': taskToken,
            ':at': at,
            ':stale': staleBefore,
          },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalFailure(err)) return false;
      throw err;
    }
  }

  async release(onboardingId: string, slot: TaskSlot, taskToken: string) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName(),
          Key: keys.task(onboardingId, slot),
          UpdateExpression: 'SET taskStatus = :open, #task.#status = :open REMOVE #task.claimedAt',
          ConditionExpression: 'taskToken = :token AND taskStatus = :claimed',
          ExpressionAttributeNames: { '#task': 'task', '#status': 'status' },
          ExpressionAttributeValues: { ':open': 'open', ':claimed': 'claimed', ':token': taskToken },
        }),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
    }
  }

  async finish(
    onboardingId: string,
    slot: TaskSlot,
    taskToken: string,
    result: Parameters<HumanTaskStore['finish']>[3],
  ) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName(),
          Key: keys.task(onboardingId, slot),
          UpdateExpression: `SET taskStatus = :s, #task.#status = :s, #task.completedAt = :at, #task.outcome = :o${
            result.completedBy ? ', #task.completedBy = :by' : ''
          }`,
          ConditionExpression: 'taskToken = :token',
          ExpressionAttributeNames: { '#task': 'task', '#status': 'status' },
          ExpressionAttributeValues: {
            ':s': result.status,
            ':at': result.at,
            ':o': result.outcome,
            ':token': taskToken,
            ...(result.completedBy ? { ':by': result.completedBy } : {}),
          },
        }),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
    }
  }
}
