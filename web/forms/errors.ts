/** Turns zod issues into messages keyed by form field name (the issue path joined with dots). */
import type { z } from 'zod';
import type { FieldErrors } from '../html/layout.js';

export function fieldErrors(error: z.ZodError, options: { stripPrefix?: string } = {}): FieldErrors {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    let name = issue.path.map(String).join('.');
    if (options.stripPrefix && name.startsWith(`${options.stripPrefix}.`)) {
      name = name.slice(options.stripPrefix.length + 1);
    }
    if (name.startsWith('actor') || name === 'action') name = '_form';
    if (name === '') name = '_form';
    out[name] ??= issue.message;
  }
  return out;
}

/** Reads a parsed form body as strings only (a repeated or file field counts as its first string value). */
export function formStrings(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') out[key] = first;
  }
  return out;
}

/** An optional text field: blank means absent. */
export const optional = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value;
