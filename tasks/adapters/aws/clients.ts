/**
 * SDK clients, built once per process (module scope) and shared by every adapter. Region from AWS_REGION (the Lambda
 * runtime sets it); endpoints from the SDK's own AWS_ENDPOINT_URL_<SERVICE> variables (the local stack sets them),
 * so this code never branches on "local".
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MarketplaceAgreementClient } from '@aws-sdk/client-marketplace-agreement';
import { MarketplaceCatalogClient } from '@aws-sdk/client-marketplace-catalog';
import { MarketplaceEntitlementServiceClient } from '@aws-sdk/client-marketplace-entitlement-service';
import { MarketplaceMeteringClient } from '@aws-sdk/client-marketplace-metering';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../table.js';

type Env = Record<string, string | undefined>;

export interface AwsClients {
  dynamodb: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  sfn: SFNClient;
  ses: SESv2Client;
  s3: S3Client;
  catalog: MarketplaceCatalogClient;
  metering: MarketplaceMeteringClient;
  entitlement: MarketplaceEntitlementServiceClient;
  agreement: MarketplaceAgreementClient;
}

/** AWS Marketplace Catalog, Entitlement and Agreement APIs live in us-east-1 only. */
export const MARKETPLACE_REGION = 'us-east-1';

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/** Each client is created on first use, then reused. */
export function createClients(env: Env = process.env): AwsClients {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? MARKETPLACE_REGION;
  const dynamodb = lazy(() => new DynamoDBClient({ region }));
  const documents = lazy(() =>
    DynamoDBDocumentClient.from(dynamodb(), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
      unmarshallOptions: { wrapNumbers: false },
    }),
  );
  const sfn = lazy(() => new SFNClient({ region }));
  const ses = lazy(() => new SESv2Client({ region }));
  const s3 = lazy(() => new S3Client({ region, forcePathStyle: env[ENV.archiveForcePathStyle] === 'true' }));
  const catalog = lazy(() => new MarketplaceCatalogClient({ region: MARKETPLACE_REGION }));
  // the use case retries throttled ResolveCustomer itself (bounded, with back-off): one SDK attempt each
  const metering = lazy(() => new MarketplaceMeteringClient({ region, maxAttempts: 1 }));
  const entitlement = lazy(() => new MarketplaceEntitlementServiceClient({ region: MARKETPLACE_REGION }));
  const agreement = lazy(() => new MarketplaceAgreementClient({ region: MARKETPLACE_REGION }));
  return {
    get dynamodb() {
      return dynamodb();
    },
    get documents() {
      return documents();
    },
    get sfn() {
      return sfn();
    },
    get ses() {
      return ses();
    },
    get s3() {
      return s3();
    },
    get catalog() {
      return catalog();
    },
    get metering() {
      return metering();
    },
    get entitlement() {
      return entitlement();
    },
    get agreement() {
      return agreement();
    },
  };
}
