/**
 * The audit view (read-only, every staff role): an onboarding's activity log and its whole execution history as a
 * timeline (live from Step Functions, or from the archive), exports to CSV and JSON for a date range. Only GET
 * routes: nothing here can change anything.
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import type { AuditRow } from '../../tasks/domain/audit.js';
import { fieldMessage } from '../../tasks/domain/field-messages.js';
import { entryText } from '../../tasks/domain/timeline.js';
import * as uc from '../../tasks/use-cases/index.js';
import { numberedLabel, OnboardingId } from '../../workflows/contracts/index.js';
import { languageOf, staffLocale, words } from '../console/words.js';
import type { AppEnv, WebDeps } from '../env.js';
import { issuesToErrors } from '../forms/errors.js';
import { pretty, when, who } from '../html/format.js';
import type { Html } from '../html/layout.js';
import { field, notice, select, staffPage } from '../html/layout.js';
import { csrfToken } from '../security/csrf.js';
import type { StaffSession } from '../sessions.js';
import { staffBinding } from './auth.js';
import { requireStaff } from './console.js';

type Ctx = Context<AppEnv>;

/** A UTF-8 byte order mark: spreadsheets (Excel) then read the CSV's Japanese names as UTF-8. */
const BOM = '\uFEFF';

function attachment(c: Ctx, name: string, format: 'csv' | 'json', body: string) {
  c.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
  c.header('content-disposition', `attachment; filename="${name}.${format}"`);
  return c.body(body);
}

/** The raw execution events (CSV with a BOM, or JSON). */
function download(c: Ctx, name: string, format: 'csv' | 'json', rows: readonly AuditRow[]) {
  return attachment(c, name, format, format === 'csv' ? BOM + uc.toCsv(rows) : uc.toJson(rows));
}

/** HTML bytes each table of the timeline page may use, so the page stays well under 100 KB (then it pages). */
export const ACTIVITY_BUDGET = 25_000;
export const EVENTS_BUDGET = 55_000;
/** One data block shown inline at most; the exports carry everything. */
const DATA_LIMIT = 6_000;

/** Rows from `start` while the byte budget lasts (at least one); where the next page starts, if any. */
export function budgeted<T>(items: readonly T[], start: number, budget: number, render: (item: T) => Html) {
  const rows: Html[] = [];
  let used = 0;
  let i = Math.max(0, Math.min(start, items.length));
  for (; i < items.length; i++) {
    const row = render(items[i] as T);
    if (row instanceof Promise) throw new TypeError('budgeted: a row rendered asynchronously');
    const size = Buffer.byteLength(row.toString());
    if (rows.length > 0 && used + size > budget) break;
    rows.push(row);
    used += size;
  }
  return { html: rows, next: i < items.length ? i : undefined };
}

function clip(text: string): string {
  return text.length > DATA_LIMIT
    ? `${text.slice(0, DATA_LIMIT)}\n… (truncated here; the CSV/JSON export has it all)`
    : text;
}

/** The event's input/output (or error/cause) on demand. */
function dataOf(row: AuditRow): Html {
  if (!row.details) return html``;
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(row.details) as Record<string, unknown>;
  } catch {
    return html`<details><summary>details</summary><pre>${clip(row.details)}</pre></details>`;
  }
  const parts = (['input', 'parameters', 'output', 'error', 'cause'] as const).filter(
    (k) => details[k] !== undefined,
  );
  return html`${parts.map((k) => html`<details><summary>${k}</summary><pre>${clip(pretty(details[k]))}</pre></details>`)}`;
}

export function auditRoutes(deps: WebDeps): Hono<AppEnv> {
  const { config, ports } = deps;
  const app = new Hono<AppEnv>();
  app.use('*', requireStaff());

  // the audit view only reads: a write to it is refused for what it is (403), not answered as a missing page
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], '*', (c) =>
    c.html(
      staffPage({
        title: 'Read-only',
        body: html`<h1>403 Read-only</h1><p>The audit view only reads onboardings and their histories; nothing can be changed here.</p><p><a href="/audit">Audit view</a></p>`,
        staff: c.get('staff') as StaffSession,
        csrf: csrfToken(c, config, staffBinding(c)),
      }),
      403,
    ),
  );

  const page = (c: Ctx, title: string, body: Html, status: 200 | 400 | 404 = 200) =>
    c.html(
      staffPage({
        title,
        body,
        staff: c.get('staff') as StaffSession,
        csrf: csrfToken(c, config, staffBinding(c)),
        ...languageOf(c),
      }),
      status,
    );

  const home = (
    c: Ctx,
    values: Record<string, string>,
    errors: Record<string, string>,
    status: 200 | 400,
  ) => {
    const w = words(staffLocale(c));
    return page(
      c,
      w['audit.title'],
      html`<h1>${w['audit.title']}</h1>
${errors._form ? notice('bad', errors._form) : ''}
<form method="get" action="/audit/open" class="card slim" role="search">
<h2>${w['audit.find']}</h2>
${field({ name: 'q', label: w['audit.findLabel'], value: values.q, errors, attrs: html` maxlength="200" placeholder="Example KK, taro@example.com, 1234-5678-9012, onb-…"` })}
<button type="submit">${w['audit.findButton']}</button>
</form>
<form method="get" action="/audit/export" class="card slim">
<h2>${w['audit.export']}</h2>
<p class="muted">${w['audit.exportNote']}</p>
${field({ name: 'from', label: w['audit.from'], type: 'date', value: values.from, errors, required: true })}
${field({ name: 'to', label: w['audit.to'], type: 'date', value: values.to, errors, required: true })}
${select({
  name: 'format',
  label: w['audit.format'],
  value: values.format ?? 'timeline',
  errors,
  options: [
    ['timeline', w['audit.format.timeline']],
    ['csv', w['audit.format.csv']],
    ['json', w['audit.format.json']],
  ],
})}
<button type="submit">${w['audit.download']}</button>
</form>`,
      status,
    );
  };

  app.get('/', (c) => home(c, {}, {}, 200));

  /** A reference opens its history; anything else is searched as the console searches (company, e-mail, account). */
  app.get('/open', async (c) => {
    const locale = staffLocale(c);
    const w = words(locale);
    const q = (c.req.query('q') ?? c.req.query('id') ?? '').trim().slice(0, 200);
    if (!q) return home(c, { q }, { q: w['audit.findEmpty'] }, 400);
    const id = OnboardingId.safeParse(q.toLowerCase());
    if (id.success) return c.redirect(`/audit/onboardings/${id.data}`, 303);
    const found = await uc.listOnboardings(ports, { query: q, limit: 50 });
    const items = found.ok ? found.items : [];
    if (items.length === 0) return home(c, { q }, { q: w['audit.noMatch'](q) }, 200);
    return page(
      c,
      w['audit.matching'](q),
      html`<p><a href="/audit">${w['audit.back']}</a></p>
<h1>${w['audit.matching'](q)}</h1>
<div class="table-wrap"><table class="list">
<thead><tr><th>${w['col.reference']}</th><th>${w['col.company']}</th><th>${w['col.contact']}</th><th>${w['col.account']}</th><th>${w['col.stage']}</th><th>${w['col.started']}</th></tr></thead>
<tbody>${items.map(
        (o) =>
          html`<tr><td data-label="${w['col.reference']}"><a href="/audit/onboardings/${o.id}"><code>${o.id}</code></a></td><td data-label="${w['col.company']}"><a href="/audit/onboardings/${o.id}">${o.company}</a></td><td data-label="${w['col.contact']}"><div>${o.contactName}<br><span class="muted">${o.email}</span></div></td><td data-label="${w['col.account']}">${o.buyerAwsAccountId}</td><td data-label="${w['col.stage']}">${numberedLabel(o.stage, locale)} <span class="muted">(${o.status})</span></td><td data-label="${w['col.started']}">${when(o.createdAt)}</td></tr>`,
      )}</tbody></table></div>
${found.ok && found.nextCursor ? html`<p class="muted">${w['audit.firstOnly'](items.length)}</p>` : ''}`,
    );
  });

  app.get('/export', async (c) => {
    const values = {
      from: c.req.query('from') ?? '',
      to: c.req.query('to') ?? '',
      format: c.req.query('format') ?? 'timeline',
    };
    if (values.format === 'timeline') {
      const result = await uc.exportTimelines(ports, { from: values.from, to: values.to });
      if (!result.ok)
        return home(c, values, issuesToErrors(result.issues, { locale: staffLocale(c), values }), 400);
      return attachment(
        c,
        `onboarding-timelines-${values.from}-to-${values.to}`,
        'csv',
        uc.timelineCsv(result.entries, { reference: true, locale: staffLocale(c) }),
      );
    }
    const format = values.format === 'json' ? 'json' : values.format === 'csv' ? 'csv' : undefined;
    const result = await uc.exportHistories(ports, { from: values.from, to: values.to });
    if (!result.ok || !format) {
      const errors = {
        ...(result.ok ? {} : issuesToErrors(result.issues, { locale: staffLocale(c), values })),
        ...(format
          ? {}
          : {
              format: fieldMessage(staffLocale(c), {
                path: 'format',
                message: 'not offered',
                kind: 'one_of',
              }),
            }),
      };
      return home(c, values, errors, 400);
    }
    return download(c, `onboarding-histories-${values.from}-to-${values.to}`, format, result.rows);
  });

  app.get('/onboardings/:id', async (c) => {
    const id = OnboardingId.safeParse(c.req.param('id'));
    const prefer = c.req.query('source') === 'archive' ? 'archive' : 'live';
    const trail = id.success ? await uc.getAuditTrail(ports, id.data, { prefer }) : undefined;
    const history = trail?.history;
    const locale = staffLocale(c);
    const w = words(locale);
    if (!id.success || (!trail?.onboarding && !history?.ok)) {
      return page(
        c,
        'Not found',
        html`<h1>${w['history.notFound'](c.req.param('id'))}</h1><p><a href="/audit">${w['audit.back']}</a></p>`,
        404,
      );
    }
    const o = trail?.onboarding;
    const rows = history?.ok ? history.rows : [];
    const activity = trail?.timeline ?? [];
    const start = (name: string) => Math.max(0, Number.parseInt(c.req.query(name) ?? '0', 10) || 0);
    const aStart = start('a');
    const eStart = start('e');
    const acts = budgeted(
      activity,
      aStart,
      ACTIVITY_BUDGET,
      (e) =>
        html`<tr><td class="time" data-label="${w['col.time']}">${when(e.at, true)}</td><td data-label="${w['col.stage']}">${numberedLabel(e.stage, locale)}</td><td data-label="${w['col.what']}"><div>${entryText(e, locale)} <span class="badge">${e.action}</span></div></td><td data-label="${w['col.actor']}">${who(e.actor, locale)}</td><td data-label="${w['col.data']}"><div>${
          e.detail
            ? html`<details><summary>${w['audit.detail']}</summary><pre>${clip(pretty(e.detail))}</pre></details>`
            : ''
        }</div></td></tr>`,
    );
    const events = budgeted(
      rows,
      eStart,
      EVENTS_BUDGET,
      (r) =>
        html`<tr><td class="time" data-label="${w['col.time']}">${when(r.timestamp, true)}</td><td data-label="${w['col.stage']}">${r.stage}</td><td data-label="${w['col.event']}">${r.type}</td><td data-label="${w['col.actor']}">${r.actor}</td><td data-label="${w['col.data']}"><div>${dataOf(r)}</div></td></tr>`,
    );
    /** Links to the previous/next slice of one table, keeping the other table's position. */
    const pager = (param: 'a' | 'e', at: number, next: number | undefined, total: number) => {
      if (at === 0 && next === undefined) return html``;
      const link = (to: number) => {
        const q = new URLSearchParams({
          a: String(param === 'a' ? to : aStart),
          e: String(param === 'e' ? to : eStart),
        });
        if (prefer === 'archive') q.set('source', 'archive');
        return `/audit/onboardings/${id.data}?${q}`;
      };
      return html`<nav class="pager" aria-label="More"><span>${at > 0 ? html`<a href="${link(0)}">${w['history.fromStart']}</a>` : ''}</span>
<span class="muted">${w['history.range'](at + 1, next ?? total, total)}</span>
<span>${next !== undefined ? html`<a href="${link(next)}">${w['history.later']}</a>` : ''}</span></nav>`;
    };
    const body = html`<p><a href="/audit">${w['audit.back']}</a>${o ? html` · <a href="/console/onboardings/${id.data}">${w['history.console']}</a>` : ''}</p>
<h1>${w['history.title'](o?.inquiry.company ?? id.data)}</h1>
<p class="muted">${id.data}${o ? ` · ${numberedLabel(o.stage, locale)} (${o.stage}, ${o.status})` : ''}${
      history?.ok
        ? w['history.execution'](history.execution.status, rows.length, history.source === 'archive')
        : w['history.noExecution']
    }
· <a href="/audit/onboardings/${id.data}/timeline.csv">${w['history.csv']}</a> · <a href="/audit/onboardings/${id.data}/history.json">${w['audit.format.json']}</a> · <a href="/audit/onboardings/${id.data}/history.csv">${w['audit.format.csv']}</a>${
      o?.archive && history?.ok && history.source !== 'archive'
        ? html` · <a href="/audit/onboardings/${id.data}?source=archive">${w['history.archivedCopy'](when(o.archive.at))}</a>`
        : ''
    }</p>
<h2>${w['history.who']}</h2>
${
  activity.length === 0
    ? notice('info', w['history.noActivity'])
    : html`<div class="table-wrap"><table class="timeline"><thead><tr><th>${w['col.time']}</th><th>${w['col.stage']}</th><th>${w['col.what']}</th><th>${w['col.actor']}</th><th>${w['col.data']}</th></tr></thead><tbody>${acts.html}</tbody></table></div>${pager('a', aStart, acts.next, activity.length)}`
}
<h2>${w['history.events']}${history?.ok && history.source === 'archive' ? html` <span class="badge archive">archive</span>` : ''}</h2>
${
  rows.length === 0
    ? notice('info', w['history.noEvents'])
    : html`<div class="table-wrap"><table class="timeline"><thead><tr><th>${w['col.time']}</th><th>${w['col.stage']}</th><th>${w['col.event']}</th><th>${w['col.actor']}</th><th>${w['col.data']}</th></tr></thead><tbody>${events.html}</tbody></table></div>${pager('e', eStart, events.next, rows.length)}`
}`;
    return page(c, w['history.title'](id.data), body);
  });

  /** Who did what, as people read it: CSV with a BOM and plain columns (time, stage, actor, action, summary). */
  app.get('/onboardings/:id/timeline.csv', async (c) => {
    const id = OnboardingId.safeParse(c.req.param('id'));
    const trail = id.success ? await uc.getTimeline(ports, id.data) : undefined;
    if (!id.success || !trail?.ok)
      return page(c, 'Not found', html`<h1>No history for this onboarding</h1>`, 404);
    return attachment(
      c,
      `${id.data}-timeline`,
      'csv',
      uc.timelineCsv(trail.timeline, { locale: staffLocale(c) }),
    );
  });

  for (const format of ['csv', 'json'] as const) {
    app.get(`/onboardings/:id/history.${format}`, async (c) => {
      const id = OnboardingId.safeParse(c.req.param('id'));
      const history = id.success ? await uc.getExecutionHistory(ports, id.data) : undefined;
      if (!id.success || !history?.ok)
        return page(c, 'Not found', html`<h1>No history for this onboarding</h1>`, 404);
      return download(c, `${id.data}-history`, format, history.rows);
    });
  }

  return app;
}
