/**
 * cdk-nag AwsSolutions acknowledgements, each with its reason. Prefer fixing over adding here.
 *
 * IAM5 (wildcards) is not acknowledged wholesale: for every wildcard finding of every policy in the stack, each
 * statement that produces it must match one of WILDCARD_REASONS (action and resource); the reasons found become the
 * acknowledgement. A new wildcard without a known reason stays a finding and stops synthesis.
 */
import {
  AspectPriority,
  Aspects,
  type IAspect,
  type Stack,
  Stack as StackClass,
  Validations,
} from 'aws-cdk-lib';
import { CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

interface WildcardReason {
  readonly actions: RegExp;
  readonly resource: RegExp;
  readonly reason: string;
}

/** Why a wildcard is the narrowest IAM allows, by action and resource pattern. */
export const WILDCARD_REASONS: readonly WildcardReason[] = [
  {
    actions: /^xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)$/,
    resource: /^\*$/,
    reason:
      'X-Ray tracing (Lambda and Step Functions): X-Ray has no resource-level permissions for sending traces.',
  },
  {
    actions:
      /^logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)$/,
    resource: /^\*$/,
    reason:
      'Step Functions logging to CloudWatch Logs: the vended-log delivery APIs support no resource-level permissions.',
  },
  {
    actions: /^aws-marketplace:ResolveCustomer$/,
    resource: /^\*$/,
    reason: 'Marketplace Metering ResolveCustomer defines no resource types in IAM (Resource must be *).',
  },
  {
    actions: /^aws-marketplace:GetEntitlements$/,
    resource: /^\*$/,
    reason: 'Marketplace Entitlement GetEntitlements defines no resource types in IAM (Resource must be *).',
  },
  {
    actions: /^aws-marketplace:(SearchAgreements|DescribeAgreement|GetAgreementTerms)$/,
    resource: /^\*$/,
    reason:
      'Marketplace Agreement API defines no resource types; limited by the conditions PartyType=Proposer and AgreementType=PurchaseAgreement, as in the AWS managed policy AWSMarketplaceSellerOfferManagement.',
  },
  {
    actions:
      /^aws-marketplace:(SendAgreementCancellationRequest|GetAgreementCancellationRequest|CancelAgreementCancellationRequest)$/,
    resource: /^\*$/,
    reason:
      "The seller's cancellation requests (web function: sales and admins in the deal view; agreement-episode: GetAgreementCancellationRequest alone, when no answer came): the Agreement API defines no resource types for them; limited by the conditions PartyType=Proposer and AgreementType=PurchaseAgreement, as in the AWS managed policy AWSMarketplaceSellerFullAccess.",
  },
  {
    actions: /^aws-marketplace:(DescribeChangeSet|ListChangeSets)$/,
    resource: /^\*$/,
    reason:
      'Marketplace Catalog change-set reads are granted on * in the AWS managed policy AWSMarketplaceSellerOfferManagement; change-set ids are only known after StartChangeSet.',
  },
  {
    actions: /^aws-marketplace:StartChangeSet$/,
    resource: /^\*$/,
    reason:
      'Creating a private offer on the product (StartChangeSet with CreateOffer): allowed on * only with the condition catalog:ChangeType=CreateOfferOnProduct, as in AWSMarketplaceSellerOfferManagement.',
  },
  {
    actions: /^aws-marketplace:(StartChangeSet|DescribeEntity)$/,
    resource: /:aws-marketplace:[^:]+:<AWS::AccountId>:AWSMarketplace\/(Offer|ChangeSet)\/\*$/,
    reason:
      'Offers and change sets are created per onboarding, so their ids are unknown at deploy time; scoped to this account, the Marketplace region and the Offer/ChangeSet types.',
  },
  {
    actions: /^lambda:InvokeFunction$/,
    resource: /^<[^>]+\.Arn>:\*$/,
    reason:
      'The state machine may invoke any version or alias of each of its own task functions (<function ARN>:*, as tasks.LambdaInvoke grants); the function itself is exact.',
  },
  {
    actions: /^states:(DescribeExecution|GetExecutionHistory|DescribeStateMachineForExecution)$/,
    resource: /:states:<AWS::Region>:<AWS::AccountId>:execution:[A-Za-z0-9-]+:\*$/,
    reason:
      'Executions are named by onboarding id at run time; the ARN pattern is limited to executions of the onboarding state machine.',
  },
  {
    actions: /^s3:(PutObject|GetObject|GetObjectVersion)$/,
    resource: /^<[A-Za-z0-9]+\.Arn>\/\*$/,
    reason:
      'Archived histories are objects keyed by execution in the one audit archive bucket (Object Lock keeps them immutable).',
  },
];

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: unknown;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The reasons covering one wildcard resource of a policy document, or undefined if any statement is unexplained. */
export function reasonsForWildcard(
  statements: readonly Statement[],
  flatResource: string,
): string[] | undefined {
  const reasons = new Set<string>();
  for (const s of statements) {
    if (s.Effect !== 'Allow') continue;
    if (!list(s.Resource).some((r) => flattenCfnReference(r) === flatResource)) continue;
    for (const action of list(s.Action)) {
      const match = WILDCARD_REASONS.find((w) => w.actions.test(action) && w.resource.test(flatResource));
      if (!match) return undefined;
      reasons.add(match.reason);
    }
  }
  return reasons.size > 0 ? [...reasons] : undefined;
}

/**
 * Acknowledges IAM5 findings at synthesis (an Aspect), so it sees each policy as it is finally synthesized: a
 * statement added after the stack was built is judged too.
 */
export class AcknowledgeExplainedWildcards implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof CfnPolicy)) return;
    const doc = StackClass.of(node).resolve(node.policyDocument) as { Statement?: Statement[] };
    const statements = doc.Statement ?? [];
    const wildcards = new Set(
      statements
        .filter((s) => s.Effect === 'Allow')
        .flatMap((s) => list(s.Resource).map((r) => flattenCfnReference(r)))
        .filter((r) => r.includes('*')),
    );
    for (const resource of wildcards) {
      const reasons = reasonsForWildcard(statements, resource);
      if (reasons) {
        Validations.of(node).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${resource}]`,
          reason: reasons.join(' '),
        });
      }
    }
  }
}

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** Applies every acknowledgement (IAM5 ones at synthesis). Call at the end of the stack's constructor. */
export function applySuppressions(stack: Stack): void {
  // Before cdk-nag copies acknowledgements into the template (its Aspect has the default priority).
  Aspects.of(stack).add(new AcknowledgeExplainedWildcards(), { priority: AspectPriority.MUTATING });
  for (const node of stack.node.findAll()) {
    if (node instanceof CfnRoute) {
      acknowledge(
        node,
        'AwsSolutions-APIG4',
        'One Hono app serves every route and authenticates itself: staff through Cognito (ID token verified with openid-client, signature included, role from cognito:groups), buyers through signed, expiring sessions bound to one onboarding. The inquiry form and the Marketplace fulfillment POST (the buyer browser arriving from AWS Marketplace with x-amzn-marketplace-token) must be reachable without credentials, so no API Gateway authorizer can sit in front of them.',
      );
    }
  }
  const secret = stack.node.tryFindChild('SessionSecret');
  if (secret) {
    acknowledge(
      secret,
      'AwsSolutions-SMG4',
      'HMAC key of short-lived web sessions (at most 12 h) and CSRF tokens, read once per Lambda container. Automatic rotation would sign out every user and void open forms without a dual-key window; rotate deliberately with put-secret-value (README "Deploy").',
    );
  }
  const signing = stack.node.tryFindChild('Provisioning')?.node.tryFindChild('SigningSecret');
  if (signing) {
    acknowledge(
      signing,
      'AwsSolutions-SMG4',
      "Shared HMAC key of the provisioning API: the vendor's receiver holds a copy, so an automatic rotation would make every call fail until the vendor updates it. Rotate deliberately with the vendor (docs/vendor-saas.md): their receiver accepts the old and the new key for a while, then put-secret-value.",
    );
  }
  const oidc = stack.node.tryFindChild('Provisioning')?.node.tryFindChild('OidcClientSecret');
  if (oidc) {
    acknowledge(
      oidc,
      'AwsSolutions-SMG4',
      "The client secret is issued by the vendor's OpenID provider, not by this stack: rotate it there, then put-secret-value (docs/vendor-saas.md); a rotation Lambda here could not change it at the provider.",
    );
  }
  const dlq = stack.node.tryFindChild('Events')?.node.tryFindChild('DeadLetters');
  if (dlq) {
    acknowledge(
      dlq,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the event rules, the SNS subscription and the asynchronous invocations.',
    );
  }
}
