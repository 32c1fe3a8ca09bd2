/** Small helpers shared by the e-mail templates (pure). */
import type { Locale } from '../../../workflows/contracts/inquiry.js';

export interface EmailContent {
  subject: string;
  text: string;
}

/** A date-time as people read it in their locale, always in Japan time for ja and UTC for en. */
export function formatDateTime(iso: string, locale: Locale): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return locale === 'ja'
    ? `${new Intl.DateTimeFormat('ja-JP', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(d)} (JST)`
    : `${new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(d)} UTC`;
}

export function lines(...parts: (string | false | undefined)[]): string {
  return `${parts.filter((p): p is string => typeof p === 'string').join('\n')}\n`;
}
