/**
 * The comparison rules of the conformance corpus: recorded strings are patterns in which `<...>` placeholders and
 * bare replacement tokens match any text (a string that is only a placeholder matches any JSON value); JSON-text
 * fields are compared parsed; numbers by value; object key order ignored.
 */

export interface Matcher {
  /** Tokens of the case (`wildcards`) plus the global ones (`date`, `timestamp`). */
  readonly tokens: readonly string[];
}

const GLOBAL_TOKENS = ['date', 'timestamp'];

export function matcher(wildcards: readonly string[]): Matcher {
  const tokens = [...new Set([...wildcards, ...GLOBAL_TOKENS])].filter((t) => t.length > 0);
  tokens.sort((a, b) => b.length - a.length);
  return { tokens };
}

const patternCache = new Map<string, { re: RegExp; whole: boolean }>();

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces balanced `<...>` runs (nested allowed) by a marker. */
function markPlaceholders(s: string): string {
  let out = '';
  let depth = 0;
  for (const ch of s) {
    if (ch === '<') {
      if (depth === 0) out += '\uE000';
      depth++;
      continue;
    }
    if (ch === '>' && depth > 0) {
      depth--;
      continue;
    }
    if (depth === 0) out += ch;
  }
  if (depth > 0) return s; // unbalanced: not a placeholder
  return out;
}

function pattern(expected: string, m: Matcher): { re: RegExp; whole: boolean } {
  const key = `${m.tokens.join('\u0001')}\u0002${expected}`;
  const hit = patternCache.get(key);
  if (hit) return hit;
  let marked = markPlaceholders(expected);
  for (const t of m.tokens) marked = marked.split(t).join('\uE000');
  const whole = /^\uE000+$/.test(marked);
  const re = new RegExp(`^${marked.split('\uE000').map(escapeRe).join('[\\s\\S]*')}$`);
  const result = { re, whole };
  if (patternCache.size > 50_000) patternCache.clear();
  patternCache.set(key, result);
  return result;
}

function tryParse(s: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(s) };
  } catch {
    return { ok: false };
  }
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  if (s === undefined) return 'undefined';
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

/**
 * Compares an expected (recorded) value with an actual one. Returns undefined when they match, else the first
 * difference as text.
 */
export function compareValues(expected: unknown, actual: unknown, m: Matcher, at = '$'): string | undefined {
  if (typeof expected === 'string') {
    const p = pattern(expected, m);
    if (p.whole) return undefined;
    if (typeof actual === 'string') {
      if (p.re.test(actual)) return undefined;
      const pe = tryParse(expected);
      const pa = tryParse(actual);
      if (pe.ok && pa.ok && (typeof pe.value === 'object' || typeof pa.value === 'object')) {
        return compareValues(pe.value, pa.value, m, at);
      }
      return `${at}: expected ${show(expected)}, got ${show(actual)}`;
    }
    // A recorded JSON text against a parsed actual value (or the other way round).
    const pe = tryParse(expected);
    if (pe.ok && typeof pe.value !== 'string') return compareValues(pe.value, actual, m, at);
    if (actual !== undefined && p.re.test(JSON.stringify(actual))) return undefined;
    return `${at}: expected ${show(expected)}, got ${show(actual)}`;
  }
  if (typeof actual === 'string' && expected !== null && typeof expected === 'object') {
    const pa = tryParse(actual);
    if (pa.ok) return compareValues(expected, pa.value, m, at);
    return `${at}: expected ${show(expected)}, got ${show(actual)}`;
  }
  if (typeof expected === 'number') {
    if (typeof actual === 'number' && actual === expected) return undefined;
    if (typeof actual === 'string' && Number(actual) === expected && actual.trim() !== '') return undefined;
    return `${at}: expected ${show(expected)}, got ${show(actual)}`;
  }
  if (expected === null || typeof expected === 'boolean') {
    if (actual === expected) return undefined;
    if (typeof actual === 'string' && actual === JSON.stringify(expected)) return undefined;
    return `${at}: expected ${show(expected)}, got ${show(actual)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: expected an array, got ${show(actual)}`;
    if (actual.length !== expected.length) {
      return `${at}: expected ${expected.length} items, got ${actual.length}: ${show(actual)}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const d = compareValues(expected[i], actual[i], m, `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return `${at}: expected an object, got ${show(actual)}`;
    }
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const k of Object.keys(e)) {
      if (!(k in a)) return `${at}.${k}: missing (expected ${show(e[k])})`;
      const d = compareValues(e[k], a[k], m, `${at}.${k}`);
      if (d) return d;
    }
    for (const k of Object.keys(a)) {
      if (!(k in e)) return `${at}.${k}: unexpected (got ${show(a[k])})`;
    }
    return undefined;
  }
  if (expected === undefined)
    return actual === undefined ? undefined : `${at}: expected nothing, got ${show(actual)}`;
  return `${at}: cannot compare ${show(expected)}`;
}
