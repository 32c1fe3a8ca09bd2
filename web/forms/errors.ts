/** Field messages for forms: the use cases' field issues (zod messages from the contracts) keyed by field name. */
import type { FieldIssue } from '../../tasks/domain/validation.js';
import type { Locale } from '../../workflows/contracts/index.js';
import type { FieldErrors } from '../html/layout.js';
import { JA_FIELD_HINTS } from '../i18n.js';

/**
 * `dimensions.0.price` → the field named `dimensions.0.price`; `terms.plan` → `plan` when the terms are nested;
 * actor, action and whole-input issues → `_form` (shown above the form).
 */
export function issuesToErrors(
  issues: readonly FieldIssue[],
  options: { stripPrefix?: string; rename?: (name: string) => string } = {},
): FieldErrors {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    let name = issue.path;
    if (options.stripPrefix && name.startsWith(`${options.stripPrefix}.`)) {
      name = name.slice(options.stripPrefix.length + 1);
    }
    if (
      name === '' ||
      name === 'action' ||
      name.startsWith('actor') ||
      name === 'onboardingId' ||
      name === 'stage'
    ) {
      name = '_form';
    }
    name = options.rename ? options.rename(name) : name;
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

/** On the Japanese pages each field message gets the field's Japanese hint before it (the message stays, in brackets). */
export function localizeErrors(locale: Locale, errors: FieldErrors): FieldErrors {
  if (locale !== 'ja') return errors;
  const out: Record<string, string> = {};
  for (const [name, message] of Object.entries(errors)) {
    out[name] = JA_FIELD_HINTS[name] ? `${JA_FIELD_HINTS[name]} (${message})` : message;
  }
  return out;
}
