/**
 * The cancellation request events as the Seller Guide documents them for the seller (`- Proposer`): the buyer named
 * as `agreement.acceptorId`, no top-level acceptor, `resources: []`. The buyer's account is read from there; the
 * Buyer Guide's `- Acceptor` variant (`proposerId`) names the seller, which is not taken for the buyer.
 */
import { describe, expect, it } from 'vitest';
import { MarketplaceEvent, signalFromEvent } from '../../../tasks/domain/marketplace-signals.js';

const pending = (agreement: Record<string, unknown>) => ({
  version: '0',
  id: 'b2c3d4e5-f6a7-8901-bcde-f12345678901',
  'detail-type': 'Agreement Cancellation Request Pending Approval - Proposer',
  source: 'aws.agreement-marketplace',
  account: '123456789012',
  time: '2025-01-01T13:12:22Z',
  region: 'us-east-1',
  resources: [],
  detail: {
    requestId: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
    catalog: 'AWSMarketplace',
    agreement,
    agreementCancellationRequest: {
      id: 'acr-abcdexampleid',
      reasonCode: 'INCORRECT_TERMS_ACCEPTED',
      reasonMessage: '',
      statusCode: 'PENDING_APPROVAL',
      statusMessage: '',
      createdAt: '2025-01-01T13:12:22Z',
      updatedAt: '2025-01-01T13:12:22Z',
    },
  },
});

describe('cancellation request events (Seller Guide shape)', () => {
  it('reads the buyer from agreement.acceptorId, the offer from agreement.offerId', () => {
    // Prepare
    const event = MarketplaceEvent.parse(
      pending({
        id: 'agmt-abcdexampleid',
        acceptorId: '123465789012',
        productId: 'prod-exampleid',
        offerId: 'offer-exampleid',
      }),
    );
    // Act
    const s = signalFromEvent(event);
    // Assess
    expect(s).toMatchObject({
      kind: 'cancellation-pending',
      agreementId: 'agmt-abcdexampleid',
      customerAwsAccountId: '123465789012',
      offerId: 'offer-exampleid',
      cancellationRequest: { id: 'acr-abcdexampleid', status: 'PENDING_APPROVAL' },
    });
  });

  it("does not take the Acceptor variant's proposerId (the seller) for the buyer", () => {
    // Prepare
    const event = MarketplaceEvent.parse(
      pending({ id: 'agmt-abcdexampleid', proposerId: '987654321098', offerId: 'offer-exampleid' }),
    );
    // Act
    const s = signalFromEvent(event);
    // Assess
    expect(s.customerAwsAccountId).toBeUndefined();
    expect(s.offerId).toBe('offer-exampleid');
  });
});
