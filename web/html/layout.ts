/** Page layouts and form pieces shared by every page. */
import { html } from 'hono/html';
import type { Locale } from '../../workflows/contracts/index.js';
import { words } from '../console/words.js';
import { type MessageKey, t } from '../i18n.js';
import { CSRF_FIELD } from '../security/csrf.js';
import type { StaffSession } from '../sessions.js';
import { SCRIPT, STYLE } from '../static/index.js';

/**
 * Markup made with hono/html's `html` tag (every interpolation is escaped unless it is itself markup; `raw` only for
 * trusted fragments). It is a promise only if something interpolated is one: the pages interpolate none.
 */
export type Html = ReturnType<typeof html>;

function document(locale: Locale, title: string, header: Html, body: Html, narrow: boolean): Html {
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${STYLE.path}">
<script src="${SCRIPT.path}" defer></script>
</head>
<body>
${header}
<main class="${narrow ? 'narrow' : ''}">
${body}
</main>
</body>
</html>`;
}

/** Public pages (inquiry, buyer): Japanese by default, a link to switch language on the same page. */
export function publicPage(opts: { locale: Locale; title: string; body: Html; path: string }): Html {
  const other: Locale = opts.locale === 'ja' ? 'en' : 'ja';
  const header = html`<header class="top"><strong>${t(opts.locale, 'site.name')}</strong>
<nav><a href="${opts.path}${opts.path.includes('?') ? '&' : '?'}lang=${other}" hreflang="${other}" lang="${other}">${t(opts.locale, 'lang.switch')}</a></nav></header>`;
  return document(opts.locale, `${opts.title} | ${t(opts.locale, 'site.name')}`, header, opts.body, true);
}

/** Staff pages: the console and the audit view, in English. */
/**
 * Staff pages (console, audit, sign-in): English unless the person chose Japanese (web/console/words.ts); with
 * `switchUrl`, a link to the same page in the other language.
 */
export function staffPage(opts: {
  title: string;
  body: Html;
  staff?: StaffSession;
  csrf?: string;
  locale?: Locale;
  switchUrl?: string;
}): Html {
  const locale = opts.locale ?? 'en';
  const w = words(locale);
  const other: Locale = locale === 'ja' ? 'en' : 'ja';
  const lang = opts.switchUrl
    ? html`<a href="${opts.switchUrl}" hreflang="${other}" lang="${other}">${w['lang.switch']}</a>`
    : '';
  const who = opts.staff
    ? html`<nav><a href="/console">${w['nav.onboardings']}</a><a href="/audit">${w['nav.audit']}</a>${lang}
<span>${opts.staff.name} <span class="badge">${opts.staff.role}</span></span>
<form method="post" action="/auth/logout">${csrfField(opts.csrf ?? '')}<button type="submit">${w['nav.signOut']}</button></form></nav>`
    : lang
      ? html`<nav>${lang}</nav>`
      : html``;
  const header = html`<header class="top"><strong>${w['console.name']}</strong>${who}</header>`;
  return document(locale, `${opts.title} | ${w['console.name']}`, header, opts.body, false);
}

export const csrfField = (token: string): Html =>
  html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;

export type FieldErrors = Readonly<Record<string, string>>;

export interface FieldOptions {
  readonly name: string;
  readonly label: string;
  readonly value?: string;
  readonly errors?: FieldErrors;
  readonly type?: 'text' | 'email' | 'password' | 'number' | 'date' | 'datetime-local' | 'url';
  readonly required?: boolean;
  readonly optionalLabel?: string;
  readonly attrs?: Html;
  readonly id?: string;
}

export function errorText(name: string, errors: FieldErrors | undefined, id: string): Html {
  const message = errors?.[name];
  return message ? html`<p class="err" id="${id}-err">${message}</p>` : html``;
}

export function field(o: FieldOptions): Html {
  const id = o.id ?? `f-${o.name}`;
  const error = o.errors?.[o.name];
  return html`<label for="${id}">${o.label}${o.optionalLabel ? html` <small>(${o.optionalLabel})</small>` : ''}</label>
<input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${o.required ? html` required` : ''}${
    error ? html` aria-invalid="true" aria-describedby="${id}-err"` : ''
  }${o.attrs ?? ''}>
${errorText(o.name, o.errors, id)}`;
}

export function textarea(o: Omit<FieldOptions, 'type'>): Html {
  const id = o.id ?? `f-${o.name}`;
  const error = o.errors?.[o.name];
  return html`<label for="${id}">${o.label}${o.optionalLabel ? html` <small>(${o.optionalLabel})</small>` : ''}</label>
<textarea id="${id}" name="${o.name}"${o.required ? html` required` : ''}${
    error ? html` aria-invalid="true" aria-describedby="${id}-err"` : ''
  }>${o.value ?? ''}</textarea>
${errorText(o.name, o.errors, id)}`;
}

export function select(o: FieldOptions & { options: readonly (readonly [string, string])[] }): Html {
  const id = o.id ?? `f-${o.name}`;
  const error = o.errors?.[o.name];
  return html`<label for="${id}">${o.label}</label>
<select id="${id}" name="${o.name}"${o.required ? html` required` : ''}${
    error ? html` aria-invalid="true" aria-describedby="${id}-err"` : ''
  }>${o.options.map(([value, label]) => html`<option value="${value}"${value === o.value ? html` selected` : ''}>${label}</option>`)}</select>
${errorText(o.name, o.errors, id)}`;
}

export function notice(kind: 'info' | 'ok' | 'warn' | 'bad', body: Html | string): Html {
  return html`<div class="notice ${kind === 'info' ? '' : kind}" role="${kind === 'bad' ? 'alert' : 'status'}">${body}</div>`;
}

/** A public message page (errors and confirmations of the buyer flow). */
export function messagePage(opts: {
  locale: Locale;
  path: string;
  title: MessageKey;
  body: MessageKey;
  kind: 'ok' | 'warn' | 'bad';
  extra?: Html;
}): Html {
  return publicPage({
    locale: opts.locale,
    path: opts.path,
    title: t(opts.locale, opts.title),
    body: html`<h1>${t(opts.locale, opts.title)}</h1>${notice(opts.kind, t(opts.locale, opts.body))}${opts.extra ?? ''}`,
  });
}
