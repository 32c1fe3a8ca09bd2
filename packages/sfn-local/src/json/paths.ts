/**
 * JSONPath as Step Functions evaluates it (Jayway semantics): definite paths yield one value or fail,
 * indefinite paths (wildcards, slices, unions, deep scan, filters) yield a possibly empty array.
 * Simple segments are evaluated here; filter expressions go to `jsonpath-plus`.
 */
import { JSONPath } from 'jsonpath-plus';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Segment =
  | { k: 'name'; name: string }
  | { k: 'index'; index: number }
  | { k: 'wild' }
  | { k: 'slice'; start?: number; end?: number; step?: number }
  | { k: 'union'; keys: (string | number)[] }
  | { k: 'deep'; name: string | null }
  | { k: 'length' };

export interface CompiledPath {
  readonly text: string;
  /** `$` = state input, `$$` = context object, otherwise the name of a variable. */
  readonly root: string;
  readonly segments: readonly Segment[];
  readonly definite: boolean;
  /** Set when the path needs jsonpath-plus (filter expressions). */
  readonly complexPath?: string;
}

export class PathSyntaxError extends Error {}

/** A definite path found nothing. `message` is Jayway's wording. */
export class PathNotFoundError extends Error {}

const cache = new Map<string, CompiledPath>();

export function compilePath(text: string): CompiledPath {
  const hit = cache.get(text);
  if (hit) return hit;
  const compiled = parse(text);
  if (cache.size > 10_000) cache.clear();
  cache.set(text, compiled);
  return compiled;
}

function parse(text: string): CompiledPath {
  const src = text.trim();
  if (!src.startsWith('$')) throw new PathSyntaxError(`Invalid JSONPath: ${text}`);
  let i = 1;
  let root = '$';
  if (src[1] === '$') {
    root = '$$';
    i = 2;
  } else {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(1));
    if (m) {
      root = m[0];
      i = 1 + m[0].length;
    }
  }
  const segments: Segment[] = [];
  let definite = true;
  let complex = false;
  while (i < src.length) {
    const c = src[i];
    if (c === '.') {
      if (src[i + 1] === '.') {
        i += 2;
        definite = false;
        if (src[i] === '*') {
          segments.push({ k: 'deep', name: null });
          i++;
        } else if (src[i] === '[') {
          segments.push({ k: 'deep', name: null });
        } else {
          const m = /^[^.[\]()\s]+/.exec(src.slice(i));
          if (!m) throw new PathSyntaxError(`Invalid JSONPath: ${text}`);
          segments.push({ k: 'deep', name: m[0] });
          i += m[0].length;
        }
        continue;
      }
      i++;
      if (src[i] === '*') {
        segments.push({ k: 'wild' });
        definite = false;
        i++;
        continue;
      }
      const m = /^[^.[\]()\s]+(\(\))?/.exec(src.slice(i));
      if (!m) throw new PathSyntaxError(`Invalid JSONPath: ${text}`);
      if (m[1]) {
        const fn = m[0].slice(0, -2);
        if (fn !== 'length' && fn !== 'size')
          throw new PathSyntaxError(`Unsupported JSONPath function: ${m[0]}`);
        segments.push({ k: 'length' });
      } else {
        segments.push({ k: 'name', name: m[0] });
      }
      i += m[0].length;
      continue;
    }
    if (c === '[') {
      const end = findBracketEnd(src, i);
      if (end < 0) throw new PathSyntaxError(`Invalid JSONPath: ${text}`);
      const inner = src.slice(i + 1, end).trim();
      i = end + 1;
      if (inner.startsWith('?')) {
        complex = true;
        definite = false;
        continue;
      }
      if (inner === '*') {
        segments.push({ k: 'wild' });
        definite = false;
        continue;
      }
      const parts = splitTopLevel(inner, ',');
      if (parts.length > 1) {
        segments.push({ k: 'union', keys: parts.map(parseKey) });
        definite = false;
        continue;
      }
      if (/^-?\d*\s*:\s*-?\d*(\s*:\s*-?\d*)?$/.test(inner)) {
        const [a, b, s] = inner.split(':').map((x) => x.trim());
        const seg: Segment = { k: 'slice' };
        if (a) seg.start = Number(a);
        if (b) seg.end = Number(b);
        if (s) seg.step = Number(s);
        segments.push(seg);
        definite = false;
        continue;
      }
      const key = parseKey(inner);
      segments.push(typeof key === 'number' ? { k: 'index', index: key } : { k: 'name', name: key });
      continue;
    }
    throw new PathSyntaxError(`Invalid JSONPath: ${text}`);
  }
  const result: CompiledPath = { text, root, segments, definite };
  if (complex) {
    const rest = root === '$' ? src : `$${src.slice(root.length + (root === '$$' ? 0 : 1))}`;
    return { ...result, complexPath: rest };
  }
  return result;
}

function findBracketEnd(src: string, start: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let j = start; j < src.length; j++) {
    const ch = src[j];
    if (quote) {
      if (ch === '\\') j++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return -1;
}

function splitTopLevel(s: string, sep: string): string[] {
  const out: string[] = [];
  let quote: string | null = null;
  let cur = '';
  for (let j = 0; j < s.length; j++) {
    const ch = s[j] as string;
    if (quote) {
      cur += ch;
      if (ch === '\\') {
        cur += s[j + 1] ?? '';
        j++;
      } else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    if (ch === sep) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur.trim());
  return out;
}

function parseKey(s: string): string | number {
  if (/^-?\d+$/.test(s)) return Number(s);
  if ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"'))) {
    // Only the quote itself is escaped inside a quoted name (Jayway); other backslashes are literal.
    const q = s[0] as string;
    return s.slice(1, -1).split(`\\${q}`).join(q);
  }
  throw new PathSyntaxError(`Invalid JSONPath key: ${s}`);
}

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function normalized(segments: readonly Segment[], upTo: number): string {
  let s = '$';
  for (let j = 0; j < upTo; j++) {
    const seg = segments[j] as Segment;
    if (seg.k === 'name') s += `['${seg.name}']`;
    else if (seg.k === 'index') s += `[${seg.index}]`;
  }
  return s;
}

/**
 * Evaluates a compiled path against `root` (the value `$`, `$$` or the variable stands for).
 * Definite paths return the value or throw {@link PathNotFoundError}; indefinite paths return an array.
 */
export function evaluatePath(path: CompiledPath, root: unknown): unknown {
  if (path.complexPath) {
    return JSONPath({ path: path.complexPath, json: root as object, wrap: true }) as unknown[];
  }
  const segs = path.segments;
  if (path.definite) {
    let cur: unknown = root;
    for (let j = 0; j < segs.length; j++) {
      const seg = segs[j] as Segment;
      if (seg.k === 'name') {
        if (isObject(cur) && Object.hasOwn(cur, seg.name)) {
          cur = cur[seg.name];
          continue;
        }
        throw notFound(path, segs, j);
      }
      if (seg.k === 'index') {
        if (Array.isArray(cur)) {
          const idx = seg.index < 0 ? cur.length + seg.index : seg.index;
          if (idx >= 0 && idx < cur.length) {
            cur = cur[idx];
            continue;
          }
        }
        throw notFound(path, segs, j);
      }
      if (seg.k === 'length') {
        if (Array.isArray(cur)) cur = cur.length;
        else if (isObject(cur)) cur = Object.keys(cur).length;
        else if (typeof cur === 'string') cur = cur.length;
        else throw notFound(path, segs, j);
      }
    }
    return cur;
  }
  let nodes: unknown[] = [root];
  for (const seg of segs) {
    const next: unknown[] = [];
    for (const node of nodes) step(seg, node, next);
    nodes = next;
  }
  return nodes;
}

function notFound(path: CompiledPath, segs: readonly Segment[], at: number): PathNotFoundError {
  if (at === segs.length - 1) {
    return new PathNotFoundError(
      `Invalid path '${path.text}' : No results for path: ${normalized(segs, at + 1)}`,
    );
  }
  return new PathNotFoundError(
    `Invalid path '${path.text}' : Missing property in path ${normalized(segs, at + 1)}`,
  );
}

function step(seg: Segment, node: unknown, out: unknown[]): void {
  switch (seg.k) {
    case 'name':
      if (isObject(node) && Object.hasOwn(node, seg.name)) out.push(node[seg.name]);
      return;
    case 'index':
      if (Array.isArray(node)) {
        const idx = seg.index < 0 ? node.length + seg.index : seg.index;
        if (idx >= 0 && idx < node.length) out.push(node[idx]);
      }
      return;
    case 'wild':
      if (Array.isArray(node)) out.push(...node);
      else if (isObject(node)) out.push(...Object.values(node));
      return;
    case 'slice': {
      if (!Array.isArray(node)) return;
      const len = node.length;
      const stepBy = seg.step ?? 1;
      let start = seg.start ?? 0;
      let end = seg.end ?? len;
      if (start < 0) start = Math.max(0, len + start);
      if (end < 0) end = Math.max(0, len + end);
      end = Math.min(end, len);
      for (let j = start; j < end; j += stepBy > 0 ? stepBy : 1) out.push(node[j]);
      return;
    }
    case 'union':
      for (const key of seg.keys) {
        if (typeof key === 'number') step({ k: 'index', index: key }, node, out);
        else step({ k: 'name', name: key }, node, out);
      }
      return;
    case 'deep': {
      const visit = (v: unknown) => {
        if (Array.isArray(v)) {
          if (seg.name === null) out.push(...v);
          for (const x of v) visit(x);
        } else if (isObject(v)) {
          for (const [k, x] of Object.entries(v)) {
            if (seg.name === null || k === seg.name) out.push(x);
            visit(x);
          }
        }
      };
      visit(node);
      return;
    }
    case 'length':
      if (Array.isArray(node)) out.push(node.length);
      return;
  }
}

/** True when `text` is a reference path (only names and indexes): what ResultPath accepts. */
export function isReferencePath(path: CompiledPath): boolean {
  return path.root === '$' && path.segments.every((s) => s.k === 'name' || s.k === 'index');
}

/**
 * Returns a copy of `target` with `value` placed at the reference path (ResultPath semantics). Creates missing
 * objects along the way; never mutates `target`. Throws {@link PathNotFoundError} when a step cannot be taken
 * (e.g. a name on a string).
 */
export function setAtPath(path: CompiledPath, target: unknown, value: unknown): unknown {
  const segs = path.segments;
  if (segs.length === 0) return value;
  return putAt(path, segs, 0, target, value);
}

function putAt(
  path: CompiledPath,
  segs: readonly Segment[],
  j: number,
  node: unknown,
  value: unknown,
): unknown {
  const seg = segs[j] as Segment;
  const last = j === segs.length - 1;
  if (seg.k === 'name') {
    let base: Record<string, unknown>;
    if (isObject(node)) base = { ...node };
    else if (node === undefined || node === null) base = {};
    else
      throw new PathNotFoundError(
        `Invalid path '${path.text}' : Missing property in path ${normalized(segs, j + 1)}`,
      );
    base[seg.name] = last ? value : putAt(path, segs, j + 1, base[seg.name], value);
    return base;
  }
  if (seg.k === 'index' && Array.isArray(node)) {
    const idx = seg.index < 0 ? node.length + seg.index : seg.index;
    if (idx < 0 || idx >= node.length) {
      throw new PathNotFoundError(
        `Invalid path '${path.text}' : Index out of bounds ${normalized(segs, j + 1)}`,
      );
    }
    const copy = node.slice();
    copy[idx] = last ? value : putAt(path, segs, j + 1, copy[idx], value);
    return copy;
  }
  throw new PathNotFoundError(
    `Invalid path '${path.text}' : Missing property in path ${normalized(segs, j + 1)}`,
  );
}
