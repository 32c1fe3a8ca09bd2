/** Least privilege: every grant names exact ARNs; the few `*` are the Marketplace/X-Ray/Logs APIs that need them. */
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../workflows/contracts/functions.js';
import { WORKFLOW_FUNCTIONS } from '../../workflows/functions.js';
import { build, type Statement, statementsOfRole } from './support.js';

let t: ReturnType<typeof build>;
let ids: Record<string, string>;
beforeAll(() => {
  t = build();
  const id = (type: string, pattern: RegExp) =>
    t.byType(type).find(([logicalId]) => pattern.test(logicalId))?.[0] as string;
  ids = {
    table: id('AWS::DynamoDB::Table', /^DataOnboardingTable/),
    idempotency: id('AWS::DynamoDB::Table', /^DataIdempotencyTable/),
    archive: id('AWS::S3::Bucket', /^ArchiveBucket/),
    email: id('AWS::SES::EmailIdentity', /^EmailIdentity/),
    secret: id('AWS::SecretsManager::Secret', /^SessionSecret/),
    stateMachine: t.byType('AWS::StepFunctions::StateMachine')[0]?.[0] as string,
  };
});

const SM_ARN =
  'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:MarketplaceOnboarding-Onboarding';
/** The `*` a statement may have: APIs without resource-level permissions (reasons in infra/nag.ts). */
const UNSCOPABLE =
  /^(xray:|aws-marketplace:(ResolveCustomer|GetEntitlements|SearchAgreements|DescribeAgreement|GetAgreementTerms|DescribeChangeSet|ListChangeSets|StartChangeSet|SendAgreementCancellationRequest|GetAgreementCancellationRequest|CancelAgreementCancellationRequest)$)/;

const roleOf = (fn: string): string => {
  const role = t.resources[t.functionIds[fn] as string]?.Properties.Role as {
    'Fn::GetAtt': [string, string];
  };
  return role['Fn::GetAtt'][0];
};
const statementsOf = (fn: string): Statement[] => statementsOfRole(t.resources, roleOf(fn));
const grantsOf = (statements: Statement[], action: string) =>
  statements.filter((s) => s.Action.includes(action)).flatMap((s) => s.Resource);

describe('function roles', () => {
  it('have no managed policies and can only be assumed by Lambda', () => {
    for (const spec of FUNCTIONS) {
      const role = t.resources[roleOf(spec.name)];
      expect(role?.Properties.ManagedPolicyArns, spec.name).toBeUndefined();
      expect(JSON.stringify(role?.Properties.AssumeRolePolicyDocument)).toContain('lambda.amazonaws.com');
    }
  });

  it('write logs only to their own log group', () => {
    for (const spec of FUNCTIONS) {
      const logs = statementsOf(spec.name).filter((s) => s.Action.some((a) => a.startsWith('logs:')));
      expect(
        logs.flatMap((s) => s.Resource),
        spec.name,
      ).toEqual([expect.stringMatching(/Logs[0-9A-F]{8}\.Arn$/)]);
    }
  });

  it('callbacks (SendTaskSuccess/Failure/Heartbeat) only on the two state machines, only with states:callback; starts only with states:start / lifecycle:start', () => {
    const smName = t.resources[ids.stateMachine as string]?.Properties.StateMachineName;
    expect(SM_ARN.endsWith(`:stateMachine:${smName}`)).toBe(true);
    const lifecycleArn = SM_ARN.replace(/-Onboarding$/, '-Lifecycle');
    for (const spec of FUNCTIONS) {
      const s = statementsOf(spec.name);
      const access = spec.access as readonly string[];
      const expected = access.includes('states:callback') ? [lifecycleArn, SM_ARN] : [];
      for (const action of ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat']) {
        expect(grantsOf(s, action).sort(), `${spec.name} ${action}`).toEqual(expected);
      }
      const start = [
        ...(access.includes('lifecycle:start') ? [lifecycleArn] : []),
        ...(access.includes('states:start') ? [SM_ARN] : []),
      ];
      expect(grantsOf(s, 'states:StartExecution').sort(), spec.name).toEqual(start);
    }
  });

  it('execution reads are limited to executions of the onboarding state machine', () => {
    const reads = grantsOf(statementsOf('archive-history'), 'states:GetExecutionHistory');
    expect(reads).toEqual([
      'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:MarketplaceOnboarding-Onboarding:*',
    ]);
    expect(grantsOf(statementsOf('open-human-task'), 'states:GetExecutionHistory')).toEqual([]);
  });

  it('DynamoDB actions only on the onboarding table, its indexes and the idempotency table', () => {
    // Prepare
    const allowed = new Set([
      `${ids.table}.Arn`,
      `${ids.table}.Arn/index/byStage`,
      `${ids.table}.Arn/index/byOffer`,
      `${ids.table}.Arn/index/byBuyer`,
      `${ids.table}.Arn/index/byCompany`,
      `${ids.table}.Arn/index/byContact`,
      `${ids.table}.Arn/index/byUpdate`,
      `${ids.table}.Arn/index/byDue`,
      `${ids.idempotency}.Arn`,
    ]);

    // Act / Assess, per function
    for (const spec of FUNCTIONS) {
      const dynamo = statementsOf(spec.name).filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')));
      const resources = dynamo.flatMap((s) => s.Resource);
      expect(
        resources.filter((r) => !allowed.has(r)),
        spec.name,
      ).toEqual([]);
      // Writes never go to an index, and only functions with table:write may write.
      const writes = grantsOf(statementsOf(spec.name), 'dynamodb:PutItem').sort();
      const writer = (spec.access as readonly string[]).includes('table:write');
      expect(writes, spec.name).toEqual(writer ? [`${ids.idempotency}.Arn`, `${ids.table}.Arn`] : []);
    }
    expect(grantsOf(statementsOf('web'), 'dynamodb:Query').sort()).toEqual(
      [...allowed].filter((a) => !a.startsWith(ids.idempotency as string)).sort(),
    );
  });

  it('SES only from the configured identity; S3 only on the archive (write: archive-history; read: web)', () => {
    const identity = `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/${ids.email}`;
    for (const spec of FUNCTIONS) {
      const send = grantsOf(statementsOf(spec.name), 'ses:SendEmail');
      expect(send, spec.name).toEqual(
        (spec.access as readonly string[]).includes('email:send') ? [identity] : [],
      );
    }
    expect(grantsOf(statementsOf('archive-history'), 's3:PutObject')).toEqual([`${ids.archive}.Arn/*`]);
    expect(grantsOf(statementsOf('web'), 's3:PutObject')).toEqual([]);
    expect(grantsOf(statementsOf('web'), 's3:GetObject')).toEqual([`${ids.archive}.Arn/*`]);
    expect(grantsOf(statementsOf('web'), 'secretsmanager:GetSecretValue')).toEqual([ids.secret]);
  });

  it('no `*` resource except the APIs that cannot be scoped, and those carry the managed-policy conditions', () => {
    // Act
    const wildcard = FUNCTIONS.flatMap((spec) =>
      statementsOf(spec.name)
        .filter((x) => x.Resource.includes('*'))
        .map((s) => ({ fn: spec.name, ...s })),
    );
    const conditionsOf = (action: string) =>
      wildcard.filter((s) => s.Action.includes(action)).map((s) => s.Condition);

    // Assess
    expect(
      wildcard.flatMap((s) => s.Action.filter((a) => !UNSCOPABLE.test(a)).map((a) => `${s.fn}: ${a}`)),
    ).toEqual([]);
    // Every such statement carries the condition (and there are some).
    const everyOne = (action: string, condition: unknown) => {
      const conditions = conditionsOf(action);
      expect(conditions.length, action).toBeGreaterThan(0);
      expect(conditions, action).toEqual(conditions.map(() => condition));
    };
    everyOne('aws-marketplace:StartChangeSet', {
      StringEquals: { 'catalog:ChangeType': 'CreateOfferOnProduct' },
    });
    const proposerOfPurchaseAgreements = {
      StringEquals: { 'aws-marketplace:PartyType': 'Proposer' },
      'ForAllValues:StringEquals': { 'aws-marketplace:AgreementType': ['PurchaseAgreement'] },
    };
    for (const action of [
      'aws-marketplace:DescribeAgreement',
      'aws-marketplace:SendAgreementCancellationRequest',
      'aws-marketplace:GetAgreementCancellationRequest',
      'aws-marketplace:CancelAgreementCancellationRequest',
    ])
      everyOne(action, proposerOfPurchaseAgreements);
    const offers = grantsOf(statementsOf('create-offer'), 'aws-marketplace:StartChangeSet');
    expect(offers).toContain(
      'arn:<AWS::Partition>:aws-marketplace:us-east-1:<AWS::AccountId>:AWSMarketplace/Offer/*',
    );
    expect(grantsOf(statementsOf('create-offer'), 'aws-marketplace:DescribeEntity')).toContain(
      'arn:<AWS::Partition>:aws-marketplace:us-east-1:<AWS::AccountId>:AWSMarketplace/SaaSProduct/prod-example0000000',
    );
    expect(grantsOf(statementsOf('record-inquiry'), 'aws-marketplace:StartChangeSet')).toEqual([]);
  });
});

describe('state machine role', () => {
  it('invokes exactly the workflow functions (and their versions), nothing else', () => {
    const roleArn = t.resources[ids.stateMachine as string]?.Properties.RoleArn as
      | { 'Fn::GetAtt': [string] }
      | undefined;
    const role = roleArn?.['Fn::GetAtt'][0] ?? '';
    const statements = statementsOfRole(t.resources, role);
    const invoked = grantsOf(statements, 'lambda:InvokeFunction').sort();
    const expected = WORKFLOW_FUNCTIONS.flatMap((n) => [
      `${t.functionIds[n]}.Arn`,
      `${t.functionIds[n]}.Arn:*`,
    ]).sort();
    expect(invoked).toEqual(expected);
    const wildcardActions = statements.filter((x) => x.Resource.includes('*')).flatMap((s) => s.Action);
    expect(wildcardActions.filter((a) => !/^(xray:|logs:)/.test(a))).toEqual([]);
  });
});

describe('staff CLI roles (STAFF_IDENTITY=aws)', () => {
  const cliRoles = () => t.byType('AWS::IAM::Role').filter(([logicalId]) => /^StaffCliCli/.test(logicalId));

  it('one role per staff role, assumable only within the account, named in the StaffCliRoles output', () => {
    // Act
    const roles = cliRoles();
    const output = t.template.toJSON().Outputs?.StaffCliRoles?.Value;
    // Assess
    expect(roles.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'StaffCliCliadmin',
      'StaffCliCliauditor',
      'StaffCliClisales',
      'StaffCliClisupport',
    ]);
    for (const [, role] of roles) {
      const trust = JSON.stringify(role.Properties.AssumeRolePolicyDocument);
      expect(trust).toContain(':root');
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    expect(JSON.stringify(output)).toContain('"auditor');
  });

  it("gives the auditor's role reads only, and the acting roles the callbacks", () => {
    // Prepare
    const [auditor] = cliRoles().filter(([id]) => id.startsWith('StaffCliCliauditor'));
    const [sales] = cliRoles().filter(([id]) => id.startsWith('StaffCliClisales'));
    // Act
    const auditorActions = statementsOfRole(t.resources, auditor?.[0] as string).flatMap((s) => s.Action);
    const salesActions = statementsOfRole(t.resources, sales?.[0] as string).flatMap((s) => s.Action);
    // Assess
    expect(auditorActions).toContain('dynamodb:Query');
    expect(auditorActions.filter((a) => /Put|Update|Delete|Write|SendTask|SendEmail/.test(a))).toEqual([]);
    expect(salesActions).toEqual(expect.arrayContaining(['states:SendTaskSuccess', 'dynamodb:UpdateItem']));
  });
});
