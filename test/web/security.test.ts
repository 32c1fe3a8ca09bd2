import { describe, expect, it } from 'vitest';
import { TOKEN_MARK } from '../../local/in-memory/fake-workflow.js';
import { safeNext } from '../../web/routes/auth.js';
import {
  Client,
  changes,
  harness,
  offered,
  PASSWORD,
  seedOnboarding,
  validTerms,
} from './support/harness.js';

describe('roles', () => {
  it('auditors read the console but every change is refused with 403 and nothing changes', async () => {
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow);
    const c = new Client(app);
    await c.signIn('auditor');
    const page = await c.get(`/console/onboardings/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Read-only: your role (auditor) cannot change onboardings.');
    expect(page.text).not.toContain('Record the agreed terms');
    expect(page.text).not.toContain(`/console/onboardings/${id}/close`);
    const before = changes(ports);
    for (const [path, body] of [
      [`/console/onboardings/${id}/stages/Consultation`, validTerms()],
      [`/console/onboardings/${id}/close`, { reason: 'auditor tries' }],
      [`/console/onboardings/${id}/stages/StageTimedOut`, { action: 'close', reason: 'x' }],
    ] as const) {
      const r = await c.post(path, body);
      expect(r.status).toBe(403);
      expect(r.text).toContain('can read but cannot change');
    }
    expect(changes(ports)).toBe(before);
    expect((await ports.onboardings.get(id))?.stage).toBe('Consultation');
  });

  it('every staff POST route the app has answers an auditor 403, whatever route is added later', async () => {
    // Prepare: the routes as the app registers them, parameters filled with a real onboarding and stage
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow);
    const c = new Client(app);
    await c.signIn('auditor');
    const posts = [
      ...new Set(
        app.routes
          .filter((r) => r.method === 'POST' && /^\/(console|audit)/.test(r.path))
          .map((r) =>
            r.path
              .replace(/:id\b/, id)
              .replace(/:stage\b/, 'Consultation')
              .replace(/:[a-zA-Z]+/g, 'x'),
          ),
      ),
    ];
    const before = changes(ports);
    // Act
    const answers = [];
    for (const path of posts) answers.push([path, (await c.post(path, { reason: 'auditor tries' })).status]);
    // Assess
    expect(posts.length).toBeGreaterThan(2);
    expect(answers.filter(([, status]) => status !== 403)).toEqual([]);
    expect(changes(ports)).toBe(before);
  });

  // who may act where: a staff stage's assignee (registry), support closes anywhere, sales at its own stages, admin all
  it.each([
    ['sales', 'terms', 303],
    ['support', 'terms', 403],
    ['admin', 'terms', 303],
    ['sales', 'close at Consultation', 303],
    ['support', 'close at Consultation', 303],
    ['sales', 'close at AwaitAcceptance', 403],
    ['support', 'close at AwaitAcceptance', 303],
    ['sales', 're-open an escalation', 403],
    ['support', 're-open an escalation', 303],
    ['admin', 're-open an escalation', 303],
  ] as const)('%s: %s → %i', async (role, action, status) => {
    // Prepare
    const { app, flow, ports } = await harness();
    const id = action === 'close at AwaitAcceptance' ? await offered(flow) : await seedOnboarding(flow);
    if (action === 're-open an escalation') await flow.timeOut(id, 'Consultation');
    const c = new Client(app);
    await c.signIn(role);
    await c.get(`/console/onboardings/${id}`);
    const before = changes(ports);
    // Act
    const r =
      action === 'terms'
        ? await c.post(`/console/onboardings/${id}/stages/Consultation`, validTerms())
        : action === 're-open an escalation'
          ? await c.post(`/console/onboardings/${id}/stages/StageTimedOut`, { action: 'reopen', note: 'x' })
          : await c.post(`/console/onboardings/${id}/close`, { reason: 'the buyer chose another vendor' });
    // Assess
    expect(r.status).toBe(status);
    if (status === 403) {
      expect(r.text).toContain('Your role cannot do this');
      expect(changes(ports)).toBe(before);
    }
  });
});

describe('CSRF', () => {
  it('refuses a staff POST without a token, with a token of another session, or from another origin', async () => {
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow);
    const c = new Client(app);
    await c.signIn('sales');
    await c.get(`/console/onboardings/${id}`);
    const mine = c.csrf() as string;
    const before = changes(ports);
    expect((await c.post(`/console/onboardings/${id}/close`, { reason: 'x' }, { csrf: null })).status).toBe(
      403,
    );
    expect(
      (await c.post(`/console/onboardings/${id}/close`, { reason: 'x' }, { csrf: 'forged' })).status,
    ).toBe(403);
    const other = new Client(app);
    await other.signIn('support');
    await other.get(`/console/onboardings/${id}`);
    // the other user's token does not verify for this session (bound to the session id)
    expect(
      (await c.post(`/console/onboardings/${id}/close`, { reason: 'x' }, { csrf: other.csrf() as string }))
        .status,
    ).toBe(403);
    // an attacker who gets their own seed cookie + token pair into the victim's browser still fails
    const victim = new Client(app);
    await victim.signIn('sales');
    victim.cookies.set('csrf', other.cookies.get('csrf') as string);
    expect(
      (
        await victim.post(
          `/console/onboardings/${id}/close`,
          { reason: 'x' },
          { csrf: other.csrf() as string },
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await c.post(
          `/console/onboardings/${id}/close`,
          { reason: 'x' },
          { csrf: mine, headers: { origin: 'https://evil.example' } },
        )
      ).status,
    ).toBe(403);
    expect(changes(ports)).toBe(before);
    expect((await c.post(`/console/onboardings/${id}/close`, { reason: 'x' }, { csrf: mine })).status).toBe(
      303,
    );
  });

  it('protects the public forms too (inquiry, staff sign-in, buyer forms)', async () => {
    const { app, flow, ports } = await harness();
    const c = new Client(app);
    await c.get('/inquiry');
    const r = await c.post('/inquiry', { company: 'A' }, { csrf: null });
    expect(r.status).toBe(403);
    expect(
      (await c.post('/auth/login', { username: 'sam', password: PASSWORD }, { csrf: null })).status,
    ).toBe(403);
    expect(ports.callbacks.executions.size).toBe(0);
    const id = await offered(flow);
    const buyer = new Client(app);
    await buyer.request('/marketplace/fulfillment', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        'x-amzn-marketplace-token': flow.subscribe(id, '123456789012'),
      }).toString(),
    });
    await flow.idle();
    await buyer.get('/buyer/register');
    const before = changes(ports);
    const forged = await buyer.post(
      '/buyer/register',
      { accountName: 'A', email: 'a@example.com' },
      { csrf: null },
    );
    expect(forged.status).toBe(403);
    expect(changes(ports)).toBe(before);
    await buyer.get('/buyer/register'); // a fresh form carries a token
    expect((await buyer.post('/buyer/register', { accountName: 'A', email: 'a@example.com' })).status).toBe(
      303,
    );
  });

  it('accepts the token in an x-csrf-token header', async () => {
    const { app, ports } = await harness();
    const c = new Client(app);
    await c.get('/inquiry');
    const token = c.csrf() as string;
    const r = await c.request('/inquiry', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': token },
      body: new URLSearchParams({
        company: 'A',
        contactName: 'B',
        email: 'a@b.co',
        awsAccountId: '123456789012',
        plan: 'Standard',
      }).toString(),
    });
    expect(r.status).toBe(303);
    expect(ports.callbacks.executions.size).toBe(1);
  });
});

describe('staff sign-in', () => {
  it('refuses a wrong password, signs in, and signs out', async () => {
    const { app } = await harness();
    const c = new Client(app);
    await c.get('/auth/login');
    const bad = await c.post('/auth/login', { username: 'sam', password: 'wrong password' });
    expect(bad.status).toBe(401);
    expect(bad.text).toContain('Unknown user or wrong password.');
    expect(c.cookies.has('staff')).toBe(false);
    const unknown = await c.post('/auth/login', { username: 'nobody', password: PASSWORD });
    expect(unknown.status).toBe(401);
    const ok = await c.post('/auth/login', { username: 'sam', password: PASSWORD, next: '/audit' });
    expect(ok.location).toBe('/audit');
    const cookie = ok.headers.getSetCookie().find((l) => l.startsWith('staff='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const console_ = await c.get('/console');
    expect(console_.text).toContain('Sam Sales');
    await c.post('/auth/logout', {});
    expect((await c.get('/console')).status).toBe(303);
  });

  it('never redirects anywhere but the console or the audit view after sign-in', () => {
    expect(safeNext('/audit/onboardings/onb-000000000001')).toBe('/audit/onboardings/onb-000000000001');
    expect(safeNext('//evil.example/console')).toBe('/console');
    expect(safeNext('https://evil.example')).toBe('/console');
    expect(safeNext('/console//evil')).toBe('/console');
    expect(safeNext('/inquiry')).toBe('/console');
    expect(safeNext(undefined)).toBe('/console');
  });

  it('marks cookies Secure and __Host- behind https, and sends HSTS', async () => {
    const { app } = await harness({ config: { baseUrl: 'https://onboarding.example.com' } });
    const c = new Client(app);
    const r = await c.request('https://onboarding.example.com/inquiry');
    const csrf = r.headers.getSetCookie().find((l) => l.startsWith('__Host-csrf='));
    expect(csrf).toMatch(/Secure/);
    expect(r.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });
});

describe('security headers and secrets', () => {
  it('sends a CSP without inline script, no framing, no sniffing, and no-store on pages', async () => {
    const { app } = await harness();
    const r = await new Client(app).get('/inquiry');
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.text).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
    expect(r.text).not.toMatch(/\sstyle="/);
    expect(r.text).not.toMatch(/\son[a-z]+="/);
  });

  it('serves the CSS and JS with long caching under a content hash', async () => {
    const { app } = await harness();
    const page = await new Client(app).get('/inquiry');
    const css = /href="(\/static\/style\.[0-9a-f]{10}\.css)"/.exec(page.text)?.[1] as string;
    const js = /src="(\/static\/app\.[0-9a-f]{10}\.js)"/.exec(page.text)?.[1] as string;
    const r = await app.request(css);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toContain('immutable');
    expect((await app.request(js)).headers.get('content-type')).toContain('javascript');
  });

  it('no task token appears in any page or header along a whole onboarding', async () => {
    const { app, flow } = await harness();
    const staff = new Client(app);
    await staff.signIn('admin'); // one person through every staff stage
    const buyer = new Client(app);
    const seen: string[] = [];
    const keep = (r: { text: string; headers: Headers }) => seen.push(r.text, JSON.stringify([...r.headers]));
    const id = await seedOnboarding(flow);
    const pages = [
      '/console',
      `/console/onboardings/${id}`,
      `/audit/onboardings/${id}`,
      `/audit/onboardings/${id}/history.json`,
      `/audit/onboardings/${id}/history.csv`,
    ];
    for (const path of pages) keep(await staff.get(path));
    await staff.get(`/console/onboardings/${id}`);
    keep(await staff.post(`/console/onboardings/${id}/stages/Consultation`, validTerms()));
    await flow.idle();
    keep(
      await buyer.request('/marketplace/fulfillment', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          'x-amzn-marketplace-token': flow.subscribe(id, '123456789012'),
        }).toString(),
      }),
    );
    await flow.idle();
    keep(await buyer.follow());
    keep(await buyer.post('/buyer/register', { accountName: 'Team', email: 't@example.com' }));
    await flow.idle();
    keep(await buyer.follow());
    for (const path of [
      ...pages,
      '/audit/export?from=2025-01-01&to=2025-12-31&format=csv',
      '/audit/export?from=2025-01-01&to=2025-12-31&format=json',
    ]) {
      keep(await staff.get(path));
    }
    const tokens = flow.tokens();
    expect(tokens).toHaveLength(4); // Consultation, AwaitAcceptance, AccountSetup, Registration
    const all = seen.join('\n');
    expect(all).toContain('[redacted]'); // the history did carry token fields, redacted by the use case
    expect(all).toContain('ExecutionSucceeded');
    expect(all).not.toContain(TOKEN_MARK);
    for (const t of tokens) expect(all).not.toContain(t);
  });
});
