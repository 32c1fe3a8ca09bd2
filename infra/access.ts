/**
 * From a function's `access` list (workflows/contracts/functions.ts) to least-privilege IAM statements and the environment
 * variables it reads (tasks/table.ts ENV). Every statement names exact ARNs, except the AWS Marketplace actions that
 * IAM cannot scope to a resource (see the reasons in infra/nag.ts).
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ENV } from '../tasks/table.js';
import type { Access, FunctionSpec } from '../workflows/contracts/functions.js';
import type { OnboardingConfig } from './config.js';

/** The resources a function may be granted, by name. */
export interface AccessTargets {
  readonly table: dynamodb.ITable;
  readonly indexNames: readonly string[];
  readonly idempotencyTable: dynamodb.ITable;
  /** Built from the state machine's fixed name, so functions and state machine do not depend on each other. */
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  /** The lifecycle state machine (the deal after the sale), also by its fixed name. */
  readonly lifecycleStateMachineArn: string;
  readonly archiveBucket: s3.IBucket;
  readonly emailIdentityArn: string;
  readonly webBaseUrl: string;
  readonly config: OnboardingConfig;
  /** The vendor's SaaS (infra/provisioning.ts): the webhook's signing secret and the events bus, when configured. */
  readonly provisioning?: {
    readonly secretArn?: string;
    readonly eventBusArn?: string;
    readonly eventBusName?: string;
    /** 7-2 through the vendor's OpenID provider: its client secret. */
    readonly oidcClientSecretArn?: string;
  };
}

/** Environment variables other than ENV that infra sets (web's staff sign-in). */
export const INFRA_ENV = {
  staffAuth: 'STAFF_AUTH',
  userPoolId: 'COGNITO_USER_POOL_ID',
  userPoolClientId: 'COGNITO_CLIENT_ID',
  userPoolDomain: 'COGNITO_DOMAIN',
  powertoolsService: 'POWERTOOLS_SERVICE_NAME',
  nodeOptions: 'NODE_OPTIONS',
} as const;

const TABLE_READ = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const TABLE_WRITE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
/** What Powertools idempotency does with its table. */
/**
 * The Agreement API defines no resource types: its grants are limited as in AWS's managed policies
 * (AWSMarketplaceSellerOfferManagement for the reads, AWSMarketplaceSellerFullAccess for the cancellation requests):
 * the seller as proposer, purchase agreements only.
 */
const PROPOSER_OF_PURCHASE_AGREEMENTS = {
  StringEquals: { 'aws-marketplace:PartyType': 'Proposer' },
  'ForAllValues:StringEquals': { 'aws-marketplace:AgreementType': ['PurchaseAgreement'] },
};
const IDEMPOTENCY = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/** ARNs in the AWS Marketplace catalog (its APIs live in marketplaceRegion). */
function marketplaceArn(scope: Construct, region: string, resourceName: string): string {
  return Stack.of(scope).formatArn({
    service: 'aws-marketplace',
    region,
    resource: 'AWSMarketplace',
    resourceName,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/** The execution ARNs of the onboarding state machine. */
export function executionArns(scope: Construct, stateMachineName: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export function statementsFor(scope: Construct, access: Access, t: AccessTargets): iam.PolicyStatement[] {
  const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
    new iam.PolicyStatement({ sid, actions, resources, ...(conditions ? { conditions } : {}) });
  const indexArns = t.indexNames.map((name) => `${t.table.tableArn}/index/${name}`);
  const region = t.config.marketplaceRegion;
  switch (access) {
    case 'table:read':
      return [allow('TableRead', TABLE_READ, [t.table.tableArn, ...indexArns])];
    case 'table:write':
      return [
        allow('TableWrite', TABLE_WRITE, [t.table.tableArn]),
        allow('Idempotency', IDEMPOTENCY, [t.idempotencyTable.tableArn]),
      ];
    case 'email:send':
      return [allow('SendEmail', ['ses:SendEmail', 'ses:SendRawEmail'], [t.emailIdentityArn])];
    case 'catalog:write':
      // The shape of AWS's managed policy AWSMarketplaceSellerOfferManagement, narrowed to this account, region
      // and product.
      return [
        allow(
          'CatalogOfferChanges',
          ['aws-marketplace:StartChangeSet'],
          [marketplaceArn(scope, region, 'Offer/*'), marketplaceArn(scope, region, 'ChangeSet/*')],
        ),
        allow('CatalogCreateOfferOnProduct', ['aws-marketplace:StartChangeSet'], ['*'], {
          StringEquals: { 'catalog:ChangeType': 'CreateOfferOnProduct' },
        }),
        allow(
          'CatalogChangeSetRead',
          ['aws-marketplace:DescribeChangeSet', 'aws-marketplace:ListChangeSets'],
          ['*'],
        ),
        allow(
          'CatalogEntityRead',
          ['aws-marketplace:DescribeEntity'],
          [
            marketplaceArn(scope, region, 'Offer/*'),
            marketplaceArn(scope, region, `SaaSProduct/${t.config.productId}`),
          ],
        ),
      ];
    case 'metering:resolve':
      return [allow('MeteringResolveCustomer', ['aws-marketplace:ResolveCustomer'], ['*'])];
    case 'entitlement:read':
      return [allow('EntitlementRead', ['aws-marketplace:GetEntitlements'], ['*'])];
    case 'agreement:read':
      return [
        allow(
          'AgreementRead',
          [
            'aws-marketplace:SearchAgreements',
            'aws-marketplace:DescribeAgreement',
            'aws-marketplace:GetAgreementTerms',
          ],
          ['*'],
          PROPOSER_OF_PURCHASE_AGREEMENTS,
        ),
      ];
    case 'agreement:cancel':
      return [
        allow(
          'AgreementCancellationRequests',
          [
            'aws-marketplace:SendAgreementCancellationRequest',
            'aws-marketplace:GetAgreementCancellationRequest',
            'aws-marketplace:CancelAgreementCancellationRequest',
          ],
          ['*'],
          PROPOSER_OF_PURCHASE_AGREEMENTS,
        ),
      ];
    case 'agreement:cancellation-read':
      return [
        allow(
          'AgreementCancellationRead',
          ['aws-marketplace:GetAgreementCancellationRequest'],
          ['*'],
          PROPOSER_OF_PURCHASE_AGREEMENTS,
        ),
      ];
    case 'states:callback':
      return [
        allow(
          'TaskCallbacks',
          ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
          [t.stateMachineArn, t.lifecycleStateMachineArn],
        ),
      ];
    case 'states:start':
      return [allow('StartOnboarding', ['states:StartExecution'], [t.stateMachineArn])];
    case 'lifecycle:start':
      return [allow('StartEpisode', ['states:StartExecution'], [t.lifecycleStateMachineArn])];
    case 'states:read':
      return [
        allow(
          'ListOnboardings',
          ['states:ListExecutions', 'states:DescribeStateMachine'],
          [t.stateMachineArn],
        ),
        allow(
          'ReadExecutions',
          [
            'states:DescribeExecution',
            'states:GetExecutionHistory',
            'states:DescribeStateMachineForExecution',
          ],
          [executionArns(scope, t.stateMachineName)],
        ),
      ];
    case 'archive:write':
      return [allow('ArchiveWrite', ['s3:PutObject'], [t.archiveBucket.arnForObjects('*')])];
    case 'archive:read':
      return [
        allow('ArchiveList', ['s3:ListBucket'], [t.archiveBucket.bucketArn]),
        allow('ArchiveRead', ['s3:GetObject', 's3:GetObjectVersion'], [t.archiveBucket.arnForObjects('*')]),
      ];
    case 'provisioning:call':
      // built-in mode without events needs nothing beyond the table
      return [
        ...(t.provisioning?.secretArn
          ? [allow('ProvisioningSecretRead', ['secretsmanager:GetSecretValue'], [t.provisioning.secretArn])]
          : []),
        ...(t.provisioning?.eventBusArn
          ? [
              allow('ProvisioningEvents', ['events:PutEvents'], [t.provisioning.eventBusArn], {
                StringEquals: { 'events:source': 'marketplace-onboarding.provisioning' },
              }),
            ]
          : []),
      ];
    case 'vendor-sign-in':
      return t.provisioning?.oidcClientSecretArn
        ? [
            allow(
              'OidcClientSecretRead',
              ['secretsmanager:GetSecretValue'],
              [t.provisioning.oidcClientSecretArn],
            ),
          ]
        : [];
  }
}

/** The ENV variables a function gets, by what it may access. */
export function environmentFor(spec: FunctionSpec, t: AccessTargets): Record<string, string> {
  const has = (...a: Access[]) => a.some((x) => spec.access.includes(x));
  const c = t.config;
  const env: Record<string, string> = {
    [INFRA_ENV.powertoolsService]: 'marketplace-onboarding',
    [INFRA_ENV.nodeOptions]: '--enable-source-maps',
  };
  if (has('table:read', 'table:write')) {
    env[ENV.tableName] = t.table.tableName;
    env[ENV.idempotencyTableName] = t.idempotencyTable.tableName;
  }
  if (has('states:callback', 'states:start', 'states:read')) env[ENV.stateMachineArn] = t.stateMachineArn;
  if (has('lifecycle:start')) env[ENV.lifecycleStateMachineArn] = t.lifecycleStateMachineArn;
  if (has('email:send')) {
    env[ENV.emailFrom] = c.emailFrom;
    env[ENV.supportEmail] = c.supportEmail;
    env[ENV.offerUrlBase] = c.offerUrlBase;
    env[ENV.webBaseUrl] = t.webBaseUrl;
    env[ENV.salesEmail] = c.salesEmail;
  }
  if (has('archive:read', 'archive:write')) env[ENV.archiveBucket] = t.archiveBucket.bucketName;
  if (has('catalog:write', 'metering:resolve', 'entitlement:read', 'agreement:read')) {
    env[ENV.productId] = c.productId;
    env[ENV.productCode] = c.productCode;
  }
  if (has('provisioning:call')) {
    env[ENV.provisioningMode] = c.provisioning.mode;
    if (c.provisioning.mode === 'built-in') env[ENV.webBaseUrl] = t.webBaseUrl;
    if (c.provisioning.webhookUrl && c.provisioning.mode === 'webhook') {
      env[ENV.provisioningWebhookUrl] = c.provisioning.webhookUrl;
      env[ENV.provisioningTimeoutMs] = String(c.provisioning.timeoutMs);
    }
    if (t.provisioning?.secretArn) env[ENV.provisioningSecretName] = t.provisioning.secretArn;
    if (t.provisioning?.eventBusName) env[ENV.provisioningEventBus] = t.provisioning.eventBusName;
    if (c.planEndGraceHours > 0) env[ENV.planEndGraceHours] = String(c.planEndGraceHours);
  }
  if (spec.trigger === 'http') {
    env[ENV.webBaseUrl] = t.webBaseUrl;
    env[ENV.supportEmail] = c.supportEmail;
    if (c.rateLimits) env[ENV.rateLimits] = JSON.stringify(c.rateLimits);
  }
  if (has('vendor-sign-in') && c.buyerOidc && t.provisioning?.oidcClientSecretArn) {
    env[ENV.buyerOidcIssuer] = c.buyerOidc.issuer;
    env[ENV.buyerOidcClientId] = c.buyerOidc.clientId;
    env[ENV.buyerOidcClientSecret] = t.provisioning.oidcClientSecretArn;
    if (c.buyerOidc.name) env[ENV.buyerOidcName] = c.buyerOidc.name;
    if (c.buyerOidc.tokenAuthMethod) env[ENV.buyerOidcTokenAuth] = c.buyerOidc.tokenAuthMethod;
  }
  return env;
}
