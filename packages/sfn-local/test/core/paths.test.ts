import { describe, expect, it } from 'vitest';
import { compilePath, evaluatePath, PathNotFoundError, setAtPath } from '../../src/json/paths.js';

describe('JSONPath evaluation', () => {
  const doc = { a: { b: [10, 20, 30], 'sub-values': { x: 1 } }, items: [{ v: 1 }, { v: 2 }, { w: 3 }] };

  it('resolves definite paths with dots, brackets, quoted names and negative indexes', () => {
    expect(evaluatePath(compilePath('$.a.b[1]'), doc)).toBe(20);
    expect(evaluatePath(compilePath("$['a']['b'][-1]"), doc)).toBe(30);
    expect(evaluatePath(compilePath('$.a.sub-values.x'), doc)).toBe(1);
    expect(evaluatePath(compilePath('$'), doc)).toBe(doc);
    expect(evaluatePath(compilePath('$.a.b.length()'), doc)).toBe(3);
  });

  it('returns arrays for indefinite paths, empty when nothing matches', () => {
    expect(evaluatePath(compilePath('$.items[*].v'), doc)).toEqual([1, 2]);
    expect(evaluatePath(compilePath('$.a.b[1:]'), doc)).toEqual([20, 30]);
    expect(evaluatePath(compilePath('$.a.b[:1]'), doc)).toEqual([10]);
    expect(evaluatePath(compilePath('$..v'), doc)).toEqual([1, 2]);
    expect(evaluatePath(compilePath('$.missing[*]'), doc)).toEqual([]);
    expect(evaluatePath(compilePath('$.items[?(@.v > 1)]'), doc)).toEqual([{ v: 2 }]);
  });

  it('fails a definite path that finds nothing with the Jayway wording', () => {
    expect(() => evaluatePath(compilePath('$.nope'), doc)).toThrow(PathNotFoundError);
    expect(() => evaluatePath(compilePath('$.nope'), doc)).toThrow("No results for path: $['nope']");
    expect(() => evaluatePath(compilePath('$.no.such'), doc)).toThrow("Missing property in path $['no']");
  });

  it('knows the root of a path: input, context object or variable', () => {
    expect(compilePath('$$.Execution.Id').root).toBe('$$');
    expect(compilePath('$myVar.field').root).toBe('myVar');
    expect(compilePath('$.x').root).toBe('$');
  });

  it('places a result at a reference path without touching the target', () => {
    const target = { a: { keep: true } };
    const out = setAtPath(compilePath('$.a.result.deep'), target, 42);
    expect(out).toEqual({ a: { keep: true, result: { deep: 42 } } });
    expect(target).toEqual({ a: { keep: true } });
    expect(setAtPath(compilePath('$'), target, 1)).toBe(1);
    expect(() => setAtPath(compilePath('$.a.keep.x'), target, 1)).toThrow(PathNotFoundError);
  });
});
