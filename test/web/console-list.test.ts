import { describe, expect, it } from 'vitest';
import { openHumanTask } from '../../tasks/use-cases/open-human-task.js';
import { Client, harness, offered, seedOnboarding } from './support/harness.js';

const rows = (text: string) =>
  [
    ...text.matchAll(
      /<tr><td data-label="Reference"><div><a href="\/console\/onboardings\/(onb-[a-z0-9]+)"/g,
    ),
  ].map((m) => m[1]);

/** Makes an onboarding's waiting stage overdue (as if its due date had passed) without moving the clock. */
function overdue(h: Awaited<ReturnType<typeof harness>>, id: string, daysAgo = 2) {
  const o = h.ports.onboardings.items.get(id);
  if (!o?.waiting) throw new Error(`${id} is not waiting`);
  o.waiting.dueAt = new Date(h.ports.clock.now().getTime() - daysAgo * 86_400_000).toISOString();
}

describe('console list: who must act and by when', () => {
  it('shows the reference, who the stage waits for and its due date, overdue marked', async () => {
    // Prepare
    const h = await harness();
    const late = await seedOnboarding(h.flow, { company: 'Late KK' });
    const fresh = await offered(h.flow, { company: 'Fresh KK', email: 'fresh@example.com' });
    overdue(h, late);
    const c = new Client(h.app);
    await c.signIn('sales');

    // Act
    const page = await c.get('/console');

    // Assess
    expect(page.status).toBe(200);
    expect(page.text).toContain('<th>Reference</th>');
    expect(page.text).toContain('<th>Waiting for</th><th>Due</th>');
    const row = (id: string) =>
      new RegExp(
        `<tr><td data-label="Reference"><div><a href="/console/onboardings/${id}">[\\s\\S]*?</tr>`,
      ).exec(page.text)?.[0] ?? '';
    expect(row(late)).toContain(`<code>${late}</code>`);
    expect(row(late)).toMatch(
      /<td data-label="Waiting for">sales<\/td><td data-label="Due" class="overdue"><div>[^<]+ UTC <strong>overdue<\/strong><\/div><\/td>/,
    );
    expect(row(fresh)).toMatch(
      /<td data-label="Waiting for">buyer<\/td><td data-label="Due"><div>[^<]+ UTC<\/div><\/td>/,
    );
    expect(row(fresh)).not.toContain('overdue');
  });

  it('filters what waits for the signed-in role, what is overdue, and by stage; counts each filter', async () => {
    // Prepare
    const h = await harness();
    const consult = await seedOnboarding(h.flow, { company: 'Consult KK' });
    const late = await seedOnboarding(h.flow, { company: 'Late KK', email: 'late@example.com' });
    const buyer = await offered(h.flow, { company: 'Buyer KK', email: 'buyer@example.com' });
    overdue(h, late);
    overdue(h, buyer, 1);
    const sales = new Client(h.app);
    await sales.signIn('sales');
    const support = new Client(h.app);
    await support.signIn('support');

    // Act
    const salesMine = await sales.get('/console?mine=1');
    const supportMine = await support.get('/console?mine=1');
    const late1 = await sales.get('/console?overdue=1');
    const lateMine = await sales.get('/console?overdue=1&mine=1');
    const atAcceptance = await sales.get('/console?stage=AwaitAcceptance');

    // Assess
    expect(rows(salesMine.text).sort()).toEqual([consult, late].sort());
    expect(salesMine.text).toMatch(/aria-current="true">Waiting for me <span class="count">2<\/span>/);
    expect(rows(supportMine.text)).toEqual([]);
    expect(supportMine.text).toContain('Nothing waits here.');
    expect(rows(late1.text)).toEqual([late, buyer]);
    expect(late1.text).toMatch(/aria-current="true">Overdue <span class="count">2<\/span>/);
    expect(rows(lateMine.text)).toEqual([late]);
    expect(rows(atAcceptance.text)).toEqual([buyer]);
  });

  it('sorts by due date (soonest first) or by last update (newest first)', async () => {
    // Prepare
    const h = await harness();
    const a = await seedOnboarding(h.flow, { company: 'A KK', email: 'a@example.com' });
    const b = await seedOnboarding(h.flow, { company: 'B KK', email: 'b@example.com' });
    const cId = await seedOnboarding(h.flow, { company: 'C KK', email: 'c@example.com' });
    overdue(h, cId, 3);
    overdue(h, a, 1);
    const c = new Client(h.app);
    await c.signIn('sales');

    // Act
    const byDue = await c.get('/console?sort=due');
    const byUpdate = await c.get('/console');

    // Assess
    expect(rows(byDue.text)).toEqual([cId, a, b]);
    expect(rows(byUpdate.text)).toEqual([cId, b, a]);
  });

  it('finds an onboarding by its offer id (what the AWS offer mail quotes)', async () => {
    // Prepare
    const h = await harness();
    const id = await offered(h.flow, { company: 'Offer KK' });
    await seedOnboarding(h.flow, { company: 'Other KK', email: 'o@example.com' });
    const offerId = h.ports.onboardings.items.get(id)?.offer?.offerId ?? 'missing';
    const c = new Client(h.app);
    await c.signIn('support');

    // Act
    const page = await c.get(`/console?q=${offerId}`);

    // Assess
    expect(rows(page.text)).toEqual([id]);
  });

  it('finds an AWS account id typed with hyphens, spaces or full-width digits', async () => {
    // Prepare
    const h = await harness();
    await seedOnboarding(h.flow, { company: 'Target KK', awsAccountId: '123456789012' });
    await seedOnboarding(h.flow, {
      company: 'Other KK',
      email: 'o@example.com',
      awsAccountId: '210987654321',
    });
    const c = new Client(h.app);
    await c.signIn('support');

    // Act
    const typed = await Promise.all(
      ['1234-5678-9012', '1234 5678 9012', '１２３４－５６７８－９０１２', '123456789012'].map((q) =>
        c.get(`/console?q=${encodeURIComponent(q)}`),
      ),
    );

    // Assess
    for (const page of typed) {
      expect(page.text).toContain('Target KK');
      expect(page.text).not.toContain('Other KK');
    }
  });

  it('serves the table alone for the refresh every 30 s: the same rows, no page around them, not cached', async () => {
    // Prepare
    const h = await harness();
    const id = await seedOnboarding(h.flow);
    const c = new Client(h.app);
    await c.signIn('sales');
    const page = await c.get('/console?mine=1');
    const refresh = /data-refresh="([^"]+)" data-refresh-seconds="30"/.exec(page.text)?.[1] ?? '';

    // Act
    const fragment = await c.get(refresh.replace(/&amp;/g, '&'));
    const anonymous = await new Client(h.app).get(refresh.replace(/&amp;/g, '&'));

    // Assess
    expect(refresh).toBe('/console/list?mine=1');
    expect(fragment.status).toBe(200);
    expect(fragment.headers.get('cache-control')).toBe('no-store');
    expect(rows(fragment.text)).toEqual([id]);
    expect(fragment.text).not.toContain('<html');
    expect(fragment.text).not.toMatch(/token/i);
    expect(anonymous.status).toBe(303);
  });
});

describe('console list: two deal steps for different roles at once', () => {
  it("shows sales the Renewal and support the AdvisoryReview of one completed onboarding, each counted in its role's pill", async () => {
    // Prepare: a completed onboarding whose Renewal (sales) and AdvisoryReview (support) both wait
    const h = await harness();
    const id = await seedOnboarding(h.flow, { company: 'Two Steps KK' });
    const o = await h.ports.onboardings.get(id);
    if (!o) throw new Error('not seeded');
    await h.ports.onboardings.save({ ...o, stage: 'Completed', status: 'completed' });
    const steps = [
      ['Renewal', 'renewal-agmt-1', '2026-12-31T00:00:00.000Z'],
      ['AdvisoryReview', 'advisory-agmt-1-adv-1', '2026-11-30T00:00:00.000Z'],
    ] as const;
    for (const [stage, instance, dueAt] of steps) {
      const token = `token-never-shown-${instance}`;
      h.ports.callbacks.waiting(token);
      await openHumanTask(h.ports, {
        onboardingId: id,
        stage,
        taskToken: token,
        dueAt,
        context: { agreementId: 'agmt-1' },
        instance,
      });
    }
    const sales = new Client(h.app);
    await sales.signIn('sales');
    const support = new Client(h.app);
    await support.signIn('support');

    // Act
    const salesMine = await sales.get('/console?mine=1');
    const supportMine = await support.get('/console?mine=1');
    const byDue = await sales.get('/console?sort=due');
    const everything = await sales.get('/console');

    // Assess
    const badges = (text: string) => [...text.matchAll(/data-deal-step="([A-Za-z]+)"/g)].map((m) => m[1]);
    expect(rows(salesMine.text)).toEqual([id]);
    expect(badges(salesMine.text)).toEqual(['Renewal']);
    expect(salesMine.text).toMatch(/aria-current="true">Waiting for me <span class="count">1<\/span>/);
    expect(rows(supportMine.text)).toEqual([id]);
    expect(badges(supportMine.text)).toEqual(['AdvisoryReview']);
    expect(supportMine.text).toMatch(/aria-current="true">Waiting for me <span class="count">1<\/span>/);
    expect(supportMine.text).toContain('2026-11-30 00:00 UTC');
    expect(badges(byDue.text)).toEqual(['AdvisoryReview', 'Renewal']);
    // the list of every onboarding has one row for it, naming both steps and both roles
    expect(rows(everything.text)).toEqual([id]);
    expect(badges(everything.text)).toEqual(['AdvisoryReview', 'Renewal']);
    expect(everything.text).toContain('<td data-label="Waiting for">support, sales</td>');
    expect(salesMine.text + supportMine.text).not.toContain('token-never-shown');
  });
});
