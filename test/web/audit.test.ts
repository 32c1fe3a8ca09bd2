import { describe, expect, it } from 'vitest';
import { csvCell, dateRange, toCsv } from '../../web/audit/export.js';
import { Client, harness, seedOnboarding, validTerms } from './support/harness.js';

describe('audit view', () => {
  it('shows the whole history as a timeline with actors and data on demand, archived entries marked', async () => {
    const { app, world } = await harness();
    const id = await seedOnboarding(world);
    const c = new Client(app);
    await c.signIn('sales');
    await c.get(`/console/onboardings/${id}`);
    await c.post(`/console/onboardings/${id}/stages/Consultation`, validTerms());
    world.archive(id);
    world.accept(id);
    const auditor = new Client(app);
    await auditor.signIn('auditor');
    const r = await auditor.get(`/audit/onboardings/${id}`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('includes archived history');
    expect(r.text).toMatch(
      /<td>Consultation<\/td><td>TaskSucceeded <span class="badge archive">archive<\/span><\/td><td>Sam Sales \(sales\)<\/td>/,
    );
    expect(r.text).toContain('<details><summary>output</summary>');
    expect(r.text).toContain('&quot;offerName&quot;: &quot;Example KK — Business 12 months&quot;');
    expect(r.text).toMatch(/AwaitAcceptance<\/td><td>TaskSucceeded<\/td><td>system: marketplace-events/);
    expect(r.text).not.toContain('<form method="post"'.concat(' action="/console'));
  });

  it('exports one history and a date range as CSV and JSON', async () => {
    const { app, world } = await harness();
    const a = await seedOnboarding(world, { company: 'Alpha, "Inc"' });
    await seedOnboarding(world, { company: 'Beta' });
    const c = new Client(app);
    await c.signIn('auditor');
    const one = await c.get(`/audit/onboardings/${a}/history.csv`);
    expect(one.headers.get('content-type')).toContain('text/csv');
    expect(one.headers.get('content-disposition')).toBe(`attachment; filename="${a}-history.csv"`);
    expect(one.text.split('\r\n')[0]).toBe(
      'onboardingId,at,stage,event,actorKind,actorId,actorRole,source,input,output',
    );
    expect(one.text).toContain('Alpha, \\""Inc\\""'); // JSON inside a quoted CSV cell
    const range = await c.get('/audit/export?from=2025-03-01&to=2025-03-01&format=json');
    expect(range.headers.get('content-disposition')).toContain(
      'onboarding-histories-2025-03-01-to-2025-03-01.json',
    );
    const body = JSON.parse(range.text) as { entries: { onboardingId: string }[] };
    expect(new Set(body.entries.map((e) => e.onboardingId)).size).toBe(2);
    const none = await c.get('/audit/export?from=2024-01-01&to=2024-01-31&format=csv');
    expect(none.text.trim().split('\r\n')).toHaveLength(1);
  });

  it('explains a bad export range next to the fields', async () => {
    const { app } = await harness();
    const c = new Client(app);
    await c.signIn('auditor');
    const r = await c.get('/audit/export?from=2025-05-01&to=2025-04-01&format=csv');
    expect(r.status).toBe(400);
    expect(r.text).toContain('id="f-to-err">to must not be before from');
    const f = await c.get('/audit/export?from=yesterday&to=2025-04-01&format=xml');
    expect(f.text).toContain('from must be a date (YYYY-MM-DD)');
    expect(f.text).toContain('format must be csv or json');
  });

  it('opens a history by id and says when there is none', async () => {
    const { app } = await harness();
    const c = new Client(app);
    await c.signIn('auditor');
    expect((await c.get('/audit/open?id=onb-000000000077')).location).toBe(
      '/audit/onboardings/onb-000000000077',
    );
    expect((await c.get('/audit/open?id=../../etc')).status).toBe(400);
    expect((await c.get('/audit/onboardings/onb-000000000077')).status).toBe(404);
  });
});

describe('audit export format', () => {
  it('quotes CSV cells and neutralises spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    const csv = toCsv([
      {
        onboardingId: 'onb-1',
        at: 't',
        event: 'e',
        source: 'live',
        actor: { kind: 'staff', id: 's', role: 'sales' },
      },
    ]);
    expect(csv).toBe(
      'onboardingId,at,stage,event,actorKind,actorId,actorRole,source,input,output\r\nonb-1,t,,e,staff,s,sales,live,,\r\n',
    );
  });

  it('turns inclusive dates into an ISO range', () => {
    expect(dateRange('2025-01-01', '2025-01-31')).toEqual({
      ok: true,
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-01-31T23:59:59.999Z',
    });
    expect(dateRange('2025-02-30', '2025-03-01')).toMatchObject({
      ok: false,
      errors: { from: 'from must be a real date' },
    });
    expect(dateRange('2024-01-01', '2025-06-01')).toMatchObject({
      ok: false,
      errors: { to: 'the range must be at most 366 days' },
    });
  });
});
