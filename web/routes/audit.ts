/**
 * The audit view (read-only, every staff role): an onboarding's whole execution history as a timeline (live and
 * archived), and exports to CSV and JSON for a date range. Only GET routes: nothing here can change anything.
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { dateRange, toCsv, toJson } from '../audit/export.js';
import type { AppEnv, WebDeps } from '../env.js';
import { pretty, when, who } from '../html/format.js';
import { h } from '../html/h.js';
import { field, notice, select, staffPage } from '../html/layout.js';
import { csrfToken } from '../security/csrf.js';
import type { StaffSession } from '../sessions.js';
import { staffBinding } from './auth.js';
import { requireStaff } from './console.js';

type Ctx = Context<AppEnv>;
const ID = /^onb-[0-9a-z]{10,40}$/;

function download(c: Ctx, name: string, format: 'csv' | 'json', body: string) {
  c.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
  c.header('content-disposition', `attachment; filename="${name}.${format}"`);
  return c.body(body);
}

export function auditRoutes(deps: WebDeps): Hono<AppEnv> {
  const { config, services } = deps;
  const app = new Hono<AppEnv>();
  app.use('*', requireStaff());

  const page = (c: Ctx, title: string, body: ReturnType<typeof h>, status: 200 | 400 | 404 = 200) =>
    c.html(
      staffPage({
        title,
        body,
        staff: c.get('staff') as StaffSession,
        csrf: csrfToken(c, config, staffBinding(c)),
      }).value,
      status,
    );

  const home = (c: Ctx, values: Record<string, string>, errors: Record<string, string>, status: 200 | 400) =>
    page(
      c,
      'Audit',
      h`<h1>Audit</h1>
<form method="get" action="/audit/open" class="card slim">
<h2>Open an onboarding's history</h2>
${field({ name: 'id', label: 'Onboarding id', value: values.id, errors, attrs: h` placeholder="onb-…"` })}
<button type="submit">Open</button>
</form>
<form method="get" action="/audit/export" class="card slim">
<h2>Export histories</h2>
<p class="muted">Every onboarding started in the range (dates inclusive, UTC), live and archived histories.</p>
${field({ name: 'from', label: 'From', type: 'date', value: values.from, errors, required: true })}
${field({ name: 'to', label: 'To', type: 'date', value: values.to, errors, required: true })}
${select({
  name: 'format',
  label: 'Format',
  value: values.format ?? 'csv',
  errors,
  options: [
    ['csv', 'CSV'],
    ['json', 'JSON'],
  ],
})}
<button type="submit">Download</button>
</form>`,
      status,
    );

  app.get('/', (c) => home(c, {}, {}, 200));

  app.get('/open', (c) => {
    const id = (c.req.query('id') ?? '').trim();
    if (!ID.test(id))
      return home(c, { id }, { id: 'onboardingId must look like onb-<lowercase letters and digits>' }, 400);
    return c.redirect(`/audit/onboardings/${id}`, 303);
  });

  app.get('/export', async (c) => {
    const values = {
      from: c.req.query('from') ?? '',
      to: c.req.query('to') ?? '',
      format: c.req.query('format') ?? 'csv',
    };
    const range = dateRange(values.from, values.to);
    const format = values.format === 'json' ? 'json' : values.format === 'csv' ? 'csv' : undefined;
    if (!range.ok || !format) {
      const errors = {
        ...(range.ok ? {} : range.errors),
        ...(format ? {} : { format: 'format must be csv or json' }),
      };
      return home(c, values, errors, 400);
    }
    const entries = await services.exportHistories({ from: range.from, to: range.to });
    const name = `onboarding-histories-${values.from}-to-${values.to}`;
    return download(c, name, format, format === 'csv' ? toCsv(entries) : toJson(entries));
  });

  app.get('/onboardings/:id', async (c) => {
    const id = c.req.param('id');
    const o = ID.test(id) ? await services.getOnboarding(id) : undefined;
    const entries = ID.test(id) ? await services.getExecutionHistory(id) : [];
    if (!o && entries.length === 0) {
      return page(c, 'Not found', h`<h1>No history for ${id}</h1><p><a href="/audit">« Audit</a></p>`, 404);
    }
    const archived = entries.some((e) => e.source === 'archive');
    const body = h`<p><a href="/audit">« Audit</a>${o ? h` · <a href="/console/onboardings/${id}">Console page</a>` : ''}</p>
<h1>History of ${o?.company ?? id}</h1>
<p class="muted">${id}${o ? ` · ${o.stage} (${o.status})` : ''} · ${entries.length} events${archived ? ' · includes archived history' : ''}
· <a href="/audit/onboardings/${id}/history.csv">CSV</a> · <a href="/audit/onboardings/${id}/history.json">JSON</a></p>
${entries.length === 0 ? notice('info', 'No events recorded yet.') : ''}
<table class="timeline">
<thead><tr><th>Time</th><th>Stage</th><th>Event</th><th>Actor</th><th>Data</th></tr></thead>
<tbody>${entries.map(
      (e) =>
        h`<tr><td class="time">${when(e.at)}</td><td>${e.stage ?? ''}</td><td>${e.event}${e.source === 'archive' ? h` <span class="badge archive">archive</span>` : ''}</td><td>${who(e.actor)}</td><td>${
          e.input !== undefined
            ? h`<details><summary>input</summary><pre>${pretty(e.input)}</pre></details>`
            : ''
        }${e.output !== undefined ? h`<details><summary>output</summary><pre>${pretty(e.output)}</pre></details>` : ''}</td></tr>`,
    )}</tbody></table>`;
    return page(c, `History ${id}`, body);
  });

  for (const format of ['csv', 'json'] as const) {
    app.get(`/onboardings/:id/history.${format}`, async (c) => {
      const id = c.req.param('id');
      if (!ID.test(id)) return page(c, 'Not found', h`<h1>No such onboarding</h1>`, 404);
      const entries = await services.getExecutionHistory(id);
      return download(c, `${id}-history`, format, format === 'csv' ? toCsv(entries) : toJson(entries));
    });
  }

  return app;
}
