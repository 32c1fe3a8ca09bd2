/**
 * A seller's cancellation request end to end on the local stack (issue 11 items 2 and 5): sales sends it from the
 * deal view (the console route), the buyer answers on the marketplace simulator's page, the answer travels as an
 * EventBridge event through the local bus to the marketplace-events function, and the tenant at the sample SaaS
 * follows through the provisioning port: approved → plan ended; rejected → kept; unanswered for 7 days (the
 * simulator's clock moved on with its time-travel form) → approved and ended; withdrawn while pending → kept.
 * Each episode's function invocations are counted from what the simulator sent (one per routed event or SNS message)
 * and the console's posts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKETPLACE_EVENT_PATTERN } from '../../../infra/events.js';
import { Browser } from '../../../local/demo/browser.js';
import { newAccountScenario, newBuyer } from '../../../local/demo/scenarios.js';
import type { SampleSaas } from '../../../local/sample-saas/server.js';
import { E2E_TEST_TIMEOUT_MS, type StackHarness, startTestStack } from './harness.js';

let h: StackHarness;
let vendor: SampleSaas;
beforeAll(async () => {
  h = await startTestStack();
  if (!h.stack.vendor) throw new Error('the test stack runs without the sample SaaS');
  vendor = h.stack.vendor;
}, 180_000);
afterAll(async () => {
  await h?.close();
});

/** Waits until `check` holds (events travel simulator → local bus → function asynchronously). */
async function until<T>(what: string, read: () => T | Promise<T>, check: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    await h.stack.marketplace.admin.idle(5_000);
    const v = await read();
    if (check(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const ROUTED = new Set<string>(MARKETPLACE_EVENT_PATTERN.detailType);

/** The request's execution of the lifecycle state machine once it ended: status, states entered, the answer. */
async function episodeOf(agreementId: string, requestId: string) {
  const machine = h.stack.lifecycleStateMachineArn ?? '';
  const executionArn = `${machine.replace(':stateMachine:', ':execution:')}:cancellation-${agreementId}-${requestId}`;
  return until(
    'the cancellation episode to end',
    async () => {
      const d = await h.stack.runtime.describeExecution({ executionArn });
      const { events = [] } = await h.stack.runtime.getExecutionHistory({ executionArn, maxResults: 1000 });
      const answered = events.find((e) => e.type === 'TaskSucceeded')?.taskSucceededEventDetails?.output;
      return {
        status: d.status,
        states: events.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails?.name),
        answer: answered ? (JSON.parse(answered) as Record<string, unknown>) : undefined,
      };
    },
    (e) => e.status !== 'RUNNING',
  );
}

/** What the simulator sent since `from` (its notification count then): events the rule routes, SNS messages. */
function sentSince(from: number) {
  const sent = h.stack.marketplace.admin.notifications().slice(from);
  const events = sent.filter(
    (n) =>
      n.channel === 'eventbridge' && ROUTED.has(String((n.payload as { detailType?: string }).detailType)),
  );
  return {
    marketplaceEvents: events.length,
    marketplaceSns: sent.filter((n) => n.channel === 'sns').length,
    detailTypes: events.map((n) => String((n.payload as { detailType?: string }).detailType)),
  };
}

/** A completed 7-1 onboarding whose agreement the deal view shows with its cancellation form. */
async function liveDeal(label: string) {
  const buyer = newBuyer(label);
  const done = await newAccountScenario(h.procedure, buyer);
  const admin = h.stack.marketplace.admin;
  const agreement = admin.state().agreements.find((a) => a.acceptorAccountId === buyer.awsAccountId);
  if (!agreement) throw new Error('no agreement in the simulator');
  const sales = await h.procedure.staff('sales');
  const dealUrl = `${h.stack.urls.web}/console/deal/${done.onboardingId}`;
  await until(
    'the agreement in the deal view',
    async () => (await sales.get(dealUrl)).html,
    (html) => html.includes(`/agreements/${agreement.agreementId}/cancellation`),
  );
  // a copy: the sample SaaS changes its tenant objects in place
  const tenant = () => structuredClone(vendor.store.tenantByName(`${buyer.company} 本番`));
  return { buyer, done, agreement, sales, dealUrl, tenant };
}

type Deal = Awaited<ReturnType<typeof liveDeal>>;

/** Sales fills in the deal view's form (reason code, note) and sends it; answers the request the simulator holds. */
async function requestCancellation(d: Deal, reasonCode = 'TEST_AGREEMENT') {
  const page = await d.sales.get(d.dealUrl);
  const after = await d.sales.submit(
    page,
    { action: `/agreements/${d.agreement.agreementId}/cancellation` },
    { reasonCode, note: 'Bought for a trial by mistake' },
  );
  const request = h.stack.marketplace.admin
    .state()
    .cancellationRequests.find((r) => r.agreementId === d.agreement.agreementId);
  if (!request) throw new Error(`no cancellation request reached the simulator: ${after.text.slice(0, 300)}`);
  return { after, request };
}

/** The buyer's page of the request on the simulator, signed in as the buyer's account. */
async function buyerPage(d: Deal, requestId: string) {
  const buyer = new Browser({ acceptLanguage: 'ja' });
  const url = `${h.stack.marketplace.url}/agreements/${d.agreement.agreementId}/cancellation-requests/${requestId}?account=${d.buyer.awsAccountId}`;
  return { buyer, page: await buyer.get(url) };
}

const dealText = async (d: Deal) => (await d.sales.get(d.dealUrl)).text;

describe('seller cancellation requests on the local stack', { timeout: E2E_TEST_TIMEOUT_MS }, () => {
  it('approved by the buyer: the agreement ends and the paid plan is ended through the provisioning port', async () => {
    // Prepare
    const d = await liveDeal('Cancel Approve');
    const before = h.stack.marketplace.admin.notifications().length;
    // Act
    const { after, request } = await requestCancellation(d);
    const { buyer, page } = await buyerPage(d, request.id);
    await buyer.submit(page, { action: '/accept' });
    const ended = await until('the plan end', d.tenant, (t) => t?.status === 'ended');
    const deal = await until(
      'the approval in the deal view',
      () => dealText(d),
      (t) => t.includes('Cancellation approved'),
    );
    // Assess
    expect(after.text).toContain('The cancellation request was sent.');
    expect(page.text).toContain('契約のキャンセルリクエスト');
    expect(ended?.status).toBe('ended');
    expect(
      h.stack.marketplace.admin.state().agreements.find((a) => a.agreementId === d.agreement.agreementId)
        ?.status,
    ).toBe('CANCELLED');
    expect(deal).toContain('Cancellation requested');
    expect(deal).toMatch(/Paid plan ended/);
    expect(
      vendor.seen.filter((s) => s.operation === 'end-paid-plan' && s.key.includes(d.agreement.agreementId))
        .length,
    ).toBeGreaterThan(0);
    const sent = sentSince(before);
    expect(sent.detailTypes).toEqual([
      'Agreement Cancellation Request Pending Approval - Proposer',
      'Agreement Cancellation Request Approved - Proposer',
      'Purchase Agreement Ended - Proposer',
      'License Deprovisioned - Manufacturer',
    ]);
    console.info(
      `[invocations] approved episode: web 1 (the console's post), marketplace-events ${sent.marketplaceEvents}, marketplace-sns ${sent.marketplaceSns}`,
    );
  });

  it('rejected by the buyer: the plan is kept and the buyer’s reason is in the deal view', async () => {
    // Prepare
    const d = await liveDeal('Cancel Reject');
    const before = h.stack.marketplace.admin.notifications().length;
    // Act
    const { request } = await requestCancellation(d, 'BUYER_DISSATISFACTION');
    const { buyer, page } = await buyerPage(d, request.id);
    await buyer.submit(page, { action: '/reject' }, { reason: 'We still use it every day' });
    const deal = await until(
      'the rejection in the deal view',
      () => dealText(d),
      (t) => t.includes('Cancellation rejected by the buyer'),
    );
    const execution = await episodeOf(d.agreement.agreementId, request.id);
    // Assess
    expect(deal).toContain('We still use it every day');
    expect(d.tenant()?.status).toBe('paid');
    // the request's episode of the lifecycle workflow: the buyer's answer completed it
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual(['Episode', 'CancellationAnswer', 'RecordOutcome', 'Done']);
    expect(execution.answer).toMatchObject({ action: 'answered', status: 'REJECTED', requestId: request.id });
    const sent = sentSince(before);
    expect(sent.marketplaceSns).toBe(0);
    console.info(
      `[invocations] rejected episode: web 1, marketplace-events ${sent.marketplaceEvents}, marketplace-sns 0`,
    );
  });

  it('withdrawn by sales while pending: the request is cancelled at AWS and the plan kept', async () => {
    // Prepare
    const d = await liveDeal('Cancel Withdraw');
    const before = h.stack.marketplace.admin.notifications().length;
    const { request } = await requestCancellation(d);
    // Act
    const page = await d.sales.get(d.dealUrl);
    const after = await d.sales.submit(
      page,
      { action: `/agreements/${d.agreement.agreementId}/cancellation/withdraw` },
      { reason: 'Agreed with the buyer to keep the agreement' },
    );
    const deal = await until(
      'the withdrawal confirmed',
      () => dealText(d),
      (t) => t.includes('Withdrawal confirmed by AWS'),
    );
    // Assess
    expect(after.text).toContain('The cancellation request was withdrawn.');
    expect(
      h.stack.marketplace.admin.state().cancellationRequests.find((r) => r.id === request.id)?.status,
    ).toBe('CANCELLED');
    expect(deal).toContain('Cancellation request withdrawn by');
    expect(d.tenant()?.status).toBe('paid');
    const sent = sentSince(before);
    console.info(
      `[invocations] withdrawn episode: web 2, marketplace-events ${sent.marketplaceEvents}, marketplace-sns 0`,
    );
  });

  it('unanswered: after the simulator’s clock moves 7 days on, approved automatically and the plan ended', async () => {
    // Prepare
    const d = await liveDeal('Cancel Unanswered');
    const before = h.stack.marketplace.admin.notifications().length;
    await requestCancellation(d);
    const clock = new Browser();
    const home = await clock.get(`${h.stack.marketplace.url}/`);
    // Act: the time-travel form on the simulator's home page
    const travelled = await clock.submit(home, { action: '/clock' }, { duration: 'P7D' });
    const ended = await until('the plan end', d.tenant, (t) => t?.status === 'ended');
    // Assess
    expect(travelled.text).toContain('時計を進めました');
    expect(ended?.status).toBe('ended');
    expect(
      h.stack.marketplace.admin
        .state()
        .cancellationRequests.find((r) => r.agreementId === d.agreement.agreementId),
    ).toMatchObject({
      status: 'APPROVED',
      statusMessage: expect.stringContaining('7 days'),
    });
    const sent = sentSince(before);
    console.info(
      `[invocations] unanswered episode: web 1, marketplace-events ${sent.marketplaceEvents}, marketplace-sns ${sent.marketplaceSns}`,
    );
  });

  it('time travel to an Ending window: the due Ending notice reaches the deal view', async () => {
    // Prepare: a 12-month agreement (its 180-days-before notice falls due after about 185 days)
    const d = await liveDeal('Ending Window');
    // Act: the admin API of the same control
    const travelled = await fetch(`${h.stack.marketplace.url}/_admin/advance-clock`, {
      method: 'POST',
      body: JSON.stringify({ duration: 'P186D' }),
    });
    const body = (await travelled.json()) as {
      endingNotices: { agreementId: string; daysBeforeEndTime: number }[];
    };
    const deal = await until(
      'the Ending episode',
      () => dealText(d),
      (t) => t.includes('Ending soon'),
    );
    // Assess
    expect(body.endingNotices).toContainEqual({
      agreementId: d.agreement.agreementId,
      daysBeforeEndTime: 180,
    });
    expect(deal).toContain('Agreement ends in 180 days');
    expect(d.tenant()?.status).toBe('paid');
  });
});
