/** Small display helpers for staff pages. */
import type { Actor } from '../../workflows/contracts/index.js';

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

export function who(actor: Actor | undefined): string {
  if (!actor) return '';
  switch (actor.kind) {
    case 'staff':
      return `${actor.name ?? actor.id} (${actor.role})`;
    case 'buyer':
      return `buyer ${actor.email ?? actor.id}`;
    case 'system':
      return `system: ${actor.id}`;
  }
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
