/**
 * The EventBridge event-pattern language: a pattern is a JSON object whose leaves are arrays of matchers
 * (see leaf-matchers.ts); nested objects match nested fields; `$or` takes alternative sub-patterns; an event
 * field holding an array matches when any element matches (and fields of one array element must match together).
 */
import { InvalidEventPatternError } from './errors.js';
import { compileLeafMatcher, type LeafMatcher, type LeafValue } from './leaf-matchers.js';

export type EventPattern = Record<string, unknown>;
export type EventMatcher = (event: unknown) => boolean;

type Node =
  | { readonly kind: 'leaf'; readonly matchers: readonly LeafMatcher[] }
  | {
      readonly kind: 'object';
      readonly fields: ReadonlyArray<{ readonly key: string; readonly node: Node }>;
      readonly alternatives: ReadonlyArray<readonly ObjectNode[]>;
    };
type ObjectNode = Extract<Node, { kind: 'object' }>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates and compiles a pattern (an object or its JSON text); throws InvalidEventPatternError. */
export function compileEventPattern(pattern: unknown): EventMatcher {
  let parsed = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch {
      throw new InvalidEventPatternError('$', 'not valid JSON');
    }
  }
  if (!isRecord(parsed) || Object.keys(parsed).length === 0) {
    throw new InvalidEventPatternError('$', 'a pattern is a non-empty JSON object');
  }
  const root = compileObject(parsed, '$');
  return (event) => matchObject(root, event);
}

/** One-off convenience: does `event` match `pattern`? */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  return compileEventPattern(pattern)(event);
}

function compileObject(spec: Record<string, unknown>, path: string): ObjectNode {
  const fields: Array<{ key: string; node: Node }> = [];
  const alternatives: ObjectNode[][] = [];
  for (const [key, value] of Object.entries(spec)) {
    const at = `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isRecord)) {
        throw new InvalidEventPatternError(at, '$or takes an array of at least two pattern objects');
      }
      alternatives.push(
        value.map((alt, i) => {
          if (Object.keys(alt).length === 0)
            throw new InvalidEventPatternError(`${at}[${i}]`, 'empty pattern');
          return compileObject(alt, `${at}[${i}]`);
        }),
      );
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new InvalidEventPatternError(at, 'empty arrays are not allowed');
      fields.push({
        key,
        node: { kind: 'leaf', matchers: value.map((m, i) => compileLeafMatcher(m, `${at}[${i}]`)) },
      });
    } else if (isRecord(value)) {
      if (Object.keys(value).length === 0)
        throw new InvalidEventPatternError(at, 'empty objects are not allowed');
      fields.push({ key, node: compileObject(value, at) });
    } else {
      throw new InvalidEventPatternError(
        at,
        `match values must be inside an array, got ${JSON.stringify(value)}`,
      );
    }
  }
  return { kind: 'object', fields, alternatives };
}

/** The leaf values found at a field: a scalar, or the scalars of an (possibly nested) array. */
function leavesOf(value: unknown): LeafValue[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((v) => (isRecord(v) ? [] : leavesOf(v)));
  if (isRecord(value)) return [];
  return [value as LeafValue];
}

function matchLeaf(matchers: readonly LeafMatcher[], value: unknown): boolean {
  const leaves = leavesOf(value);
  return matchers.some((m) => (m.kind === 'exists' ? m.exists === leaves.length > 0 : leaves.some(m.test)));
}

function matchObject(node: ObjectNode, value: unknown): boolean {
  if (Array.isArray(value)) {
    const objects = value.filter(isRecord);
    if (objects.length > 0) return objects.some((element) => matchObject(node, element));
  }
  const record = isRecord(value) ? value : undefined;
  for (const { key, node: child } of node.fields) {
    const fieldValue = record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
    const ok = child.kind === 'leaf' ? matchLeaf(child.matchers, fieldValue) : matchObject(child, fieldValue);
    if (!ok) return false;
  }
  return node.alternatives.every((alts) => alts.some((alt) => matchObject(alt, value)));
}
