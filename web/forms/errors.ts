/**
 * Field messages for forms: the use cases' field issues keyed by field name, each a sentence of the message
 * catalogue (tasks/domain/field-messages.ts) in the reader's language naming the field's label, never the contracts' own words.
 */

import { FORM_MESSAGE, fieldMessage } from '../../tasks/domain/field-messages.js';
import type { FieldIssue } from '../../tasks/domain/validation.js';
import type { Locale } from '../../workflows/contracts/index.js';
import type { FieldErrors } from '../html/layout.js';

/**
 * `dimensions.0.price` → the field named `dimensions.0.price`; `terms.plan` → `plan` when the terms are nested;
 * actor, action and whole-input issues → `_form` (shown above the form). Messages are in `locale` (English when not
 * given); `values` (the submitted form) lets a blank field read "required" whatever rule it failed.
 */
export function issuesToErrors(
  issues: readonly FieldIssue[],
  options: {
    stripPrefix?: string;
    rename?: (name: string) => string;
    locale?: Locale;
    values?: Readonly<Record<string, string | undefined>>;
  } = {},
): FieldErrors {
  const locale = options.locale ?? 'en';
  const out: Record<string, string> = {};
  for (const issue of issues) {
    let name = issue.path;
    if (options.stripPrefix && name.startsWith(`${options.stripPrefix}.`)) {
      name = name.slice(options.stripPrefix.length + 1);
    }
    const value = options.values?.[name];
    // who acted and the whole input are not the person's fields: one sentence above the form
    const message =
      name === '' || name.startsWith('actor')
        ? FORM_MESSAGE[locale]
        : fieldMessage(locale, { ...issue, path: name }, value);
    if (
      name === '' ||
      name === 'action' ||
      name.startsWith('actor') ||
      name === 'onboardingId' ||
      name === 'stage' ||
      // a deal step's instance comes with the form's address, not a field: said above the form
      name === 'instance'
    ) {
      name = '_form';
    }
    name = options.rename ? options.rename(name) : name;
    out[name] ??= message;
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
