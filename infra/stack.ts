/**
 * The whole onboarding in one stack: tables, audit archive, SES identity, task functions, the state machine, event
 * routing, the HTTP API for the web app and the staff user pool.
 */
import { ArnFormat, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ENV } from '../tasks/table.js';
import type { FunctionName } from '../workflows/contracts/functions.js';
import { WORKFLOW_FUNCTIONS, type WorkflowFunctionName } from '../workflows/functions.js';
import type { OnboardingWorkflowProps } from '../workflows/onboarding-workflow.js';
import { type AccessTargets, INFRA_ENV } from './access.js';
import { AuditArchive } from './archive.js';
import { StaffAuth } from './auth.js';
import type { OnboardingConfig } from './config.js';
import { OnboardingData } from './data.js';
import { EmailSender } from './email.js';
import { OnboardingEvents } from './events.js';
import { TaskFunctions } from './functions.js';
import { applySuppressions } from './nag.js';
import { VendorProvisioning } from './provisioning.js';
import { StaffCliRoles } from './staff-cli.js';
import { LifecycleStateMachine, OnboardingStateMachine } from './state-machine.js';
import { WebApi } from './web.js';

export interface OnboardingStackProps extends StackProps {
  readonly config: OnboardingConfig;
  /**
   * false: no esbuild runs; every function gets placeholder code (tests, the local stack).
   * @default true
   */
  readonly bundling?: boolean;
  /**
   * Stage timeouts, offer polling and activation retries of the workflow.
   * @default - the workflow's defaults (workflows/settings.ts)
   */
  readonly workflow?: Omit<OnboardingWorkflowProps, 'functions'>;
}

export class OnboardingStack extends Stack {
  readonly config: OnboardingConfig;
  /** Every catalog function, by catalog name. */
  readonly functions: Record<FunctionName, lambda.Function>;
  /** Catalog names whose handler file was missing at synth (placeholder code). */
  readonly missingHandlers: readonly string[];
  readonly stateMachine: sfn.StateMachine;
  readonly stateMachineName: string;
  /** The lifecycle state machine (episodes of the deal after the sale). */
  readonly lifecycleStateMachine: sfn.StateMachine;
  readonly table: dynamodb.Table;
  readonly idempotencyTable: dynamodb.Table;
  readonly archiveBucket: s3.Bucket;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly httpApi: apigwv2.HttpApi;
  readonly events: OnboardingEvents;
  readonly sessionSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: OnboardingStackProps) {
    super(scope, id, props);
    const c = props.config;
    this.config = c;
    const logRetention = retentionDays(c.logRetentionDays);

    const data = new OnboardingData(this, 'Data');
    this.table = data.table;
    this.idempotencyTable = data.idempotencyTable;
    const archive = new AuditArchive(this, 'Archive', {
      retentionMode: c.archiveRetentionMode,
      retentionDays: c.archiveRetentionDays,
    });
    this.archiveBucket = archive.bucket;
    const email = new EmailSender(this, 'Email', { sesIdentity: c.sesIdentity });
    const web = new WebApi(this, 'Web', { apiName: `${c.stackName}-web`, logRetention });
    this.httpApi = web.httpApi;
    const webBaseUrl = c.webBaseUrl ?? web.url;

    this.stateMachineName = `${c.stackName}-Onboarding`;
    const lifecycleName = `${c.stackName}-Lifecycle`;
    const provisioning = new VendorProvisioning(this, 'Provisioning', {
      config: c.provisioning,
      namePrefix: c.stackName,
      ...(c.buyerOidc ? { buyerOidc: c.buyerOidc } : {}),
    });
    const targets: AccessTargets = {
      table: data.table,
      indexNames: data.indexNames,
      idempotencyTable: data.idempotencyTable,
      stateMachineName: this.stateMachineName,
      stateMachineArn: this.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName: this.stateMachineName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      lifecycleStateMachineArn: this.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName: lifecycleName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      archiveBucket: archive.bucket,
      emailIdentityArn: email.identityArn,
      webBaseUrl,
      config: c,
      provisioning: {
        ...(provisioning.signingSecret ? { secretArn: provisioning.signingSecret.secretArn } : {}),
        ...(provisioning.oidcClientSecret
          ? { oidcClientSecretArn: provisioning.oidcClientSecret.secretArn }
          : {}),
        ...(provisioning.eventBus
          ? {
              eventBusArn: provisioning.eventBus.eventBusArn,
              eventBusName: provisioning.eventBus.eventBusName,
            }
          : {}),
      },
    };
    const fns = new TaskFunctions(this, 'Functions', {
      targets,
      namePrefix: c.stackName,
      logRetention,
      ...(props.bundling === undefined ? {} : { bundling: props.bundling }),
    });
    this.functions = fns.functions;
    this.missingHandlers = fns.missingHandlers;
    const fn = (name: FunctionName): lambda.Function => {
      const f = fns.functions[name];
      if (!f)
        throw new Error(
          `OnboardingStack: workflows/contracts/functions.ts has no function ${JSON.stringify(name)}`,
        );
      return f;
    };

    const workflowFunctions = {} as Record<WorkflowFunctionName, lambda.IFunction>;
    for (const name of WORKFLOW_FUNCTIONS) workflowFunctions[name] = fn(name);
    const onboarding = new OnboardingStateMachine(this, 'Onboarding', {
      stateMachineName: this.stateMachineName,
      functions: workflowFunctions,
      logRetention,
      ...(props.workflow ? { workflow: props.workflow } : {}),
    });
    this.stateMachine = onboarding.stateMachine;
    this.lifecycleStateMachine = new LifecycleStateMachine(this, 'Lifecycle', {
      stateMachineName: lifecycleName,
      functions: { 'open-human-task': fn('open-human-task'), 'agreement-episode': fn('agreement-episode') },
      logRetention,
      role: onboarding.stateMachine.role,
      ...(props.workflow?.offerPolling ? { offerPolling: props.workflow.offerPolling } : {}),
    }).stateMachine;

    // The web app: HTTP API, staff sign-in, the session signing key.
    web.route(fn('web'));
    const staff = new StaffAuth(this, 'Staff', {
      webBaseUrl,
      domainPrefix: c.cognitoDomainPrefix ?? `${c.stackName.toLowerCase()}-${this.account}`,
      userPoolName: `${c.stackName}-staff`,
    });
    this.userPool = staff.userPool;
    this.userPoolClient = staff.client;
    this.sessionSecret = new secretsmanager.Secret(this, 'SessionSecret', {
      description: 'HMAC key of buyer/staff sessions and CSRF tokens (web); SESSION_SECRET holds its ARN',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    this.sessionSecret.grantRead(fn('web').role as iam.IRole);
    // a staff session asks every 5 minutes whether its person still holds the role (tasks/adapters/aws/cognito-groups.ts)
    staff.userPool.grant(fn('web'), 'cognito-idp:AdminGetUser', 'cognito-idp:AdminListGroupsForUser');
    const webFn = fn('web');
    webFn.addEnvironment(INFRA_ENV.staffAuth, 'cognito');
    webFn.addEnvironment(INFRA_ENV.userPoolId, staff.userPool.userPoolId);
    webFn.addEnvironment(INFRA_ENV.userPoolClientId, staff.client.userPoolClientId);
    webFn.addEnvironment(INFRA_ENV.userPoolDomain, staff.domain.baseUrl());
    webFn.addEnvironment(ENV.sessionSecretName, this.sessionSecret.secretArn);

    new StaffCliRoles(this, 'StaffCli', { targets });

    this.events = new OnboardingEvents(this, 'Events', {
      marketplaceEvents: fn('marketplace-events'),
      marketplaceSns: fn('marketplace-sns'),
      archiveHistory: fn('archive-history'),
      reconcileAgreements: fn('reconcile-agreements'),
      stateMachineArn: this.stateMachine.stateMachineArn,
      ...(c.marketplaceSnsTopicArn ? { marketplaceSnsTopicArn: c.marketplaceSnsTopicArn } : {}),
    });

    const out = (name: string, value: string, description: string) =>
      new CfnOutput(this, name, { value, description });
    out(
      'WebUrl',
      webBaseUrl,
      'Inquiry form, console, and the fulfillment URL base (<url>/marketplace/fulfillment)',
    );
    out('StateMachineArn', this.stateMachine.stateMachineArn, 'The onboarding state machine');
    out(
      'LifecycleStateMachineArn',
      this.lifecycleStateMachine.stateMachineArn,
      'The lifecycle state machine: one execution per renewal, advisory or grace period',
    );
    out('TableName', data.table.tableName, 'The onboarding table');
    out('ArchiveBucketName', archive.bucket.bucketName, 'Archived execution histories (Object Lock)');
    out('UserPoolId', staff.userPool.userPoolId, 'Staff user pool: invite staff and add them to a group');
    out('HostedUiUrl', staff.domain.baseUrl(), 'Staff sign-in (Cognito hosted UI)');
    out('DeadLetterQueueUrl', this.events.deadLetters.queueUrl, 'Events that could not be delivered');
    if (provisioning.signingSecret) {
      out(
        'ProvisioningSecretArn',
        provisioning.signingSecret.secretArn,
        "Signing secret of the provisioning API: configure the vendor's receiver with its value (docs/vendor-saas.md)",
      );
    }
    if (provisioning.oidcClientSecret) {
      out(
        'BuyerOidcClientSecretArn',
        provisioning.oidcClientSecret.secretArn,
        'Put the client secret your OpenID provider issued for the buyer pages here (put-secret-value; docs/vendor-saas.md); register the redirect URI <web URL>/buyer/oidc/callback',
      );
    }
    if (provisioning.eventBus) {
      out(
        'ProvisioningEventBusName',
        provisioning.eventBus.eventBusName,
        'Provisioning decisions (docs/vendor-saas.md)',
      );
    }

    applySuppressions(this);
  }
}

/** The CloudWatch retention at or just above the requested number of days. */
export function retentionDays(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays)
    .filter((v): v is number => typeof v === 'number' && v > 0)
    .sort((a, b) => a - b);
  const pick = allowed.find((v) => v >= days);
  if (pick === undefined) throw new Error(`logRetentionDays ${days} is longer than CloudWatch allows`);
  return pick as logs.RetentionDays;
}
