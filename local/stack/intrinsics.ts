/**
 * Resolves the CloudFormation intrinsic functions a synthesized CDK template uses (Ref, Fn::GetAtt, Fn::Join,
 * Fn::Sub, Fn::Select, Fn::Split, Fn::If on a few pseudo parameters), so the local stack can read the state machine
 * definition, rule targets and environment variables with local names and ARNs in place of CloudFormation's.
 */

export interface IntrinsicContext {
  readonly region: string;
  readonly accountId: string;
  /** The local value of `Ref: <logicalId>` (a table name, a bucket name, a function name, ...). */
  ref(logicalId: string): string;
  /** The local value of `Fn::GetAtt: [<logicalId>, <attribute>]` (an ARN, a URL, ...). */
  getAtt(logicalId: string, attribute: string): string;
}

export class UnresolvableError extends Error {
  override name = 'UnresolvableError';
}

const PSEUDO: Record<string, (c: IntrinsicContext) => string> = {
  'AWS::Region': (c) => c.region,
  'AWS::AccountId': (c) => c.accountId,
  'AWS::Partition': () => 'aws',
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::StackName': () => 'local',
  'AWS::StackId': (c) => `arn:aws:cloudformation:${c.region}:${c.accountId}:stack/local/local`,
  'AWS::NoValue': () => '',
};

export function resolveIntrinsics(value: unknown, context: IntrinsicContext): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, context));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, arg] = entries[0] as [string, unknown];
    switch (key) {
      case 'Ref': {
        const name = String(arg);
        const pseudo = PSEUDO[name];
        return pseudo ? pseudo(context) : context.ref(name);
      }
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg : String(arg).split('.', 2);
        return context.getAtt(String(logicalId), String(attribute));
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        return (resolveIntrinsics(parts, context) as unknown[]).map(String).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        const items = resolveIntrinsics(list, context) as unknown[];
        return items[Number(resolveIntrinsics(index, context))];
      }
      case 'Fn::Split': {
        const [separator, source] = arg as [string, unknown];
        return String(resolveIntrinsics(source, context)).split(separator);
      }
      case 'Fn::Sub':
        return substitute(arg, context);
      case 'Fn::If':
      case 'Fn::ImportValue':
      case 'Fn::FindInMap':
      case 'Fn::GetAZs':
        throw new UnresolvableError(`${key} is not supported by the local stack: ${JSON.stringify(arg)}`);
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsics(v, context)]));
}

function substitute(arg: unknown, context: IntrinsicContext): string {
  const [text, variables] = Array.isArray(arg)
    ? (arg as [string, Record<string, unknown>])
    : [String(arg), {}];
  return text.replace(/\$\{([^}!][^}]*)\}/g, (_match, name: string) => {
    if (name in variables) return String(resolveIntrinsics(variables[name], context));
    const pseudo = PSEUDO[name];
    if (pseudo) return pseudo(context);
    const [logicalId, attribute] = name.split('.', 2) as [string, string | undefined];
    return attribute ? context.getAtt(logicalId, attribute) : context.ref(logicalId);
  });
}
