/** Builds the stack the way the app does (no esbuild, nag run separately) and reads its template. */
import { Template } from 'aws-cdk-lib/assertions';
import { buildOnboardingApp } from '../../infra/build.js';
import { FUNCTION_METADATA_KEY } from '../../infra/functions.js';
import { resolveIntrinsics } from '../../workflows/asl.js';

export type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DeletionPolicy?: string;
};

/**
 * CDK's built-in CloudFormation schema validation costs ~10 s a process; it is off here and on in the one test that
 * checks the whole validation report (nag.test.ts).
 */
export function withoutCfnValidation<T>(fn: () => T): T {
  const before = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = before;
  }
}

export function build(context: Record<string, unknown> = {}) {
  const { app, stack } = buildOnboardingApp({ bundling: false, nag: false, context });
  const template = withoutCfnValidation(() => Template.fromStack(stack));
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const byType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  /** Logical id of each catalog function, by catalog name. */
  const functionIds = Object.fromEntries(
    byType('AWS::Lambda::Function').map(([id, r]) => [String(r.Metadata?.[FUNCTION_METADATA_KEY]), id]),
  );
  return { app, stack, template, resources, byType, functionIds };
}

/** CloudFormation values as readable strings: GetAtt → `Id.Attr`, Ref → `Id`, pseudo parameters → `<AWS::X>`. */
export const flat = (value: unknown): unknown =>
  resolveIntrinsics(value, {
    partition: '<AWS::Partition>',
    region: '<AWS::Region>',
    accountId: '<AWS::AccountId>',
    getAtt: (id, attr) => `${id}.${attr}`,
    ref: (id) => id,
  });

export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: Record<string, unknown>;
}

/** Every Allow statement attached to a role (policies of that role), flattened. */
export function statementsOfRole(resources: Record<string, Resource>, roleId: string): Statement[] {
  return Object.values(resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        (r.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === roleId),
    )
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement)
    .map((s) => {
      const f = flat(s) as Record<string, unknown>;
      const arr = (v: unknown) => (Array.isArray(v) ? v.map(String) : [String(v)]);
      return { ...f, Action: arr(f.Action), Resource: arr(f.Resource) } as Statement;
    });
}
