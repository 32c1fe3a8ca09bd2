/**
 * Task tokens never leave the server. Execution history events carry them inside task inputs
 * (`taskToken` in the payload of every `.waitForTaskToken` task), so everything read from a history is passed
 * through `redactTokens` before it is returned, archived or exported.
 */
export const REDACTED = '[redacted]';

const TOKEN_KEY = /^(task_?token|x-amzn-marketplace-token|marketplacetoken|registrationtoken)$/i;
/** A token-named member in JSON text that does not parse (cut short), quotes escaped or not: `"taskToken":"…`. */
const TOKEN_MEMBER =
  /(\\*"(?:task_?token|x-amzn-marketplace-token|marketplacetoken|registrationtoken)\\*"\s*:\s*\\*")[^"\\]*/gi;

export function isTokenKey(key: string): boolean {
  return TOKEN_KEY.test(key);
}

function redactString(s: string): string {
  const t = s.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.stringify(redactTokens(JSON.parse(s)));
    } catch {
      // not JSON after all (cut short, or text that starts like it): the member pattern below
    }
  }
  // a payload quoted in text (an error message, a truncated data block)
  return s.replace(TOKEN_MEMBER, `$1${REDACTED}`);
}

/** A deep copy with every token-named field replaced; JSON held in strings is redacted too. */
export function redactTokens<T>(value: T): T {
  if (typeof value === 'string') return redactString(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactTokens(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = isTokenKey(k) && v !== undefined ? REDACTED : redactTokens(v);
    return out as T;
  }
  return value;
}

/**
 * The error with every occurrence of `secret` in its message and stack replaced (an SDK error may quote the value it
 * refused), so a log line, a Lambda error output or a history cause never carries it. Same object: name, class and
 * metadata stay as they were.
 */
export function withoutSecret<E>(err: E, secret: string): E {
  if (!(err instanceof Error) || secret === '') return err;
  err.message = err.message.replaceAll(secret, REDACTED);
  if (err.stack) err.stack = err.stack.replaceAll(secret, REDACTED);
  return err;
}
