/**
 * The deal after the sale (issue 11): each agreement event becomes an episode of its agreement's record, amendments
 * change the tenant's plan once, a renewal carries the plan on, and an end ends it unless a later agreement is live.
 * Out-of-order and duplicated events change nothing twice.
 */
import { describe, expect, it } from 'vitest';
import { dealOf } from '../../../tasks/use-cases/agreement-lifecycle.js';
import { runAgreementEpisode } from '../../../tasks/use-cases/deal-episodes.js';
import { handleMarketplaceEvent } from '../../../tasks/use-cases/marketplace-signals.js';
import { reconcileAgreements } from '../../../tasks/use-cases/reconcile-agreements.js';
import { fixture } from '../fixtures.js';
import { completedWithPaidPlan, FIXTURE_ACCEPTOR, FIXTURE_AGREEMENT } from './helpers.js';

const ACCEPTOR = FIXTURE_ACCEPTOR;
const AGREEMENT = FIXTURE_AGREEMENT;
const RENEWAL = 'agmt-renewal0000000000000001';
const LICENSE = 'arn:aws:license-manager:us-east-1:123456789012:l-e52ca6f38bf84d0fafb8802ca15ac11x';

async function completedWithPaidPlanAndAgreement() {
  const done = await completedWithPaidPlan({ licenseArn: LICENSE });
  await handleMarketplaceEvent(done.ports, fixture('eventbridge-agreement-created.json'));
  return done;
}

let seq = 0;
function event(detailType: string, agreement: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  seq += 1;
  return {
    version: '0',
    id: `evt-${seq}-${detailType.replace(/\W+/g, '-')}`,
    'detail-type': detailType,
    source: 'aws.agreement-marketplace',
    time: '2025-03-01T00:00:00Z',
    detail: {
      agreement,
      acceptor: { accountId: ACCEPTOR },
      proposer: { accountId: '123456512334' },
      ...extra,
    },
  };
}

const amended = () =>
  event('Purchase Agreement Amended - Proposer', { id: AGREEMENT, intent: 'AMEND', status: 'ACTIVE' });
const ended = (id: string, status: string) => event('Purchase Agreement Ended - Proposer', { id, status });
const renewal = () =>
  event(
    'Purchase Agreement Created - Proposer',
    {
      id: RENEWAL,
      intent: 'RENEW',
      status: 'ACTIVE',
      previousAgreementId: AGREEMENT,
      startTime: '2025-05-30T21:36:04Z',
    },
    { offer: { id: 'offer-renewal000001' } },
  );

describe('agreement lifecycle', () => {
  it('an amendment changes the plan to the new entitlements once, tells buyer and sales; a redelivery changes nothing', async () => {
    // Prepare
    const { ports, id, accountId } = await completedWithPaidPlanAndAgreement();
    ports.fulfillment.entitle(ports.config.productCode, {
      dimension: 'Users',
      value: 20,
      licenseArn: LICENSE,
    });
    const update = fixture('eventbridge-license-updated.json');
    const amend = amended();
    // Act: each amendment event starts its own amend episode, whose ChangePlan the workflow runs at once (and again:
    // a retry, or a later episode of the same agreement)
    const outcomes: string[] = [];
    const runEpisodes = async () => {
      for (const e of ports.episodes.started.values())
        outcomes.push(
          (
            await runAgreementEpisode(ports, {
              action: 'change-plan',
              onboardingId: e.onboardingId,
              agreementId: e.agreementId,
            })
          ).outcome,
        );
    };
    await handleMarketplaceEvent(ports, amend);
    await runEpisodes();
    await handleMarketplaceEvent(ports, update);
    await handleMarketplaceEvent(ports, amend);
    await runEpisodes();
    // Assess
    expect([...ports.episodes.started.values()].map((e) => e.episode)).toEqual(['amend', 'amend']);
    expect(outcomes).toEqual(['changed', 'unchanged', 'unchanged']);
    const account = await ports.accounts.getAccount(accountId);
    expect(account?.paidPlan?.plan).toMatch(/\(Users 20\)$/);
    expect(ports.mailer.tagged('deal:plan-changed')).toHaveLength(1);
    expect(ports.mailer.tagged('deal:amended')).toHaveLength(1);
    const [agreement] = await dealOf(ports, id);
    expect(agreement?.entitlements).toEqual({ Users: 20 });
    expect(agreement?.intent).toBe('NEW'); // created NEW; the amendment's AMEND does not replace it
    // each once (in time order the fixture's License Updated is older than the amendment)
    expect(agreement?.episodes.map((e) => e.kind).sort()).toEqual([
      'amended',
      'created',
      'license-updated',
      'plan-changed',
    ]);
  });

  it('a renewal carries the plan on: the old agreement ending RENEWED keeps it, the new one cancelled ends it', async () => {
    // Prepare
    const { ports, id, accountId } = await completedWithPaidPlanAndAgreement();
    // Act: the renewal's Created before the old agreement's Ended (as AWS may deliver them)
    await handleMarketplaceEvent(ports, renewal());
    await handleMarketplaceEvent(ports, ended(AGREEMENT, 'RENEWED'));
    const afterRenewal = (await ports.accounts.getAccount(accountId))?.plan;
    await handleMarketplaceEvent(ports, ended(RENEWAL, 'CANCELLED'));
    // Assess
    expect(afterRenewal).toBe('paid');
    expect((await ports.accounts.getAccount(accountId))?.plan).toBe('free');
    const deal = await dealOf(ports, id);
    expect(
      deal.map((a) => [a.agreementId, a.status, a.nextAgreementId ?? null, a.previousAgreementId ?? null]),
    ).toEqual([
      [AGREEMENT, 'RENEWED', RENEWAL, null],
      [RENEWAL, 'CANCELLED', null, AGREEMENT],
    ]);
    expect(deal[0]?.episodes.map((e) => e.kind)).toEqual(['created', 'renewed-by', 'ended', 'plan-kept']);
    expect(ports.mailer.tagged('deal:renewed')).toHaveLength(1);
    expect(await ports.onboardings.findByRef('agreement', RENEWAL)).toBe(id);
  });

  it('the old agreement cancelled after its renewal went live does not end the plan', async () => {
    // Prepare
    const { ports, accountId } = await completedWithPaidPlanAndAgreement();
    await handleMarketplaceEvent(ports, renewal());
    // Act
    await handleMarketplaceEvent(ports, ended(AGREEMENT, 'CANCELLED'));
    // Assess
    expect((await ports.accounts.getAccount(accountId))?.plan).toBe('paid');
  });

  it('an amendment after the end is recorded as late and changes nothing', async () => {
    // Prepare
    const { ports, id, accountId } = await completedWithPaidPlanAndAgreement();
    ports.fulfillment.entitle(ports.config.productCode, {
      dimension: 'Users',
      value: 50,
      licenseArn: LICENSE,
    });
    await handleMarketplaceEvent(ports, ended(AGREEMENT, 'CANCELLED'));
    // Act
    await handleMarketplaceEvent(ports, amended());
    // Assess
    const account = await ports.accounts.getAccount(accountId);
    expect(account?.plan).toBe('free');
    const [agreement] = await dealOf(ports, id);
    expect(agreement?.status).toBe('CANCELLED');
    expect(agreement?.episodes.at(-1)).toMatchObject({ kind: 'late' });
    expect(ports.mailer.tagged('deal:plan-changed')).toHaveLength(0);
  });

  it('the first Ending opens the Renewal episode (its task mails sales); each later notice reminds sales once, with the end as the date to act by', async () => {
    // Prepare
    const { ports } = await completedWithPaidPlanAndAgreement();
    const notice = (days: number) =>
      event('Purchase Agreement Ending - Proposer', {
        id: AGREEMENT,
        endTime: '2025-05-30T21:36:03Z',
        daysBeforeEndTime: days,
      });
    const first = notice(60);
    const later = notice(30);
    // Act
    await handleMarketplaceEvent(ports, first);
    const afterFirst = ports.mailer.tagged('deal:ending').length;
    await handleMarketplaceEvent(ports, later);
    await handleMarketplaceEvent(ports, later);
    // Assess
    expect(afterFirst).toBe(0);
    expect([...ports.episodes.started.keys()]).toEqual([`renewal-${AGREEMENT}`]);
    const mails = ports.mailer.tagged('deal:ending');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain('ends in 30 days');
    expect(mails[0]?.text).toContain('2025');
  });

  it('refuses an event whose time is not a date, changing nothing', async () => {
    // Prepare
    const { ports, id } = await completedWithPaidPlanAndAgreement();
    const bad = { ...amended(), time: 'yesterday' };
    const before = JSON.stringify(await dealOf(ports, id));
    // Act
    const r = await handleMarketplaceEvent(ports, bad);
    // Assess
    expect(r.ok).toBe(false);
    expect(JSON.stringify(await dealOf(ports, id))).toBe(before);
  });
});

describe('grace period before the paid plan ends', () => {
  async function withGrace() {
    const done = await completedWithPaidPlanAndAgreement();
    done.ports.config.planEndGraceHours = 48;
    done.ports.agreements.add({ agreementId: AGREEMENT, status: 'CANCELLED', acceptorAccountId: ACCEPTOR });
    return done;
  }

  it('keeps the plan through the grace period, then the reconciliation ends it once', async () => {
    // Prepare
    const { ports, id, accountId } = await withGrace();
    // the grace period counts from the end's time: now
    await handleMarketplaceEvent(ports, {
      ...ended(AGREEMENT, 'CANCELLED'),
      time: ports.clock.now().toISOString(),
    });
    // Act
    const during = await reconcileAgreements(ports);
    const planDuring = (await ports.accounts.getAccount(accountId))?.plan;
    await ports.clock.sleep(49 * 3600_000);
    const after = await reconcileAgreements(ports);
    const again = await reconcileAgreements(ports);
    // Assess
    expect(planDuring).toBe('paid');
    expect(during.findings.map((f) => f.what)).not.toContain('grace-ended');
    expect(after.findings.map((f) => f.what)).toContain('grace-ended');
    expect(again.findings.map((f) => f.what)).not.toContain('grace-ended');
    expect((await ports.accounts.getAccount(accountId))?.plan).toBe('free');
    const [agreement] = await dealOf(ports, id);
    expect(agreement?.episodes.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['plan-end-scheduled', 'plan-ended']),
    );
  });

  it('a renewal arriving in the grace period keeps the plan', async () => {
    // Prepare
    const { ports, accountId } = await withGrace();
    // the grace period counts from the end's time: now
    await handleMarketplaceEvent(ports, {
      ...ended(AGREEMENT, 'CANCELLED'),
      time: ports.clock.now().toISOString(),
    });
    await handleMarketplaceEvent(ports, renewal());
    // Act
    await ports.clock.sleep(49 * 3600_000);
    const report = await reconcileAgreements(ports);
    // Assess
    expect(report.findings.map((f) => f.what)).toContain('grace-kept');
    expect((await ports.accounts.getAccount(accountId))?.plan).toBe('paid');
  });
});
