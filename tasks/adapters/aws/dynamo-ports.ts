/** The DynamoDB-backed ports (onboardings, tasks, facts, accounts) on one shared DocumentClient. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TaskLogger } from '../../ports/logger.js';
import { DynamoAccountDirectory } from './dynamo-account-directory.js';
import { DynamoAgreementStore } from './dynamo-agreement-store.js';
import { DynamoFactStore } from './dynamo-fact-store.js';
import { DynamoHumanTaskStore } from './dynamo-human-task-store.js';
import { DynamoOnboardingRepository } from './dynamo-onboarding-repository.js';
import { DynamoRateLimiter } from './dynamo-rate-limiter.js';
import { readSettings } from './env.js';
import { once, regionOf } from './sdk-clients.js';

type Env = Record<string, string | undefined>;

export const dynamoClient = once(() => new DynamoDBClient({ region: regionOf(process.env) }));

export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

export function dynamoPorts(options: { env?: Env; client?: DynamoDBClient; log?: TaskLogger } = {}) {
  const settings = readSettings(options.env ?? process.env);
  const client = options.client ?? dynamoClient();
  const docs = documentClient(client);
  return {
    dynamodb: client,
    onboardings: new DynamoOnboardingRepository(docs, settings.tableName, options.log),
    tasks: new DynamoHumanTaskStore(docs, settings.tableName),
    facts: new DynamoFactStore(docs, settings.tableName),
    agreementRecords: new DynamoAgreementStore(docs, settings.tableName),
    rateLimits: new DynamoRateLimiter(docs, settings.tableName),
    accounts: new DynamoAccountDirectory(docs, settings.tableName),
  };
}
