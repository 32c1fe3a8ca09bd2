/** Date helpers for the formats AWS Marketplace uses. */
import { ISO_DURATION } from './catalog/details-schemas.js';

/** `2018-02-27T13:45:22Z` (the Catalog API's timestamps). */
export const isoSeconds = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

/** A `YYYY-MM-DD` date ends at 23:59:59.999 UTC of that day. */
export const endOfDay = (date: string): string => `${date}T23:59:59.999Z`;
export const startOfDay = (date: string): string => `${date}T00:00:00.000Z`;

/** Adds an ISO 8601 duration (`P12M`, `P365D`, `P1Y2M`, `PT12H`) to an instant, calendar-aware. */
export function addDuration(from: Date, duration: string): Date {
  const m = ISO_DURATION.exec(duration);
  if (!m) throw new Error(`not an ISO 8601 duration: ${duration}`);
  const n = (g: string | undefined) => (g === undefined ? 0 : Number.parseInt(g, 10));
  const d = new Date(from.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + n(m[1]));
  d.setUTCMonth(d.getUTCMonth() + n(m[2]));
  d.setUTCDate(d.getUTCDate() + 7 * n(m[3]) + n(m[4]));
  d.setTime(d.getTime() + ((n(m[6]) * 60 + n(m[7])) * 60 + n(m[8])) * 1000);
  return d;
}
