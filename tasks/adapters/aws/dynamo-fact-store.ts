/** Early facts as `ONB#<id>/FACT#<kind>` (a deal answer `FACT#deal-answer#<stage>#<subject>`; first one wins) and short-lived memos as `MEMO#<key>` items with `ttl`. */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Fact, type FactKind, factKey } from '../../domain/facts.js';
import type { FactStore } from '../../ports/fact-store.js';
import { isConditionalFailure, keys, queryAll, ttlIn } from './dynamo-common.js';

export class DynamoFactStore implements FactStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  async record(fact: Fact) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName(),
          Item: { ...keys.fact(fact.onboardingId, factKey(fact)), type: 'fact', fact },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'recorded' as const;
    } catch (err) {
      if (isConditionalFailure(err)) return 'duplicate' as const;
      throw err;
    }
  }

  async get(onboardingId: string, kind: FactKind) {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.tableName(),
        Key: keys.fact(onboardingId, kind),
        ConsistentRead: true,
      }),
    );
    return r.Item?.fact as Fact | undefined;
  }

  async list(onboardingId: string) {
    const items = await queryAll(this.db, {
      TableName: this.tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :f)',
      ExpressionAttributeValues: { ':p': `ONB#${onboardingId}`, ':f': 'FACT#' },
      ConsistentRead: true,
    });
    return items.map((i) => i.fact as Fact);
  }

  async remember(key: string, value: Record<string, unknown>, ttlSeconds: number) {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName(),
        Item: { ...keys.memo(key), type: 'memo', value, ttl: ttlIn(ttlSeconds, this.now()) },
      }),
    );
  }

  /** DynamoDB deletes expired items lazily (and local stand-ins may never): expiry is checked here too. */
  async recall(key: string) {
    const r = await this.db.send(
      new GetCommand({ TableName: this.tableName(), Key: keys.memo(key), ConsistentRead: true }),
    );
    if (!r.Item) return undefined;
    if (typeof r.Item.ttl === 'number' && r.Item.ttl * 1000 <= this.now()) return undefined;
    return r.Item.value as Record<string, unknown>;
  }
}
