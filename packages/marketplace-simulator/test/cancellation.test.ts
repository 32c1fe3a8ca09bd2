import {
  CancelAgreementCancellationRequestCommand,
  ConflictException,
  GetAgreementCancellationRequestCommand,
  ListAgreementCancellationRequestsCommand,
  ResourceNotFoundException,
  SendAgreementCancellationRequestCommand,
  ValidationException,
} from '@aws-sdk/client-marketplace-agreement';
import { afterEach, describe, expect, it } from 'vitest';
import type { MarketplaceSimulator, NotificationRecord } from '../src/index.js';
import { BUYER, type Clients, releasedOffer, startSimulator } from './helpers.js';

let sim: MarketplaceSimulator | undefined;
let clients: Clients;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function withAgreement() {
  ({ sim, clients } = await startSimulator());
  const offerId = await releasedOffer(clients.catalog, BUYER);
  const outcome = sim.admin.subscribe(offerId, BUYER, { quantities: { Users: 3 } });
  if (outcome.kind !== 'created') throw new Error('not created');
  return { sim, agreementId: outcome.agreement.agreementId };
}

interface EventDetail {
  agreement: { id: string; status?: string; daysBeforeEndTime?: number };
  agreementCancellationRequest?: Record<string, unknown>;
}

const eventsOf = (s: MarketplaceSimulator, prefix = 'Agreement Cancellation Request') =>
  s.admin
    .notifications()
    .filter((n: NotificationRecord) => n.channel === 'eventbridge')
    .map((n) => n.payload as { detailType: string; detail: EventDetail; resources?: string[] })
    .filter((p) => p.detailType.startsWith(prefix));

const send = (agreementId: string, extra: Record<string, unknown> = {}) =>
  clients.agreement.send(
    new SendAgreementCancellationRequestCommand({
      agreementId,
      reasonCode: 'TEST_AGREEMENT',
      description: 'Created by mistake',
      ...extra,
    }),
  );

describe('seller cancellation requests', () => {
  it('sends one PENDING_APPROVAL with its event; the same clientToken answers the same request', async () => {
    // Prepare
    const { sim: s, agreementId } = await withAgreement();
    // Act
    const first = await send(agreementId, { clientToken: 'tok-1' });
    const again = await send(agreementId, { clientToken: 'tok-1' });
    const got = await clients.agreement.send(
      new GetAgreementCancellationRequestCommand({
        agreementId,
        agreementCancellationRequestId: first.agreementCancellationRequestId,
      }),
    );
    // Assess
    expect(first).toMatchObject({ agreementId, status: 'PENDING_APPROVAL', reasonCode: 'TEST_AGREEMENT' });
    expect(first.agreementCancellationRequestId).toMatch(/^acr-[a-z0-9]+$/);
    expect(first.createdAt).toBeInstanceOf(Date);
    expect(again.agreementCancellationRequestId).toBe(first.agreementCancellationRequestId);
    expect(got).toMatchObject({ status: 'PENDING_APPROVAL', description: 'Created by mistake' });
    const events = eventsOf(s);
    expect(events.map((e) => e.detailType)).toEqual([
      'Agreement Cancellation Request Pending Approval - Proposer',
    ]);
    expect(events[0]?.detail).toMatchObject({
      catalog: 'AWSMarketplace',
      // the Seller Guide's shape: the buyer as acceptorId (the buyer's `- Acceptor` variant names the proposer)
      agreement: {
        id: agreementId,
        acceptorId: BUYER,
        productId: expect.stringMatching(/^prod-/),
        offerId: expect.stringMatching(/^offer-/),
      },
      agreementCancellationRequest: {
        id: first.agreementCancellationRequestId,
        reasonCode: 'TEST_AGREEMENT',
        reasonMessage: 'Created by mistake',
        statusCode: 'PENDING_APPROVAL',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      },
    });
    expect(events[0]?.detail.agreement).not.toHaveProperty('proposerId');
    expect(events[0]?.resources).toEqual([]);
  });

  it('answers validation errors shaped like AWS, a conflict for a second pending request or a reused token', async () => {
    // Prepare
    const { agreementId } = await withAgreement();
    await send(agreementId, { clientToken: 'tok-a' });
    // Act
    const errors = await Promise.all([
      send(agreementId, { reasonCode: 'BECAUSE' }).catch((e) => e),
      send(agreementId, { clientToken: 'bad token!' }).catch((e) => e),
      send(agreementId, { description: 'x'.repeat(2001) }).catch((e) => e),
      send('agmt-nope').catch((e) => e),
      send(agreementId, { clientToken: 'tok-b' }).catch((e) => e),
      send(agreementId, { clientToken: 'tok-a', reasonCode: 'OTHER' }).catch((e) => e),
      clients.agreement
        .send(new ListAgreementCancellationRequestsCommand({ partyType: 'Nobody' }))
        .catch((e) => e),
    ]);
    // Assess
    expect(errors[0]).toBeInstanceOf(ValidationException);
    expect(errors[0]).toMatchObject({ reason: 'INVALID_REASON_CODE' });
    expect(errors[1]).toMatchObject({ name: 'ValidationException', reason: 'INVALID_CLIENT_TOKEN' });
    expect(errors[2]).toMatchObject({ name: 'ValidationException', reason: 'INVALID_DESCRIPTION' });
    expect(errors[3]).toBeInstanceOf(ResourceNotFoundException);
    expect(errors[4]).toBeInstanceOf(ConflictException);
    expect(errors[4]).toMatchObject({ resourceType: 'AgreementCancellationRequest' });
    expect(errors[5]).toBeInstanceOf(ConflictException);
    expect(errors[6]).toMatchObject({ name: 'ValidationException', reason: 'INVALID_PARTY_TYPE' });
  });

  it('withdrawn while pending: CANCELLED with its event, then no longer withdrawable; listed for the seller', async () => {
    // Prepare
    const { sim: s, agreementId } = await withAgreement();
    const sent = await send(agreementId);
    const ids = { agreementId, agreementCancellationRequestId: sent.agreementCancellationRequestId };
    // Act
    const withdrawn = await clients.agreement.send(
      new CancelAgreementCancellationRequestCommand({ ...ids, cancellationReason: 'Sent by mistake' }),
    );
    const twice = await clients.agreement
      .send(new CancelAgreementCancellationRequestCommand({ ...ids, cancellationReason: 'again' }))
      .catch((e) => e);
    const listed = await clients.agreement.send(
      new ListAgreementCancellationRequestsCommand({ partyType: 'Proposer', agreementId }),
    );
    // Assess
    expect(withdrawn).toMatchObject({ status: 'CANCELLED', statusMessage: 'Sent by mistake' });
    expect(twice).toBeInstanceOf(ConflictException);
    expect(listed.items).toEqual([
      expect.objectContaining({
        agreementCancellationRequestId: sent.agreementCancellationRequestId,
        status: 'CANCELLED',
        agreementType: 'PurchaseAgreement',
      }),
    ]);
    expect(eventsOf(s).map((e) => e.detailType)).toEqual([
      'Agreement Cancellation Request Pending Approval - Proposer',
      'Agreement Cancellation Request Cancelled - Proposer',
    ]);
    expect(s.admin.state().agreements[0]?.status).toBe('ACTIVE');
  });

  it('approved by the buyer: the agreement ends CANCELLED with its Ended event', async () => {
    // Prepare
    const { sim: s, agreementId } = await withAgreement();
    const sent = await send(agreementId);
    // Act
    s.admin.acceptCancellationRequest(agreementId, sent.agreementCancellationRequestId as string);
    // Assess
    expect(s.admin.state().agreements[0]?.status).toBe('CANCELLED');
    const types = eventsOf(s, '').map((e) => e.detailType);
    expect(types.slice(types.indexOf('Agreement Cancellation Request Approved - Proposer'))).toEqual([
      'Agreement Cancellation Request Approved - Proposer',
      'Purchase Agreement Ended - Proposer',
      'License Deprovisioned - Manufacturer',
    ]);
    expect(eventsOf(s, 'Purchase Agreement Ended')[0]?.detail.agreement.status).toBe('CANCELLED');
  });

  it('rejected by the buyer with a reason: the agreement stays ACTIVE, the seller reads the reason', async () => {
    // Prepare
    const { sim: s, agreementId } = await withAgreement();
    const sent = await send(agreementId);
    // Act
    s.admin.rejectCancellationRequest(
      agreementId,
      sent.agreementCancellationRequestId as string,
      'We use it',
    );
    const got = await clients.agreement.send(
      new GetAgreementCancellationRequestCommand({
        agreementId,
        agreementCancellationRequestId: sent.agreementCancellationRequestId,
      }),
    );
    // Assess
    expect(got).toMatchObject({ status: 'REJECTED', statusMessage: 'We use it' });
    expect(s.admin.state().agreements[0]?.status).toBe('ACTIVE');
    expect(eventsOf(s).at(-1)?.detail.agreementCancellationRequest).toMatchObject({
      statusCode: 'REJECTED',
      statusMessage: 'We use it',
    });
  });

  it('fails validation when switched to, with the Validation Failed event', async () => {
    // Prepare
    const { sim: s, agreementId } = await withAgreement();
    s.admin.failNextCancellationRequest('Not eligible');
    // Act
    const sent = await send(agreementId);
    // Assess
    expect(sent.status).toBe('VALIDATION_FAILED');
    expect(eventsOf(s).map((e) => e.detailType)).toEqual([
      'Agreement Cancellation Request Validation Failed - Proposer',
    ]);
  });
});

describe('the buyer’s page', () => {
  it('answers from the page: a rejection needs a reason; an approval ends the agreement', async () => {
    // Prepare
    const { sim: s, agreementId } = await withAgreement();
    const sent = await send(agreementId);
    const page = `${s.url}/agreements/${agreementId}/cancellation-requests/${sent.agreementCancellationRequestId}`;
    const post = (path: string, fields: Record<string, string>) =>
      fetch(`${page}${path}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
    // Act
    const shown = await fetch(`${page}?account=${BUYER}`);
    const noReason = await post('/reject', { account: BUYER, reason: ' ' });
    const stillPending = s.admin.state().cancellationRequests[0]?.status;
    const accepted = await post('/accept', { account: BUYER });
    const again = await post('/accept', { account: BUYER });
    const otherAccount = await fetch(`${page}?account=777788889999`);
    // Assess
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('承認する');
    expect(noReason.status).toBe(400);
    expect(stillPending).toBe('PENDING_APPROVAL');
    expect(accepted.status).toBe(303);
    expect(s.admin.state().agreements[0]?.status).toBe('CANCELLED');
    expect(again.status).toBe(409);
    expect(otherAccount.status).toBe(404);
  });
});

describe('time travel', () => {
  it('7 days without an answer: approved automatically and the agreement ends', async () => {
    // Prepare
    const { sim: s, agreementId } = await withAgreement();
    const sent = await send(agreementId);
    s.admin.advanceClock('P6D');
    const after6 = s.admin.state();
    // Act
    const travelled = s.admin.advanceClock('P1D');
    // Assess
    expect(after6.cancellationRequests[0]?.status).toBe('PENDING_APPROVAL');
    expect(travelled.autoApproved).toBe(1);
    const got = await clients.agreement.send(
      new GetAgreementCancellationRequestCommand({
        agreementId,
        agreementCancellationRequestId: sent.agreementCancellationRequestId,
      }),
    );
    expect(got.status).toBe('APPROVED');
    expect(s.admin.state().agreements[0]?.status).toBe('CANCELLED');
    expect(Date.parse(s.admin.state().clock.now) - Date.now()).toBeGreaterThan(7 * 86_400_000 - 60_000);
  });

  it('sends the Ending notices whose day passed, then expires the agreement at its end', async () => {
    // Prepare: a 12-month agreement
    const { sim: s, agreementId } = await withAgreement();
    // Act
    const first = s.admin.advanceClock('P200D'); // past 180 days before the end (day ~185)
    const second = s.admin.advanceClock('P200D'); // past 120, 90, 60, 30 and the end
    // Assess
    expect(first.endingNotices).toEqual([{ agreementId, daysBeforeEndTime: 180 }]);
    expect(second.endingNotices.map((n) => n.daysBeforeEndTime)).toEqual([120, 90, 60, 30]);
    expect(second.expired).toEqual([agreementId]);
    const expired = s.admin.state().agreements[0];
    expect(expired?.status).toBe('EXPIRED');
    expect(Date.parse(expired?.endTime ?? '')).toBeLessThan(Date.parse(second.to)); // at its own end
    expect(eventsOf(s, 'Purchase Agreement Ending').map((e) => e.detail.agreement.daysBeforeEndTime)).toEqual(
      [180, 120, 90, 60, 30],
    );
    expect(eventsOf(s, 'Purchase Agreement Ended')[0]?.detail.agreement.status).toBe('EXPIRED');
  });

  it('moves offers past their expiry (the buyer can no longer accept) and refuses a bad duration', async () => {
    // Prepare: an offer available for 30 days
    ({ sim, clients } = await startSimulator());
    const offerId = await releasedOffer(clients.catalog, BUYER, 30);
    // Act
    sim.admin.advanceClock('P31D');
    const page = await fetch(`${sim.url}/offers/${offerId}?account=${BUYER}`);
    const bad = await fetch(`${sim.url}/_admin/advance-clock`, {
      method: 'POST',
      body: JSON.stringify({ duration: '7 days' }),
    });
    // Assess
    expect(page.status).toBe(410);
    expect(bad.status).toBe(400);
    const form = await fetch(`${sim.url}/clock`, {
      method: 'POST',
      body: new URLSearchParams({ duration: 'P1D' }),
      redirect: 'manual',
    });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toMatch(/^\/\?travelled=/);
  });
});
