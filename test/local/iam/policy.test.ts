/**
 * The local IAM evaluator (local/iam/policy.ts) on statements shaped like the synthesized template's: actions and
 * ARNs with wildcards, the catalog and agreement conditions the template uses, explicit deny, unknown operators.
 */
import { describe, expect, it } from 'vitest';
import {
  type AuthorizationRequest,
  arnMatches,
  assertEvaluable,
  denialMessage,
  evaluate,
  type PolicyDocument,
} from '../../../local/iam/policy.js';

const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/Onboarding';
const doc = (...Statement: PolicyDocument['Statement'][]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: Statement.flat(),
});

const ROLE = doc(
  { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: [TABLE, `${TABLE}/index/*`] },
  { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: TABLE },
  {
    Effect: 'Allow',
    Action: 'aws-marketplace:StartChangeSet',
    Resource: '*',
    Condition: { StringEquals: { 'catalog:ChangeType': 'CreateOfferOnProduct' } },
  },
  {
    Effect: 'Allow',
    Action: ['aws-marketplace:DescribeAgreement'],
    Resource: '*',
    Condition: {
      StringEquals: { 'aws-marketplace:PartyType': 'Proposer' },
      'ForAllValues:StringEquals': { 'aws-marketplace:AgreementType': ['PurchaseAgreement'] },
    },
  },
  { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::archive/*' },
);

const decide = (request: AuthorizationRequest, policies: readonly PolicyDocument[] = [ROLE]) =>
  evaluate(policies, request).effect;

describe('evaluate', () => {
  it('allows a granted action on its resource and on a wildcard index ARN, case-insensitively for the action', () => {
    expect(decide({ action: 'dynamodb:PutItem', resource: TABLE })).toBe('Allow');
    expect(decide({ action: 'DynamoDB:getitem', resource: TABLE })).toBe('Allow');
    expect(decide({ action: 'dynamodb:Query', resource: `${TABLE}/index/byBuyer` })).toBe('Allow');
    expect(decide({ action: 's3:PutObject', resource: 'arn:aws:s3:::archive/2026/12/x.json' })).toBe('Allow');
  });

  it('denies implicitly an action, a table or a bucket the role does not name', () => {
    expect(decide({ action: 'dynamodb:DeleteItem', resource: TABLE })).toBe('ImplicitDeny');
    expect(decide({ action: 'dynamodb:PutItem', resource: `${TABLE}/index/byBuyer` })).toBe('ImplicitDeny');
    expect(
      decide({ action: 'dynamodb:PutItem', resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/Other' }),
    ).toBe('ImplicitDeny');
    expect(decide({ action: 's3:PutObject', resource: 'arn:aws:s3:::archive-other/x' })).toBe('ImplicitDeny');
  });

  it('evaluates the conditions the template uses: StringEquals, and ForAllValues over a multi-valued key', () => {
    const changeSet = (types: string) => ({
      action: 'aws-marketplace:StartChangeSet',
      resource: 'arn:aws:aws-marketplace:us-east-1:123456789012:AWSMarketplace/Offer/offer-1',
      context: { 'catalog:ChangeType': types },
    });
    expect(decide(changeSet('CreateOfferOnProduct'))).toBe('Allow');
    expect(decide(changeSet('UpdateLegalTerms'))).toBe('ImplicitDeny');
    expect(
      decide({ action: 'aws-marketplace:StartChangeSet', resource: '*', context: {} }),
      'a missing key fails StringEquals',
    ).toBe('ImplicitDeny');

    const agreement = (context: Record<string, string | string[]>) => ({
      action: 'aws-marketplace:DescribeAgreement',
      resource: '*',
      context,
    });
    expect(
      decide(
        agreement({
          'aws-marketplace:PartyType': 'Proposer',
          'aws-marketplace:AgreementType': ['PurchaseAgreement'],
        }),
      ),
    ).toBe('Allow');
    expect(decide(agreement({ 'aws-marketplace:PartyType': 'Acceptor' }))).toBe('ImplicitDeny');
    expect(
      decide(
        agreement({
          'aws-marketplace:PartyType': 'Proposer',
          'aws-marketplace:AgreementType': ['PurchaseAgreement', 'OtherAgreement'],
        }),
      ),
    ).toBe('ImplicitDeny');
  });

  it('lets an explicit deny win over an allow, and NotAction/NotResource exclude', () => {
    const deny = doc({ Effect: 'Deny', Action: 'dynamodb:*', Resource: TABLE });
    expect(decide({ action: 'dynamodb:PutItem', resource: TABLE }, [ROLE, deny])).toBe('ExplicitDeny');
    const allBut = doc({ Effect: 'Allow', NotAction: 'dynamodb:Delete*', NotResource: `${TABLE}/index/*` });
    expect(decide({ action: 'dynamodb:PutItem', resource: TABLE }, [allBut])).toBe('Allow');
    expect(decide({ action: 'dynamodb:DeleteItem', resource: TABLE }, [allBut])).toBe('ImplicitDeny');
    expect(decide({ action: 'dynamodb:Query', resource: `${TABLE}/index/x` }, [allBut])).toBe('ImplicitDeny');
  });
});

describe('arnMatches', () => {
  it('matches the region and account segments on their own, the resource part as a whole', () => {
    expect(
      arnMatches(
        'arn:aws:states:*:123456789012:execution:Onboarding:*',
        'arn:aws:states:us-east-1:123456789012:execution:Onboarding:abc',
      ),
    ).toBe(true);
    expect(
      arnMatches(
        'arn:aws:states:us-east-1:*:stateMachine:Onboarding',
        'arn:aws:states:us-east-1:123456789012:stateMachine:Onboarding',
      ),
    ).toBe(true);
    expect(
      arnMatches(
        'arn:aws:states:us-east-1:123456789012:stateMachine:Onboarding',
        'arn:aws:states:us-east-1:123456789012:stateMachine:Onboarding2',
      ),
    ).toBe(false);
    expect(
      arnMatches(
        'arn:aws:lambda:us-east-1:123456789012:function:f?',
        'arn:aws:lambda:us-east-1:123456789012:function:f1',
      ),
    ).toBe(true);
  });
});

describe('refusals', () => {
  it('refuses a policy with a condition operator it does not evaluate, and words a denial as AWS does', () => {
    expect(() =>
      assertEvaluable(
        doc({
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01' } },
        }),
      ),
    ).toThrow(/DateGreaterThan is not evaluated locally/);
    const request = { action: 'dynamodb:DeleteItem', resource: TABLE };
    expect(
      denialMessage('arn:aws:sts::123456789012:assumed-role/R/f', request, evaluate([ROLE], request)),
    ).toBe(
      `User: arn:aws:sts::123456789012:assumed-role/R/f is not authorized to perform: dynamodb:DeleteItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:DeleteItem action`,
    );
  });
});
