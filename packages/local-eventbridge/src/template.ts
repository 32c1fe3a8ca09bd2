/**
 * Reads the `AWS::Events::Rule` resources of a synthesized CloudFormation template into local rules. A target
 * `Arn` written as `Fn::GetAtt`/`Ref` becomes the logical id of the target resource, so the local stack can map
 * it to the handler module that the resource stands for.
 */
import type { InputTransformer } from './input.js';

export interface LocalRuleTarget {
  readonly id: string;
  /** The target ARN, or the target's logical id when the template refers to a resource of the stack. */
  readonly arn: string;
  readonly logicalId?: string;
  readonly input?: string;
  readonly inputPath?: string;
  readonly inputTransformer?: InputTransformer;
  readonly retryPolicy?: {
    readonly maximumRetryAttempts?: number;
    readonly maximumEventAgeInSeconds?: number;
  };
}

export interface LocalRule {
  readonly name: string;
  readonly logicalId?: string;
  /** @default 'default' */
  readonly eventBusName?: string;
  readonly eventPattern: unknown;
  /** @default 'ENABLED' */
  readonly state?: 'ENABLED' | 'DISABLED';
  readonly targets: readonly LocalRuleTarget[];
}

export interface RulesFromTemplateOptions {
  /** Values for `Ref: AWS::AccountId` etc. inside patterns. */
  readonly accountId?: string;
  readonly region?: string;
  readonly partition?: string;
  readonly stackName?: string;
  /** Keep rules whose State is DISABLED. @default false */
  readonly includeDisabled?: boolean;
}

type Resources = Record<string, { Type?: string; Properties?: Record<string, unknown> }>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function rulesFromTemplate(template: unknown, options: RulesFromTemplateOptions = {}): LocalRule[] {
  if (!isRecord(template) || !isRecord(template.Resources)) {
    throw new Error('rulesFromTemplate: expected a CloudFormation template with a Resources object');
  }
  const resources = template.Resources as Resources;
  const pseudo: Record<string, string> = {
    'AWS::AccountId': options.accountId ?? '000000000000',
    'AWS::Region': options.region ?? 'us-east-1',
    'AWS::Partition': options.partition ?? 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': options.stackName ?? 'local',
  };
  const rules: LocalRule[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Events::Rule') continue;
    const props = resource.Properties ?? {};
    if (props.EventPattern === undefined) continue; // schedule-only rules are not event rules
    const state = props.State === 'DISABLED' ? 'DISABLED' : 'ENABLED';
    if (state === 'DISABLED' && !options.includeDisabled) continue;
    const where = `rule ${logicalId}`;
    const rawTargets = Array.isArray(props.Targets) ? props.Targets : [];
    rules.push({
      name: typeof props.Name === 'string' ? props.Name : logicalId,
      logicalId,
      eventBusName: busName(props.EventBusName, resources, pseudo, where),
      eventPattern: resolvePseudo(props.EventPattern, pseudo, where),
      state,
      targets: rawTargets.map((t, i) => targetOf(t, resources, pseudo, `${where} target ${i}`)),
    });
  }
  return rules;
}

function targetOf(
  raw: unknown,
  resources: Resources,
  pseudo: Record<string, string>,
  where: string,
): LocalRuleTarget {
  if (!isRecord(raw) || typeof raw.Id !== 'string') throw new Error(`${where}: a target needs an Id`);
  const logicalId = referencedLogicalId(raw.Arn, resources);
  const arn = logicalId ?? resolvePseudo(raw.Arn, pseudo, `${where} Arn`);
  if (typeof arn !== 'string') throw new Error(`${where}: cannot resolve Arn ${JSON.stringify(raw.Arn)}`);
  const it = raw.InputTransformer;
  const retry = isRecord(raw.RetryPolicy) ? raw.RetryPolicy : undefined;
  return {
    id: raw.Id,
    arn,
    ...(logicalId !== undefined && { logicalId }),
    ...(typeof raw.Input === 'string' && { input: raw.Input }),
    ...(typeof raw.InputPath === 'string' && { inputPath: raw.InputPath }),
    ...(isRecord(it) &&
      typeof it.InputTemplate === 'string' && {
        inputTransformer: {
          inputTemplate: it.InputTemplate,
          ...(isRecord(it.InputPathsMap) && { inputPathsMap: it.InputPathsMap as Record<string, string> }),
        },
      }),
    ...(retry && {
      retryPolicy: {
        ...(typeof retry.MaximumRetryAttempts === 'number' && {
          maximumRetryAttempts: retry.MaximumRetryAttempts,
        }),
        ...(typeof retry.MaximumEventAgeInSeconds === 'number' && {
          maximumEventAgeInSeconds: retry.MaximumEventAgeInSeconds,
        }),
      },
    }),
  };
}

/** `{Ref: X}` / `{Fn::GetAtt: [X, ...]}` / `{Fn::GetAtt: 'X.Arn'}` naming a resource of the template -> X. */
function referencedLogicalId(value: unknown, resources: Resources): string | undefined {
  if (!isRecord(value)) return undefined;
  let id: unknown;
  if (typeof value.Ref === 'string') id = value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) id = getAtt[0];
  if (typeof getAtt === 'string') id = getAtt.split('.')[0];
  return typeof id === 'string' && Object.hasOwn(resources, id) ? id : undefined;
}

function busName(
  value: unknown,
  resources: Resources,
  pseudo: Record<string, string>,
  where: string,
): string {
  if (value === undefined) return 'default';
  const ref = referencedLogicalId(value, resources);
  if (ref !== undefined) {
    const name = resources[ref]?.Properties?.Name;
    return typeof name === 'string' ? name : ref;
  }
  const resolved = resolvePseudo(value, pseudo, `${where} EventBusName`);
  if (typeof resolved !== 'string') throw new Error(`${where}: cannot resolve EventBusName`);
  // An ARN names the bus after the last '/'.
  return resolved.startsWith('arn:') ? (resolved.split('/').pop() ?? resolved) : resolved;
}

/** Resolves pseudo parameters (`Ref: AWS::Region`), `Fn::Join` and `Fn::Sub` over them; anything else throws. */
function resolvePseudo(value: unknown, pseudo: Record<string, string>, where: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolvePseudo(v, pseudo, where));
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [k] = keys as [string];
    const arg = value[k];
    if (k === 'Ref') {
      if (typeof arg === 'string' && Object.hasOwn(pseudo, arg)) return pseudo[arg];
      throw new Error(`${where}: cannot resolve {"Ref": ${JSON.stringify(arg)}} locally`);
    }
    if (k === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
      return arg[1].map((part) => String(resolvePseudo(part, pseudo, where))).join(arg[0]);
    }
    if (k === 'Fn::Sub' && typeof arg === 'string') {
      return arg.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
        if (Object.hasOwn(pseudo, name)) return pseudo[name] as string;
        throw new Error(`${where}: cannot resolve \${${name}} locally`);
      });
    }
    if (k.startsWith('Fn::')) throw new Error(`${where}: cannot resolve ${k} locally`);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePseudo(v, pseudo, where)]));
}
