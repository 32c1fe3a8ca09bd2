import { describe, expect, it } from 'vitest';
import { Client, harness, seedOnboarding, validTerms } from './support/harness.js';

/** The raw bytes of a download (Response.text() would drop a byte order mark). */
async function bytes(h: Awaited<ReturnType<typeof harness>>, c: Client, path: string) {
  const res = await h.app.request(path, { headers: { cookie: c.cookieHeader() } });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

describe('audit: finding a history', () => {
  it('finds onboardings by company, e-mail, AWS account id (as typed) or reference, not only the exact id', async () => {
    // Prepare
    const h = await harness();
    const target = await seedOnboarding(h.flow, {
      company: '株式会社サンプル',
      email: 'hanako@sample.example',
      awsAccountId: '123456789012',
    });
    await seedOnboarding(h.flow, {
      company: 'Other KK',
      email: 'o@example.com',
      awsAccountId: '210987654321',
    });
    const auditor = new Client(h.app);
    await auditor.signIn('auditor');

    // Act
    const byCompany = await auditor.get(`/audit/open?q=${encodeURIComponent('サンプル')}`);
    const byEmail = await auditor.get('/audit/open?q=hanako%40sample.example');
    const byAccount = await auditor.get(`/audit/open?q=${encodeURIComponent('１２３４-５６７８-９０１２')}`);
    const byReference = await auditor.get(`/audit/open?q=${target.toUpperCase()}`);
    const nothing = await auditor.get('/audit/open?q=Nobody%20KK');
    const empty = await auditor.get('/audit/open?q=');

    // Assess
    for (const found of [byCompany, byEmail, byAccount]) {
      expect(found.status).toBe(200);
      expect(found.text).toContain(`<a href="/audit/onboardings/${target}"><code>${target}</code></a>`);
      expect(found.text).not.toContain('Other KK');
    }
    expect(byReference.location).toBe(`/audit/onboardings/${target}`);
    expect(nothing.text).toContain('No onboarding matches “Nobody KK”.');
    expect(nothing.text).not.toContain('must look like');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Type a company or contact name, an e-mail address');
  });
});

describe('audit: the readable export', () => {
  it("exports one onboarding's who-did-what as CSV with a BOM and plain columns, beside the raw JSON", async () => {
    // Prepare
    const h = await harness();
    const id = await seedOnboarding(h.flow, { company: '株式会社サンプル' });
    const sales = new Client(h.app);
    await sales.signIn('sales');
    await sales.get(`/console/onboardings/${id}`);
    await sales.post(`/console/onboardings/${id}/stages/Consultation`, validTerms());
    await h.flow.idle();
    const auditor = new Client(h.app);
    await auditor.signIn('auditor');

    // Act
    const page = await auditor.get(`/audit/onboardings/${id}`);
    const { res, body } = await bytes(h, auditor, `/audit/onboardings/${id}/timeline.csv`);
    const raw = await auditor.get(`/audit/onboardings/${id}/history.json`);

    // Assess
    expect(page.text).toContain(`href="/audit/onboardings/${id}/timeline.csv">Who did what (CSV)</a>`);
    expect(page.text).toContain(
      `href="/audit/onboardings/${id}/history.json">Execution events (JSON, raw)</a>`,
    );
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${id}-timeline.csv"`);
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,stage,actor,action,summary');
    expect(lines[1]).toMatch(
      /^\d{4}-\d\d-\d\dT[^,]+,1 Inquiry,buyer taro@example\.co\.jp,inquiry-recorded,Inquiry from 株式会社サンプル$/,
    );
    expect(
      lines.some((l) => /,2 Consultation: agree the terms,Sam Sales \(sales\),stage-completed,/.test(l)),
    ).toBe(true);
    expect(body.toString('utf8')).not.toContain('{');
    expect(JSON.parse(raw.text)).toHaveProperty('rows');
  });

  it('exports a date range as who did what (the default) with the reference column, and the raw events on request', async () => {
    // Prepare
    const h = await harness();
    const id = await seedOnboarding(h.flow, { company: 'Range KK' });
    const day = h.ports.clock.now().toISOString().slice(0, 10);
    const auditor = new Client(h.app);
    await auditor.signIn('auditor');

    // Act
    const { res, body } = await bytes(h, auditor, `/audit/export?from=${day}&to=${day}`);
    const events = await bytes(h, auditor, `/audit/export?from=${day}&to=${day}&format=csv`);

    // Assess
    expect(res.headers.get('content-disposition')).toContain(`onboarding-timelines-${day}-to-${day}.csv`);
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('reference,time,stage,actor,action,summary');
    expect(lines.slice(1).every((l) => l.startsWith(`${id},`))).toBe(true);
    expect(lines.join('\n')).toContain('Inquiry from Range KK');
    expect([...events.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(events.body.subarray(3).toString('utf8').split('\r\n')[0]).toBe(
      'onboardingId,executionArn,eventId,timestamp,type,stage,actor,details',
    );
  });
});
