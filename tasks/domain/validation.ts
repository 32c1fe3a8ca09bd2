/** zod results as field issues a form can show next to each field. */
import type * as z from 'zod';

/**
 * What is wrong with a field, whatever words a contract uses for it: the web's message catalogue
 * (field-messages.ts) turns it into a sentence in the reader's language.
 */
export type IssueKind =
  | 'required'
  | 'too_long'
  | 'too_short'
  | 'too_small'
  | 'too_big'
  | 'too_few'
  | 'too_many'
  | 'format'
  | 'one_of'
  | 'not_future'
  /** A date that must come after another (`limit`, e.g. the offer's current expiry). */
  | 'not_after'
  /** A date later than allowed (`limit`, the latest date). */
  | 'too_late'
  | 'mismatch'
  | 'order'
  | 'invalid';

export interface FieldIssue {
  /** Dotted path of the field, e.g. `email` or `dimensions.0.price`; empty for the whole input. */
  path: string;
  /** For developers and logs (the contracts' words); people read the catalogue's sentence. */
  message: string;
  kind?: IssueKind;
  /** The bound of too_long, too_short, too_small, too_big, too_few and too_many; the date (YYYY-MM-DD) of not_after and too_late. */
  limit?: number | string;
  /** The expected form of a `format` issue: email, datetime, date, url, regex, number, integer, … */
  format?: string;
}

export type Invalid = { ok: false; error: 'invalid-input'; issues: FieldIssue[] };

type ZodIssue = z.ZodError['issues'][number];

const bounded = (kind: IssueKind, limit: unknown) =>
  typeof limit === 'number' || typeof limit === 'bigint' ? { kind, limit: Number(limit) } : { kind };

/** The kind (and bound or form) of a zod issue. */
function describe(i: ZodIssue): Pick<FieldIssue, 'kind' | 'limit' | 'format'> {
  switch (i.code) {
    case 'invalid_type':
      if (i.expected === 'number') return { kind: 'format', format: 'number' };
      if (i.expected === 'int') return { kind: 'format', format: 'integer' };
      return { kind: 'required' };
    case 'too_small':
      if ((i.origin === 'string' || i.origin === 'array') && Number(i.minimum) <= 1)
        return { kind: 'required' };
      return bounded(
        i.origin === 'string' ? 'too_short' : i.origin === 'array' ? 'too_few' : 'too_small',
        i.minimum,
      );
    case 'too_big':
      return bounded(
        i.origin === 'string' ? 'too_long' : i.origin === 'array' ? 'too_many' : 'too_big',
        i.maximum,
      );
    case 'invalid_format':
      return { kind: 'format', format: i.format };
    case 'invalid_value':
    case 'invalid_union':
      return { kind: 'one_of' };
    default:
      return { kind: 'invalid' };
  }
}

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
    ...describe(i),
  }));
}

export function invalid(issues: FieldIssue[]): Invalid {
  return { ok: false, error: 'invalid-input', issues };
}
