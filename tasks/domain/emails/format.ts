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

/** How long a name may be in a mail to an address nobody has verified yet (the inquiry's acknowledgement). */
export const UNVERIFIED_NAME_MAX = 60;

/**
 * A name typed into a public form, as it may appear in a mail to an address nobody has verified (issue 10: the
 * inquiry form must not relay anyone's text to anyone): one line, at most UNVERIFIED_NAME_MAX characters (longer ones
 * cut with an ellipsis), with nothing a mail program turns into a link (schemes dropped; the dots of a host name
 * shown as U+2024 and the at sign of an address as U+FF20, so "evil.example" stays text).
 */
export function unverifiedName(value: string): string {
  const plain = value
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/[\p{L}\p{N}+.-]*:\/\//gu, '')
    .replace(/(?<=[\p{L}\p{N}_-])\.(?=[\p{L}\p{N}_-])/gu, '\u2024')
    .replace(/@/g, '\uff20')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...plain];
  return chars.length > UNVERIFIED_NAME_MAX ? `${chars.slice(0, UNVERIFIED_NAME_MAX - 1).join('')}…` : plain;
}

export function lines(...parts: (string | false | undefined)[]): string {
  return `${parts.filter((p): p is string => typeof p === 'string').join('\n')}\n`;
}
