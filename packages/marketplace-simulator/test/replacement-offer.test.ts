import { type Change, StartChangeSetCommand } from '@aws-sdk/client-marketplace-catalog';
import { afterEach, describe, expect, it } from 'vitest';
import type { MarketplaceSimulator, NotificationRecord } from '../src/index.js';
import {
  BUYER,
  type Clients,
  privateOfferChanges,
  releasedOffer,
  startSimulator,
  waitForChangeSet,
} from './helpers.js';

let sim: MarketplaceSimulator | undefined;
let clients: Clients;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** The AWS code library's agreement-based replacement offer: CreateReplacementOffer, then the offer's terms. */
function replacementChanges(agreementId: string): Change[] {
  const [, , ...rest] = privateOfferChanges(); // drops CreateOffer and UpdateTargeting
  const entity = { Type: 'Offer@1.0', Identifier: '$ReplacementOffer.Entity.Identifier' };
  return [
    {
      ChangeType: 'CreateReplacementOffer',
      ChangeName: 'ReplacementOffer',
      Entity: { Type: 'Offer@1.0' },
      DetailsDocument: { AgreementId: agreementId },
    },
    { ChangeType: 'UpdateInformation', Entity: entity, DetailsDocument: { Name: 'Renewal for ACME' } },
    ...rest.map((c) => ({ ...c, Entity: entity })),
  ];
}

async function activeAgreement(options: Parameters<typeof startSimulator>[0] = {}): Promise<string> {
  ({ sim, clients } = await startSimulator(options));
  const offerId = await releasedOffer(clients.catalog, BUYER);
  const outcome = sim.admin.subscribe(offerId, BUYER);
  if (outcome.kind !== 'created') throw new Error('not created');
  return outcome.agreement.agreementId;
}

/** The `aws-mp-subscription-notification` messages sent so far (their `Message` bodies). */
const snsMessages = (s: MarketplaceSimulator) =>
  s.admin
    .notifications()
    .filter((n: NotificationRecord) => n.channel === 'sns')
    .map((n) => JSON.parse(String((n.payload as { Message?: string }).Message)) as Record<string, string>);

const agreementEvents = (s: MarketplaceSimulator) =>
  s.admin
    .notifications()
    .filter((n: NotificationRecord) => n.channel === 'eventbridge')
    .map((n) => n.payload as { detailType: string; detail: { agreement: Record<string, unknown> } });

describe('CreateReplacementOffer (an agreement-based offer)', () => {
  it("releases an offer for the agreement's buyer that records which agreement it replaces", async () => {
    // Prepare
    const agreementId = await activeAgreement();
    // Act
    const { ChangeSetId } = await clients.catalog.send(
      new StartChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSet: replacementChanges(agreementId) }),
    );
    const done = await waitForChangeSet(clients.catalog, ChangeSetId as string);
    // Assess
    expect(done.Status).toBe('SUCCEEDED');
    const offerId = done.ChangeSet?.[0]?.Entity?.Identifier as string;
    const offer = sim?.admin.state().offers.find((o) => o.id === offerId);
    expect(offer).toMatchObject({
      state: 'Released',
      replacesAgreementId: agreementId,
      positiveTargeting: { BuyerAccounts: [BUYER] },
    });
  });

  it('answers 404 ResourceNotFoundException for an unknown agreement, 422 for a malformed id', async () => {
    // Prepare
    await activeAgreement();
    const start = (id: string) =>
      clients.catalog.send(
        new StartChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSet: replacementChanges(id) }),
      );
    // Act
    const unknown = await start('agmt-doesnotexist000000').catch((e: Error) => e);
    const malformed = await start('agmt <x>').catch((e: Error) => e);
    // Assess
    expect(unknown).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    expect(malformed).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 422 } });
  });

  it('fails the change set (INCOMPATIBLE_AGREEMENT) when the agreement is no longer ACTIVE', async () => {
    // Prepare
    const agreementId = await activeAgreement();
    sim?.admin.renewAgreement(agreementId);
    // Act
    const { ChangeSetId } = await clients.catalog.send(
      new StartChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSet: replacementChanges(agreementId) }),
    );
    const done = await waitForChangeSet(clients.catalog, ChangeSetId as string);
    // Assess
    expect(done.Status).toBe('FAILED');
    expect(done.ChangeSet?.[0]?.ErrorDetailList?.[0]?.ErrorCode).toBe('INCOMPATIBLE_AGREEMENT');
  });

  it('accepting it creates a REPLACE agreement on the same license and ends the old one REPLACED', async () => {
    // Prepare
    const agreementId = await activeAgreement();
    const { ChangeSetId } = await clients.catalog.send(
      new StartChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSet: replacementChanges(agreementId) }),
    );
    const done = await waitForChangeSet(clients.catalog, ChangeSetId as string);
    const offerId = done.ChangeSet?.[0]?.Entity?.Identifier as string;
    const before = agreementEvents(sim as MarketplaceSimulator).length;
    // Act
    const outcome = sim?.admin.subscribe(offerId, BUYER);
    await sim?.admin.idle(5_000);
    // Assess
    if (outcome?.kind !== 'created') throw new Error('not created');
    const state = sim?.admin.state();
    const old = state?.agreements.find((a) => a.agreementId === agreementId);
    const next = state?.agreements.find((a) => a.agreementId === outcome.agreement.agreementId);
    expect(old?.status).toBe('REPLACED');
    expect(next).toMatchObject({ status: 'ACTIVE', offerId, licenseArn: old?.licenseArn });
    const events = agreementEvents(sim as MarketplaceSimulator).slice(before);
    expect(events.map((e) => e.detailType)).toEqual([
      'Purchase Agreement Created - Proposer',
      'License Updated - Manufacturer',
      'Purchase Agreement Ended - Proposer',
    ]);
    expect(events[0]?.detail.agreement).toMatchObject({ id: next?.agreementId, intent: 'REPLACE' });
    // AWS documents previousAgreementId for RENEW only: a REPLACE names no previous agreement by default
    expect(events[0]?.detail.agreement).not.toHaveProperty('previousAgreementId');
    expect(events[0]?.detail).toMatchObject({ offer: { id: offerId } });
    expect(events[2]?.detail.agreement).toEqual({ id: agreementId, status: 'REPLACED' });
    expect(() => sim?.admin.subscribe(offerId, '777788889999')).toThrow(/not available/);
  });

  it('with previousAgreementIdOnReplace, the REPLACE agreement names the agreement it replaces', async () => {
    // Prepare
    const agreementId = await activeAgreement({ previousAgreementIdOnReplace: true });
    const { ChangeSetId } = await clients.catalog.send(
      new StartChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSet: replacementChanges(agreementId) }),
    );
    const done = await waitForChangeSet(clients.catalog, ChangeSetId as string);
    const offerId = done.ChangeSet?.[0]?.Entity?.Identifier as string;
    const before = agreementEvents(sim as MarketplaceSimulator).length;
    // Act
    sim?.admin.subscribe(offerId, BUYER);
    // Assess
    const created = agreementEvents(sim as MarketplaceSimulator)
      .slice(before)
      .find((e) => e.detailType === 'Purchase Agreement Created - Proposer');
    expect(created?.detail.agreement).toMatchObject({ intent: 'REPLACE', previousAgreementId: agreementId });
  });

  it("sends no subscribe-success: the buyer's subscription goes on (AWS tells a contract's renewal or upgrade on the entitlement topic)", async () => {
    // Prepare: the ordinary acceptance's subscribe-success, then a replacement offer for that agreement
    const agreementId = await activeAgreement();
    await sim?.admin.idle(5_000);
    const first = snsMessages(sim as MarketplaceSimulator);
    const { ChangeSetId } = await clients.catalog.send(
      new StartChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSet: replacementChanges(agreementId) }),
    );
    const done = await waitForChangeSet(clients.catalog, ChangeSetId as string);
    const offerId = done.ChangeSet?.[0]?.Entity?.Identifier as string;
    // Act
    const outcome = sim?.admin.subscribe(offerId, BUYER);
    await sim?.admin.idle(5_000);
    // Assess
    if (outcome?.kind !== 'created') throw new Error('not created');
    const old = sim?.admin.state().agreements.find((a) => a.agreementId === agreementId);
    expect(first).toEqual([expect.objectContaining({ action: 'subscribe-success' })]);
    expect(snsMessages(sim as MarketplaceSimulator)).toEqual(first);
    expect(outcome.agreement.customerIdentifier).toBe(old?.customerIdentifier);
  });
});
