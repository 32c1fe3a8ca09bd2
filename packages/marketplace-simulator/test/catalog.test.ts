import {
  CancelChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeEntityCommand,
  ListChangeSetsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  StartChangeSetCommand,
  ValidationException,
} from '@aws-sdk/client-marketplace-catalog';
import { afterEach, describe, expect, it } from 'vitest';
import type { MarketplaceSimulator } from '../src/index.js';
import {
  BUYER,
  type Clients,
  PRODUCT_ID,
  privateOfferChanges,
  releasedOffer,
  startSimulator,
  waitForChangeSet,
} from './helpers.js';

describe('Catalog API through @aws-sdk/client-marketplace-catalog', () => {
  let sim: MarketplaceSimulator | undefined;
  let clients: Clients;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });
  async function start(delayMs = 60) {
    ({ sim, clients } = await startSimulator({ changeSetDelayMs: delayMs }));
    return clients.catalog;
  }

  it('creates and releases a private offer: PREPARING -> APPLYING -> SUCCEEDED, then DescribeEntity', async () => {
    // Prepare
    const catalog = await start(1_600);
    // Act
    const started = await catalog.send(
      new StartChangeSetCommand({
        Catalog: 'AWSMarketplace',
        ChangeSet: privateOfferChanges(),
        ChangeSetName: 'ACME offer',
      }),
    );
    const first = await catalog.send(
      new DescribeChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSetId: started.ChangeSetId }),
    );
    await new Promise((r) => setTimeout(r, 850));
    const middle = await catalog.send(
      new DescribeChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSetId: started.ChangeSetId }),
    );
    const done = await waitForChangeSet(catalog, started.ChangeSetId as string);
    // Assess
    expect(started.ChangeSetId).toMatch(/^[a-z0-9]{25}$/);
    expect(started.ChangeSetArn).toBe(
      `arn:aws:aws-marketplace:us-east-1:111122223333:AWSMarketplace/ChangeSet/${started.ChangeSetId}`,
    );
    expect(first.Status).toBe('PREPARING');
    expect(first.ChangeSet?.[0]?.Entity?.Identifier).toBeUndefined();
    expect(middle.Status).toBe('APPLYING');
    expect(done).toMatchObject({ Status: 'SUCCEEDED', ChangeSetName: 'ACME offer', Intent: 'APPLY' });
    expect(done.StartTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(done.EndTime).toBeDefined();
    const offerId = done.ChangeSet?.[0]?.Entity?.Identifier;
    expect(offerId).toMatch(/^offer-[a-z0-9]{13}$/);
    expect(
      done.ChangeSet?.every((c) => c.Entity?.Identifier === offerId && c.ErrorDetailList?.length === 0),
    ).toBe(true);
    expect(done.ChangeSet?.[3]?.DetailsDocument).toEqual({
      Terms: [{ Type: 'LegalTerm', Documents: [{ Type: 'StandardEula', Version: '2022-07-14' }] }],
    });

    const entity = await catalog.send(
      new DescribeEntityCommand({ Catalog: 'AWSMarketplace', EntityId: offerId }),
    );
    expect(entity.EntityType).toBe('Offer@1.0');
    expect(entity.EntityIdentifier).toBe(`${offerId}@1`); // one change set, one revision
    expect(entity.EntityArn).toBe(
      `arn:aws:aws-marketplace:us-east-1:111122223333:AWSMarketplace/Offer/${offerId}`,
    );
    const details = entity.DetailsDocument as Record<string, unknown>;
    expect(JSON.parse(entity.Details as string)).toEqual(details);
    expect(details).toMatchObject({
      Id: offerId,
      State: 'Released',
      Name: 'Private offer for ACME',
      ProductId: PRODUCT_ID,
    });
    const terms = details.Terms as Array<{ Type: string; Id: string }>;
    expect(terms.map((t) => t.Type).sort()).toEqual([
      'ConfigurableUpfrontPricingTerm',
      'LegalTerm',
      'ValidityTerm',
    ]);
    expect(terms.every((t) => t.Id.startsWith('term-'))).toBe(true);
    expect(details.Rules).toEqual([
      { Type: 'TargetingRule', PositiveTargeting: { BuyerAccounts: [BUYER] } },
      { Type: 'AvailabilityRule', AvailabilityEndDate: expect.stringMatching(/T23:59:59.999Z$/) },
    ]);
  });

  it('is idempotent on ClientRequestToken and refuses the token for another request', async () => {
    const catalog = await start();
    const input = {
      Catalog: 'AWSMarketplace',
      ChangeSet: privateOfferChanges(),
      ClientRequestToken: 'onb-123-create',
    };
    const a = await catalog.send(new StartChangeSetCommand(input));
    const b = await catalog.send(new StartChangeSetCommand(input));
    expect(b.ChangeSetId).toBe(a.ChangeSetId);
    await expect(
      catalog.send(new StartChangeSetCommand({ ...input, ChangeSet: privateOfferChanges('123412341234') })),
    ).rejects.toBeInstanceOf(ValidationException);
    const listed = await catalog.send(new ListChangeSetsCommand({ Catalog: 'AWSMarketplace' }));
    expect(listed.ChangeSetSummaryList).toHaveLength(1);
  });

  it('answers 422 ValidationException with the offending fields for bad Details', async () => {
    const catalog = await start();
    const changes = privateOfferChanges();
    (changes[2] as { DetailsDocument: unknown }).DetailsDocument = {
      PricingModel: 'Contract',
      Terms: [{ Type: 'ConfigurableUpfrontPricingTerm', CurrencyCode: 'XYZ', RateCards: [] }],
    };
    const error = await catalog
      .send(new StartChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSet: changes }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.$metadata.httpStatusCode).toBe(422);
    expect(error.message).toMatch(/ChangeSet\[2\] \(UpdatePricingTerms\)/);
    const fields = (error as ValidationException).ValidationExceptionFieldList?.map((f) => f.Field);
    expect(fields).toEqual(expect.arrayContaining(['Terms[0].CurrencyCode', 'Terms[0].RateCards']));
    expect(error.ValidationExceptionFieldList?.[0]).toMatchObject({
      Reason: 'FieldValidationFailed',
      ChangeType: 'UpdatePricingTerms',
      EntityType: 'Offer@1.0',
    });
  });

  const create = {
    ChangeType: 'CreateOffer',
    ChangeName: 'C',
    Entity: { Type: 'Offer@1.0' },
    DetailsDocument: { ProductId: PRODUCT_ID },
  };
  const onCreated = { Type: 'Offer@1.0', Identifier: '$C.Entity.Identifier' };
  it.each([
    [
      'an unknown product',
      [{ ...create, DetailsDocument: { ProductId: 'prod-zzz' } }],
      ResourceNotFoundException,
      404,
    ],
    [
      'an unknown offer',
      [
        {
          ChangeType: 'ReleaseOffer',
          Entity: { Type: 'Offer@1.0', Identifier: 'offer-nonexistent01' },
          DetailsDocument: {},
        },
      ],
      ResourceNotFoundException,
      404,
    ],
    [
      'a dangling reference',
      [
        {
          ChangeType: 'ReleaseOffer',
          Entity: { Type: 'Offer@1.0', Identifier: '$Nope.Entity.Identifier' },
          DetailsDocument: {},
        },
      ],
      ValidationException,
      422,
    ],
    [
      'Details that are not JSON',
      [create, { ChangeType: 'ReleaseOffer', Entity: onCreated, Details: '{' }],
      ValidationException,
      422,
    ],
    ['both Details and DetailsDocument', [{ ...create, Details: '{}' }], ValidationException, 422],
    [
      'an unsupported change type',
      [create, { ChangeType: 'UpdateMarkup', Entity: onCreated, DetailsDocument: {} }],
      ValidationException,
      422,
    ],
    [
      'an unknown field',
      [{ ...create, DetailsDocument: { ProductId: PRODUCT_ID, Extra: 1 } }],
      ValidationException,
      422,
    ],
    [
      'a non-empty ReleaseOffer',
      [create, { ChangeType: 'ReleaseOffer', Entity: onCreated, DetailsDocument: { Now: true } }],
      ValidationException,
      422,
    ],
    [
      'a buyer account that is not 12 digits',
      [
        create,
        {
          ChangeType: 'UpdateTargeting',
          Entity: onCreated,
          DetailsDocument: { PositiveTargeting: { BuyerAccounts: ['1234'] } },
        },
      ],
      ValidationException,
      422,
    ],
    [
      'a bad availability date',
      [
        create,
        {
          ChangeType: 'UpdateAvailability',
          Entity: onCreated,
          DetailsDocument: { AvailabilityEndDate: '31/12/2030' },
        },
      ],
      ValidationException,
      422,
    ],
  ])('refuses %s synchronously', async (_name, changes, errorType, status) => {
    const catalog = await start();
    const error = await catalog
      .send(new StartChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSet: changes as never }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorType);
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(status);
    expect(sim?.admin.state().changeSets).toEqual([]);
  });

  it('fails the change set asynchronously with ErrorDetailList when the offer is not complete', async () => {
    const catalog = await start();
    const changes = privateOfferChanges().filter(
      (c) => c.ChangeType !== 'UpdateAvailability' && c.ChangeType !== 'UpdateLegalTerms',
    );
    const { ChangeSetId } = await catalog.send(
      new StartChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSet: changes }),
    );
    const done = await waitForChangeSet(catalog, ChangeSetId as string);
    expect(done.Status).toBe('FAILED');
    expect(done.FailureCode).toBe('CLIENT_ERROR');
    const release = done.ChangeSet?.find((c) => c.ChangeType === 'ReleaseOffer');
    expect(release?.ErrorDetailList).toEqual([
      {
        ErrorCode: 'MISSING_AVAILABILITY_END_DATE',
        ErrorMessage: 'Provide an AvailabilityEndDate for private offer.',
      },
      { ErrorCode: 'MISSING_MANDATORY_TERMS', ErrorMessage: 'Add [LegalTerm] to the offer.' },
    ]);
    expect(done.ChangeSet?.[0]?.Entity?.Identifier).toBeUndefined(); // nothing was created
    expect(sim?.admin.state().offers).toEqual([]);
  });

  it('checks pricing semantics: duplicate dimensions, unknown dimensions, non-zero Free prices', async () => {
    const catalog = await start();
    const offerId = await draftOffer(catalog);
    const { ChangeSetId } = await catalog.send(
      new StartChangeSetCommand({
        Catalog: 'AWSMarketplace',
        ChangeSet: [
          {
            ChangeType: 'UpdatePricingTerms',
            Entity: { Type: 'Offer@1.0', Identifier: offerId },
            DetailsDocument: {
              PricingModel: 'Free',
              Terms: [
                {
                  Type: 'UsageBasedPricingTerm',
                  CurrencyCode: 'USD',
                  RateCards: [
                    {
                      RateCard: [
                        { DimensionKey: 'Users', Price: '1' },
                        { DimensionKey: 'Users', Price: '0' },
                        { DimensionKey: 'Robots', Price: '0' },
                      ],
                    },
                  ],
                },
              ],
            },
          },
        ],
      }),
    );
    const done = await waitForChangeSet(catalog, ChangeSetId as string);
    expect(done.ChangeSet?.[0]?.ErrorDetailList?.map((e) => e.ErrorCode).sort()).toEqual([
      'DUPLICATE_DIMENSION_KEYS',
      'INCOMPATIBLE_PRODUCT',
      'INCOMPATIBLE_RATES',
    ]);
  });

  it('refuses pricing changes after release, allows extending availability; locks entities in flight', async () => {
    const catalog = await start(1_000);
    const offerId = await releasedOffer(catalog);
    const entity = { Type: 'Offer@1.0', Identifier: offerId };
    const first = await catalog.send(
      new StartChangeSetCommand({
        Catalog: 'AWSMarketplace',
        ChangeSet: [
          {
            ChangeType: 'UpdateLegalTerms',
            Entity: entity,
            DetailsDocument: {
              Terms: [
                {
                  Type: 'LegalTerm',
                  Documents: [{ Type: 'CustomEula', Url: 'https://example.com/eula.pdf' }],
                },
              ],
            },
          },
        ],
      }),
    );
    await expect(
      catalog.send(
        new StartChangeSetCommand({
          Catalog: 'AWSMarketplace',
          ChangeSet: [
            {
              ChangeType: 'UpdateAvailability',
              Entity: entity,
              DetailsDocument: { AvailabilityEndDate: '2099-01-31' },
            },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceInUseException);
    const failed = await waitForChangeSet(catalog, first.ChangeSetId as string);
    expect(failed.ChangeSet?.[0]?.ErrorDetailList).toEqual([
      {
        ErrorCode: 'INCOMPATIBLE_TERMS',
        ErrorMessage: "The requested change can't be performed after the offer is released.",
      },
    ]);
    const extend = await catalog.send(
      new StartChangeSetCommand({
        Catalog: 'AWSMarketplace',
        ChangeSet: [
          {
            ChangeType: 'UpdateAvailability',
            Entity: entity,
            DetailsDocument: { AvailabilityEndDate: '2099-01-31' },
          },
        ],
      }),
    );
    expect((await waitForChangeSet(catalog, extend.ChangeSetId as string)).Status).toBe('SUCCEEDED');
    const details = (
      await catalog.send(new DescribeEntityCommand({ Catalog: 'AWSMarketplace', EntityId: offerId }))
    ).DetailsDocument as { Rules: Array<Record<string, unknown>> };
    expect(details.Rules).toContainEqual({
      Type: 'AvailabilityRule',
      AvailabilityEndDate: '2099-01-31T23:59:59.999Z',
    });
  });

  it('injects a failed change set (failure switch) and the same request then succeeds', async () => {
    const catalog = await start();
    sim?.admin.failNextChangeSet({
      changeIndex: 6,
      errors: [
        {
          ErrorCode: 'INCOMPATIBLE_SELLER_VERIFICATION',
          ErrorMessage: 'Complete all required seller verification processes.',
        },
      ],
    });
    const a = await catalog.send(
      new StartChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSet: privateOfferChanges() }),
    );
    const failed = await waitForChangeSet(catalog, a.ChangeSetId as string);
    expect(failed.Status).toBe('FAILED');
    expect(failed.ChangeSet?.[6]?.ErrorDetailList?.[0]?.ErrorCode).toBe('INCOMPATIBLE_SELLER_VERIFICATION');
    expect(sim?.admin.state().offers).toEqual([]);
    const b = await catalog.send(
      new StartChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSet: privateOfferChanges() }),
    );
    expect((await waitForChangeSet(catalog, b.ChangeSetId as string)).Status).toBe('SUCCEEDED');
  });

  it('cancels a PREPARING change set; VALIDATE intent applies nothing; unknown ids are 404', async () => {
    const catalog = await start(1_000);
    const a = await catalog.send(
      new StartChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSet: privateOfferChanges() }),
    );
    const cancelled = await catalog.send(
      new CancelChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSetId: a.ChangeSetId }),
    );
    expect(cancelled.ChangeSetId).toBe(a.ChangeSetId);
    const described = await catalog.send(
      new DescribeChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSetId: a.ChangeSetId }),
    );
    expect(described.Status).toBe('CANCELLED');
    const validate = await catalog.send(
      new StartChangeSetCommand({
        Catalog: 'AWSMarketplace',
        ChangeSet: privateOfferChanges(),
        Intent: 'VALIDATE',
      }),
    );
    sim?.admin.settleChangeSets();
    await new Promise((r) => setTimeout(r, 1_050));
    const validated = await waitForChangeSet(catalog, validate.ChangeSetId as string);
    expect(validated).toMatchObject({ Status: 'SUCCEEDED', Intent: 'VALIDATE' });
    expect(sim?.admin.state().offers).toEqual([]);
    await expect(
      catalog.send(new DescribeChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSetId: 'nope' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      catalog.send(new DescribeEntityCommand({ Catalog: 'AWSMarketplace', EntityId: 'offer-nope' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    const product = await catalog.send(
      new DescribeEntityCommand({ Catalog: 'AWSMarketplace', EntityId: PRODUCT_ID }),
    );
    expect(product.EntityType).toBe('SaaSProduct@1.0');
    expect(product.DetailsDocument).toMatchObject({ Description: { ProductTitle: 'Example SaaS' } });
  });

  it('lists change sets with filters', async () => {
    const catalog = await start();
    const offerId = await releasedOffer(catalog);
    const listed = await catalog.send(
      new ListChangeSetsCommand({
        Catalog: 'AWSMarketplace',
        FilterList: [{ Name: 'EntityId', ValueList: [offerId] }],
      }),
    );
    expect(listed.ChangeSetSummaryList).toHaveLength(1);
    expect(listed.ChangeSetSummaryList?.[0]).toMatchObject({
      Status: 'SUCCEEDED',
      EntityIdList: Array(7).fill(offerId),
    });
  });
});

async function draftOffer(catalog: Clients['catalog']): Promise<string> {
  const { ChangeSetId } = await catalog.send(
    new StartChangeSetCommand({
      Catalog: 'AWSMarketplace',
      ChangeSet: [
        {
          ChangeType: 'CreateOffer',
          Entity: { Type: 'Offer@1.0' },
          DetailsDocument: { ProductId: PRODUCT_ID },
        },
      ],
    }),
  );
  const done = await waitForChangeSet(catalog, ChangeSetId as string);
  return done.ChangeSet?.[0]?.Entity?.Identifier as string;
}
