/**
 * JSONPath-mode payload templates (Parameters, ResultSelector, ItemSelector, Assign): keys ending in `.$` take the
 * value of a path (`$...` input, `$$...` context object, `$name...` variable) or of an intrinsic function.
 * Templates are compiled once per definition; constant sub-trees are shared, never copied.
 */
import { RuntimeFailure, StatesError } from '../errors.js';
import { evaluateIntrinsic, type IntrinsicCall, isIntrinsic, parseIntrinsic } from '../json/intrinsics.js';
import { type CompiledPath, compilePath, evaluatePath, PathNotFoundError } from '../json/paths.js';

export type Template =
  | { k: 'const'; v: unknown }
  | { k: 'obj'; entries: { key: string; t: Template }[] }
  | { k: 'arr'; items: Template[] }
  | { k: 'path'; path: CompiledPath; field: string }
  | { k: 'fn'; call: IntrinsicCall; field: string };

export function compileTemplate(value: unknown): Template {
  if (Array.isArray(value)) {
    const items = value.map(compileTemplate);
    return items.every((t) => t.k === 'const') ? { k: 'const', v: value } : { k: 'arr', items };
  }
  if (value !== null && typeof value === 'object') {
    const entries: { key: string; t: Template }[] = [];
    let constant = true;
    for (const [key, v] of Object.entries(value)) {
      if (key.endsWith('.$') && typeof v === 'string') {
        const name = key.slice(0, -2);
        const t: Template = isIntrinsic(v)
          ? { k: 'fn', call: parseIntrinsic(v), field: key }
          : { k: 'path', path: compilePath(v), field: key };
        entries.push({ key: name, t });
        constant = false;
      } else {
        const t = compileTemplate(v);
        if (t.k !== 'const') constant = false;
        entries.push({ key, t });
      }
    }
    return constant ? { k: 'const', v: value } : { k: 'obj', entries };
  }
  return { k: 'const', v: value };
}

/** What paths resolve against. */
export interface PathScope {
  /** The value `$` stands for. */
  readonly input: unknown;
  /** The context object (`$$`), built on demand. */
  context(): unknown;
  /** A workflow variable; `undefined` when not assigned. */
  variable(name: string): { value: unknown } | undefined;
}

/** Resolves a path against the scope; throws PathNotFoundError for a definite path that finds nothing. */
export function resolvePath(path: CompiledPath, scope: PathScope): unknown {
  if (path.root === '$') return evaluatePath(path, scope.input);
  if (path.root === '$$') return evaluatePath(path, scope.context());
  const v = scope.variable(path.root);
  if (!v)
    throw new PathNotFoundError(`Invalid path '${path.text}' : The variable '$${path.root}' is not defined`);
  return evaluatePath(path, v.value);
}

function stringifyForMessage(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return String(v);
  }
}

export function evaluateTemplate(t: Template, scope: PathScope): unknown {
  switch (t.k) {
    case 'const':
      return t.v;
    case 'obj': {
      const out: Record<string, unknown> = {};
      for (const e of t.entries) out[e.key] = evaluateTemplate(e.t, scope);
      return out;
    }
    case 'arr':
      return t.items.map((i) => evaluateTemplate(i, scope));
    case 'path':
      try {
        return resolvePath(t.path, scope);
      } catch (e) {
        if (e instanceof PathNotFoundError) {
          throw new RuntimeFailure(
            `The JSONPath '${t.path.text}' specified for the field '${t.field}' could not be found in the input '${stringifyForMessage(scope.input)}'`,
          );
        }
        throw e;
      }
    case 'fn':
      try {
        return evaluateIntrinsic(t.call, {
          resolve: (text) => {
            const p = compilePath(text);
            try {
              return resolvePath(p, scope);
            } catch (e) {
              if (e instanceof PathNotFoundError) {
                throw new RuntimeFailure(
                  `The JSONPath '${text}' specified for the field '${t.field}' could not be found in the input '${stringifyForMessage(scope.input)}'`,
                );
              }
              throw e;
            }
          },
        });
      } catch (e) {
        if (e instanceof StatesError) throw e;
        throw new StatesError('States.IntrinsicFailure', (e as Error).message);
      }
  }
}
