/**
 * The state machine as plain ASL JSON: from a synthesized CloudFormation template (the DefinitionString of the
 * AWS::StepFunctions::StateMachine), with CloudFormation intrinsics resolved. Pure JSON work, no aws-cdk-lib: the
 * tests, the benchmark and the local stack read the definition the same way.
 */

export interface IntrinsicValues {
  /** @default 'aws' */
  readonly partition?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** @default 'MarketplaceOnboarding' */
  readonly stackName?: string;
  /**
   * Value of `Fn::GetAtt [logicalId, attribute]`.
   * @default - `arn:<partition>:lambda:<region>:<account>:function:<logicalId>` for `Arn`, else an error
   */
  readonly getAtt?: (logicalId: string, attribute: string) => string;
  /**
   * Value of `Ref logicalId` (not a pseudo parameter).
   * @default - the logical id itself
   */
  readonly ref?: (logicalId: string) => string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub (plain ${Name} forms) and pseudo parameters. */
export function resolveIntrinsics(value: unknown, values: IntrinsicValues = {}): unknown {
  const partition = values.partition ?? 'aws';
  const region = values.region ?? 'us-east-1';
  const accountId = values.accountId ?? '123456789012';
  const pseudo: Record<string, string> = {
    'AWS::Partition': partition,
    'AWS::Region': region,
    'AWS::AccountId': accountId,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': values.stackName ?? 'MarketplaceOnboarding',
  };
  const getAtt =
    values.getAtt ??
    ((logicalId: string, attribute: string) => {
      if (attribute !== 'Arn')
        throw new Error(`resolveIntrinsics: no value for Fn::GetAtt ${logicalId}.${attribute}`);
      return `arn:${partition}:lambda:${region}:${accountId}:function:${logicalId}`;
    });
  const ref = (name: string): string => pseudo[name] ?? (values.ref ? values.ref(name) : name);

  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const [k] = keys as [string];
      const arg = o[k];
      if (k === 'Ref' && typeof arg === 'string') return ref(arg);
      if (k === 'Fn::GetAtt') {
        const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
        return getAtt(String(id), String(attr));
      }
      if (k === 'Fn::Join') {
        const [sep, parts] = arg as [string, unknown[]];
        return (walk(parts) as unknown[]).map(String).join(sep);
      }
      if (k === 'Fn::Sub' && typeof arg === 'string') {
        return arg.replace(/\$\{([^}!]+)\}/g, (_, name: string) =>
          name.includes('.') ? getAtt(...(name.split('.', 2) as [string, string])) : ref(name),
        );
      }
    }
    return Object.fromEntries(keys.map((key) => [key, walk(o[key])]));
  };
  return walk(value);
}

export interface AslStateMachine {
  readonly QueryLanguage?: string;
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
  readonly [key: string]: unknown;
}

export interface AslState {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: readonly { Next: string; Condition?: string; Assign?: Record<string, unknown> }[];
  readonly Catch?: readonly {
    ErrorEquals: string[];
    Next: string;
    Assign?: Record<string, unknown>;
    Output?: unknown;
  }[];
  readonly Retry?: readonly { ErrorEquals: string[]; [key: string]: unknown }[];
  readonly Resource?: string;
  readonly Arguments?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** Finds the (only, or the named) AWS::StepFunctions::StateMachine of a template and returns its ASL. */
export function definitionFromTemplate(
  template: {
    Resources?: Record<
      string,
      { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }
    >;
  },
  values: IntrinsicValues = {},
  logicalId?: string,
  /** Which machine, by its `mo:state-machine` metadata (infra/state-machine.ts), when the template has several. */
  role: 'onboarding' | 'lifecycle' = 'onboarding',
): AslStateMachine {
  const all = Object.entries(template.Resources ?? {}).filter(
    ([id, r]) =>
      r.Type === 'AWS::StepFunctions::StateMachine' && (logicalId === undefined || id === logicalId),
  );
  const machines =
    all.length > 1 ? all.filter(([, r]) => (r.Metadata?.['mo:state-machine'] ?? 'onboarding') === role) : all;
  if (machines.length !== 1) {
    throw new Error(
      `definitionFromTemplate: expected one state machine${logicalId ? ` named ${logicalId}` : ''}, found ${machines.length}`,
    );
  }
  const [, machine] = machines[0] as [string, { Properties?: Record<string, unknown> }];
  const props = machine.Properties ?? {};
  if (props.Definition) return resolveIntrinsics(props.Definition, values) as AslStateMachine;
  const text = resolveIntrinsics(props.DefinitionString, values);
  if (typeof text !== 'string')
    throw new Error('definitionFromTemplate: the state machine has no DefinitionString');
  return JSON.parse(text) as AslStateMachine;
}

/** Names of every state reachable from StartAt through Next, Default, Choices and Catch. */
export function reachableStates(asl: AslStateMachine): Set<string> {
  const seen = new Set<string>();
  const queue = [asl.StartAt];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const next of successors(asl.States[name])) queue.push(next);
  }
  return seen;
}

/** The states one transition away from `state`. */
export function successors(state: AslState | undefined): string[] {
  if (!state) return [];
  return [
    ...(state.Next ? [state.Next] : []),
    ...(state.Default ? [state.Default] : []),
    ...(state.Choices ?? []).map((c) => c.Next),
    ...(state.Catch ?? []).map((c) => c.Next),
  ];
}

export type { Json };
