import { DescribeAgreementCommand, MarketplaceAgreementClient } from '@aws-sdk/client-marketplace-agreement';
import {
  DescribeChangeSetCommand,
  ListChangeSetsCommand,
  MarketplaceCatalogClient,
  ResourceInUseException,
  StartChangeSetCommand,
  ValidationException,
} from '@aws-sdk/client-marketplace-catalog';
import {
  GetEntitlementsCommand,
  MarketplaceEntitlementServiceClient,
} from '@aws-sdk/client-marketplace-entitlement-service';
import {
  ExpiredTokenException,
  InvalidTokenException,
  MarketplaceMeteringClient,
  ResolveCustomerCommand,
  ThrottlingException,
} from '@aws-sdk/client-marketplace-metering';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsAgreementLookup } from '../../../tasks/adapters/aws/marketplace-agreement.js';
import { MarketplaceOfferCatalog } from '../../../tasks/adapters/aws/marketplace-catalog.js';
import { AwsMarketplaceFulfillment } from '../../../tasks/adapters/aws/marketplace-fulfillment.js';
import { buildCreateOfferChangeSet, clientRequestToken } from '../../../tasks/domain/offer-change-set.js';
import { FulfillmentError } from '../../../tasks/ports/marketplace-fulfillment.js';
import { CatalogError } from '../../../tasks/ports/offer-catalog.js';
import { terms } from '../use-cases/helpers.js';

const catalogMock = mockClient(MarketplaceCatalogClient);
const meteringMock = mockClient(MarketplaceMeteringClient);
const entitlementMock = mockClient(MarketplaceEntitlementServiceClient);
const agreementMock = mockClient(MarketplaceAgreementClient);
afterEach(() => {
  catalogMock.reset();
  meteringMock.reset();
  entitlementMock.reset();
  agreementMock.reset();
});
const meta = { $metadata: {} };
const catalog = new MarketplaceOfferCatalog(new MarketplaceCatalogClient({ region: 'us-east-1' }));
const fulfillment = new AwsMarketplaceFulfillment(
  new MarketplaceMeteringClient({ region: 'us-east-1' }),
  new MarketplaceEntitlementServiceClient({ region: 'us-east-1' }),
);

describe('MarketplaceOfferCatalog', () => {
  it('finds the newest change set of a name with ListChangeSets (and none when there is none)', async () => {
    // Prepare
    catalogMock
      .on(ListChangeSetsCommand)
      .resolvesOnce({ ChangeSetSummaryList: [{ ChangeSetId: 'cs-2', ChangeSetArn: 'arn:cs-2' }] })
      .resolvesOnce({ ChangeSetSummaryList: [] });

    // Act
    const found = await catalog.findChangeSet('Onboarding onb-abcdefghij offer attempt 1');
    const none = await catalog.findChangeSet('Onboarding onb-abcdefghij offer attempt 2');

    // Assess
    expect(found).toEqual({ changeSetId: 'cs-2', changeSetArn: 'arn:cs-2' });
    expect(none).toBeUndefined();
    expect(catalogMock.commandCalls(ListChangeSetsCommand)[0]?.args[0].input).toMatchObject({
      Catalog: 'AWSMarketplace',
      FilterList: [{ Name: 'ChangeSetName', ValueList: ['Onboarding onb-abcdefghij offer attempt 1'] }],
      Sort: { SortBy: 'StartTime', SortOrder: 'DESCENDING' },
    });
  });

  it('sends one StartChangeSet with every change type as DetailsDocument and the ClientRequestToken', async () => {
    catalogMock.on(StartChangeSetCommand).resolves({ ChangeSetId: 'cs-1', ChangeSetArn: 'arn:cs-1' });
    const changes = buildCreateOfferChangeSet({
      productId: 'prod-exampleproduct1',
      buyerAwsAccountId: '123456789012',
      terms: terms(),
      onboardingId: 'onb-abcdefghij',
      company: 'Example KK',
    });
    const token = clientRequestToken('onb-abcdefghij', 'create', 1);

    const r = await catalog.startChangeSet({
      changes,
      clientRequestToken: token,
      changeSetName: 'Onboarding onb-abcdefghij offer attempt 1',
    });

    expect(r).toEqual({ changeSetId: 'cs-1', changeSetArn: 'arn:cs-1' });
    const input = catalogMock.commandCalls(StartChangeSetCommand)[0]?.args[0].input;
    expect(input?.Catalog).toBe('AWSMarketplace');
    expect(input?.ClientRequestToken).toBe(token);
    expect(input?.ChangeSet?.map((c) => c.ChangeType)).toEqual([
      'CreateOffer',
      'UpdateInformation',
      'UpdateTargeting',
      'UpdatePricingTerms',
      'UpdateValidityTerms',
      'UpdateLegalTerms',
      'UpdateAvailability',
      'ReleaseOffer',
    ]);
    expect(input?.ChangeSet?.[0]).toEqual({
      ChangeType: 'CreateOffer',
      Entity: { Type: 'Offer@1.0' },
      ChangeName: 'CreateOfferChange',
      DetailsDocument: { ProductId: 'prod-exampleproduct1' },
    });
    expect(input?.ChangeSet?.[2]?.DetailsDocument).toEqual({
      PositiveTargeting: { BuyerAccounts: ['123456789012'] },
    });
    expect(input?.ChangeSet?.every((c) => c.Details === undefined)).toBe(true);
  });

  it('sorts synchronous errors into rejected (needs a person) and busy (retry)', async () => {
    catalogMock
      .on(StartChangeSetCommand)
      .rejectsOnce(new ValidationException({ message: 'bad product', ...meta }))
      .rejects(new ResourceInUseException({ message: 'locked', ...meta }));
    const request = { changes: [], clientRequestToken: 't', changeSetName: 'n' };

    const rejected = await catalog.startChangeSet(request).catch((e: unknown) => e);
    const busy = await catalog.startChangeSet(request).catch((e: unknown) => e);

    expect(rejected).toBeInstanceOf(CatalogError);
    expect(rejected).toMatchObject({ kind: 'rejected', code: 'ValidationException', message: 'bad product' });
    expect(busy).toMatchObject({ kind: 'busy', code: 'ResourceInUseException' });
  });

  it('describes a change set with the entity ids and the error details', async () => {
    catalogMock.on(DescribeChangeSetCommand).resolves({
      ChangeSetId: 'cs-1',
      Status: 'FAILED',
      FailureCode: 'CLIENT_ERROR',
      ChangeSet: [
        {
          ChangeType: 'CreateOffer',
          ChangeName: 'CreateOfferChange',
          Entity: { Type: 'Offer@1.0', Identifier: 'offer-abcdefghij12@1' },
          ErrorDetailList: [],
        },
        {
          ChangeType: 'UpdatePricingTerms',
          Entity: { Type: 'Offer@1.0' },
          ErrorDetailList: [{ ErrorCode: 'INVALID_RATE_CARD', ErrorMessage: 'bad rates' }],
        },
      ],
    });

    expect(await catalog.describeChangeSet('cs-1')).toEqual({
      changeSetId: 'cs-1',
      status: 'FAILED',
      failureCode: 'CLIENT_ERROR',
      changes: [
        {
          changeType: 'CreateOffer',
          changeName: 'CreateOfferChange',
          entityId: 'offer-abcdefghij12@1',
          errors: [],
        },
        { changeType: 'UpdatePricingTerms', errors: [{ code: 'INVALID_RATE_CARD', message: 'bad rates' }] },
      ],
    });
    expect(catalogMock.commandCalls(DescribeChangeSetCommand)[0]?.args[0].input).toEqual({
      Catalog: 'AWSMarketplace',
      ChangeSetId: 'cs-1',
    });
  });
});

describe('AwsMarketplaceFulfillment', () => {
  it('resolves the customer by account id and license ARN', async () => {
    meteringMock
      .on(ResolveCustomerCommand)
      .resolves({ CustomerAWSAccountId: '845735284135', ProductCode: 'pc', LicenseArn: 'arn:lic' });

    const r = await fulfillment.resolveCustomer('the-token');

    expect(r).toEqual({ customerAwsAccountId: '845735284135', productCode: 'pc', licenseArn: 'arn:lic' });
    expect(meteringMock.commandCalls(ResolveCustomerCommand)[0]?.args[0].input).toEqual({
      RegistrationToken: 'the-token',
    });
  });

  it.each([
    [new InvalidTokenException({ message: 'invalid', ...meta }), 'invalid-token'],
    [new ExpiredTokenException({ message: 'expired', ...meta }), 'expired-token'],
    [new ThrottlingException({ message: 'slow down', ...meta }), 'throttled'],
  ])('maps %s distinctly', async (error, kind) => {
    meteringMock.on(ResolveCustomerCommand).rejects(error);
    const e = await fulfillment.resolveCustomer('SECRET-TOKEN').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FulfillmentError);
    expect(e).toMatchObject({ kind });
    expect(String((e as Error).message)).not.toContain('SECRET-TOKEN');
  });

  it('throws any other error without the token, whatever the service quoted', async () => {
    const quoting = new Error(
      "1 validation error detected: Value 'SECRET TOKEN' at 'registrationToken' failed to satisfy constraint",
    );
    quoting.name = 'ValidationException';
    meteringMock.on(ResolveCustomerCommand).rejects(quoting);

    const e = (await fulfillment.resolveCustomer('SECRET TOKEN').catch((x: unknown) => x)) as Error;

    expect(e.name).toBe('ValidationException');
    expect(e.message).toContain("Value '[redacted]' at 'registrationToken'");
    expect(`${e.message} ${e.stack}`).not.toContain('SECRET TOKEN');
  });

  it('filters entitlements by license ARN, follows pages and drops expired ones', async () => {
    entitlementMock
      .on(GetEntitlementsCommand)
      .resolvesOnce({
        Entitlements: [{ Dimension: 'Users', Value: { IntegerValue: 10 }, LicenseArn: 'arn:lic' }],
        NextToken: 'p2',
      })
      .resolves({ Entitlements: [{ Dimension: 'Old', ExpirationDate: new Date('2000-01-01T00:00:00Z') }] });

    const r = await fulfillment.getEntitlements({ productCode: 'pc', licenseArn: 'arn:lic' });

    expect(r).toEqual([{ dimension: 'Users', value: 10, licenseArn: 'arn:lic' }]);
    const calls = entitlementMock.commandCalls(GetEntitlementsCommand).map((c) => c.args[0].input);
    expect(calls[0]).toEqual({ ProductCode: 'pc', Filter: { LICENSE_ARN: ['arn:lic'] } });
    expect(calls[1]?.NextToken).toBe('p2');
  });
});

describe('AwsAgreementLookup', () => {
  it('names the offer and the acceptor of an agreement', async () => {
    agreementMock.on(DescribeAgreementCommand).resolves({
      agreementId: 'agmt-1',
      status: 'ACTIVE',
      acceptor: { accountId: '845735284135' },
      proposalSummary: { offerId: 'offer-1234567890123' },
    });
    expect(
      await new AwsAgreementLookup(new MarketplaceAgreementClient({ region: 'us-east-1' })).describeAgreement(
        'agmt-1',
      ),
    ).toEqual({
      agreementId: 'agmt-1',
      status: 'ACTIVE',
      acceptorAccountId: '845735284135',
      offerId: 'offer-1234567890123',
    });
  });
});
