/**
 * SDK failures as Step Functions names them.
 * - `aws-sdk:<service>:<action>`: `<Service>.<ErrorName>Exception` with the service in PascalCase as the AWS SDK
 *   for Java 2 spells it (`DynamoDb`, `Sfn`, `SesV2`, `S3`); errors the service model does not declare become
 *   `<Service>.<Service>Exception`; cause `<message> (Service: <Service>, Status Code: <n>, Request ID: <id>)`.
 * - optimized integrations: `<Prefix>.<ErrorName>` (`DynamoDB.ConditionalCheckFailedException`,
 *   `SNS.NotFoundException`), undeclared errors `<Prefix>.<Client>Exception` (`DynamoDB.AmazonDynamoDBException`);
 *   cause `<message> (Service: <Client>; Status Code: <n>; Error Code: <code>; Request ID: <id>; Proxy: null)`.
 * - no HTTP response at all (connection refused, ...): `<Prefix>.SdkClientException`.
 */
import { TaskError } from '../../tasks.js';
import type { SdkModule } from './clients.js';

const SDK_SERVICE_NAMES: Record<string, string> = {
  acmpca: 'AcmPca',
  apigateway: 'ApiGateway',
  cloudwatch: 'CloudWatch',
  cloudwatchlogs: 'CloudWatchLogs',
  dynamodb: 'DynamoDb',
  ec2: 'Ec2',
  ecs: 'Ecs',
  eventbridge: 'EventBridge',
  iam: 'Iam',
  kms: 'Kms',
  lambda: 'Lambda',
  marketplaceagreement: 'MarketplaceAgreement',
  marketplacecatalog: 'MarketplaceCatalog',
  marketplaceentitlement: 'MarketplaceEntitlement',
  marketplacemetering: 'MarketplaceMetering',
  s3: 'S3',
  secretsmanager: 'SecretsManager',
  ses: 'Ses',
  sesv2: 'SesV2',
  sfn: 'Sfn',
  sns: 'Sns',
  sqs: 'Sqs',
  ssm: 'Ssm',
  sts: 'Sts',
};

/** Error prefix and AWS SDK for Java 1 client name of each optimized integration. */
export const OPTIMIZED_SERVICE_NAMES: Record<string, { prefix: string; client: string }> = {
  dynamodb: { prefix: 'DynamoDB', client: 'AmazonDynamoDBv2' },
  sns: { prefix: 'SNS', client: 'AmazonSNS' },
  events: { prefix: 'EventBridge', client: 'AmazonEventBridge' },
  sqs: { prefix: 'SQS', client: 'AmazonSQS' },
  lambda: { prefix: 'Lambda', client: 'AWSLambda' },
};

export function sdkServiceName(service: string): string {
  return SDK_SERVICE_NAMES[service] ?? service.charAt(0).toUpperCase() + service.slice(1);
}

interface SdkErrorLike {
  name?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

function withExceptionSuffix(name: string): string {
  return name.endsWith('Exception') ? name : `${name}Exception`;
}

/** True when the service model declares the error (the SDK threw its modelled exception class). */
function isModelled(error: SdkErrorLike, module: SdkModule | undefined): boolean {
  const errorClass = error.name ? module?.[error.name] : undefined;
  return typeof errorClass === 'function' && error instanceof errorClass;
}

function isAbort(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'AbortError';
}

export function awsSdkTaskError(service: string, module: SdkModule | undefined, thrown: unknown): unknown {
  if (isAbort(thrown)) return thrown;
  const error = (thrown ?? {}) as SdkErrorLike;
  const serviceName = sdkServiceName(service);
  const status = error.$metadata?.httpStatusCode;
  if (status === undefined) {
    return new TaskError(
      `${serviceName}.SdkClientException`,
      `Unable to execute HTTP request: ${error.message ?? String(thrown)}`,
    );
  }
  const name = isModelled(error, module)
    ? withExceptionSuffix(error.name ?? 'Unknown')
    : withExceptionSuffix(serviceName);
  const requestId = error.$metadata?.requestId ?? 'unknown';
  return new TaskError(
    `${serviceName}.${name}`,
    `${error.message ?? ''} (Service: ${serviceName}, Status Code: ${status}, Request ID: ${requestId})`,
  );
}

export function optimizedTaskError(service: string, module: SdkModule | undefined, thrown: unknown): unknown {
  if (isAbort(thrown)) return thrown;
  const error = (thrown ?? {}) as SdkErrorLike;
  const names = OPTIMIZED_SERVICE_NAMES[service] ?? {
    prefix: sdkServiceName(service),
    client: sdkServiceName(service),
  };
  const status = error.$metadata?.httpStatusCode;
  if (status === undefined) {
    return new TaskError(
      `${names.prefix}.SdkClientException`,
      `Unable to execute HTTP request: ${error.message ?? String(thrown)}`,
    );
  }
  const modelled = isModelled(error, module);
  const clientException = `${names.client.replace(/v\d+$/, '')}Exception`;
  const name = modelled ? (error.name ?? 'Unknown') : clientException;
  const code = error.Code ?? (service === 'sns' ? (error.name ?? '').replace(/Exception$/, '') : error.name);
  const requestId = error.$metadata?.requestId ?? 'unknown';
  return new TaskError(
    `${names.prefix}.${name}`,
    `${error.message ?? ''} (Service: ${names.client}; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`,
  );
}
