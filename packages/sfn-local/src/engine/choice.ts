/**
 * Choice rules in the JSONPath query language: every comparison operator (and its `...Path` form), the type
 * tests, And / Or / Not. A comparison between values of different types is false, as in Step Functions.
 */
import { RuntimeFailure } from '../errors.js';
import { compilePath, PathNotFoundError } from '../json/paths.js';
import { type PathScope, resolvePath } from './template.js';

// biome-ignore lint/suspicious/noExplicitAny: raw ASL JSON
type Rule = Record<string, any>;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp; undefined when the text is not one. */
export function parseTimestamp(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = RFC3339.exec(v);
  if (!m) return undefined;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

function wildcardMatch(value: string, pattern: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRe(pattern[i + 1] as string);
      i++;
    } else if (c === '*') re += '.*';
    else re += escapeRe(c);
  }
  return new RegExp(`${re}$`, 's').test(value);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const COMPARATORS: Record<string, (a: unknown, b: unknown) => boolean> = {
  StringEquals: (a, b) => typeof a === 'string' && typeof b === 'string' && a === b,
  StringLessThan: (a, b) => typeof a === 'string' && typeof b === 'string' && a < b,
  StringGreaterThan: (a, b) => typeof a === 'string' && typeof b === 'string' && a > b,
  StringLessThanEquals: (a, b) => typeof a === 'string' && typeof b === 'string' && a <= b,
  StringGreaterThanEquals: (a, b) => typeof a === 'string' && typeof b === 'string' && a >= b,
  StringMatches: (a, b) => typeof a === 'string' && typeof b === 'string' && wildcardMatch(a, b),
  NumericEquals: (a, b) => typeof a === 'number' && typeof b === 'number' && a === b,
  NumericLessThan: (a, b) => typeof a === 'number' && typeof b === 'number' && a < b,
  NumericGreaterThan: (a, b) => typeof a === 'number' && typeof b === 'number' && a > b,
  NumericLessThanEquals: (a, b) => typeof a === 'number' && typeof b === 'number' && a <= b,
  NumericGreaterThanEquals: (a, b) => typeof a === 'number' && typeof b === 'number' && a >= b,
  BooleanEquals: (a, b) => typeof a === 'boolean' && typeof b === 'boolean' && a === b,
  TimestampEquals: (a, b) => cmpTs(a, b, (x, y) => x === y),
  TimestampLessThan: (a, b) => cmpTs(a, b, (x, y) => x < y),
  TimestampGreaterThan: (a, b) => cmpTs(a, b, (x, y) => x > y),
  TimestampLessThanEquals: (a, b) => cmpTs(a, b, (x, y) => x <= y),
  TimestampGreaterThanEquals: (a, b) => cmpTs(a, b, (x, y) => x >= y),
};

function cmpTs(a: unknown, b: unknown, f: (x: number, y: number) => boolean): boolean {
  const x = parseTimestamp(a);
  const y = parseTimestamp(b);
  return x !== undefined && y !== undefined && f(x, y);
}

const TYPE_TESTS: Record<string, (v: unknown, present: boolean) => boolean> = {
  IsNull: (v, p) => p && v === null,
  IsPresent: (_v, p) => p,
  IsNumeric: (v, p) => p && typeof v === 'number',
  IsString: (v, p) => p && typeof v === 'string',
  IsBoolean: (v, p) => p && typeof v === 'boolean',
  IsTimestamp: (v, p) => p && parseTimestamp(v) !== undefined,
};

function lookup(pathText: string, scope: PathScope): { present: boolean; value?: unknown } {
  const path = compilePath(pathText);
  try {
    const value = resolvePath(path, scope);
    if (!path.definite && Array.isArray(value) && value.length === 0) return { present: false };
    return { present: true, value };
  } catch (e) {
    if (e instanceof PathNotFoundError) return { present: false };
    throw e;
  }
}

/** Evaluates one JSONPath choice rule (top-level or nested) against the scope. */
export function evaluateRule(rule: Rule, scope: PathScope): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((r: Rule) => evaluateRule(r, scope));
  if (Array.isArray(rule.Or)) return rule.Or.some((r: Rule) => evaluateRule(r, scope));
  if (rule.Not) return !evaluateRule(rule.Not, scope);
  const variable = rule.Variable;
  if (typeof variable !== 'string') throw new RuntimeFailure('A choice rule has no Variable');
  const found = lookup(variable, scope);
  for (const [op, test] of Object.entries(TYPE_TESTS)) {
    if (op in rule) {
      const result = test(found.value, found.present);
      return rule[op] === true ? result : !result;
    }
  }
  if (!found.present) {
    throw new RuntimeFailure(
      `Invalid path '${variable}': The choice state's condition path references an invalid value.`,
    );
  }
  for (const [op, cmp] of Object.entries(COMPARATORS)) {
    if (op in rule) return cmp(found.value, rule[op]);
    const pathOp = `${op}Path`;
    if (pathOp in rule) {
      const other = lookup(rule[pathOp], scope);
      if (!other.present) {
        throw new RuntimeFailure(
          `Invalid path '${rule[pathOp]}': The choice state's condition path references an invalid value.`,
        );
      }
      return cmp(found.value, other.value);
    }
  }
  throw new RuntimeFailure(`Unsupported choice rule: ${JSON.stringify(rule)}`);
}
