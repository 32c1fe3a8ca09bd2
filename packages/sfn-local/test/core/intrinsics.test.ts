import { describe, expect, it } from 'vitest';
import { StatesError } from '../../src/errors.js';
import { evaluateIntrinsic, parseIntrinsic } from '../../src/json/intrinsics.js';
import { compilePath, evaluatePath } from '../../src/json/paths.js';

const input = {
  arr: [1, 2, 2, 3, 4],
  str: 'a,b;;c',
  obj: { a: 1, b: { x: 1 } },
  obj2: { b: { y: 2 }, c: 3 },
  n: 2.5,
};

function ev(text: string): unknown {
  return evaluateIntrinsic(parseIntrinsic(text), { resolve: (p) => evaluatePath(compilePath(p), input) });
}

describe('intrinsic functions', () => {
  it('States.Format renders strings, numbers, null, objects and escaped braces', () => {
    expect(ev("States.Format('x={} y={}', $.arr[0], $.obj)")).toBe('x=1 y={a=1, b={x=1}}');
    expect(ev("States.Format('a \\{literal\\} {}', null)")).toBe('a {literal} null');
    expect(() => ev("States.Format('{} {}', 1)")).toThrow(StatesError);
  });

  it('JSON helpers: StringToJson, JsonToString, JsonMerge', () => {
    expect(ev('States.StringToJson(\'{"a":[1]}\')')).toEqual({ a: [1] });
    expect(ev('States.JsonToString($.obj)')).toBe('{"a":1,"b":{"x":1}}');
    expect(ev('States.JsonMerge($.obj, $.obj2, false)')).toEqual({ a: 1, b: { y: 2 }, c: 3 });
  });

  it('array functions', () => {
    expect(ev('States.Array(1, $.n, States.Array())')).toEqual([1, 2.5, []]);
    expect(ev('States.ArrayPartition($.arr, 2)')).toEqual([[1, 2], [2, 3], [4]]);
    expect(ev('States.ArrayContains($.arr, 3)')).toBe(true);
    expect(ev('States.ArrayRange(0, 10, 3)')).toEqual([0, 3, 6, 9]);
    expect(ev('States.ArrayGetItem($.arr, 4)')).toBe(4);
    expect(ev('States.ArrayLength($.arr)')).toBe(5);
    expect(ev('States.ArrayUnique($.arr)')).toEqual([1, 2, 3, 4]);
    expect(() => ev('States.ArrayGetItem($.arr, 9)')).toThrow(/States.ArrayGetItem/);
  });

  it('encoding, hashing, math, strings and UUID', () => {
    expect(ev("States.Base64Encode('Data to encode')")).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(ev("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')")).toBe('Data to encode');
    expect(ev("States.Hash('input data', 'SHA-1')")).toBe('aaff4a450a104cd177d28d18d74485e8cae074b7');
    expect(ev('States.MathAdd(1.49, 1.5)')).toBe(3);
    const r = ev('States.MathRandom(10, 20)') as number;
    expect(r >= 10 && r < 20).toBe(true);
    expect(ev('States.MathRandom(1, 1000, 7)')).toBe(ev('States.MathRandom(1, 1000, 7)'));
    expect(ev("States.StringSplit($.str, ',;')")).toEqual(['a', 'b', 'c']);
    expect(ev('States.UUID()')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects unknown functions at parse time', () => {
    expect(() => parseIntrinsic('States.Nope(1)')).toThrow(/Unsupported intrinsic/);
  });
});
