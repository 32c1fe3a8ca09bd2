/**
 * A headless browser for the demo and the end-to-end tests: follows redirects, keeps cookies per host, reads pages
 * and submits their forms the way a person's browser would (hidden fields, CSRF tokens, checked radios included).
 * Nothing here knows the application; it only speaks HTTP and HTML.
 */
import { request as httpRequest } from 'node:http';
import { type HTMLElement, parse } from 'node-html-parser';

let browsers = 0;
/**
 * Each browser gets its own source address on the loopback network (127.0.0.0/8 all reaches this machine), as
 * separate people's browsers have separate addresses: the app's per-client limits count each browser on its own.
 */
function nextLoopbackAddress(): string {
  browsers += 1;
  const n = (browsers % 65_000) + 2;
  return `127.1.${Math.floor(n / 250)}.${(n % 250) + 2}`;
}
const isLoopback = (host: string) => host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** fetch over node:http from a chosen local address (global fetch cannot choose one); redirects are left to the caller. */
function fetchFrom(
  localAddress: string | undefined,
  url: URL,
  init: RequestInit & { headers: Headers },
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const body = typeof init.body === 'string' ? Buffer.from(init.body) : undefined;
    const headers: Record<string, string> = Object.fromEntries(init.headers);
    if (body) headers['content-length'] = String(body.length);
    const req = httpRequest(
      url,
      { method: init.method ?? 'GET', headers, family: 4, ...(localAddress ? { localAddress } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const out = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
              out.append(name, v);
          }
          const status = res.statusCode ?? 500;
          const empty = status === 204 || status === 205 || status === 304;
          resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers: out }));
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      // a system that has only 127.0.0.1 on its loopback (macOS): every browser then shares it
      if (error.code === 'EADDRNOTAVAIL' && localAddress)
        fetchFrom(undefined, url, init).then(resolve, reject);
      else reject(error);
    });
    if (init.body !== undefined && init.body !== null && !body) {
      req.destroy();
      reject(new Error('the demo browser posts string bodies only'));
      return;
    }
    req.end(body);
  });
}

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly url: string,
    readonly body: string,
  ) {
    super(
      `HTTP ${status} from ${url}: ${body
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 300)}`,
    );
  }
}

export interface Page {
  readonly url: string;
  readonly status: number;
  /** The answer's headers (Retry-After, ...). */
  readonly headers?: Headers;
  readonly html: string;
  readonly document: HTMLElement;
  /** The page's visible text, whitespace folded. */
  readonly text: string;
}

export interface FormQuery {
  /** The form's action contains this. */
  readonly action?: string | RegExp;
  /** The form has a field with this name (and value, when given). */
  readonly field?: { readonly name: string; readonly value?: string };
}

export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();
  /** This browser's own address on the loopback network (see nextLoopbackAddress). */
  readonly address = nextLoopbackAddress();

  constructor(private readonly options: { acceptLanguage?: string; userAgent?: string } = {}) {}

  async get(url: string): Promise<Page> {
    return this.request(url, { method: 'GET' });
  }

  /** Posts urlencoded fields to a URL, as an HTML form does. */
  async post(url: string, fields: Record<string, string>): Promise<Page> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Finds a form on the page, fills it (its own values first, then `fields`) and submits it. */
  async submit(page: Page, query: FormQuery, fields: Record<string, string> = {}): Promise<Page> {
    const form = findForm(page, query);
    const action = new URL(form.getAttribute('action') ?? page.url, page.url).toString();
    const method = (form.getAttribute('method') ?? 'get').toLowerCase();
    const values = { ...formValues(form), ...fields };
    if (method === 'post') return this.post(action, values);
    const target = new URL(action);
    for (const [k, v] of Object.entries(values)) target.searchParams.set(k, v);
    return this.get(target.toString());
  }

  /**
   * Opens `formUrl`, fills its first POST form (its hidden fields, then `fields`) and posts it; a 4xx/5xx answer is
   * returned, not thrown (for forms that refuse: 400, 401, 429 with its headers).
   */
  async postFormAt(formUrl: string, fields: Record<string, string>): Promise<Page> {
    const page = await this.get(formUrl);
    const form = page.document.querySelector('form[method=post]');
    const hidden = Object.fromEntries(
      (form?.querySelectorAll('input[type=hidden]') ?? []).map((i) => [
        i.getAttribute('name') ?? '',
        i.getAttribute('value') ?? '',
      ]),
    );
    const action = new URL(form?.getAttribute('action') ?? page.url, page.url).toString();
    return this.fetchPage(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...hidden, ...fields }).toString(),
    });
  }

  /** Like get/post, but a 4xx/5xx page is returned instead of thrown (for pages that answer with an error status). */
  async fetchPage(url: string, init: RequestInit = {}): Promise<Page> {
    return this.request(url, init, false);
  }

  private async request(url: string, init: RequestInit, throwOnError = true, hops = 0): Promise<Page> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookies = this.jar.get(target.host);
    if (cookies && cookies.size > 0)
      headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    headers.set('accept-language', this.options.acceptLanguage ?? 'ja');
    headers.set('accept', 'text/html,application/xhtml+xml');
    // Browsers send Origin on POST; the app's CSRF defence may check it.
    if (init.method === 'POST') headers.set('origin', target.origin);
    const response =
      target.protocol === 'http:' && isLoopback(target.hostname)
        ? await fetchFrom(this.address, target, { ...init, headers })
        : await fetch(target, { ...init, headers, redirect: 'manual' });
    this.store(target.host, response.headers.getSetCookie());
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      if (hops > 10) throw new Error(`too many redirects from ${url}`);
      await response.body?.cancel();
      // 303 (and 301/302 after POST, as browsers do) turn into GET.
      return this.request(new URL(location, target).toString(), { method: 'GET' }, throwOnError, hops + 1);
    }
    const html = await response.text();
    if (throwOnError && response.status >= 400) throw new HttpError(response.status, target.toString(), html);
    const document = parse(html);
    return {
      url: target.toString(),
      status: response.status,
      headers: response.headers,
      html,
      document,
      text: document.textContent.replace(/\s+/g, ' ').trim(),
    };
  }

  private store(host: string, setCookies: string[]): void {
    if (setCookies.length === 0) return;
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a),
      );
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(host, cookies);
  }
}

function findForm(page: Page, query: FormQuery): HTMLElement {
  const forms = page.document.querySelectorAll('form');
  const match = forms.find((form) => {
    const action = form.getAttribute('action') ?? '';
    if (
      query.action instanceof RegExp
        ? !query.action.test(action)
        : query.action && !action.includes(query.action)
    ) {
      return false;
    }
    if (query.field) {
      const inputs = form.querySelectorAll(`[name="${query.field.name}"]`);
      if (inputs.length === 0) return false;
      if (
        query.field.value !== undefined &&
        !inputs.some((i) => i.getAttribute('value') === query.field?.value)
      )
        return false;
    }
    return true;
  });
  if (!match) {
    const actions = forms.map((f) => f.getAttribute('action') ?? '(none)').join(', ') || 'no forms';
    throw new Error(
      `no form matching ${JSON.stringify(query, (_k, v) => (v instanceof RegExp ? String(v) : v))} on ${page.url} (${actions})`,
    );
  }
  return match;
}

/** The values a browser would submit for the form as it stands. */
function formValues(form: HTMLElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const input of form.querySelectorAll('input')) {
    const name = input.getAttribute('name');
    if (!name || input.hasAttribute('disabled')) continue;
    const type = (input.getAttribute('type') ?? 'text').toLowerCase();
    if (type === 'submit' || type === 'button' || type === 'reset' || type === 'file') continue;
    if ((type === 'radio' || type === 'checkbox') && !input.hasAttribute('checked')) continue;
    values[name] = input.getAttribute('value') ?? (type === 'checkbox' ? 'on' : '');
  }
  for (const textarea of form.querySelectorAll('textarea')) {
    const name = textarea.getAttribute('name');
    if (name) values[name] = textarea.textContent;
  }
  for (const select of form.querySelectorAll('select')) {
    const name = select.getAttribute('name');
    if (!name) continue;
    const options = select.querySelectorAll('option');
    const chosen = options.find((o) => o.hasAttribute('selected')) ?? options[0];
    if (chosen) values[name] = chosen.getAttribute('value') ?? chosen.textContent;
  }
  return values;
}
