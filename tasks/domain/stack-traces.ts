/**
 * Error details as staff read them (issue 10 item 8): the error's type and message, never its stack trace (server
 * paths, line numbers, library internals). A Lambda error reaches the workflow as JSON
 * `{"errorType","errorMessage","trace":[...]}` and a caught cause may quote it; the trace stays in the function's logs.
 */
const TRACE_KEYS = new Set(['trace', 'stack', 'stacktrace', 'stack_trace']);
/** A V8 stack frame line: `    at fn (/var/task/index.mjs:12:34)` or `at file:///...`. */
const FRAME = /^\s*at\s.+(?:\(.+:\d+:\d+\)|:\d+:\d+)\s*$/;

function withoutFrames(s: string): string {
  const lines = s.split('\n');
  const kept = lines.filter((l) => !FRAME.test(l));
  return kept.length === lines.length ? s : kept.join('\n').trimEnd();
}

function cleanString(s: string): string {
  const t = s.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.stringify(withoutStackTraces(JSON.parse(s)));
    } catch {
      // text that starts like JSON: frames only
    }
  }
  return withoutFrames(s);
}

/** A deep copy without stack traces: trace/stack members dropped, frame lines cut from text, JSON in strings too. */
export function withoutStackTraces<T>(value: T): T {
  if (typeof value === 'string') return cleanString(value) as T;
  if (Array.isArray(value)) return value.map((v) => withoutStackTraces(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      if (!TRACE_KEYS.has(k.toLowerCase())) out[k] = withoutStackTraces(v);
    return out as T;
  }
  return value;
}
