/** The DynamoDB tables (tasks/table.ts): the onboarding table with its indexes, and the idempotency table. */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { IDEMPOTENCY_TABLE, ONBOARDING_TABLE } from '../tasks/table.js';

const S = dynamodb.AttributeType.STRING;

/** Settings every table shares: on-demand, point-in-time recovery, KMS encryption, kept on stack deletion. */
const common = {
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  encryption: dynamodb.TableEncryption.AWS_MANAGED,
  deletionProtection: true,
  removalPolicy: RemovalPolicy.RETAIN,
} as const;

export class OnboardingData extends Construct {
  /** Onboardings, human tasks, early facts, accounts and users (single-table design). */
  readonly table: dynamodb.Table;
  /** Powertools idempotency records. */
  readonly idempotencyTable: dynamodb.Table;
  /** Names of the onboarding table's global secondary indexes. */
  readonly indexNames: readonly string[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'OnboardingTable', {
      ...common,
      partitionKey: { name: ONBOARDING_TABLE.partitionKey, type: S },
      sortKey: { name: ONBOARDING_TABLE.sortKey, type: S },
      timeToLiveAttribute: ONBOARDING_TABLE.timeToLiveAttribute,
    });
    for (const index of ONBOARDING_TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: S },
        sortKey: { name: index.sortKey, type: S },
        // an index that names what it needs carries only that (smaller index writes), the others the whole item
        ...('include' in index
          ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] }
          : { projectionType: dynamodb.ProjectionType.ALL }),
      });
    }
    this.indexNames = ONBOARDING_TABLE.indexes.map((i) => i.name);

    this.idempotencyTable = new dynamodb.Table(this, 'IdempotencyTable', {
      ...common,
      partitionKey: { name: IDEMPOTENCY_TABLE.partitionKey, type: S },
      timeToLiveAttribute: IDEMPOTENCY_TABLE.timeToLiveAttribute,
    });
  }
}
