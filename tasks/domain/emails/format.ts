/** Small helpers shared by the e-mail templates (pure): dates, and bodies rendered both as text and as HTML. */
import type { Locale } from '../../../workflows/contracts/inquiry.js';

export interface EmailContent {
  subject: string;
  /** The text/plain part. */
  text: string;
  /** The text/html part: the same words, links as <a>. */
  html: string;
}

/** The time zone a buyer reads dates in when nothing else is known: Japan for Japanese, UTC for English. */
export const defaultTimeZone = (locale: Locale): string => (locale === 'ja' ? 'Asia/Tokyo' : 'UTC');

const INTL_LOCALE: Record<Locale, string> = { ja: 'ja-JP', en: 'en-US' };

const parts = (d: Date, locale: Locale, timeZone: string) => {
  const all = new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'long',
  }).formatToParts(d);
  const zone = all.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  const time = all
    .filter((p) => p.type !== 'timeZoneName')
    .map((p) => p.value)
    .join('')
    // ICU puts a narrow no-break space before AM/PM; plain text mail readers get a plain space
    .replace(/[\u202f\u00a0]/g, ' ')
    .trim();
  return { time, zone };
};

const isUtc = (timeZone: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone.replace(/^Etc\//, '') === 'UTC';

/**
 * A date-time as people read it in their locale: in UTC (as AWS Marketplace and the console state it) and, unless
 * the reader's time zone is UTC, also in that zone, named. "2027-01-31" (end of day UTC) reads
 * "2027年1月31日 23:59 UTC（日本標準時では 2027年2月1日 8:59）", never as the next day without saying so.
 */
export function formatDateTime(iso: string, locale: Locale, timeZone = defaultTimeZone(locale)): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const utc = `${parts(d, locale, 'UTC').time} UTC`;
  if (isUtc(timeZone)) return utc;
  const local = parts(d, locale, timeZone);
  return locale === 'ja'
    ? `${utc}（${local.zone}では ${local.time}）`
    : `${utc} (${local.time} ${local.zone})`;
}

/** A link in a mail: `<a href>` in HTML (a new window: the local inbox shows mails in a frame); in the text part the URL itself (after the label when they differ). */
export interface MailLink {
  readonly href: string;
  readonly label: string;
}

/** One line of a mail: text, a link, or text and links in a row. */
export type MailLine = string | MailLink | ReadonlyArray<string | MailLink>;

export const link = (href: string, label = href): MailLink => ({ href, label });

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const asParts = (line: MailLine): ReadonlyArray<string | MailLink> =>
  typeof line === 'string' || !Array.isArray(line) ? [line as string | MailLink] : line;

const textOf = (line: MailLine) =>
  asParts(line)
    .map((p) => (typeof p === 'string' ? p : p.label === p.href ? p.href : `${p.label}: ${p.href}`))
    .join('');

const htmlOf = (line: MailLine) =>
  asParts(line)
    .map((p) =>
      typeof p === 'string'
        ? escapeHtml(p)
        : `<a href="${escapeHtml(p.href)}" target="_blank" rel="noopener">${escapeHtml(p.label)}</a>`,
    )
    .join('');

/**
 * A mail's subject and body, as a text part and an HTML part with the same words: lines in a row form a paragraph,
 * an empty line ends it; false/undefined lines are left out. Everything typed by people is escaped in the HTML.
 */
export function mail(lang: Locale, subject: string, ...body: (MailLine | false | undefined)[]): EmailContent {
  const kept = body.filter((l): l is MailLine => l !== false && l !== undefined);
  const paragraphs: MailLine[][] = [[]];
  for (const l of kept) {
    if (l === '') paragraphs.push([]);
    else paragraphs[paragraphs.length - 1]?.push(l);
  }
  const html = [
    '<!doctype html>',
    `<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    // styles on a wrapper, not on <body>: mail programs (and the local inbox's frame) drop the body's attributes
    "<body><div style=\"font-family:-apple-system,'Segoe UI','Hiragino Sans',Meiryo,sans-serif;color:#16191f;line-height:1.6\">",
    ...paragraphs.filter((p) => p.length > 0).map((p) => `<p>${p.map(htmlOf).join('<br>\n')}</p>`),
    '</div></body></html>',
    '',
  ].join('\n');
  return { subject, text: `${kept.map(textOf).join('\n')}\n`, html };
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
