/**
 * Renewal → draft-offer (issue 11 item 2, Ending): sales drafts an agreement-based replacement offer with the agreed
 * terms; the lifecycle workflow's agreement-episode creates it (CreateReplacementOffer, one token per agreement and
 * attempt), checks its change set, records it on the agreement and mails the buyer the offer link; failures are
 * recorded on the agreement and answered as failed.
 */
import { describe, expect, it } from 'vitest';
import { dealOf } from '../../../tasks/use-cases/agreement-lifecycle.js';
import { completeHumanStage } from '../../../tasks/use-cases/complete-human-stage.js';
import { runAgreementEpisode } from '../../../tasks/use-cases/deal-episodes.js';
import { handleMarketplaceEvent } from '../../../tasks/use-cases/marketplace-signals.js';
import { openHumanTask } from '../../../tasks/use-cases/open-human-task.js';
import { fixture } from '../fixtures.js';
import { completedWithPaidPlan, FIXTURE_AGREEMENT, sales, terms } from './helpers.js';

const AGREEMENT = FIXTURE_AGREEMENT;
const END = '2026-06-30T00:00:00.000Z';

async function withAgreement() {
  const done = await completedWithPaidPlan();
  await handleMarketplaceEvent(done.ports, fixture('eventbridge-agreement-created.json'));
  return done;
}

const future = (ports: Awaited<ReturnType<typeof withAgreement>>['ports']) =>
  new Date(ports.clock.now().getTime() + 20 * 86_400_000).toISOString();

describe('the renewal offer', () => {
  it('sales drafts it at Renewal with the agreed terms; an expiry in the past is refused on its field', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    ports.callbacks.waiting('token-renewal-1');
    await openHumanTask(ports, {
      onboardingId: id,
      stage: 'Renewal',
      taskToken: 'token-renewal-1',
      dueAt: END,
      context: { agreementId: AGREEMENT, endTime: END },
    });
    const submit = (offerExpiresAt: string) =>
      completeHumanStage(ports, {
        onboardingId: id,
        stage: 'Renewal',
        payload: { action: 'draft-offer', terms: { ...terms({ offerExpiresAt }), actor: undefined } },
        actor: sales,
      });
    // Act
    const past = await submit('2000-01-01T00:00:00Z');
    const ok = await submit(future(ports));
    // Assess
    expect(past).toMatchObject({
      ok: false,
      issues: [{ path: 'terms.offerExpiresAt', message: 'offerExpiresAt must be in the future' }],
    });
    expect(ok).toMatchObject({ ok: true, outcome: 'completed' });
    expect(ports.callbacks.successes()[0]?.output).toMatchObject({
      action: 'draft-offer',
      actor: sales,
      terms: { actor: sales, offerName: 'Enterprise annual' },
    });
  });

  it('creates the replacement offer once per attempt, checks it, records it and mails the buyer once', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    const agreed = terms({ offerExpiresAt: future(ports), offerName: 'Renewal 2027' });
    const create = {
      action: 'create-renewal-offer' as const,
      onboardingId: id,
      agreementId: AGREEMENT,
      terms: agreed,
      attempt: 1,
    };
    // Act
    const started = await runAgreementEpisode(ports, create);
    const again = await runAgreementEpisode(ports, create);
    const check = (n: number) =>
      runAgreementEpisode(ports, {
        action: 'check-renewal-offer',
        onboardingId: id,
        agreementId: AGREEMENT,
        changeSetId: started.changeSetId as string,
        check: n,
        lastCheck: false,
      });
    const polls = [await check(1), await check(2), await check(3)];
    const offerId = polls[2]?.offerId as string;
    const send = {
      action: 'send-renewal-offer' as const,
      onboardingId: id,
      agreementId: AGREEMENT,
      offerId,
      terms: agreed,
    };
    const sent = await runAgreementEpisode(ports, send);
    await runAgreementEpisode(ports, send);
    // Assess
    expect(started).toMatchObject({ outcome: 'started', changeSetId: expect.any(String) });
    expect(again.changeSetId).toBe(started.changeSetId);
    expect(ports.catalog.changeSets).toHaveLength(1);
    expect(ports.catalog.changeSets[0]?.changes[0]).toMatchObject({
      ChangeType: 'CreateReplacementOffer',
      DetailsDocument: { AgreementId: AGREEMENT },
    });
    expect(polls.map((p) => p.outcome)).toEqual(['pending', 'pending', 'succeeded']);
    expect(offerId).toMatch(/^offer-/);
    expect(sent).toEqual({ outcome: 'sent', offerId });
    const mails = ports.mailer.tagged('renewal-offer');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe('【契約更新のご案内】Renewal 2027');
    expect(mails[0]?.text).toContain(offerId);
    const [agreement] = await dealOf(ports, id);
    expect(agreement?.episodes.filter((e) => e.kind.startsWith('renewal-offer')).map((e) => e.kind)).toEqual([
      'renewal-offer-requested',
      'renewal-offer-sent',
    ]);
  });

  it('a FAILED change set, a refused start and a change set still running at the last check are recorded as failed', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    const base = {
      onboardingId: id,
      agreementId: AGREEMENT,
      terms: terms({ offerExpiresAt: future(ports) }),
    };
    ports.catalog.failNextWith = {
      code: 'INCOMPATIBLE_AGREEMENT',
      message: 'not active',
      changeType: 'CreateReplacementOffer',
    };
    const failing = await runAgreementEpisode(ports, { ...base, action: 'create-renewal-offer', attempt: 1 });
    const running = await runAgreementEpisode(ports, { ...base, action: 'create-renewal-offer', attempt: 2 });
    const { CatalogError } = await import('../../../tasks/ports/offer-catalog.js');
    ports.catalog.rejectNext = new CatalogError('rejected', 'ValidationException', 'AgreementId is invalid');
    // Act
    const check = (changeSetId: string, n: number, lastCheck: boolean) =>
      runAgreementEpisode(ports, {
        action: 'check-renewal-offer',
        onboardingId: id,
        agreementId: AGREEMENT,
        changeSetId,
        check: n,
        lastCheck,
      });
    await check(failing.changeSetId as string, 1, false);
    const failed = await check(failing.changeSetId as string, 2, false);
    const refused = await runAgreementEpisode(ports, { ...base, action: 'create-renewal-offer', attempt: 3 });
    const timedOut = await check(running.changeSetId as string, 1, true);
    // Assess
    expect(failed).toMatchObject({ outcome: 'failed', failure: { code: 'INCOMPATIBLE_AGREEMENT' } });
    expect(refused).toMatchObject({ outcome: 'failed', failure: { code: 'ValidationException' } });
    expect(timedOut).toMatchObject({ outcome: 'failed', failure: { code: 'STILL_RUNNING' } });
    const [agreement] = await dealOf(ports, id);
    expect(agreement?.episodes.filter((e) => e.kind === 'renewal-offer-failed')).toHaveLength(3);
    expect(ports.mailer.tagged('renewal-offer')).toHaveLength(0);
  });
});
