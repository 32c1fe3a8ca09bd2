/**
 * Episodes as workflows, end to end on the local stack (issue 11 item 2): an Ending notice from the marketplace
 * simulator starts the agreement's `renewal` execution of the lifecycle state machine (the synthesized definition on
 * sfn-local); its Renewal task shows on the deal view with who must act by when; sales records a decision there, or the
 * marketplace's RENEW agreement completes it; or sales drafts a renewal offer there (CreateReplacementOffer), which the
 * buyer gets by mail and accepts, and the REPLACE agreement completes it; each way the execution records the outcome
 * and succeeds, and its history says who acted.
 */
import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../local/demo/procedure.js';
import { newAccountScenario, newBuyer } from '../../../local/demo/scenarios.js';
import { episodeExecutionName } from '../../../workflows/contracts/lifecycle.js';
import { E2E_TEST_TIMEOUT_MS, type StackHarness, startTestStack } from './harness.js';

let h: StackHarness;
beforeAll(async () => {
  h = await startTestStack();
}, 180_000);
afterAll(async () => {
  await h?.close();
});

/** A completed onboarding, its agreement's Ending notice sent, and the renewal execution's ARN. */
async function endingDeal(name: string) {
  const buyer = newBuyer(name);
  const done = await newAccountScenario(h.procedure, buyer);
  const admin = h.stack.marketplace.admin;
  const agreement = admin.state().agreements.find((a) => a.acceptorAccountId === buyer.awsAccountId);
  if (!agreement) throw new Error('the scenario left no agreement');
  admin.notifyEnding(agreement.agreementId, 30);
  const machine = h.stack.lifecycleStateMachineArn ?? '';
  const executionArn = `${machine.replace(':stateMachine:', ':execution:')}:renewal-${agreement.agreementId}`;
  const dealUrl = `${h.stack.urls.web}/console/deal/${done.onboardingId}`;
  const sales = await h.procedure.staff('sales');
  const page = await eventually('the Renewal task on the deal view', async () => {
    const p = await sales.get(dealUrl);
    return p.document.querySelector('[data-deal-task="Renewal"]') ? p : undefined;
  });
  return { done, agreement, executionArn, dealUrl, sales, page, admin, buyer };
}

async function finished(executionArn: string) {
  return eventually('the lifecycle execution to end', async () => {
    // its event may still be on its way: not started yet is not ended
    const d = await h.procedure.sfn
      .send(new DescribeExecutionCommand({ executionArn }))
      .catch((err: Error) => {
        if (err.name === 'ExecutionDoesNotExist') return undefined;
        throw err;
      });
    return !d || d.status === 'RUNNING' ? undefined : d;
  });
}

describe('the lifecycle state machine on the local stack', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('Ending → Renewal task for sales on the deal view → sales decides → recorded, execution SUCCEEDED', async () => {
    // Prepare
    const { executionArn, dealUrl, sales, page, done } = await endingDeal('Renewal');
    // Act
    await sales.submit(
      page,
      { action: '/stages/Renewal' },
      { action: 'not-renewing', note: '予算の都合で更新しない' },
    );
    const execution = await finished(executionArn);
    const history = await h.procedure.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const deal = await sales.get(dealUrl);
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    const decided = history.events?.find(
      (e) => e.type === 'TaskSucceeded' && e.taskSucceededEventDetails?.output?.includes('not-renewing'),
    );
    expect(JSON.parse(decided?.taskSucceededEventDetails?.output ?? '{}')).toMatchObject({
      action: 'not-renewing',
      actor: { kind: 'staff', role: 'sales' },
    });
    expect(history.events?.map((e) => e.stateEnteredEventDetails?.name).filter(Boolean)).toEqual([
      'Episode',
      'Renewal',
      'RenewalDecided',
      'RecordOutcome',
      'Done',
    ]);
    expect(deal.document.querySelector('[data-deal-task]')).toBeNull();
    expect(deal.text).toContain('予算の都合で更新しない');
    expect((await h.procedure.onboardingPage('support', done.onboardingId)).text).toContain('Completed');
  });

  it('Ending → Renewal task → the marketplace renews: the task completes for the marketplace', async () => {
    // Prepare
    const { executionArn, admin, agreement, dealUrl, sales } = await endingDeal('Renewed');
    // Act
    const renewal = admin.renewAgreement(agreement.agreementId);
    const execution = await finished(executionArn);
    const history = await h.procedure.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const deal = await sales.get(dealUrl);
    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    const answered = history.events?.find(
      (e) => e.type === 'TaskSucceeded' && e.taskSucceededEventDetails?.output?.includes('renewed'),
    );
    expect(JSON.parse(answered?.taskSucceededEventDetails?.output ?? '{}')).toEqual({
      action: 'renewed',
      agreementId: renewal.agreementId,
      actor: { kind: 'system', id: 'marketplace-eventbridge' },
    });
    expect(deal.document.querySelector('[data-deal-task]')).toBeNull();
    expect(deal.text).toContain(`Renewal: continued by ${renewal.agreementId}`);
  });

  it('Ending → sales drafts a renewal offer on the deal view → released and mailed → the buyer accepts → REPLACE agreement completes Renewal, SUCCEEDED, tenant still paid', async () => {
    // Prepare
    const { executionArn, admin, agreement, dealUrl, sales, page, buyer } = await endingDeal('RenewalOffer');
    const vendor = h.stack.vendor;
    const expires = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    // Act
    const drafted = await sales.submit(
      page,
      { action: '/stages/Renewal', field: { name: 'action', value: 'draft-offer' } },
      {
        plan: 'Business',
        offerName: 'Business renewal 2027',
        durationMonths: '12',
        offerExpiresAt: expires,
        'dimensions.0.key': 'Users',
        'dimensions.0.price': '1500.00',
      },
    );
    const offer = await eventually('the renewal offer released in the simulator', async () =>
      admin
        .state()
        .offers.find((o) => o.replacesAgreementId === agreement.agreementId && o.state === 'Released'),
    );
    const link = await h.procedure.linkFromInbox(
      buyer.email,
      'the renewal offer e-mail',
      new RegExp(`https?://[^\\s"'<>]*${offer.id}[^\\s"'<>]*`),
      30_000,
    );
    const reopened = await eventually('Renewal open again with the offer', async () => {
      const p = await sales.get(dealUrl);
      return p.text.includes(`Renewal offer ${offer.id} was sent to the buyer`) ? p : undefined;
    });
    const accepted = admin.subscribe(offer.id, agreement.acceptorAccountId);
    const execution = await finished(executionArn);
    const history = await h.procedure.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const deal = await sales.get(dealUrl);
    // Assess
    expect(drafted.text).not.toMatch(/notice bad/);
    expect(offer.positiveTargeting?.BuyerAccounts).toEqual([agreement.acceptorAccountId]);
    expect(link).toContain(offer.id);
    expect(reopened.document.querySelector('[data-deal-task="Renewal"]')).not.toBeNull();
    if (accepted.kind !== 'created') throw new Error(`the buyer could not accept: ${accepted.kind}`);
    const state = admin.state().agreements;
    expect(state.find((a) => a.agreementId === agreement.agreementId)?.status).toBe('REPLACED');
    // AWS's documented REPLACE shape: the Created event names no previous agreement; ours is found by the offer
    const created = admin
      .notifications()
      .map((n) => n.payload as { detailType?: string; detail?: { agreement?: Record<string, unknown> } })
      .find((p) => p.detail?.agreement?.id === accepted.agreement.agreementId);
    expect(created?.detail?.agreement).toMatchObject({ intent: 'REPLACE' });
    expect(created?.detail?.agreement).not.toHaveProperty('previousAgreementId');
    expect(execution.status).toBe('SUCCEEDED');
    const answered = history.events?.filter(
      (e) => e.type === 'TaskSucceeded' && e.taskSucceededEventDetails?.output?.includes('"renewed"'),
    );
    expect(JSON.parse(answered?.[0]?.taskSucceededEventDetails?.output ?? '{}')).toMatchObject({
      action: 'renewed',
      agreementId: accepted.agreement.agreementId,
    });
    const entered = history.events?.map((e) => e.stateEnteredEventDetails?.name).filter(Boolean) ?? [];
    expect(entered.slice(0, 4)).toEqual(['Episode', 'Renewal', 'RenewalDecided', 'CreateRenewalOffer']);
    expect(entered).toContain('SendRenewalOffer');
    expect(entered.slice(-4)).toEqual(['Renewal', 'RenewalDecided', 'RecordOutcome', 'Done']);
    expect(deal.document.querySelector('[data-deal-task]')).toBeNull();
    expect(deal.text).toContain(`Renewal: continued by ${accepted.agreement.agreementId}`);
    expect(deal.text).toContain(`Renewal offer ${offer.id} released and sent to the buyer`);
    expect(vendor?.store.tenantByName(`${buyer.company} 本番`)?.status).toBe('paid');
    // the figures of the renewal episode (issue 11 "Figures for the note"), from its execution history
    const lambdas = history.events?.filter((e) => e.type === 'TaskScheduled').length ?? 0;
    console.info(
      `renewal episode with a renewal offer: ${entered.length} state transitions (${entered.join(' → ')}), ${lambdas} Lambda invocations (TaskScheduled), ${history.events?.length} history events`,
    );
  });

  it('Advisory issued → AdvisoryReview for support on the deal view → AWS resolves it: recorded, nothing revoked', async () => {
    // Prepare
    const buyer = newBuyer('Advisory');
    const done = await newAccountScenario(h.procedure, buyer);
    const admin = h.stack.marketplace.admin;
    const agreement = admin.state().agreements.find((a) => a.acceptorAccountId === buyer.awsAccountId);
    if (!agreement) throw new Error('the scenario left no agreement');
    const machine = h.stack.lifecycleStateMachineArn ?? '';
    const support = await h.procedure.staff('support');
    const dealUrl = `${h.stack.urls.web}/console/deal/${done.onboardingId}`;
    // Act
    // AWS's shape: the advisory says only when it was issued; the execution is named by that
    const issued = admin.notifyAdvisory(agreement.agreementId, 'issued');
    const name = episodeExecutionName({
      episode: 'advisory',
      onboardingId: done.onboardingId,
      agreementId: agreement.agreementId,
      advisoryId: `issued-${issued.at}`,
    });
    const executionArn = `${machine.replace(':stateMachine:', ':execution:')}:${name}`;
    const open = await eventually('the AdvisoryReview on the deal view', async () => {
      const p = await support.get(dealUrl);
      return p.document.querySelector('[data-deal-task="AdvisoryReview"] form') ? p : undefined;
    });
    admin.notifyAdvisory(agreement.agreementId, 'resolved');
    const execution = await finished(executionArn);
    const deal = await support.get(dealUrl);
    // Assess
    const issuedAt = `${issued.at.slice(0, 16).replace('T', ' ')} UTC`;
    expect(open.text).toContain(`AWS Marketplace issued an advisory at ${issuedAt}`);
    expect(execution.status).toBe('SUCCEEDED');
    expect(deal.document.querySelector('[data-deal-task]')).toBeNull();
    expect(deal.text).toContain('Advisory review: resolved by AWS Marketplace');
    expect(deal.text).toContain(`AWS Marketplace resolved the advisory issued at ${issuedAt}`);
    expect(admin.state().agreements.find((a) => a.agreementId === agreement.agreementId)?.status).toBe(
      'ACTIVE',
    );
  });
  it('an auto-renewing agreement: the Ending says it renews unless sales acts before the lockout; the buyer turning it off is on the deal view', async () => {
    // Prepare
    const buyer = newBuyer('AutoRenew');
    const done = await newAccountScenario(h.procedure, buyer);
    const admin = h.stack.marketplace.admin;
    const agreement = admin.state().agreements.find((a) => a.acceptorAccountId === buyer.awsAccountId);
    if (!agreement?.endTime) throw new Error('the scenario left no agreement with an end');
    const sales = await h.procedure.staff('sales');
    const dealUrl = `${h.stack.urls.web}/console/deal/${done.onboardingId}`;
    const lockout = new Date(Date.parse(agreement.endTime) - 30 * 86_400_000).toISOString();
    // Act
    admin.setAutoRenewal(agreement.agreementId, true, 'ACCEPTOR');
    admin.notifyEnding(agreement.agreementId, 60);
    const renewal = await eventually('the Renewal task on the deal view', async () => {
      const p = await sales.get(dealUrl);
      return p.document.querySelector('[data-deal-task="Renewal"]') ? p : undefined;
    });
    admin.setAutoRenewal(agreement.agreementId, false, 'ACCEPTOR');
    const off = await eventually('the amendment on the deal view', async () => {
      const p = await sales.get(dealUrl);
      return p.text.includes('auto-renewal turned off by the buyer') ? p : undefined;
    });
    // Assess
    expect(renewal.text).toContain(
      `it renews automatically unless sales acts before ${lockout.slice(0, 16).replace('T', ' ')} UTC`,
    );
    expect(off.text).toContain('Agreement amended: auto-renewal turned off by the buyer');
  });

  it('two overlapping advisories each keep their own AdvisoryReview; resolving one ends only its execution; a Resolved right behind its Issued is not lost', async () => {
    // Prepare
    const buyer = newBuyer('TwoAdvisories');
    const done = await newAccountScenario(h.procedure, buyer);
    const admin = h.stack.marketplace.admin;
    const agreement = admin.state().agreements.find((a) => a.acceptorAccountId === buyer.awsAccountId);
    if (!agreement) throw new Error('the scenario left no agreement');
    const machine = h.stack.lifecycleStateMachineArn ?? '';
    // AWS's advisories carry no id: each is known by when it was issued, a Resolved pairs with the oldest open one
    const arnOf = (issuedAt: string) =>
      `${machine.replace(':stateMachine:', ':execution:')}:${episodeExecutionName({ episode: 'advisory', onboardingId: done.onboardingId, agreementId: agreement.agreementId, advisoryId: `issued-${issuedAt}` })}`;
    const support = await h.procedure.staff('support');
    const dealUrl = `${h.stack.urls.web}/console/deal/${done.onboardingId}`;
    // Act
    const first = admin.notifyAdvisory(agreement.agreementId, 'issued', { at: '2026-11-01T01:00:00.000Z' });
    const second = admin.notifyAdvisory(agreement.agreementId, 'issued', { at: '2026-11-02T02:00:00.000Z' });
    const both = await eventually('two AdvisoryReview forms on the deal view', async () => {
      const p = await support.get(dealUrl);
      return p.document.querySelectorAll('[data-deal-task="AdvisoryReview"] form').length === 2
        ? p
        : undefined;
    });
    admin.notifyAdvisory(agreement.agreementId, 'resolved');
    const firstEnded = await finished(arnOf(first.at));
    const secondWhileFirstEnded = await h.procedure.sfn.send(
      new DescribeExecutionCommand({ executionArn: arnOf(second.at) }),
    );
    const after = await support.get(dealUrl);
    admin.notifyAdvisory(agreement.agreementId, 'resolved');
    const secondEnded = await finished(arnOf(second.at));
    // a third, resolved at once: its answer may come before its step opens, and is kept for it
    const third = admin.notifyAdvisory(agreement.agreementId, 'issued', { at: '2026-11-03T03:00:00.000Z' });
    admin.notifyAdvisory(agreement.agreementId, 'resolved');
    const thirdEnded = await finished(arnOf(third.at));
    // Assess
    expect(both.text).toContain('issued by AWS Marketplace on 2026-11-01 01:00 UTC');
    expect(both.text).toContain('issued by AWS Marketplace on 2026-11-02 02:00 UTC');
    expect(firstEnded.status).toBe('SUCCEEDED');
    expect(secondWhileFirstEnded.status).toBe('RUNNING');
    expect(after.document.querySelectorAll('[data-deal-task="AdvisoryReview"] form')).toHaveLength(1);
    const stillOpen = after.document.querySelector('[data-deal-task="AdvisoryReview"]')?.textContent ?? '';
    expect(stillOpen).toContain('issued by AWS Marketplace on 2026-11-02 02:00 UTC');
    expect(stillOpen).not.toContain('2026-11-01 01:00 UTC');
    expect(secondEnded.status).toBe('SUCCEEDED');
    expect(thirdEnded.status).toBe('SUCCEEDED');
  });
});
