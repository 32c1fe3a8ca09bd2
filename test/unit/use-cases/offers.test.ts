import { describe, expect, it } from 'vitest';
import { clientRequestToken } from '../../../tasks/domain/offer-change-set.js';
import { CatalogError } from '../../../tasks/ports/offer-catalog.js';
import {
  checkOffer,
  createOffer,
  extendOffer,
  OfferRejectedError,
  sendOfferNotice,
} from '../../../tasks/use-cases/offers.js';
import { BUYER_ACCOUNT, placeAt, recorded, setup, terms } from './helpers.js';

async function atCreateOffer() {
  const ports = setup();
  const id = await recorded(ports);
  await placeAt(ports, id, 'Consultation');
  return {
    ports,
    id,
    input: { onboardingId: id, buyerAwsAccountId: BUYER_ACCOUNT, terms: terms(), attempt: 1 },
  };
}

describe('createOffer', () => {
  it('starts one change set with every change type and an idempotency token per attempt', async () => {
    const { ports, id, input } = await atCreateOffer();

    const r = await createOffer(ports, input);

    expect(r.changeSetId).toMatch(/^cs/);
    const cs = ports.catalog.changeSets[0];
    expect(cs?.clientRequestToken).toBe(clientRequestToken(id, 'create', 1));
    expect(cs?.changes.map((c) => c.ChangeType)).toEqual([
      'CreateOffer',
      'UpdateInformation',
      'UpdateTargeting',
      'UpdatePricingTerms',
      'UpdateValidityTerms',
      'UpdateLegalTerms',
      'UpdateAvailability',
      'ReleaseOffer',
    ]);
    expect(cs?.changes[0]?.DetailsDocument).toEqual({ ProductId: 'prod-exampleproduct1' });
    const stored = await ports.onboardings.get(id);
    expect(stored).toMatchObject({ stage: 'CreateOffer', changeSetId: r.changeSetId, offerAttempts: 1 });
  });

  it('a retried task reuses the change set; a new attempt makes a new one', async () => {
    const { ports, input } = await atCreateOffer();

    const first = await createOffer(ports, input);
    const retried = await createOffer(ports, input);
    const second = await createOffer(ports, { ...input, attempt: 2 });

    expect(retried.changeSetId).toBe(first.changeSetId);
    expect(second.changeSetId).not.toBe(first.changeSetId);
    expect(ports.catalog.changeSets).toHaveLength(2);
  });

  it('a re-run refused because its earlier run (which died) started the change set goes on with that change set', async () => {
    // Prepare: the first run started the change set and died before its task result reached the workflow
    const { ports, id, input } = await atCreateOffer();
    const first = await createOffer(ports, input);
    ports.catalog.rejectNext = new CatalogError(
      'rejected',
      'ValidationException',
      `ClientRequestToken ${clientRequestToken(id, 'create', 1)} was already used for a different request.`,
    );

    // Act
    const rerun = await createOffer(ports, input);

    // Assess
    expect(rerun.changeSetId).toBe(first.changeSetId);
    expect(ports.catalog.changeSets).toHaveLength(1);
    const stored = await ports.onboardings.get(id);
    expect(stored?.offerFailure).toBeUndefined();
    expect(stored).toMatchObject({ stage: 'CreateOffer', changeSetId: first.changeSetId });
  });

  it('a synchronous rejection becomes Onboarding.OfferFailed with the details recorded for sales', async () => {
    const { ports, id, input } = await atCreateOffer();
    ports.catalog.rejectNext = new CatalogError(
      'rejected',
      'ValidationException',
      'ProductId must be an existing product',
    );

    const error = await createOffer(ports, input).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OfferRejectedError);
    expect((error as OfferRejectedError).workflowError).toBe('Onboarding.OfferFailed');
    expect(JSON.parse((error as Error).message)).toEqual({
      code: 'ValidationException',
      details: [{ code: 'ValidationException', message: 'ProductId must be an existing product' }],
    });
    expect((await ports.onboardings.get(id))?.offerFailure?.code).toBe('ValidationException');
  });

  it('lets a busy Catalog error through for the workflow to retry', async () => {
    const { ports, input } = await atCreateOffer();
    ports.catalog.rejectNext = new CatalogError('busy', 'ResourceInUseException', 'entity locked');
    await expect(createOffer(ports, input)).rejects.toBeInstanceOf(CatalogError);
  });
});

describe('checkOffer', () => {
  it('reports progress, then the new offer id from the CreateOffer change', async () => {
    const { ports, id, input } = await atCreateOffer();
    const { changeSetId } = await createOffer(ports, input);

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await checkOffer(ports, { onboardingId: id, changeSetId }));

    expect(statuses.map((s) => s.status)).toEqual(['PREPARING', 'APPLYING', 'SUCCEEDED']);
    expect(statuses[2]?.offerId).toMatch(/^offer-[0-9a-z]{10,20}$/);
  });

  it('returns and records the failure details for sales', async () => {
    const { ports, id, input } = await atCreateOffer();
    ports.catalog.failNextWith = {
      code: 'INVALID_RATE_CARD',
      message: 'Provide usage based rates for all dimensions',
      changeType: 'UpdatePricingTerms',
    };
    const { changeSetId } = await createOffer(ports, input);

    await checkOffer(ports, { onboardingId: id, changeSetId });
    const failed = await checkOffer(ports, { onboardingId: id, changeSetId });

    expect(failed).toEqual({
      status: 'FAILED',
      failure: {
        code: 'CLIENT_ERROR',
        details: [
          {
            change: 'UpdatePricingTerms',
            code: 'INVALID_RATE_CARD',
            message: 'Provide usage based rates for all dimensions',
          },
        ],
      },
    });
    expect((await ports.onboardings.get(id))?.offerFailure).toMatchObject({
      changeSetId,
      code: 'CLIENT_ERROR',
    });
    expect((await ports.onboardings.timeline(id)).map((e) => e.action)).toContain('offer-failed');
  });
});

describe('extendOffer and sendOfferNotice', () => {
  it('extends with UpdateAvailability on the existing offer', async () => {
    const { ports, id } = await atCreateOffer();

    await extendOffer(ports, {
      onboardingId: id,
      offerId: 'offer-abcdefghij12',
      offerExpiresAt: '2025-09-30T00:00:00Z',
      attempt: 1,
    });

    expect(ports.catalog.changeSets[0]?.changes).toEqual([
      {
        ChangeType: 'UpdateAvailability',
        Entity: { Type: 'Offer@1.0', Identifier: 'offer-abcdefghij12' },
        DetailsDocument: { AvailabilityEndDate: '2025-09-30' },
      },
    ]);
    expect(ports.catalog.changeSets[0]?.clientRequestToken).toBe(clientRequestToken(id, 'extend', 1));
  });

  it('mails the buyer the offer link once and records the offer for the signals', async () => {
    const { ports, id } = await atCreateOffer();
    await placeAt(ports, id, 'CreateOffer');
    const input = {
      onboardingId: id,
      offerId: 'offer-abcdefghij12',
      offerExpiresAt: '2025-06-30T06:00:00Z',
      source: 'api' as const,
    };

    const first = await sendOfferNotice(ports, input);
    const again = await sendOfferNotice(ports, input);

    const link =
      'https://aws.amazon.com/marketplace/pp/procurement?productId=prod-exampleproduct1&offerId=offer-abcdefghij12';
    expect(first.offerUrl).toBe(link);
    expect(again.notifiedAt).toBe(first.notifiedAt);
    const mails = ports.mailer.tagged('offer-notice');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual(['yamada@example.co.jp']);
    expect(mails[0]?.text).toContain(link);
    expect((await ports.onboardings.findByOfferId('offer-abcdefghij12'))?.id).toBe(id);
  });

  it('reads the onboarding record once to record the offer and note the e-mail', async () => {
    const { ports, id } = await atCreateOffer();
    await placeAt(ports, id, 'CreateOffer');
    const reads: string[] = [];
    const get = ports.onboardings.get.bind(ports.onboardings);
    ports.onboardings.get = (onboardingId: string) => {
      reads.push(onboardingId);
      return get(onboardingId);
    };

    const r = await sendOfferNotice(ports, {
      onboardingId: id,
      offerId: 'offer-abcdefghij12',
      offerExpiresAt: '2025-06-30T06:00:00Z',
      source: 'api',
    });

    expect(reads).toEqual([id]);
    expect(await get(id)).toMatchObject({
      stage: 'SendOfferNotice',
      offer: { offerId: 'offer-abcdefghij12' },
      notices: { offer: r.notifiedAt },
    });
  });

  it('sends a new notice when the offer changes (extended)', async () => {
    const { ports, id } = await atCreateOffer();
    await placeAt(ports, id, 'CreateOffer');
    const input = {
      onboardingId: id,
      offerId: 'offer-abcdefghij12',
      offerExpiresAt: '2025-06-30T06:00:00Z',
      source: 'api' as const,
    };

    await sendOfferNotice(ports, input);
    await placeAt(ports, id, 'OfferExpired');
    await sendOfferNotice(ports, { ...input, offerExpiresAt: '2025-09-30T06:00:00Z' });

    expect(ports.mailer.tagged('offer-notice')).toHaveLength(2);
  });

  it('uses an offer URL template when configured (simulator)', async () => {
    const ports = setup({ config: { offerUrlBase: 'http://127.0.0.1:4566/offers/{offerId}' } });
    const id = await recorded(ports);
    await placeAt(ports, id, 'CreateOffer');

    const r = await sendOfferNotice(ports, {
      onboardingId: id,
      offerId: 'offer-abcdefghij12',
      offerExpiresAt: '2025-06-30T06:00:00Z',
      source: 'manual',
    });

    expect(r.offerUrl).toBe('http://127.0.0.1:4566/offers/offer-abcdefghij12');
  });
});
