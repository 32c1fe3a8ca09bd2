/**
 * The matchers that may appear in the array of an event-pattern leaf (`"source": ["aws.ec2", {"prefix": "x"}]`),
 * following the EventBridge content-filtering rules: exact values, prefix, suffix, anything-but, numeric, exists,
 * equals-ignore-case, wildcard and cidr. Each is compiled once and then tested against a leaf value of the event.
 */
import { cidrMatcher } from './cidr.js';
import { InvalidEventPatternError } from './errors.js';

export type LeafValue = string | number | boolean | null;

export type LeafMatcher =
  | { readonly kind: 'exists'; readonly exists: boolean }
  | { readonly kind: 'test'; readonly test: (value: LeafValue) => boolean };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Compiles one element of a leaf array. */
export function compileLeafMatcher(spec: unknown, path: string): LeafMatcher {
  if (spec === null || typeof spec === 'string' || typeof spec === 'boolean') {
    return { kind: 'test', test: (v) => v === spec };
  }
  if (typeof spec === 'number') {
    if (!Number.isFinite(spec)) throw new InvalidEventPatternError(path, 'numbers must be finite');
    return { kind: 'test', test: (v) => typeof v === 'number' && v === spec };
  }
  if (!isRecord(spec)) {
    throw new InvalidEventPatternError(path, `unsupported match value ${JSON.stringify(spec)}`);
  }
  const keys = Object.keys(spec);
  if (keys.length !== 1) {
    throw new InvalidEventPatternError(
      path,
      `a matcher object needs exactly one operator, got ${keys.join(', ')}`,
    );
  }
  const op = keys[0] as string;
  const arg = spec[op];
  const at = `${path}.${op}`;
  switch (op) {
    case 'exists':
      if (typeof arg !== 'boolean') throw new InvalidEventPatternError(at, 'exists takes true or false');
      return { kind: 'exists', exists: arg };
    case 'prefix':
      return { kind: 'test', test: affixTest(arg, at, 'prefix') };
    case 'suffix':
      return { kind: 'test', test: affixTest(arg, at, 'suffix') };
    case 'equals-ignore-case': {
      const s = requireString(arg, at);
      return { kind: 'test', test: (v) => typeof v === 'string' && v.toLowerCase() === s.toLowerCase() };
    }
    case 'wildcard': {
      const re = wildcardRegExp(requireString(arg, at), at);
      return { kind: 'test', test: (v) => typeof v === 'string' && re.test(v) };
    }
    case 'numeric':
      return { kind: 'test', test: numericTest(arg, at) };
    case 'cidr': {
      const inRange = cidrMatcher(requireString(arg, at), at);
      return { kind: 'test', test: (v) => typeof v === 'string' && inRange(v) };
    }
    case 'anything-but':
      return { kind: 'test', test: anythingButTest(arg, at) };
    default:
      throw new InvalidEventPatternError(path, `unknown operator "${op}"`);
  }
}

function requireString(arg: unknown, path: string): string {
  if (typeof arg !== 'string') throw new InvalidEventPatternError(path, 'expects a string');
  return arg;
}

/** `{"prefix": "a"}` or `{"prefix": {"equals-ignore-case": "a"}}` (same for suffix). */
function affixTest(arg: unknown, path: string, which: 'prefix' | 'suffix'): (v: LeafValue) => boolean {
  let affix: string;
  let ignoreCase = false;
  if (isRecord(arg)) {
    const keys = Object.keys(arg);
    if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
      throw new InvalidEventPatternError(path, `${which} takes a string or {"equals-ignore-case": string}`);
    }
    affix = requireString(arg['equals-ignore-case'], `${path}.equals-ignore-case`);
    ignoreCase = true;
  } else {
    affix = requireString(arg, path);
  }
  const needle = ignoreCase ? affix.toLowerCase() : affix;
  return (v) => {
    if (typeof v !== 'string') return false;
    const hay = ignoreCase ? v.toLowerCase() : v;
    return which === 'prefix' ? hay.startsWith(needle) : hay.endsWith(needle);
  };
}

/** `*` matches any run of characters, `\*` a literal star, `\\` a literal backslash. */
export function wildcardRegExp(pattern: string, path: string): RegExp {
  if (pattern.includes('**')) throw new InvalidEventPatternError(path, 'consecutive wildcard characters');
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') {
        throw new InvalidEventPatternError(path, 'a backslash may only escape * or \\');
      }
      source += `\\${next}`;
      i++;
    } else if (c === '*') {
      source += '.*';
    } else {
      source += c.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
}

const LOWER = new Set(['>', '>=']);
const UPPER = new Set(['<', '<=']);

/** `{"numeric": [">", 0, "<=", 5]}`, `{"numeric": ["=", 3]}`. */
function numericTest(arg: unknown, path: string): (v: LeafValue) => boolean {
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) {
    throw new InvalidEventPatternError(
      path,
      'numeric takes [op, number] or [lowerOp, number, upperOp, number]',
    );
  }
  const pairs: Array<[string, number]> = [];
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const n = arg[i + 1];
    if (typeof op !== 'string' || !['<', '<=', '=', '>', '>='].includes(op)) {
      throw new InvalidEventPatternError(path, `unknown numeric operator ${JSON.stringify(op)}`);
    }
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      throw new InvalidEventPatternError(path, `numeric operand must be a number, got ${JSON.stringify(n)}`);
    }
    pairs.push([op, n]);
  }
  if (pairs.length === 2) {
    const [[op1, n1], [op2, n2]] = pairs as [[string, number], [string, number]];
    if (!LOWER.has(op1) || !UPPER.has(op2) || n1 >= n2) {
      throw new InvalidEventPatternError(
        path,
        'a numeric range is [">"|">=", low, "<"|"<=", high] with low < high',
      );
    }
  }
  return (v) =>
    typeof v === 'number' &&
    pairs.every(([op, n]) => {
      switch (op) {
        case '<':
          return v < n;
        case '<=':
          return v <= n;
        case '=':
          return v === n;
        case '>':
          return v > n;
        default:
          return v >= n;
      }
    });
}

/** `anything-but`: a value, a list of values, or one of prefix / suffix / equals-ignore-case / wildcard. */
function anythingButTest(arg: unknown, path: string): (v: LeafValue) => boolean {
  if (typeof arg === 'string' || typeof arg === 'number') return (v) => v !== arg;
  if (Array.isArray(arg)) {
    if (arg.length === 0) throw new InvalidEventPatternError(path, 'anything-but list must not be empty');
    for (const x of arg) {
      if (typeof x !== 'string' && typeof x !== 'number') {
        throw new InvalidEventPatternError(path, 'anything-but list holds strings or numbers');
      }
    }
    return (v) => !arg.includes(v);
  }
  if (!isRecord(arg) || Object.keys(arg).length !== 1) {
    throw new InvalidEventPatternError(path, 'anything-but takes a value, a list or one operator object');
  }
  const op = Object.keys(arg)[0] as string;
  const inner = arg[op];
  const at = `${path}.${op}`;
  switch (op) {
    case 'prefix':
    case 'suffix': {
      const affix = requireString(inner, at);
      return (v) => typeof v !== 'string' || (op === 'prefix' ? !v.startsWith(affix) : !v.endsWith(affix));
    }
    case 'equals-ignore-case': {
      const list = (Array.isArray(inner) ? inner : [inner]).map((x) => requireString(x, at).toLowerCase());
      return (v) => typeof v !== 'string' || !list.includes(v.toLowerCase());
    }
    case 'wildcard': {
      const res = (Array.isArray(inner) ? inner : [inner]).map((x) =>
        wildcardRegExp(requireString(x, at), at),
      );
      return (v) => typeof v !== 'string' || !res.some((re) => re.test(v));
    }
    default:
      throw new InvalidEventPatternError(path, `anything-but does not support "${op}"`);
  }
}
