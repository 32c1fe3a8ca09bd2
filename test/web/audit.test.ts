import { describe, expect, it } from 'vitest';
import * as uc from '../../tasks/use-cases/index.js';
import { Client, changes, harness, offered, seedOnboarding, validTerms } from './support/harness.js';

describe('audit view', () => {
  it('shows who did what and the whole execution history, input and output on demand', async () => {
    const { app, flow } = await harness();
    const id = await seedOnboarding(flow);
    const sam = new Client(app);
    await sam.signIn('sales');
    await sam.get(`/console/onboardings/${id}`);
    await sam.post(`/console/onboardings/${id}/stages/Consultation`, validTerms());
    await flow.idle();
    const auditor = new Client(app);
    await auditor.signIn('auditor');
    const r = await auditor.get(`/audit/onboardings/${id}`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('events from the live execution history');
    // the activity log: who did what
    expect(r.text).toMatch(
      /<td data-label="Stage">2 Consultation: agree the terms<\/td><td data-label="What"><div>2 Consultation: agree the terms completed <span class="badge">stage-completed<\/span><\/div><\/td><td data-label="Actor">Sam Sales \(sales\)<\/td>/,
    );
    // the execution history: the callback output carries the actor; data behind <details>
    expect(r.text).toMatch(
      /<td data-label="Stage">Consultation<\/td><td data-label="Event">TaskSucceeded<\/td><td data-label="Actor">staff:sam<\/td><td data-label="Data"><div><details><summary>output<\/summary>/,
    );
    expect(r.text).toContain('&quot;offerName&quot;: &quot;Example KK — Business 12 months&quot;');
    expect(r.text).not.toContain('action="/console');
  });

  it("an onboarding's audit page reads its record once, and no tasks or facts", async () => {
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow);
    const auditor = new Client(app);
    await auditor.signIn('auditor');
    const reads: string[] = [];
    const count =
      <A extends unknown[], R>(name: string, fn: (...a: A) => R) =>
      (...a: A): R => {
        reads.push(name);
        return fn(...a);
      };
    ports.onboardings.get = count('onboardings.get', ports.onboardings.get.bind(ports.onboardings));
    ports.tasks.list = count('tasks.list', ports.tasks.list.bind(ports.tasks));
    ports.facts.list = count('facts.list', ports.facts.list.bind(ports.facts));

    const r = await auditor.get(`/audit/onboardings/${id}`);

    expect(r.status).toBe(200);
    expect(r.text).toContain('events from the live execution history');
    expect(r.text).toContain('inquiry-recorded');
    expect(reads).toEqual(['onboardings.get']);
  });

  it('reads an archived history', async () => {
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow);
    const c = new Client(app);
    await c.signIn('support');
    await c.get(`/console/onboardings/${id}`);
    await c.post(`/console/onboardings/${id}/close`, { reason: 'Duplicate inquiry' });
    await flow.idle();
    const executionArn = ports.history.executionArnFor(id);
    expect((await uc.archiveHistory(ports, { executionArn })).ok).toBe(true);
    ports.history.forget(executionArn); // past Step Functions' retention
    const auditor = new Client(app);
    await auditor.signIn('auditor');
    const r = await auditor.get(`/audit/onboardings/${id}`);
    expect(r.text).toContain('events from the audit archive');
    expect(r.text).toContain('<span class="badge archive">archive</span>');
    expect(r.text).toContain('ExecutionFailed');
    expect(r.text).toContain('Duplicate inquiry');
  });

  it('exports one history and a date range as CSV and JSON', async () => {
    const { app, flow } = await harness();
    const a = await seedOnboarding(flow, { company: 'Alpha, "Inc"' });
    const b = await offered(flow, { company: 'Beta' });
    const c = new Client(app);
    await c.signIn('auditor');
    const one = await c.get(`/audit/onboardings/${a}/history.csv`);
    expect(one.headers.get('content-type')).toContain('text/csv');
    expect(one.headers.get('content-disposition')).toBe(`attachment; filename="${a}-history.csv"`);
    expect(one.text.split('\r\n')[0]).toBe(
      'onboardingId,executionArn,eventId,timestamp,type,stage,actor,details',
    );
    const lines = one.text.trim().split('\r\n');
    expect(lines.slice(1).every((l) => l.startsWith(`${a},`))).toBe(true);
    expect(lines[1]).toMatch(/,ExecutionStarted,,buyer:taro@example\.co\.jp,"\{""input"":/); // quoted JSON cell
    expect(one.text).toContain('Alpha, ');
    const range = await c.get('/audit/export?from=2025-03-01&to=2025-03-01&format=json');
    expect(range.headers.get('content-disposition')).toContain(
      'onboarding-histories-2025-03-01-to-2025-03-01.json',
    );
    const body = JSON.parse(range.text) as { rows: { onboardingId: string }[] };
    expect(new Set(body.rows.map((e) => e.onboardingId))).toEqual(new Set([a, b]));
    const none = await c.get('/audit/export?from=2024-01-01&to=2024-01-31&format=csv');
    expect(none.text.trim().split('\r\n')).toHaveLength(1);
  });

  it('explains a bad export range next to the fields', async () => {
    const { app } = await harness();
    const c = new Client(app);
    await c.signIn('auditor');
    const r = await c.get('/audit/export?from=2025-05-01&to=2025-04-01&format=csv');
    expect(r.status).toBe(400);
    expect(r.text).toContain('id="f-from-err">From must not be after the end date.');
    const f = await c.get('/audit/export?from=yesterday&to=2025-04-01&format=xml');
    expect(f.text).toContain('From must be a date like 2027-01-31.');
    expect(f.text).toContain('Format must be one of the options offered.');
    const ja = await c.get('/audit/export?from=yesterday&to=2025-04-01&format=csv&lang=ja');
    expect(ja.status).toBe(400);
    expect(ja.text).not.toContain('From must be a date like 2027-01-31.');
  });

  it('opens a history by id and says when there is none', async () => {
    const { app } = await harness();
    const c = new Client(app);
    await c.signIn('auditor');
    expect((await c.get('/audit/open?id=onb-000000000077')).location).toBe(
      '/audit/onboardings/onb-000000000077',
    );
    expect((await c.get('/audit/open?id=../../etc')).text).toContain('No onboarding matches “../../etc”.');
    expect((await c.get('/audit/onboardings/onb-000000000077')).status).toBe(404);
    expect((await c.get('/audit/onboardings/onb-000000000077/history.csv')).status).toBe(404);
  });
});

describe('audit view size', () => {
  it('keeps a long history page under 100 KB (HTML + CSS + JS) and pages through the rest', async () => {
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow);
    const arn = ports.history.executionArnFor(id);
    const big = 'x'.repeat(20_000);
    const events = Array.from({ length: 3000 }, (_, i) => ({
      id: i + 1,
      timestamp: new Date(Date.UTC(2025, 2, 1) + i * 1000).toISOString(),
      type: i % 3 === 0 ? 'TaskStateEntered' : 'TaskSucceeded',
      details:
        i % 3 === 0
          ? { name: 'CheckOffer', input: JSON.stringify({ poll: i, big }) }
          : { output: JSON.stringify({ i }) },
    }));
    ports.history.add(
      { executionArn: arn, name: id, status: 'RUNNING', startDate: events[0]?.timestamp as string },
      events,
    );
    const c = new Client(app);
    await c.signIn('auditor');
    const r = await c.get(`/audit/onboardings/${id}`);
    const { STYLE, SCRIPT } = await import('../../web/static/index.js');
    const weight = Buffer.byteLength(r.text) + STYLE.body.length + SCRIPT.body.length;
    expect(weight).toBeLessThan(100 * 1024);
    expect(r.text).toContain('the CSV/JSON export has it all');
    const later = /href="([^"]+)">Later »<\/a>/.exec(r.text)?.[1]?.replace(/&amp;/g, '&') as string;
    expect(later).toMatch(/e=\d+/);
    const page2 = await c.get(later);
    expect(page2.text).toContain('« From the start');
    expect(Buffer.byteLength(page2.text)).toBeLessThan(95 * 1024);
    // the exports are not cut
    const csv = await c.get(`/audit/onboardings/${id}/history.csv`);
    expect(csv.text.trim().split('\r\n')).toHaveLength(3001);
  });
});

describe('the audit view is read-only', () => {
  it.each(['/audit', '/audit/onboardings/onb-test000001', '/audit/anything'])(
    'a POST to %s is refused with 403 for every role and changes nothing',
    async (path) => {
      // Prepare
      const { app, ports } = await harness();
      const before = changes(ports);
      const statuses: number[] = [];
      // Act
      for (const role of ['auditor', 'sales', 'admin'] as const) {
        const c = new Client(app);
        await c.signIn(role);
        await c.get('/audit');
        statuses.push((await c.post(path, { note: 'x' })).status);
      }
      // Assess
      expect(statuses).toEqual([403, 403, 403]);
      expect(changes(ports)).toBe(before);
    },
  );
});
