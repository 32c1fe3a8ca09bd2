/** Agreement records as `ONB#<onboardingId>/AGR#<agreementId>` items: one Query reads a customer's whole deal. */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Agreement } from '../../domain/agreement.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { AgreementStore } from '../../ports/agreement-store.js';
import { isConditionalFailure, keys, queryAll } from './dynamo-common.js';

export class DynamoAgreementStore implements AgreementStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: () => string,
  ) {}

  async get(onboardingId: string, agreementId: string) {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.tableName(),
        Key: keys.agreement(onboardingId, agreementId),
        ConsistentRead: true,
      }),
    );
    return r.Item?.agreement as Agreement | undefined;
  }

  async save(agreement: Agreement) {
    const saved = { ...agreement, version: agreement.version + 1 };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName(),
          Item: {
            ...keys.agreement(agreement.onboardingId, agreement.agreementId),
            type: 'agreement',
            agreement: saved,
            version: saved.version,
          },
          ConditionExpression: agreement.version === 0 ? 'attribute_not_exists(pk)' : '#v = :expected',
          ...(agreement.version === 0
            ? {}
            : {
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':expected': agreement.version },
              }),
        }),
      );
    } catch (err) {
      if (isConditionalFailure(err)) throw new ConcurrentUpdateError(`agreement ${agreement.agreementId}`);
      throw err;
    }
    return saved;
  }

  async listForOnboarding(onboardingId: string) {
    const items = await queryAll(this.db, {
      TableName: this.tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :a)',
      ExpressionAttributeValues: { ':p': `ONB#${onboardingId}`, ':a': 'AGR#' },
      ConsistentRead: true,
    });
    return items.map((i) => i.agreement as Agreement);
  }
}
