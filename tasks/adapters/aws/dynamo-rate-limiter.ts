/**
 * The RateLimiter port on the onboarding table: one `RATE#<scope>#<digest>` item per window (`sk` = the window's
 * start), counted with an atomic ADD and removed by the table's TTL after the window. Subjects are stored as SHA-256
 * digests only.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type RateLimit, type RateLimiter, type RateVerdict, windowOf } from '../../ports/rate-limiter.js';
import { keys } from './dynamo-common.js';

const digest = (subject: string) =>
  createHash('sha256').update(subject.trim().toLowerCase()).digest('base64url');

export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  private verdict(limit: RateLimit, count: number, retryAfterSeconds: number): RateVerdict {
    return { allowed: count <= limit.limit, count, retryAfterSeconds };
  }

  async hit(limit: RateLimit, subject: string): Promise<RateVerdict> {
    const w = windowOf(limit, this.now());
    const r = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName(),
        Key: keys.rate(limit.scope, digest(subject), w.start),
        UpdateExpression: 'ADD hits :one SET #type = :type, #ttl = if_not_exists(#ttl, :ttl)',
        ExpressionAttributeNames: { '#type': 'type', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':type': 'rate', ':ttl': w.start + limit.windowSeconds + 60 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return this.verdict(limit, Number(r.Attributes?.hits ?? 1), w.retryAfterSeconds);
  }

  async peek(limit: RateLimit, subject: string): Promise<RateVerdict> {
    const w = windowOf(limit, this.now());
    const r = await this.db.send(
      new GetCommand({
        TableName: this.tableName(),
        Key: keys.rate(limit.scope, digest(subject), w.start),
        ConsistentRead: true,
      }),
    );
    return this.verdict(limit, Number(r.Item?.hits ?? 0), w.retryAfterSeconds);
  }
}
