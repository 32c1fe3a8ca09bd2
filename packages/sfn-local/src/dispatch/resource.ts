/** Parsing of Task `Resource` ARNs into what a dispatcher needs to know. */

export type IntegrationPattern = 'request-response' | 'waitForTaskToken' | 'sync';

export type ParsedResource =
  /** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`: the state input is the payload. */
  | { readonly kind: 'lambda-function'; readonly functionName: string }
  /** `arn:aws:states:::<service>:<action>[.<pattern>]`: an optimized integration. */
  | {
      readonly kind: 'optimized';
      readonly service: string;
      readonly action: string;
      readonly pattern: IntegrationPattern;
    }
  /** `arn:aws:states:::aws-sdk:<service>:<action>[.<pattern>]`: any AWS SDK call. */
  | {
      readonly kind: 'aws-sdk';
      readonly service: string;
      readonly action: string;
      readonly pattern: IntegrationPattern;
    }
  | { readonly kind: 'unknown' };

const LAMBDA_ARN = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:.+$/;
const STATES_INTEGRATION =
  /^arn:[^:]+:states:::(aws-sdk:)?([A-Za-z0-9-]+):([A-Za-z0-9]+)(?:\.(waitForTaskToken|sync(?::2)?))?$/;

export function parseResource(resource: string): ParsedResource {
  if (LAMBDA_ARN.test(resource)) return { kind: 'lambda-function', functionName: resource };
  const match = STATES_INTEGRATION.exec(resource);
  if (!match) return { kind: 'unknown' };
  const [, sdk, service = '', action = '', suffix] = match;
  const pattern: IntegrationPattern =
    suffix === 'waitForTaskToken' ? 'waitForTaskToken' : suffix ? 'sync' : 'request-response';
  return { kind: sdk ? 'aws-sdk' : 'optimized', service, action, pattern };
}

/** A Lambda function reference in any form Lambda accepts: name, name:qualifier, partial ARN or full ARN. */
export interface FunctionRef {
  readonly name: string;
  readonly qualifier?: string;
  readonly region?: string;
  readonly accountId?: string;
}

export function parseFunctionRef(ref: string): FunctionRef {
  const parts = ref.split(':');
  if (parts[0] === 'arn' && parts.length >= 7 && parts[5] === 'function') {
    return withQualifier(
      { name: parts[6] ?? '', region: parts[3] || undefined, accountId: parts[4] || undefined },
      parts[7],
    );
  }
  if (parts.length >= 3 && parts[1] === 'function') {
    return withQualifier({ name: parts[2] ?? '', accountId: parts[0] || undefined }, parts[3]);
  }
  return withQualifier({ name: parts[0] ?? '' }, parts[1]);
}

function withQualifier(
  ref: { name: string; region?: string | undefined; accountId?: string | undefined },
  qualifier: string | undefined,
): FunctionRef {
  const out: { -readonly [K in keyof FunctionRef]: FunctionRef[K] } = { name: ref.name };
  if (qualifier) out.qualifier = qualifier;
  if (ref.region) out.region = ref.region;
  if (ref.accountId) out.accountId = ref.accountId;
  return out;
}
