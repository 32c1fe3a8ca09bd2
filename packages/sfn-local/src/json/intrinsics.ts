/**
 * The 18 intrinsic functions of the JSONPath query language (`States.Format(...)` and friends).
 * Arguments are literals, paths (`$.x`, `$$.x`, `$var`) or nested calls; paths are resolved by the caller.
 */
import { createHash, randomUUID } from 'node:crypto';
import { StatesError } from '../errors.js';

type Arg =
  | { k: 'lit'; value: unknown }
  | { k: 'path'; text: string }
  | { k: 'call'; name: string; args: Arg[] };

export interface IntrinsicCall {
  readonly name: string;
  readonly args: readonly Arg[];
  readonly text: string;
}

const FUNCTIONS = new Set([
  'States.Format',
  'States.StringToJson',
  'States.JsonToString',
  'States.Array',
  'States.ArrayPartition',
  'States.ArrayContains',
  'States.ArrayRange',
  'States.ArrayGetItem',
  'States.ArrayLength',
  'States.ArrayUnique',
  'States.Base64Encode',
  'States.Base64Decode',
  'States.Hash',
  'States.JsonMerge',
  'States.MathRandom',
  'States.MathAdd',
  'States.StringSplit',
  'States.UUID',
]);

export class IntrinsicSyntaxError extends Error {}

/** True when a `.$` value is an intrinsic call rather than a path. */
export function isIntrinsic(text: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(text);
}

const cache = new Map<string, IntrinsicCall>();

export function parseIntrinsic(text: string): IntrinsicCall {
  const hit = cache.get(text);
  if (hit) return hit;
  const p = new Parser(text);
  const arg = p.parseCall();
  p.skipWs();
  if (!p.done()) throw new IntrinsicSyntaxError(`Unexpected text after intrinsic function: ${text}`);
  const call = { name: arg.name, args: arg.args, text };
  if (cache.size > 10_000) cache.clear();
  cache.set(text, call);
  return call;
}

class Parser {
  i = 0;
  constructor(readonly s: string) {}
  done() {
    return this.i >= this.s.length;
  }
  skipWs() {
    while (this.i < this.s.length && /\s/.test(this.s[this.i] as string)) this.i++;
  }
  parseCall(): { k: 'call'; name: string; args: Arg[] } {
    this.skipWs();
    const m = /^States\.[A-Za-z0-9]+/.exec(this.s.slice(this.i));
    if (!m) throw new IntrinsicSyntaxError(`Invalid intrinsic function: ${this.s}`);
    const name = m[0];
    if (!FUNCTIONS.has(name)) throw new IntrinsicSyntaxError(`Unsupported intrinsic function: ${name}`);
    this.i += name.length;
    this.skipWs();
    if (this.s[this.i] !== '(') throw new IntrinsicSyntaxError(`Expected '(' after ${name}`);
    this.i++;
    const args: Arg[] = [];
    this.skipWs();
    if (this.s[this.i] === ')') {
      this.i++;
      return { k: 'call', name, args };
    }
    for (;;) {
      args.push(this.parseArg());
      this.skipWs();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ')') {
        this.i++;
        return { k: 'call', name, args };
      }
      throw new IntrinsicSyntaxError(`Invalid arguments in intrinsic function: ${this.s}`);
    }
  }
  parseArg(): Arg {
    this.skipWs();
    const c = this.s[this.i];
    if (c === "'") return this.parseString();
    if (c === '$') return this.parsePath();
    if (this.s.startsWith('States.', this.i)) return this.parseCall();
    const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(this.s.slice(this.i));
    if (!m) throw new IntrinsicSyntaxError(`Invalid argument in intrinsic function: ${this.s}`);
    this.i += m[0].length;
    return { k: 'lit', value: JSON.parse(m[0]) };
  }
  parseString(): Arg {
    this.i++;
    let out = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i] as string;
      if (c === '\\') {
        const n = this.s[this.i + 1] ?? '';
        // Keep escapes of braces so that States.Format can tell literal braces from placeholders.
        out += n === '{' || n === '}' ? `\\${n}` : n === 'n' ? '\n' : n === 't' ? '\t' : n;
        this.i += 2;
        continue;
      }
      if (c === "'") {
        this.i++;
        return { k: 'lit', value: new EscapedString(out) };
      }
      out += c;
      this.i++;
    }
    throw new IntrinsicSyntaxError(`Unterminated string in intrinsic function: ${this.s}`);
  }
  parsePath(): Arg {
    const start = this.i;
    let depth = 0;
    let quote: string | null = null;
    while (this.i < this.s.length) {
      const c = this.s[this.i] as string;
      if (quote) {
        if (c === '\\') this.i++;
        else if (c === quote) quote = null;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']' || c === ')') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
      this.i++;
    }
    return { k: 'path', text: this.s.slice(start, this.i).trim() };
  }
}

/** A string literal as written (brace escapes kept) so that States.Format can see them. */
class EscapedString {
  constructor(readonly raw: string) {}
  get value(): string {
    return this.raw.replace(/\\([{}])/g, '$1');
  }
}

export type PathResolver = (pathText: string) => unknown;

export interface IntrinsicContext {
  resolve: PathResolver;
}

function fail(fn: string, message: string): never {
  throw new StatesError('States.IntrinsicFailure', `${fn}: ${message}`);
}

export function evaluateIntrinsic(call: IntrinsicCall, ctx: IntrinsicContext): unknown {
  return evalCall(call.name, call.args, ctx);
}

function evalArg(arg: Arg, ctx: IntrinsicContext): unknown {
  if (arg.k === 'lit') return arg.value instanceof EscapedString ? arg.value.value : arg.value;
  if (arg.k === 'path') return ctx.resolve(arg.text);
  return evalCall(arg.name, arg.args, ctx);
}

function argCount(fn: string, args: readonly unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    fail(fn, `expected ${min === max ? min : `${min} to ${max}`} arguments but got ${args.length}`);
  }
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function evalCall(fn: string, rawArgs: readonly Arg[], ctx: IntrinsicContext): unknown {
  if (fn === 'States.Format') {
    const first = rawArgs[0];
    if (!first) fail(fn, 'missing format string');
    const template =
      first.k === 'lit' && first.value instanceof EscapedString ? first.value.raw : evalArg(first, ctx);
    if (typeof template !== 'string') fail(fn, 'the format string must be a string');
    const values = rawArgs.slice(1).map((a) => evalArg(a, ctx));
    return format(fn, template, values);
  }
  const args = rawArgs.map((a) => evalArg(a, ctx));
  switch (fn) {
    case 'States.StringToJson': {
      argCount(fn, args, 1);
      const s = args[0];
      if (typeof s !== 'string') fail(fn, 'the argument must be a string');
      if (s.trim() === '') return null;
      try {
        return JSON.parse(s);
      } catch {
        fail(fn, `cannot parse JSON: ${s}`);
      }
      break;
    }
    case 'States.JsonToString':
      argCount(fn, args, 1);
      return JSON.stringify(args[0]);
    case 'States.Array':
      return args;
    case 'States.ArrayPartition': {
      argCount(fn, args, 2);
      const [arr, size] = args;
      if (!Array.isArray(arr)) fail(fn, 'the first argument must be an array');
      if (!isInt(size) || size <= 0) fail(fn, 'the chunk size must be a positive integer');
      const out: unknown[][] = [];
      for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
      return out;
    }
    case 'States.ArrayContains': {
      argCount(fn, args, 2);
      const [arr, value] = args;
      if (!Array.isArray(arr)) fail(fn, 'the first argument must be an array');
      return arr.some((x) => deepEqual(x, value));
    }
    case 'States.ArrayRange': {
      argCount(fn, args, 3);
      const [start, end, stepBy] = args;
      if (!isInt(start) || !isInt(end) || !isInt(stepBy) || stepBy === 0) {
        fail(fn, 'the arguments must be integers and the step must not be 0');
      }
      const out: number[] = [];
      if (stepBy > 0) for (let v = start; v <= end; v += stepBy) out.push(v);
      else for (let v = start; v >= end; v += stepBy) out.push(v);
      if (out.length > 1000) fail(fn, 'the range must not contain more than 1000 items');
      return out;
    }
    case 'States.ArrayGetItem': {
      argCount(fn, args, 2);
      const [arr, index] = args;
      if (!Array.isArray(arr)) fail(fn, 'the first argument must be an array');
      if (!isInt(index) || index < 0 || index >= arr.length) fail(fn, `index out of range: ${String(index)}`);
      return arr[index];
    }
    case 'States.ArrayLength': {
      argCount(fn, args, 1);
      if (!Array.isArray(args[0])) fail(fn, 'the argument must be an array');
      return args[0].length;
    }
    case 'States.ArrayUnique': {
      argCount(fn, args, 1);
      const arr = args[0];
      if (!Array.isArray(arr)) fail(fn, 'the argument must be an array');
      const out: unknown[] = [];
      for (const x of arr) if (!out.some((y) => deepEqual(x, y))) out.push(x);
      return out;
    }
    case 'States.Base64Encode': {
      argCount(fn, args, 1);
      if (typeof args[0] !== 'string') fail(fn, 'the argument must be a string');
      if (args[0].length > 10_000) fail(fn, 'the input must not exceed 10000 characters');
      return Buffer.from(args[0], 'utf8').toString('base64');
    }
    case 'States.Base64Decode': {
      argCount(fn, args, 1);
      if (typeof args[0] !== 'string') fail(fn, 'the argument must be a string');
      if (args[0].length > 10_000) fail(fn, 'the input must not exceed 10000 characters');
      return Buffer.from(args[0], 'base64').toString('utf8');
    }
    case 'States.Hash': {
      argCount(fn, args, 2);
      const [data, algorithm] = args;
      const algorithms: Record<string, string> = {
        MD5: 'md5',
        'SHA-1': 'sha1',
        'SHA-256': 'sha256',
        'SHA-384': 'sha384',
        'SHA-512': 'sha512',
      };
      const alg = typeof algorithm === 'string' ? algorithms[algorithm] : undefined;
      if (!alg) fail(fn, `unsupported hash algorithm: ${String(algorithm)}`);
      if (data === null || data === undefined) fail(fn, 'the data to hash must not be null');
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      if (text.length > 10_000) fail(fn, 'the input must not exceed 10000 characters');
      return createHash(alg).update(text, 'utf8').digest('hex');
    }
    case 'States.JsonMerge': {
      argCount(fn, args, 3);
      const [a, b, deep] = args;
      if (!isPlainObject(a) || !isPlainObject(b)) fail(fn, 'the first two arguments must be JSON objects');
      if (deep !== false) fail(fn, 'only shallow merge (false) is supported');
      return { ...a, ...b };
    }
    case 'States.MathRandom': {
      argCount(fn, args, 2, 3);
      const [start, end, seed] = args;
      if (!isInt(start) || !isInt(end)) fail(fn, 'start and end must be integers');
      const rnd = seed === undefined ? Math.random() : seededRandom(Number(seed));
      return start + Math.floor(rnd * (end - start));
    }
    case 'States.MathAdd': {
      argCount(fn, args, 2);
      const [a, b] = args;
      if (typeof a !== 'number' || typeof b !== 'number') fail(fn, 'the arguments must be numbers');
      return Math.round(a) + Math.round(b);
    }
    case 'States.StringSplit': {
      argCount(fn, args, 2);
      const [s, delims] = args;
      if (typeof s !== 'string' || typeof delims !== 'string') fail(fn, 'the arguments must be strings');
      const set = new Set(delims);
      const out: string[] = [];
      let cur = '';
      for (const ch of s) {
        if (set.has(ch)) {
          if (cur) out.push(cur);
          cur = '';
        } else cur += ch;
      }
      if (cur) out.push(cur);
      return out;
    }
    case 'States.UUID':
      argCount(fn, args, 0);
      return randomUUID();
  }
  fail(fn, 'unsupported function');
}

function format(fn: string, template: string, values: unknown[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\' && (template[i + 1] === '{' || template[i + 1] === '}' || template[i + 1] === '\\')) {
      out += template[i + 1];
      i++;
      continue;
    }
    if (c === '{' && template[i + 1] === '}') {
      if (next >= values.length)
        fail(fn, 'the number of arguments does not match the number of placeholders');
      out += formatValue(values[next++]);
      i++;
      continue;
    }
    out += c;
  }
  if (next !== values.length) fail(fn, 'the number of arguments does not match the number of placeholders');
  return out;
}

/** Renders a value the way the Java runtime behind States.Format does (`{a=1, b=x}`, `[1, 2]`). */
function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}=${formatValue(x)}`)
      .join(', ')}}`;
  }
  return String(v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Deterministic [0, 1) from a seed (mulberry32). */
export function seededRandom(seed: number): number {
  let t = (Math.trunc(seed) + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
