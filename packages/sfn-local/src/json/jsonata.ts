/**
 * JSONata as Step Functions evaluates it: `{% expr %}` strings anywhere in a field's value, `$states`
 * (`input`, `result`, `errorOutput`, `context`), workflow variables as `$name`, and the functions Step Functions
 * adds (`$partition`, `$range`, `$hash`, `$random([seed])`, `$uuid`, `$parse`).
 */
import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import { EvaluationFailure } from '../errors.js';
import { seededRandom } from './intrinsics.js';

export function isJsonataString(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith('{%') && v.endsWith('%}') && v.length >= 4;
}

export function jsonataBody(v: string): string {
  return v.slice(2, -2).trim();
}

const compiled = new Map<string, jsonata.Expression>();

function compile(body: string, location: string): jsonata.Expression {
  let expr = compiled.get(body);
  if (!expr) {
    try {
      expr = jsonata(body);
    } catch (e) {
      const err = e as jsonata.JsonataError;
      throw new EvaluationFailure(
        `The JSONata expression '${body}' specified for the field '${location}' threw an error during evaluation. ${err.code ? `${err.code}: ` : ''}${err.message}`,
        location,
      );
    }
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(body, expr);
  }
  return expr;
}

/** Checks that a JSONata expression parses; returns the parse error message or undefined. */
export function jsonataSyntaxError(text: string): string | undefined {
  try {
    jsonata(jsonataBody(text));
    return undefined;
  } catch (e) {
    const err = e as jsonata.JsonataError;
    return `${err.code ? `${err.code}: ` : ''}${err.message}`;
  }
}

const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** The functions Step Functions adds to JSONata. */
export const STEP_FUNCTIONS_JSONATA_FUNCTIONS: Record<string, unknown> = {
  partition: (arr: unknown, size: unknown) => {
    if (!Array.isArray(arr)) throw new Error('$partition: the first argument must be an array');
    if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) {
      throw new Error('$partition: the chunk size must be a positive integer');
    }
    const out: unknown[][] = [];
    for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
    return out;
  },
  range: (start: unknown, end: unknown, step: unknown) => {
    if (typeof start !== 'number' || typeof end !== 'number')
      throw new Error('$range: start and end must be numbers');
    const by = step === undefined ? 1 : step;
    if (typeof by !== 'number' || by === 0) throw new Error('$range: step must be a non-zero number');
    const out: number[] = [];
    if (by > 0) for (let v = start; v <= end; v += by) out.push(v);
    else for (let v = start; v >= end; v += by) out.push(v);
    if (out.length > 1000) throw new Error('$range: the range must not contain more than 1000 items');
    // A JSONata sequence: a single value comes out as that value, as in Step Functions.
    return Object.assign(out, { sequence: true });
  },
  hash: (data: unknown, algorithm: unknown) => {
    const alg = typeof algorithm === 'string' ? HASH_ALGORITHMS[algorithm] : undefined;
    if (!alg) throw new Error(`$hash: unsupported algorithm ${String(algorithm)}`);
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    return createHash(alg).update(text, 'utf8').digest('hex');
  },
  random: (seed?: unknown) => (seed === undefined ? Math.random() : seededRandom(Number(seed))),
  uuid: () => randomUUID(),
  parse: (text: unknown) => {
    if (typeof text !== 'string') throw new Error('$parse: the argument must be a string');
    return JSON.parse(text);
  },
};

/** Turns a JSONata result into plain JSON (sequences become arrays); rejects functions. */
function isFunctionValue(v: unknown): boolean {
  return (
    typeof v === 'function' ||
    (typeof v === 'object' && v !== null && ('_jsonata_lambda' in v || '_jsonata_function' in v))
  );
}

function toJson(v: unknown, body: string, location: string): unknown {
  if (isFunctionValue(v)) {
    throw new EvaluationFailure(
      `The JSONata expression '${body}' specified for the field '${location}' returned an unsupported result type.`,
      location,
    );
  }
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    return v;
  }
  try {
    return JSON.parse(JSON.stringify(v, (_k, x) => (isFunctionValue(x) ? undefined : x)));
  } catch {
    throw new EvaluationFailure(
      `The JSONata expression '${body}' specified for the field '${location}' returned an unsupported result type.`,
      location,
    );
  }
}

export type Bindings = Record<string, unknown>;

/** Evaluates one `{% %}` string. `location` names the field for error messages, e.g. `Output/result`. */
export async function evaluateJsonata(text: string, bindings: Bindings, location: string): Promise<unknown> {
  const body = jsonataBody(text);
  const expr = compile(body, location);
  let result: unknown;
  try {
    result = await expr.evaluate(undefined, bindings);
  } catch (e) {
    if (e instanceof EvaluationFailure) throw e;
    const err = e as jsonata.JsonataError;
    throw new EvaluationFailure(
      `The JSONata expression '${body}' specified for the field '${location}' threw an error during evaluation. ${err.code ? `${err.code}: ` : ''}${err.message}`,
      location,
    );
  }
  if (result === undefined) {
    throw new EvaluationFailure(
      `The JSONata expression '${body}' specified for the field '${location}' returned nothing (undefined).`,
      location,
    );
  }
  return toJson(result, body, location);
}

/** Evaluates every `{% %}` string inside a JSON value (objects and arrays at any depth). */
export async function evaluateTemplate(
  value: unknown,
  bindings: Bindings,
  location: string,
): Promise<unknown> {
  if (typeof value === 'string') {
    return isJsonataString(value) ? evaluateJsonata(value, bindings, location) : value;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(await evaluateTemplate(item, bindings, location));
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = await evaluateTemplate(v, bindings, `${location}/${k}`);
    return out;
  }
  return value;
}

/** True when a JSON value contains any `{% %}` string (so it must be evaluated). */
export function hasJsonata(value: unknown): boolean {
  if (typeof value === 'string') return isJsonataString(value);
  if (Array.isArray(value)) return value.some(hasJsonata);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasJsonata);
  return false;
}
