/**
 * The console's list of onboardings: who must act (the registry's assignee) and by when (the waiting stage's due
 * date, overdue marked), the reference (the onboarding id the buyer's mails quote), filters (waiting for me, overdue,
 * by stage), search, sort (due, updated) and cursor pages. The table is also served alone (GET /console/list) so the
 * page refreshes it every 30 s without a reload; nothing in it is a task token.
 */

import { html } from 'hono/html';
import type { OnboardingSummary } from '../../tasks/domain/onboarding.js';
import type { ListOnboardingsResult } from '../../tasks/use-cases/index.js';
import {
  assigneeOf,
  type HumanRole,
  isDealStage,
  type Locale,
  numberedLabel,
  STAFF_STAGES,
  STAGES,
  type StaffRole,
  type Stage,
} from '../../workflows/contracts/index.js';
import { staffMayComplete } from '../../workflows/contracts/permissions.js';
import { when } from '../html/format.js';
import type { Html } from '../html/layout.js';
import { words } from './words.js';

/** Seconds between the list's refreshes in the browser (web/static/script.ts reads data-refresh). */
export const LIST_REFRESH_SECONDS = 30;

/** What the list shows, from the address (every link keeps it). */
export interface ListView {
  readonly stage?: Stage;
  readonly q?: string;
  readonly cursor?: string;
  /** Only what waits for the signed-in person's role. */
  readonly mine: boolean;
  readonly overdue: boolean;
  readonly sort: 'updated' | 'due';
}

/** The assignees whose stages a staff role completes (admin: every staff stage's; auditors: none). */
export function rolesActingAs(role: StaffRole): HumanRole[] {
  return [...new Set(STAFF_STAGES.filter((s) => staffMayComplete(role, s)).map((s) => assigneeOf(s)))];
}

export function parseListView(query: (name: string) => string | undefined): ListView {
  const stageParam = query('stage') ?? '';
  const stage = (STAGES as readonly string[]).includes(stageParam) ? (stageParam as Stage) : undefined;
  const q = (query('q') ?? '').trim().slice(0, 200) || undefined;
  const cursor = (query('cursor') ?? '').slice(0, 2000) || undefined;
  return {
    ...(stage ? { stage } : {}),
    ...(q ? { q } : {}),
    ...(cursor ? { cursor } : {}),
    mine: query('mine') === '1',
    overdue: query('overdue') === '1',
    sort: query('sort') === 'due' ? 'due' : 'updated',
  };
}

/** The address of a view (`base` /console or /console/list); `change` replaces parts, a new filter drops the page. */
export function viewUrl(base: string, view: ListView, change: Partial<ListView> = {}): string {
  const v = { ...view, cursor: undefined, ...change };
  const q = new URLSearchParams();
  if (v.stage) q.set('stage', v.stage);
  if (v.q) q.set('q', v.q);
  if (v.mine) q.set('mine', '1');
  if (v.overdue) q.set('overdue', '1');
  if (v.sort === 'due') q.set('sort', 'due');
  if (v.cursor) q.set('cursor', v.cursor);
  const qs = q.toString();
  return `${base}${qs ? `?${qs}` : ''}`;
}

type Listed = Extract<ListOnboardingsResult, { ok: true }>;

const pill = (href: string, label: string, count: number | string | undefined, current: boolean): Html =>
  html`<li><a href="${href}"${current ? html` aria-current="true"` : ''}>${label}${count === undefined ? '' : html` <span class="count">${count}</span>`}</a></li>`;

/** The filters: everything, waiting for me, overdue, then each stage that has onboardings. */
export function filters(view: ListView, result: Listed, role: StaffRole, locale: Locale = 'en'): Html {
  const w = words(locale);
  const mine = rolesActingAs(role).length > 0;
  const all = !view.stage && !view.mine && !view.overdue;
  return html`<ul class="stages" aria-label="${w['list.filters']}">
${pill(viewUrl('/console', view, { stage: undefined, mine: false, overdue: false }), w['list.all'], result.total, all)}
${mine ? pill(viewUrl('/console', view, { mine: !view.mine }), w['list.mine'], result.waiting.forRoles, view.mine) : ''}
${pill(viewUrl('/console', view, { overdue: !view.overdue }), w['list.overdue'], `${result.waiting.overdue}${result.waiting.overdueMore ? '+' : ''}`, view.overdue)}
${STAGES.filter((s) => (result.counts[s] ?? 0) > 0 || s === view.stage).map((s) =>
  pill(
    viewUrl('/console', view, { stage: s === view.stage ? undefined : s }),
    numberedLabel(s, locale),
    result.counts[s] ?? 0,
    s === view.stage,
  ),
)}</ul>`;
}

/** A role as the reader says it. */
export const roleName = (role: HumanRole, locale: Locale): string => words(locale)[`role.${role}`];

/** A staff member's role as the pages name it: sales and support in the reader's words, other roles by their id. */
export const staffRoleName = (role: string, locale: Locale): string =>
  role === 'sales' || role === 'support' ? roleName(role, locale) : role;

/** The table and the pager: the part of the page that refreshes. */
export function listTable(view: ListView, result: Listed, now: string, locale: Locale = 'en'): Html {
  const w = words(locale);
  const { items, nextCursor } = result;
  const empty = view.q
    ? html`${w['list.emptySearch']} “${view.q}”`
    : view.mine || view.overdue
      ? w['list.emptyFilter']
      : w['list.empty'];
  const sortLink = (sort: ListView['sort'], label: string) =>
    view.sort === sort
      ? html`<span aria-current="true">${label}</span>`
      : html`<a href="${viewUrl('/console', view, { sort })}">${label}</a>`;
  // a work list has one row per waiting (own stage, each deal step); any other view one row per onboarding, whose
  // deal steps are all named (soonest due first) with who must act on them
  const perStep = !view.q && (view.mine || view.overdue || view.sort === 'due');
  const waits = (o: OnboardingSummary) =>
    perStep || !o.dealSteps?.length
      ? o.waiting
        ? [o.waiting]
        : []
      : [...(o.waiting && !isDealStage(o.waiting.stage) ? [o.waiting] : []), ...o.dealSteps];
  const stepBadges = (o: OnboardingSummary) =>
    waits(o)
      .filter((w) => isDealStage(w.stage))
      .map(
        (w) =>
          html` <a class="badge" data-deal-step="${w.stage}" href="/console/deal/${o.id}">${numberedLabel(w.stage, locale)}</a>`,
      );
  const waitingFor = (o: OnboardingSummary) => {
    const roles = [...new Set(waits(o).map((w) => w.assignee))];
    return roles.length
      ? roles.map((r) => roleName(r, locale)).join(', ')
      : html`<span class="muted">—</span>`;
  };
  const due = (o: OnboardingSummary): Html => {
    if (!o.waiting) return html`<td data-label="${w['col.due']}" class="muted">—</td>`;
    const late = o.waiting.dueAt < now;
    return html`<td data-label="${w['col.due']}"${late ? html` class="overdue"` : ''}><div>${when(o.waiting.dueAt)}${late ? html` <strong>${w['list.overdueMark']}</strong>` : ''}</div></td>`;
  };
  return html`<p class="sort">${w['list.sort']} ${sortLink('updated', w['list.sort.updated'])} · ${sortLink('due', w['list.sort.due'])}</p>
<div class="table-wrap"><table class="list">
<thead><tr><th>${w['col.reference']}</th><th>${w['col.company']}</th><th>${w['col.contact']}</th><th>${w['col.account']}</th><th>${w['col.stage']}</th><th>${w['col.waitingFor']}</th><th>${w['col.due']}</th><th>${w['col.updated']}</th></tr></thead>
<tbody>
${
  items.length === 0
    ? html`<tr><td colspan="8" class="muted">${empty}</td></tr>`
    : items.map(
        (o) =>
          html`<tr><td data-label="${w['col.reference']}"><div><a href="/console/onboardings/${o.id}"><code>${o.id}</code></a>${o.offerId ? html`<br><span class="muted">${o.offerId}</span>` : ''}</div></td><td data-label="${w['col.company']}"><a href="/console/onboardings/${o.id}">${o.company}</a></td><td data-label="${w['col.contact']}"><div>${o.contactName}<br><span class="muted">${o.email}</span></div></td><td data-label="${w['col.account']}">${o.buyerAwsAccountId}</td><td data-label="${w['col.stage']}"><div><span class="badge">${numberedLabel(o.stage, locale)}</span>${stepBadges(o)}</div></td><td data-label="${w['col.waitingFor']}">${waitingFor(o)}</td>${due(o)}<td data-label="${w['col.updated']}">${when(o.updatedAt)}</td></tr>`,
      )
}
</tbody></table></div>
<nav class="pager" aria-label="${w['list.pages']}">
${view.cursor ? html`<a href="${viewUrl('/console', view)}">${w['list.firstPage']}</a>` : html`<span></span>`}
${nextCursor ? html`<a href="${viewUrl('/console', view, { cursor: nextCursor })}" rel="next">${w['list.nextPage']}</a>` : html`<span></span>`}
</nav>`;
}

/** The list's page body: heading, filters, search, and the table that refreshes itself. */
export function listBody(
  view: ListView,
  result: Listed,
  role: StaffRole,
  now: string,
  banner?: Html,
  locale: Locale = 'en',
): Html {
  const w = words(locale);
  return html`<h1>${w['list.title']}</h1>
${banner ?? ''}
${filters(view, result, role, locale)}
<form method="get" action="/console" class="search" role="search">
${view.stage ? html`<input type="hidden" name="stage" value="${view.stage}">` : ''}${view.mine ? html`<input type="hidden" name="mine" value="1">` : ''}${view.overdue ? html`<input type="hidden" name="overdue" value="1">` : ''}${view.sort === 'due' ? html`<input type="hidden" name="sort" value="due">` : ''}
<div><label for="q">${w['list.search']}</label>
<input id="q" name="q" type="search" value="${view.q ?? ''}" maxlength="200"></div>
<button type="submit">${w['list.searchButton']}</button>
</form>
<div id="onboarding-list" data-refresh="${viewUrl('/console/list', view, { cursor: view.cursor })}" data-refresh-seconds="${LIST_REFRESH_SECONDS}" aria-live="polite">
${listTable(view, result, now, locale)}
</div>`;
}
