/** Small display helpers for staff pages. */
import { describeActor } from '../../tasks/use-cases/index.js';
import type { Actor, Locale } from '../../workflows/contracts/index.js';

/** `2025-01-31 09:05 UTC` (with `seconds`: `09:05:07`) from an ISO date-time, or the input when it is not one. */
export function when(iso: string | undefined, seconds = false): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d
    .toISOString()
    .slice(0, seconds ? 19 : 16)
    .replace('T', ' ')} UTC`;
}

/** Who acted, in the one form every page, export and mail uses (tasks/domain/timeline.ts describeActor). */
export function who(actor: Actor | undefined, locale: Locale = 'en'): string {
  return actor ? describeActor(actor, locale) : '';
}

export function pretty(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}
