import { describe, expect, it } from 'vitest';
import { awaitDealStep, newOnboarding } from '../../../tasks/domain/onboarding.js';
import { getOnboarding, listOnboardings } from '../../../tasks/use-cases/read-side.js';
import { assigneeOf } from '../../../workflows/contracts/index.js';
import { inquiry, opened, placeAt, recorded, setup } from './helpers.js';

async function many() {
  const ports = setup();
  const ids: string[] = [];
  for (let i = 0; i < 7; i++) {
    ports.clock.advance(1000);
    ids.push(
      await recorded(ports, {
        company: `Company ${i}`,
        email: `buyer${i}@example.com`,
        awsAccountId: `10000000000${i}`,
      }),
    );
  }
  for (const id of ids.slice(0, 4)) await placeAt(ports, id, 'Consultation');
  return { ports, ids };
}

describe('listOnboardings', () => {
  it('lists a stage newest first with counts per stage, page by page', async () => {
    const { ports, ids } = await many();

    const first = await listOnboardings(ports, { stage: 'Consultation', limit: 3 });
    if (!first.ok) throw new Error('list failed');
    const second = await listOnboardings(ports, {
      stage: 'Consultation',
      limit: 3,
      cursor: first.nextCursor,
    });
    if (!second.ok) throw new Error('list failed');

    expect(first.counts.Consultation).toBe(4);
    expect(first.counts.Inquiry).toBe(3);
    expect(first.total).toBe(7);
    expect([...first.items, ...second.items].map((o) => o.id)).toEqual(ids.slice(0, 4).reverse());
    expect(second.nextCursor).toBeUndefined();
  });

  it('searches company, e-mail and AWS account id', async () => {
    const { ports, ids } = await many();

    const byCompany = await listOnboardings(ports, { query: 'company 5' });
    // a whole address, in any case (the start of one is no longer a match: docs/architecture.md)
    const byEmail = await listOnboardings(ports, { query: 'BUYER2@example.com' });
    const byAccount = await listOnboardings(ports, { query: '100000000006', stage: 'Inquiry' });

    expect(byCompany.ok && byCompany.items.map((o) => o.id)).toEqual([ids[5]]);
    expect(byEmail.ok && byEmail.items.map((o) => o.id)).toEqual([ids[2]]);
    expect(byAccount.ok && byAccount.items.map((o) => o.id)).toEqual([ids[6]]);
  });

  it('names a bad query field and refuses a forged cursor', async () => {
    const { ports } = await many();

    expect(await listOnboardings(ports, { stage: 'Nowhere' })).toMatchObject({
      ok: false,
      error: 'invalid-input',
      issues: [{ path: 'stage' }],
    });
    expect(await listOnboardings(ports, { limit: 1000 })).toMatchObject({
      ok: false,
      issues: [{ path: 'limit', message: 'limit must be at most 100' }],
    });
    expect(await listOnboardings(ports, { cursor: 'garbage!' })).toEqual({
      ok: false,
      error: 'invalid-cursor',
    });
  });
});

describe('listOnboardings: work lists', () => {
  it("counts what waits for the person's roles from the stage counters, and the overdue up to 100, then 100+", async () => {
    // Prepare: 101 overdue at Consultation (sales), 2 not yet due at StageTimedOut (support)
    const ports = setup();
    const now = ports.clock.now().getTime();
    const put = async (i: number, stage: 'Consultation' | 'StageTimedOut', dueInDays: number) => {
      const o = newOnboarding({
        id: `onb-work${String(i).padStart(6, '0')}`,
        inquiry: inquiry(),
        at: ports.clock.now().toISOString(),
      });
      const dueAt = new Date(now + dueInDays * 86_400_000).toISOString();
      await ports.onboardings.create({
        ...o,
        stage,
        waiting: { stage, assignee: assigneeOf(stage), since: o.createdAt, dueAt },
      });
    };
    for (let i = 0; i < 101; i++) await put(i, 'Consultation', -1 - (i % 5));
    await put(101, 'StageTimedOut', 3);
    await put(102, 'StageTimedOut', 4);

    // Act
    const sales = await listOnboardings(ports, { roles: ['sales'], mine: true, overdue: true, limit: 5 });
    const support = await listOnboardings(ports, { roles: ['support'], mine: true, sort: 'due' });

    // Assess
    expect(sales).toMatchObject({ ok: true, waiting: { forRoles: 101, overdue: 100, overdueMore: true } });
    expect(
      sales.ok &&
        sales.items.map((s) => s.waiting !== undefined && s.waiting.dueAt < new Date(now).toISOString()),
    ).toEqual([true, true, true, true, true]);
    expect(support).toMatchObject({ ok: true, waiting: { forRoles: 2, overdue: 100, overdueMore: true } });
    expect(support.ok && support.items.map((s) => s.id)).toEqual(['onb-work000101', 'onb-work000102']);
  });
});

describe('listOnboardings: deal steps count for their role', () => {
  it("a Completed onboarding whose Renewal waits counts in sales' 'waiting for me', an AdvisoryReview in support's, as the rows show them", async () => {
    // Prepare
    const ports = setup();
    const at = ports.clock.now().toISOString();
    const due = new Date(ports.clock.now().getTime() + 30 * 86_400_000).toISOString();
    const completedWaiting = async (id: string, stage: 'Renewal' | 'AdvisoryReview') => {
      const o = newOnboarding({ id, inquiry: inquiry(), at });
      await ports.onboardings.create(awaitDealStep({ ...o, stage: 'Completed' }, stage, due, at));
    };
    await completedWaiting('onb-deal00000001', 'Renewal');
    await completedWaiting('onb-deal00000002', 'AdvisoryReview');
    await completedWaiting('onb-deal00000003', 'AdvisoryReview');

    // Act
    const sales = await listOnboardings(ports, { roles: ['sales'], mine: true });
    const support = await listOnboardings(ports, { roles: ['support'], mine: true });

    // Assess
    expect(sales).toMatchObject({ ok: true, waiting: { forRoles: 1 } });
    expect(sales.ok && sales.items.map((s) => s.id)).toEqual(['onb-deal00000001']);
    expect(support).toMatchObject({ ok: true, waiting: { forRoles: 2 } });
    expect(support.ok && support.items).toHaveLength(2);
  });
});

describe('getOnboarding', () => {
  it('shows the record, its tasks without tokens, the open task and the timeline', async () => {
    const ports = setup();
    const id = await recorded(ports);
    const { token } = await opened(ports, id, 'Consultation');

    const r = await getOnboarding(ports, id);

    if (!r.ok) throw new Error('not found');
    expect(r.openTask).toMatchObject({ stage: 'Consultation', status: 'open', assignee: 'sales' });
    expect(r.tasks[0]).not.toHaveProperty('taskToken');
    expect(JSON.stringify(r)).not.toContain(token);
    expect(r.timeline.map((e) => e.action)).toEqual(['inquiry-recorded', 'stage-opened']);
    expect(await getOnboarding(ports, 'onb-unknown0000')).toEqual({ ok: false, error: 'not-found' });
  });
});

describe('listOnboardings: two deal steps for different roles at once', () => {
  it('lists each open deal step as its own row for its role, filters and sorts each by its own due date', async () => {
    // Prepare: a completed onboarding whose Renewal (sales, due in 30 days) and AdvisoryReview (support, due in 2 days)
    // both wait
    const ports = setup();
    const at = ports.clock.now().toISOString();
    const inDays = (n: number) => new Date(ports.clock.now().getTime() + n * 86_400_000).toISOString();
    const o = newOnboarding({ id: 'onb-twosteps0001', inquiry: inquiry(), at });
    const renewal = awaitDealStep(
      { ...o, stage: 'Completed', status: 'completed' },
      'Renewal',
      inDays(30),
      at,
      'r-1',
    );
    await ports.onboardings.create(awaitDealStep(renewal, 'AdvisoryReview', inDays(2), at, 'a-1'));

    // Act
    const sales = await listOnboardings(ports, { roles: ['sales'], mine: true });
    const support = await listOnboardings(ports, { roles: ['support'], mine: true });
    const byDue = await listOnboardings(ports, { sort: 'due' });
    ports.clock.advance(3 * 86_400_000);
    const salesLate = await listOnboardings(ports, { roles: ['sales'], mine: true, overdue: true });
    const supportLate = await listOnboardings(ports, { roles: ['support'], mine: true, overdue: true });

    // Assess
    const steps = (r: Awaited<ReturnType<typeof listOnboardings>>) =>
      r.ok ? r.items.map((s) => [s.id, s.waiting?.stage, s.waiting?.assignee]) : r;
    expect(steps(sales)).toEqual([['onb-twosteps0001', 'Renewal', 'sales']]);
    expect(steps(support)).toEqual([['onb-twosteps0001', 'AdvisoryReview', 'support']]);
    expect(sales).toMatchObject({ waiting: { forRoles: 1 } });
    expect(support).toMatchObject({ waiting: { forRoles: 1 } });
    expect(steps(byDue)).toEqual([
      ['onb-twosteps0001', 'AdvisoryReview', 'support'],
      ['onb-twosteps0001', 'Renewal', 'sales'],
    ]);
    expect(steps(salesLate)).toEqual([]);
    expect(steps(supportLate)).toEqual([['onb-twosteps0001', 'AdvisoryReview', 'support']]);
    expect(supportLate).toMatchObject({ waiting: { overdue: 1 } });
  });

  it('a search row passes "waiting for me" when any of its deal steps waits for the role', async () => {
    // Prepare
    const ports = setup();
    const at = ports.clock.now().toISOString();
    const inDays = (n: number) => new Date(ports.clock.now().getTime() + n * 86_400_000).toISOString();
    const o = newOnboarding({ id: 'onb-twosteps0002', inquiry: inquiry({ company: 'Both Steps KK' }), at });
    const renewal = awaitDealStep(
      { ...o, stage: 'Completed', status: 'completed' },
      'Renewal',
      inDays(30),
      at,
      'r-1',
    );
    await ports.onboardings.create(awaitDealStep(renewal, 'AdvisoryReview', inDays(2), at, 'a-1'));

    // Act
    const sales = await listOnboardings(ports, { query: 'Both Steps', roles: ['sales'], mine: true });

    // Assess
    expect(sales.ok && sales.items.map((s) => s.id)).toEqual(['onb-twosteps0002']);
    expect(sales.ok && sales.items[0]?.dealSteps?.map((w) => w.stage)).toEqual(['AdvisoryReview', 'Renewal']);
  });
});
