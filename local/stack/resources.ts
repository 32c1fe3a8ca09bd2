/**
 * The resources of the synthesized template as the local stack names them, and the intrinsic context that turns
 * the template's Refs and ARNs into those local names (the same definition, locally).
 */
import { type IntrinsicContext, resolveIntrinsics } from './intrinsics.js';
import type { CfnResource, CfnTemplate } from './template.js';

export interface LocalFunction {
  readonly logicalId: string;
  /** The catalogue name (workflows/contracts/functions.ts), from the resource's `mo:function` metadata. */
  readonly catalogName: string;
  readonly functionName: string;
  readonly arn: string;
  /** The function's environment with every intrinsic resolved to its local value. */
  readonly environment: Readonly<Record<string, string>>;
  /** The function's `Timeout` (Lambda's default, 3 s, when the template gives none). */
  readonly timeoutSeconds: number;
  /** The function's `MemorySize` (Lambda's default, 128 MB, when the template gives none). */
  readonly memoryMb: number;
  /** The template's `Handler` (`index.handler`). */
  readonly handler: string;
  /**
   * Where its code is in the cloud assembly (`aws:asset:path` metadata, else `asset.<S3Key hash>`), relative to the
   * assembly folder; absent for inline code.
   */
  readonly assetPath?: string;
}

export interface LocalStateMachine {
  readonly logicalId: string;
  /** What it runs (`mo:state-machine` metadata): `onboarding`, `lifecycle`. */
  readonly role: string;
  readonly name: string;
  readonly arn: string;
  readonly definition: string;
}

export interface LocalResources {
  readonly context: IntrinsicContext;
  readonly functions: readonly LocalFunction[];
  /** The onboarding state machine. */
  readonly stateMachine: LocalStateMachine;
  /** Every state machine of the template (the onboarding's and the lifecycle's). */
  readonly stateMachines: readonly LocalStateMachine[];
}

export interface ResourceOptions {
  readonly region: string;
  readonly accountId: string;
  /** Local values of template attributes that have one, e.g. the HTTP API's `ApiEndpoint` = the web URL. */
  readonly attributes?: (logicalId: string, resource: CfnResource, attribute: string) => string | undefined;
}

/** The local name of a bucket without a BucketName: its logical id in lower case (S3's naming rules). */
export const bucketName = (logicalId: string) =>
  logicalId
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63);

export function localResources(template: CfnTemplate, options: ResourceOptions): LocalResources {
  const resources = template.Resources ?? {};
  const { region, accountId } = options;
  const prop = (r: CfnResource, key: string) =>
    typeof r.Properties?.[key] === 'string' ? (r.Properties[key] as string) : undefined;
  const nameOf = (logicalId: string, r: CfnResource): string => {
    switch (r.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return prop(r, 'TableName') ?? logicalId;
      case 'AWS::S3::Bucket':
        return prop(r, 'BucketName') ?? bucketName(logicalId);
      case 'AWS::Lambda::Function':
        return prop(r, 'FunctionName') ?? logicalId;
      case 'AWS::StepFunctions::StateMachine':
        return prop(r, 'StateMachineName') ?? logicalId;
      case 'AWS::SecretsManager::Secret':
        return prop(r, 'Name') ?? logicalId;
      case 'AWS::SES::EmailIdentity':
        return prop(r, 'EmailIdentity') ?? logicalId;
      default:
        return logicalId;
    }
  };
  const arnOf = (logicalId: string, r: CfnResource): string => {
    const name = nameOf(logicalId, r);
    switch (r.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${name}`;
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${region}:${accountId}:${name}`;
      case 'AWS::SecretsManager::Secret':
        return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}`;
      default:
        return `arn:aws:local:${region}:${accountId}:${logicalId}`;
    }
  };
  const resource = (logicalId: string): CfnResource => {
    const r = resources[logicalId];
    if (!r) throw new Error(`the template has no resource ${logicalId}`);
    return r;
  };

  const context: IntrinsicContext = {
    region,
    accountId,
    ref(logicalId) {
      const r = resource(logicalId);
      // Ref returns the ARN for state machines, topics and secrets, the name for the rest we use.
      return ['AWS::StepFunctions::StateMachine', 'AWS::SNS::Topic', 'AWS::SecretsManager::Secret'].includes(
        r.Type,
      )
        ? arnOf(logicalId, r)
        : nameOf(logicalId, r);
    },
    getAtt(logicalId, attribute) {
      const r = resource(logicalId);
      const local = options.attributes?.(logicalId, r, attribute);
      if (local !== undefined) return local;
      if (attribute === 'Arn') return arnOf(logicalId, r);
      if (attribute === 'Name') return nameOf(logicalId, r);
      // Attributes with no local meaning (Cognito domains, log group ARNs, ...) keep a recognisable placeholder.
      return `local:${logicalId}.${attribute}`;
    },
  };

  const functions: LocalFunction[] = [];
  const stateMachines: LocalStateMachine[] = [];
  for (const [logicalId, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::Lambda::Function') {
      const catalogName = r.Metadata?.['mo:function'];
      if (typeof catalogName !== 'string') continue; // CDK's own helper functions (log retention, ...)
      const variables = ((r.Properties?.Environment as { Variables?: unknown } | undefined)?.Variables ??
        {}) as object;
      functions.push({
        logicalId,
        catalogName,
        functionName: nameOf(logicalId, r),
        arn: arnOf(logicalId, r),
        environment: resolveIntrinsics(variables, context) as Record<string, string>,
        timeoutSeconds: typeof r.Properties?.Timeout === 'number' ? r.Properties.Timeout : 3,
        memoryMb: typeof r.Properties?.MemorySize === 'number' ? r.Properties.MemorySize : 128,
        handler: typeof r.Properties?.Handler === 'string' ? r.Properties.Handler : 'index.handler',
        ...assetPathOf(r),
      });
    } else if (r.Type === 'AWS::StepFunctions::StateMachine') {
      const body = r.Properties?.DefinitionString ?? JSON.stringify(r.Properties?.Definition);
      const role = r.Metadata?.['mo:state-machine'];
      stateMachines.push({
        logicalId,
        role: typeof role === 'string' ? role : 'onboarding',
        name: nameOf(logicalId, r),
        arn: arnOf(logicalId, r),
        definition: String(resolveIntrinsics(body, context)),
      });
    }
  }
  const onboarding = stateMachines.filter((m) => m.role === 'onboarding');
  const stateMachine = onboarding[0];
  if (!stateMachine || onboarding.length > 1)
    throw new Error(
      `the template must have one onboarding state machine (mo:state-machine metadata), found ${onboarding.length}`,
    );
  return { context, functions, stateMachine, stateMachines };
}

function assetPathOf(r: CfnResource): { assetPath?: string } {
  const metadata = r.Metadata?.['aws:asset:path'];
  if (typeof metadata === 'string') return { assetPath: metadata };
  const key = (r.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key;
  return typeof key === 'string' ? { assetPath: `asset.${key.replace(/\.zip$/, '')}` } : {};
}

/**
 * The template with every rule's EventPattern resolved to local values (a pattern may name the state machine's
 * ARN); targets stay as they are so the bus can map them to the template's functions.
 */
export function withResolvedEventPatterns(template: CfnTemplate, context: IntrinsicContext): CfnTemplate {
  const resources = Object.fromEntries(
    Object.entries(template.Resources ?? {}).map(([id, r]) =>
      r.Type === 'AWS::Events::Rule' && r.Properties?.EventPattern
        ? [
            id,
            {
              ...r,
              Properties: {
                ...r.Properties,
                EventPattern: resolveIntrinsics(r.Properties.EventPattern, context),
              },
            },
          ]
        : [id, r],
    ),
  );
  return { ...template, Resources: resources };
}
