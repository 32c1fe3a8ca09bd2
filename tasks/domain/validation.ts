/** zod results as field issues a form can show next to each field. */
import type * as z from 'zod';

export interface FieldIssue {
  /** Dotted path of the field, e.g. `email` or `dimensions.0.price`; empty for the whole input. */
  path: string;
  message: string;
}

export type Invalid = { ok: false; error: 'invalid-input'; issues: FieldIssue[] };

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export function invalid(issues: FieldIssue[]): Invalid {
  return { ok: false, error: 'invalid-input', issues };
}
