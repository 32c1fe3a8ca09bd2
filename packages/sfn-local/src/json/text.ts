/**
 * JSON texts of immutable values, computed once. The engine never mutates a value once it is part of a state's
 * input or output, so the text of an object stays true for as long as the object lives.
 */
const texts = new WeakMap<object, string>();

/** The JSON text of a value, cached for objects when `cache` is set. */
export function jsonText(v: unknown, cache = true): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  const hit = texts.get(v);
  if (hit !== undefined) return hit;
  const text = JSON.stringify(v);
  if (cache) texts.set(v, text);
  return text;
}

/** A text already computed for this value, if any. */
export function cachedJsonText(v: object): string | undefined {
  return texts.get(v);
}
