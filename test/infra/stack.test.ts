/** The synthesized template: the resources exist with the properties the design asks for. */

import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MARKETPLACE_EVENT_PATTERN } from '../../infra/events.js';
import { MARKETPLACE_DETAIL_TYPES } from '../../tasks/domain/marketplace-signals.js';
import { IDEMPOTENCY_TABLE, ONBOARDING_TABLE } from '../../tasks/table.js';
import { cognitoAuth } from '../../web/auth/cognito.js';
import { FUNCTIONS } from '../../workflows/contracts/functions.js';
import { build, flat } from './support.js';

const SNS_TOPIC = 'arn:aws:sns:us-east-1:287250355862:aws-mp-subscription-notification-abc';
/** The defaults, and every option set the other way. */
let t: ReturnType<typeof build>;
let configured: ReturnType<typeof build>;
beforeAll(() => {
  t = build();
  configured = build({
    archiveRetentionMode: 'COMPLIANCE',
    archiveRetentionDays: '30',
    marketplaceSnsTopicArn: SNS_TOPIC,
    webBaseUrl: 'https://onboarding.example.com/',
    sesIdentity: 'onboarding@vendor.example.jp',
  });
});

describe('data', () => {
  it('the onboarding table: pk/sk, TTL, its GSIs (the name indexes with only what a row shows), on demand, PITR, KMS, retained', () => {
    t.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: ONBOARDING_TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: ONBOARDING_TABLE.sortKey, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        DeletionProtectionEnabled: true,
        GlobalSecondaryIndexes: ONBOARDING_TABLE.indexes.map((i) => ({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection:
            'include' in i
              ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...i.include] }
              : { ProjectionType: 'ALL' },
        })),
      },
    });
  });

  it('the idempotency table: id, expiration TTL, PITR, KMS', () => {
    t.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE.partitionKey, KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_TABLE.timeToLiveAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    expect(t.byType('AWS::DynamoDB::Table')).toHaveLength(2);
  });

  it('the audit archive: Object Lock (governance, 7 years), versioned, encrypted, private, TLS only, logged', () => {
    t.template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 2557 } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'archive/' },
      },
    });
    const archiveId = t.stack.getLogicalId(t.stack.archiveBucket.node.defaultChild as never);
    const policy = t.byType('AWS::S3::BucketPolicy').find(([, r]) => flat(r.Properties.Bucket) === archiveId);
    expect(JSON.stringify(policy?.[1].Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
  });

  it('retention mode and days come from the context', () => {
    configured.template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 } } },
    });
  });
});

describe('state machine', () => {
  it('Standard, JSONata, logs ALL without execution data, X-Ray, fixed name', () => {
    t.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      StateMachineName: 'MarketplaceOnboarding-Onboarding',
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
      },
      TracingConfiguration: { Enabled: true },
    });
    const [, sm] = t.byType('AWS::StepFunctions::StateMachine')[0] ?? [];
    const definition = JSON.parse(String(flat(sm?.Properties.DefinitionString)));
    expect(definition).toMatchObject({ QueryLanguage: 'JSONata', StartAt: 'Inquiry' });
  });
});

describe('functions', () => {
  it('one per catalog entry, named, ARM64, the newest Node runtime, traced, JSON logs in their own group', () => {
    expect(Object.keys(t.functionIds).sort()).toEqual(FUNCTIONS.map((f) => f.name).sort());
    for (const spec of FUNCTIONS) {
      const r = t.resources[t.functionIds[spec.name] as string];
      expect(r?.Properties, spec.name).toMatchObject({
        FunctionName: `MarketplaceOnboarding-${spec.name}`,
        Architectures: ['arm64'],
        Runtime: 'nodejs24.x',
        MemorySize: spec.memoryMb ?? 256,
        Timeout: spec.timeoutSeconds ?? 10,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.stringMatching(/Logs/) } },
      });
      const logGroup =
        (r?.Properties.LoggingConfig as { LogGroup: { Ref: string } } | undefined)?.LogGroup.Ref ?? '';
      expect(t.resources[logGroup]?.Properties.LogGroupName).toBe(
        `/aws/lambda/MarketplaceOnboarding-${spec.name}`,
      );
      expect(r?.Properties.Environment).toMatchObject({
        Variables: { NODE_OPTIONS: '--enable-source-maps' },
      });
    }
  });

  it('environment follows access: each function gets exactly the variables it needs', () => {
    const env = (name: string) =>
      flat(
        (
          t.resources[t.functionIds[name] as string]?.Properties.Environment as
            | { Variables: object }
            | undefined
        )?.Variables,
      ) as Record<string, string>;
    expect(Object.keys(env('record-inquiry')).sort()).toEqual(
      [
        'EMAIL_FROM',
        'IDEMPOTENCY_TABLE_NAME',
        'MARKETPLACE_OFFER_URL_BASE',
        'NODE_OPTIONS',
        'POWERTOOLS_SERVICE_NAME',
        'SALES_EMAIL',
        'SUPPORT_EMAIL',
        'TABLE_NAME',
        'WEB_BASE_URL',
      ].sort(),
    );
    expect(env('archive-history')).toMatchObject({ ARCHIVE_BUCKET: expect.any(String) });
    expect(env('archive-history')).not.toHaveProperty('EMAIL_FROM');
    expect(env('create-offer')).toMatchObject({ MARKETPLACE_PRODUCT_ID: 'prod-example0000000' });
    expect(env('open-human-task').STATE_MACHINE_ARN).toBe(
      'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:MarketplaceOnboarding-Onboarding',
    );
    expect(env('create-account')).not.toHaveProperty('STATE_MACHINE_ARN');
    const web = env('web');
    expect(web).toMatchObject({
      STAFF_AUTH: 'cognito',
      COGNITO_USER_POOL_ID: expect.stringMatching(/^StaffUserPool/),
      COGNITO_CLIENT_ID: expect.stringMatching(/^StaffUserPoolConsole/),
      COGNITO_DOMAIN: expect.stringMatching(
        /^https:\/\/StaffUserPoolHostedUi.*\.auth\.<AWS::Region>\.amazoncognito\.com$/,
      ),
      SESSION_SECRET: expect.stringMatching(/^SessionSecret/),
      WEB_BASE_URL: expect.stringMatching(/^WebHttpApi.*\.ApiEndpoint$/),
    });
  });

  it('every CloudFormation function names its catalog entry in Metadata', () => {
    for (const [id, r] of t.byType('AWS::Lambda::Function')) {
      expect(
        FUNCTIONS.map((f) => f.name),
        id,
      ).toContain(r.Metadata?.['mo:function']);
    }
  });
});

describe('events', () => {
  const rule = (description: RegExp) =>
    t.byType('AWS::Events::Rule').find(([, r]) => description.test(String(r.Properties.Description)))?.[1];

  it('AWS Marketplace agreement and license events → marketplace-events, with a DLQ', () => {
    const r = rule(/marketplace-events/);
    expect(r?.Properties.EventPattern).toEqual({
      source: ['aws.agreement-marketplace'],
      'detail-type': [
        'Purchase Agreement Created - Proposer',
        'Purchase Agreement Ended - Proposer',
        'Purchase Agreement Amended - Proposer',
        'Purchase Agreement Ending - Proposer',
        'License Updated - Manufacturer',
        'License Deprovisioned - Manufacturer',
        'Agreement Cancellation Request Pending Approval - Proposer',
        'Agreement Cancellation Request Approved - Proposer',
        'Agreement Cancellation Request Rejected - Proposer',
        'Agreement Cancellation Request Cancelled - Proposer',
        'Agreement Cancellation Request Validation Failed - Proposer',
        'Purchase Agreement Advisory Issued - Manufacturer',
        'Purchase Agreement Advisory Resolved - Manufacturer',
      ],
    });
    // every detail type the rule routes is one the use case parses, and the reverse
    expect([...MARKETPLACE_EVENT_PATTERN.detailType].sort()).toEqual(
      Object.keys(MARKETPLACE_DETAIL_TYPES).sort(),
    );
    const [target] = (r?.Properties.Targets ?? []) as Record<string, unknown>[];
    expect(flat(target?.Arn)).toBe(`${t.functionIds['marketplace-events']}.Arn`);
    expect(target?.DeadLetterConfig).toMatchObject({ Arn: expect.anything() });
    expect(target?.RetryPolicy).toMatchObject({ MaximumEventAgeInSeconds: 86400 });
  });

  it('terminal statuses of this state machine → archive-history', () => {
    const r = rule(/archive-history/);
    const smId = t.byType('AWS::StepFunctions::StateMachine')[0]?.[0];
    expect(flat(r?.Properties.EventPattern)).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { stateMachineArn: [smId], status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] },
    });
    expect(flat(((r?.Properties.Targets ?? []) as { Arn: unknown }[])[0]?.Arn)).toBe(
      `${t.functionIds['archive-history']}.Arn`,
    );
  });

  it('the SNS subscription exists only when a topic is configured', () => {
    expect(t.byType('AWS::SNS::Subscription')).toHaveLength(0);
    const topic = SNS_TOPIC;
    const withSns = configured;
    withSns.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: topic,
      Endpoint: { 'Fn::GetAtt': [withSns.functionIds['marketplace-sns'], 'Arn'] },
      RedrivePolicy: Match.anyValue(),
    });
    withSns.template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'sns.amazonaws.com',
      SourceArn: topic,
    });
  });
});

describe('web and staff sign-in', () => {
  it('HTTP API: every path and method to the web function, $default stage with access logs and throttling', () => {
    const routes = t.byType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(routes.sort()).toEqual(['ANY /', 'ANY /{proxy+}']);
    for (const [, i] of t.byType('AWS::ApiGatewayV2::Integration')) {
      expect(flat(i.Properties.IntegrationUri)).toBe(`${t.functionIds.web}.Arn`);
      expect(i.Properties.PayloadFormatVersion).toBe('2.0');
    }
    t.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it('Cognito: no self sign-up, strong passwords, MFA required (TOTP), Plus with threat protection', () => {
    t.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('the groups sales, support, auditor, admin and a public code-flow client for the console', () => {
    const groups = t.byType('AWS::Cognito::UserPoolGroup').map(([, r]) => r.Properties.GroupName);
    expect(groups.sort()).toEqual(['admin', 'auditor', 'sales', 'support']);
    t.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: [Match.anyValue()],
      PreventUserExistenceErrors: 'ENABLED',
    });
    configured.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://onboarding.example.com/auth/callback'],
      LogoutURLs: ['https://onboarding.example.com/auth/login'],
    });
    // the sign-out the console sends (web/routes/auth.ts) comes back to a registered URL
    const sent = cognitoAuth({
      userPoolId: 'us-east-1_AbC123',
      clientId: 'console',
      domain: 'https://onboarding.auth.us-east-1.amazoncognito.com',
    }).logoutUrl?.('https://onboarding.example.com/auth/login');
    expect(new URL(sent ?? '').searchParams.get('logout_uri')).toBe(
      'https://onboarding.example.com/auth/login',
    );
  });

  it('SES: the configured identity (domain with DKIM, or one address)', () => {
    t.template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'example.com' });
    configured.template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'onboarding@vendor.example.jp',
    });
    // A domain needs its DKIM records in DNS: the stack outputs them; a single address has none.
    expect(
      Object.keys(t.template.findOutputs('*')).filter((k) => k.startsWith('EmailDkimRecord')),
    ).toHaveLength(3);
    expect(
      Object.keys(configured.template.findOutputs('*')).filter((k) => k.startsWith('EmailDkim')),
    ).toEqual([]);
  });
});
