/**
 * Each deal step instance keeps its own task (issue: one TASK#<stage> record per onboarding let a second advisory, or a
 * later renewal, overwrite the first one's open task and token). The lifecycle execution's name is the instance.
 */
import { describe, expect, it } from 'vitest';
import { completeHumanStage } from '../../../tasks/use-cases/complete-human-stage.js';
import { runAgreementEpisode } from '../../../tasks/use-cases/deal-episodes.js';
import { handleMarketplaceEvent } from '../../../tasks/use-cases/marketplace-signals.js';
import { openHumanTask } from '../../../tasks/use-cases/open-human-task.js';
import { getOnboarding } from '../../../tasks/use-cases/read-side.js';
import { fixture } from '../fixtures.js';
import { completedWithPaidPlan, FIXTURE_ACCEPTOR, FIXTURE_AGREEMENT } from './helpers.js';

const AGREEMENT = FIXTURE_AGREEMENT;
const DUE = '2026-06-30T00:00:00.000Z';
const LATER_DUE = '2026-07-30T00:00:00.000Z';
const support = { kind: 'staff' as const, id: 'u-support', role: 'support' as const };

let seq = 0;
function advisoryEvent(what: 'Issued' | 'Resolved', advisoryId: string) {
  seq += 1;
  return {
    version: '0',
    id: `evt-instances-${seq}`,
    'detail-type': `Purchase Agreement Advisory ${what} - Manufacturer`,
    source: 'aws.agreement-marketplace',
    time: '2025-03-01T00:00:00Z',
    detail: {
      agreement: { id: AGREEMENT, status: 'ACTIVE' },
      acceptor: { accountId: FIXTURE_ACCEPTOR },
      advisory: { id: advisoryId, type: 'PAYMENT' },
    },
  };
}

async function withAgreement() {
  const done = await completedWithPaidPlan();
  await handleMarketplaceEvent(done.ports, fixture('eventbridge-agreement-created.json'));
  return done;
}
type P = Awaited<ReturnType<typeof withAgreement>>['ports'];

/** What the lifecycle workflow's AdvisoryReview does in the execution advisory-<agreement>-<advisoryId>. */
async function openAdvisory(ports: P, id: string, advisoryId: string, token: string, dueAt = DUE) {
  ports.callbacks.waiting(token);
  await openHumanTask(ports, {
    onboardingId: id,
    stage: 'AdvisoryReview',
    taskToken: token,
    dueAt,
    context: { agreementId: AGREEMENT, advisoryId },
    instance: `advisory-${AGREEMENT}-${advisoryId}`,
  });
}

describe('deal step instances', () => {
  it('two overlapping advisories keep two tasks, both on the deal view; Resolved completes only its own', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    await openAdvisory(ports, id, 'adv-0001', 'token-adv-1');
    await openAdvisory(ports, id, 'adv-0002', 'token-adv-2', LATER_DUE);
    const detail = await getOnboarding(ports, id);
    const shown = detail.ok ? detail.dealTasks.map((t) => t.context?.advisoryId) : [];
    // Act
    await handleMarketplaceEvent(ports, advisoryEvent('Resolved', 'adv-0002'));
    // Assess
    expect(shown).toEqual(['adv-0001', 'adv-0002']);
    expect(ports.callbacks.successes().map((c) => c.token)).toEqual(['token-adv-2']);
    const tasks = await ports.tasks.list(id);
    expect(tasks.map((t) => [t.instance, t.status])).toEqual([
      [`advisory-${AGREEMENT}-adv-0001`, 'open'],
      [`advisory-${AGREEMENT}-adv-0002`, 'completed'],
    ]);
  });

  it("support's review completes the instance it names, and without one the oldest still waiting", async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    await openAdvisory(ports, id, 'adv-0001', 'token-adv-a');
    await openAdvisory(ports, id, 'adv-0002', 'token-adv-b');
    // Act
    const named = await completeHumanStage(ports, {
      onboardingId: id,
      stage: 'AdvisoryReview',
      payload: { action: 'reviewed' },
      actor: support,
      instance: `advisory-${AGREEMENT}-adv-0002`,
    });
    const unnamed = await completeHumanStage(ports, {
      onboardingId: id,
      stage: 'AdvisoryReview',
      payload: { action: 'reviewed' },
      actor: support,
    });
    const third = await completeHumanStage(ports, {
      onboardingId: id,
      stage: 'AdvisoryReview',
      payload: { action: 'reviewed' },
      actor: support,
    });
    // Assess
    expect(named).toMatchObject({ ok: true, outcome: 'completed' });
    expect(unnamed).toMatchObject({ ok: true, outcome: 'completed' });
    expect(third).toEqual({ ok: false, error: 'already-completed' });
    expect(ports.callbacks.successes().map((c) => c.token)).toEqual(['token-adv-b', 'token-adv-a']);
  });

  it('a renewal and a later renewal keep their own tasks and tokens', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    const LATER = 'agmt-renewal0000000000000002';
    for (const [agreementId, token] of [
      [AGREEMENT, 'token-renewal-first'],
      [LATER, 'token-renewal-later'],
    ] as const) {
      ports.callbacks.waiting(token);
      await openHumanTask(ports, {
        onboardingId: id,
        stage: 'Renewal',
        taskToken: token,
        dueAt: DUE,
        context: { agreementId, endTime: DUE },
        instance: `renewal-${agreementId}`,
      });
    }
    // Act
    await handleMarketplaceEvent(ports, {
      version: '0',
      id: 'evt-instances-renewed',
      'detail-type': 'Purchase Agreement Created - Proposer',
      source: 'aws.agreement-marketplace',
      time: '2025-03-01T00:00:00Z',
      detail: {
        agreement: {
          id: 'agmt-renewal0000000000000003',
          intent: 'RENEW',
          status: 'ACTIVE',
          previousAgreementId: AGREEMENT,
        },
        acceptor: { accountId: FIXTURE_ACCEPTOR },
      },
    });
    // Assess
    expect(ports.callbacks.successes().map((c) => c.token)).toEqual(['token-renewal-first']);
    expect((await ports.tasks.get(id, `Renewal#renewal-${LATER}`))?.status).toBe('open');
  });

  it("the first advisory's end hands the work list to the second advisory", async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    await openAdvisory(ports, id, 'adv-0001', 'token-adv-x');
    await openAdvisory(ports, id, 'adv-0002', 'token-adv-y', LATER_DUE);
    await handleMarketplaceEvent(ports, advisoryEvent('Resolved', 'adv-0002'));
    // Act
    await runAgreementEpisode(ports, {
      action: 'record-outcome',
      onboardingId: id,
      agreementId: AGREEMENT,
      stage: 'AdvisoryReview',
      decision: { action: 'resolved', actor: { kind: 'system', id: 'marketplace-eventbridge' } },
      reason: null,
      execution: `advisory-${AGREEMENT}-adv-0002`,
    });
    // Assess
    expect((await ports.onboardings.get(id))?.waiting).toMatchObject({
      stage: 'AdvisoryReview',
      assignee: 'support',
      dueAt: DUE,
    });
  });
});
