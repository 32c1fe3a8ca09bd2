/**
 * IAM identity-based policy evaluation, for the local stack's enforcement of the synthesized template's roles
 * (docs/local-iam.md says what is and is not evaluated). Plain logic over policy documents: no AWS SDK, no CDK,
 * nothing of onboarding.
 *
 * The decision follows AWS's for one principal's identity policies: an explicit Deny wins; else an Allow whose
 * Action/NotAction, Resource/NotResource and every Condition match allows; else the request is implicitly denied.
 * Actions match case-insensitively, resources case-sensitively, both with the `*` and `?` wildcards; an ARN is matched
 * segment by segment (partition, service, region, account), the resource part as a whole.
 */
import { z } from 'zod';

const OneOrMany = z.union([z.string(), z.array(z.string())]);
const ConditionValues = z.union([
  z.string(),
  z.boolean(),
  z.number(),
  z.array(z.union([z.string(), z.boolean(), z.number()])),
]);

export const PolicyStatement = z.object({
  Sid: z.string().optional(),
  Effect: z.enum(['Allow', 'Deny']),
  Action: OneOrMany.optional(),
  NotAction: OneOrMany.optional(),
  Resource: OneOrMany.optional(),
  NotResource: OneOrMany.optional(),
  Condition: z.record(z.string(), z.record(z.string(), ConditionValues)).optional(),
});
export type PolicyStatement = z.infer<typeof PolicyStatement>;

export const PolicyDocument = z.object({
  Version: z.string().optional(),
  Statement: z.union([PolicyStatement, z.array(PolicyStatement)]),
});
export type PolicyDocument = z.infer<typeof PolicyDocument>;

/** What one API call asks for: an action (`dynamodb:PutItem`), the resource ARN, and the request's condition keys. */
export interface AuthorizationRequest {
  readonly action: string;
  readonly resource: string;
  /** Condition keys of the request (`catalog:ChangeType`), single- or multi-valued; absent keys are simply not here. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export type Decision =
  | { readonly effect: 'Allow'; readonly statement: PolicyStatement }
  | { readonly effect: 'ExplicitDeny'; readonly statement: PolicyStatement }
  | { readonly effect: 'ImplicitDeny' };

/** The condition operators this evaluator knows; a policy using another one is refused when loaded. */
export const CONDITION_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Bool',
  'Null',
] as const;
type Operator = (typeof CONDITION_OPERATORS)[number];

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

/** A glob with `*` (any run of characters) and `?` (one character). */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

export function actionMatches(pattern: string, action: string): boolean {
  return globMatches(pattern, action, true);
}

/** ARN matching as IAM does it: `*` alone matches anything; otherwise six segments, the last one as a whole. */
export function arnMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = pattern.split(':');
  const a = arn.split(':');
  if (p.length < 6 || a.length < 6) return globMatches(pattern, arn);
  const head = (parts: string[]) => [...parts.slice(0, 5), parts.slice(5).join(':')];
  const ph = head(p);
  const ah = head(a);
  return ph.every((segment, i) => globMatches(segment, ah[i] ?? ''));
}

function parseOperator(raw: string): {
  operator: Operator;
  set?: 'ForAllValues' | 'ForAnyValue';
  ifExists: boolean;
} {
  let rest = raw;
  let set: 'ForAllValues' | 'ForAnyValue' | undefined;
  for (const prefix of ['ForAllValues', 'ForAnyValue'] as const) {
    if (rest.startsWith(`${prefix}:`)) {
      set = prefix;
      rest = rest.slice(prefix.length + 1);
    }
  }
  const ifExists = rest.endsWith('IfExists');
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  if (!(CONDITION_OPERATORS as readonly string[]).includes(rest))
    throw new Error(`condition operator ${raw} is not evaluated locally (docs/local-iam.md)`);
  return { operator: rest as Operator, ...(set ? { set } : {}), ifExists };
}

/** One value of the request against the policy's values for one operator (OR over the policy's values). */
function valueMatches(operator: Operator, policyValues: readonly string[], value: string): boolean {
  switch (operator) {
    case 'StringEquals':
    case 'StringNotEquals':
      return policyValues.includes(value);
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return policyValues.some((p) => p.toLowerCase() === value.toLowerCase());
    case 'StringLike':
    case 'StringNotLike':
      return policyValues.some((p) => globMatches(p, value));
    case 'ArnEquals':
    case 'ArnNotEquals':
    case 'ArnLike':
    case 'ArnNotLike':
      return policyValues.some((p) => arnMatches(p, value));
    case 'Bool':
      return policyValues.some((p) => p.toLowerCase() === value.toLowerCase());
    case 'Null':
      return false; // handled apart
  }
}

const NEGATED: ReadonlySet<Operator> = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'ArnNotEquals',
  'ArnNotLike',
]);

function conditionHolds(
  rawOperator: string,
  key: string,
  rawPolicyValues: unknown,
  context: Readonly<Record<string, string | readonly string[]>>,
): boolean {
  const { operator, set, ifExists } = parseOperator(rawOperator);
  const policyValues = (Array.isArray(rawPolicyValues) ? rawPolicyValues : [rawPolicyValues]).map(String);
  // Condition keys are case-insensitive.
  const found = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  const values = list(found);
  if (operator === 'Null')
    return policyValues.some((p) => (p.toLowerCase() === 'true') === (values.length === 0));
  if (values.length === 0) {
    if (set === 'ForAllValues') return true; // vacuously true for an absent or empty key (as in AWS)
    if (ifExists) return true;
    return NEGATED.has(operator);
  }
  const matches = (v: string) => valueMatches(operator, policyValues, v);
  const negated = NEGATED.has(operator);
  if (set === 'ForAllValues') return values.every((v) => (negated ? !matches(v) : matches(v)));
  if (set === 'ForAnyValue') return values.some((v) => (negated ? !matches(v) : matches(v)));
  return negated ? !values.some(matches) : values.some(matches);
}

function statementApplies(statement: PolicyStatement, request: AuthorizationRequest): boolean {
  const actionHit = (patterns: readonly string[]) => patterns.some((p) => actionMatches(p, request.action));
  const resourceHit = (patterns: readonly string[]) => patterns.some((p) => arnMatches(p, request.resource));
  if (statement.Action !== undefined && !actionHit(list(statement.Action))) return false;
  if (statement.NotAction !== undefined && actionHit(list(statement.NotAction))) return false;
  if (statement.Action === undefined && statement.NotAction === undefined) return false;
  if (statement.Resource !== undefined && !resourceHit(list(statement.Resource))) return false;
  if (statement.NotResource !== undefined && resourceHit(list(statement.NotResource))) return false;
  if (statement.Resource === undefined && statement.NotResource === undefined) return false;
  const context = request.context ?? {};
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) {
      if (!conditionHolds(operator, key, values, context)) return false;
    }
  }
  return true;
}

const statementsOf = (document: PolicyDocument): readonly PolicyStatement[] =>
  Array.isArray(document.Statement) ? document.Statement : [document.Statement];

/** Refuses, when loaded, a policy this evaluator would not evaluate faithfully (an unknown condition operator). */
export function assertEvaluable(document: PolicyDocument): void {
  for (const statement of statementsOf(document))
    for (const operator of Object.keys(statement.Condition ?? {})) parseOperator(operator);
}

export function evaluate(policies: readonly PolicyDocument[], request: AuthorizationRequest): Decision {
  let allow: PolicyStatement | undefined;
  for (const document of policies) {
    for (const statement of statementsOf(document)) {
      if (!statementApplies(statement, request)) continue;
      if (statement.Effect === 'Deny') return { effect: 'ExplicitDeny', statement };
      allow ??= statement;
    }
  }
  return allow ? { effect: 'Allow', statement: allow } : { effect: 'ImplicitDeny' };
}

/** AWS's wording of a denial, for the AccessDeniedException message. */
export function denialMessage(
  principalArn: string,
  request: AuthorizationRequest,
  decision: Decision,
): string {
  const why =
    decision.effect === 'ExplicitDeny'
      ? 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${request.action} action`;
  return `User: ${principalArn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${why}`;
}
