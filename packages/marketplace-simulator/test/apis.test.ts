import {
  DescribeAgreementCommand,
  GetAgreementTermsCommand,
  MarketplaceAgreementClient,
  ResourceNotFoundException,
  SearchAgreementsCommand,
  ValidationException,
} from '@aws-sdk/client-marketplace-agreement';
import { ListChangeSetsCommand, MarketplaceCatalogClient } from '@aws-sdk/client-marketplace-catalog';
import {
  GetEntitlementsCommand,
  InvalidParameterException,
  MarketplaceEntitlementServiceClient,
} from '@aws-sdk/client-marketplace-entitlement-service';
import {
  ExpiredTokenException,
  InvalidTokenException,
  MarketplaceMeteringClient,
  ResolveCustomerCommand,
  ThrottlingException,
} from '@aws-sdk/client-marketplace-metering';
import { afterEach, describe, expect, it } from 'vitest';
import type { MarketplaceSimulator, SimulatorOptions } from '../src/index.js';
import { BUYER, type Clients, OTHER, PRODUCT_CODE, releasedOffer, startSimulator } from './helpers.js';

describe('Metering, Entitlement and Agreement APIs through the SDK clients', () => {
  let sim: MarketplaceSimulator | undefined;
  let clients: Clients;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  /** A simulator with one agreement per buyer; returns a fresh registration token of the first. */
  async function withAgreements(options: Partial<SimulatorOptions> = {}, buyers = [BUYER]) {
    ({ sim, clients } = await startSimulator(options));
    const agreements: string[] = [];
    for (const buyer of buyers) {
      const offerId = await releasedOffer(clients.catalog, buyer);
      const outcome = sim.admin.subscribe(offerId, buyer, { quantities: { Users: 3 } });
      if (outcome.kind !== 'created') throw new Error('not created');
      agreements.push(outcome.agreement.agreementId);
    }
    const token = sim.admin.issueRegistrationToken(agreements[0] as string);
    return { sim, token, agreements };
  }

  it('is reached by clients configured only through AWS_ENDPOINT_URL_<SERVICE> variables', async () => {
    const { sim, token, agreements } = await withAgreements();
    const names = [
      'MARKETPLACE_CATALOG',
      'MARKETPLACE_METERING',
      'MARKETPLACE_ENTITLEMENT_SERVICE',
      'MARKETPLACE_AGREEMENT',
    ];
    const saved = names.map((n) => process.env[`AWS_ENDPOINT_URL_${n}`]);
    for (const n of names) process.env[`AWS_ENDPOINT_URL_${n}`] = sim.url;
    try {
      const common = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
      const metering = new MarketplaceMeteringClient(common);
      const entitlement = new MarketplaceEntitlementServiceClient(common);
      const agreement = new MarketplaceAgreementClient(common);
      const catalog = new MarketplaceCatalogClient(common);
      expect(
        (await metering.send(new ResolveCustomerCommand({ RegistrationToken: token }))).CustomerAWSAccountId,
      ).toBe(BUYER);
      expect(
        (await entitlement.send(new GetEntitlementsCommand({ ProductCode: PRODUCT_CODE }))).Entitlements,
      ).toHaveLength(1);
      expect(
        (await agreement.send(new DescribeAgreementCommand({ agreementId: agreements[0] }))).status,
      ).toBe('ACTIVE');
      expect(
        (await catalog.send(new ListChangeSetsCommand({ Catalog: 'AWSMarketplace' }))).ChangeSetSummaryList,
      ).toHaveLength(1);
    } finally {
      names.forEach((n, i) => {
        if (saved[i] === undefined) delete process.env[`AWS_ENDPOINT_URL_${n}`];
        else process.env[`AWS_ENDPOINT_URL_${n}`] = saved[i];
      });
    }
  });

  describe('ResolveCustomer', () => {
    it('resolves a token and keeps answering within its life (replays are the seller’s to absorb)', async () => {
      const { token } = await withAgreements();
      const a = await clients.metering.send(new ResolveCustomerCommand({ RegistrationToken: token }));
      const b = await clients.metering.send(new ResolveCustomerCommand({ RegistrationToken: token }));
      const { $metadata: _a, ...first } = a;
      const { $metadata: _b, ...second } = b;
      expect(second).toEqual(first);
      expect(a.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('answers InvalidTokenException for an unknown token', async () => {
      await withAgreements();
      await expect(
        clients.metering.send(new ResolveCustomerCommand({ RegistrationToken: 'bogus' })),
      ).rejects.toBeInstanceOf(InvalidTokenException);
    });

    it('answers ExpiredTokenException once the TTL has passed, or when expired by the switch', async () => {
      const { sim, token, agreements } = await withAgreements({ tokenTtlSeconds: 0.15 });
      await new Promise((r) => setTimeout(r, 200));
      const error = await clients.metering
        .send(new ResolveCustomerCommand({ RegistrationToken: token }))
        .catch((e) => e);
      expect(error).toBeInstanceOf(ExpiredTokenException);
      expect(error.message).toMatch(/expired/);
      const fresh = sim.admin.issueRegistrationToken(agreements[0] as string);
      sim.admin.expireRegistrationToken(fresh);
      await expect(
        clients.metering.send(new ResolveCustomerCommand({ RegistrationToken: fresh })),
      ).rejects.toBeInstanceOf(ExpiredTokenException);
    });

    it('with singleUseTokens, a second resolve is ExpiredTokenException', async () => {
      const { token } = await withAgreements({ singleUseTokens: true });
      await clients.metering.send(new ResolveCustomerCommand({ RegistrationToken: token }));
      await expect(
        clients.metering.send(new ResolveCustomerCommand({ RegistrationToken: token })),
      ).rejects.toBeInstanceOf(ExpiredTokenException);
    });

    it('throttles the next N calls; the SDK retry then gets through', async () => {
      const { sim, token } = await withAgreements();
      sim.admin.throttleResolveCustomer(2);
      await expect(
        clients.metering.send(new ResolveCustomerCommand({ RegistrationToken: token })),
      ).rejects.toBeInstanceOf(ThrottlingException);
      const retrying = new MarketplaceMeteringClient({
        endpoint: sim.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 3,
        retryStrategy: undefined,
      });
      const out = await retrying.send(new ResolveCustomerCommand({ RegistrationToken: token }));
      expect(out.CustomerAWSAccountId).toBe(BUYER);
      expect(out.$metadata.attempts).toBe(2);
    });

    it('leaves CustomerIdentifier out when populateCustomerIdentifier is false (new integrations)', async () => {
      const { token } = await withAgreements({ populateCustomerIdentifier: false });
      const out = await clients.metering.send(new ResolveCustomerCommand({ RegistrationToken: token }));
      expect(out.CustomerIdentifier).toBeUndefined();
      expect(out.LicenseArn).toBeDefined();
    });
  });

  describe('GetEntitlements', () => {
    it('filters by account, license, dimension and customer identifier, and pages', async () => {
      const { sim } = await withAgreements({}, [BUYER, OTHER]);
      const [mine, theirs] = sim.admin.state().licenses;
      const all = await clients.entitlement.send(new GetEntitlementsCommand({ ProductCode: PRODUCT_CODE }));
      expect(all.Entitlements).toHaveLength(2);
      const byLicense = await clients.entitlement.send(
        new GetEntitlementsCommand({
          ProductCode: PRODUCT_CODE,
          Filter: { LICENSE_ARN: [theirs?.licenseArn as string] },
        }),
      );
      expect(byLicense.Entitlements?.map((e) => e.CustomerAWSAccountId)).toEqual([OTHER]);
      const byCustomer = await clients.entitlement.send(
        new GetEntitlementsCommand({
          ProductCode: PRODUCT_CODE,
          Filter: { CUSTOMER_IDENTIFIER: [mine?.customerIdentifier as string], DIMENSION: ['Users'] },
        }),
      );
      expect(byCustomer.Entitlements).toMatchObject([
        { CustomerAWSAccountId: BUYER, Dimension: 'Users', Value: { IntegerValue: 3 } },
      ]);
      const none = await clients.entitlement.send(
        new GetEntitlementsCommand({ ProductCode: PRODUCT_CODE, Filter: { DIMENSION: ['Admins'] } }),
      );
      expect(none.Entitlements).toEqual([]);
      const page1 = await clients.entitlement.send(
        new GetEntitlementsCommand({ ProductCode: PRODUCT_CODE, MaxResults: 1 }),
      );
      const page2 = await clients.entitlement.send(
        new GetEntitlementsCommand({ ProductCode: PRODUCT_CODE, MaxResults: 1, NextToken: page1.NextToken }),
      );
      expect(page1.NextToken).toBeDefined();
      expect(page2.NextToken).toBeUndefined();
      expect(page2.Entitlements?.[0]?.CustomerAWSAccountId).not.toBe(
        page1.Entitlements?.[0]?.CustomerAWSAccountId,
      );
    });

    it('answers InvalidParameterException for a foreign product code or an unknown filter', async () => {
      await withAgreements();
      await expect(
        clients.entitlement.send(new GetEntitlementsCommand({ ProductCode: 'other' })),
      ).rejects.toBeInstanceOf(InvalidParameterException);
      await expect(
        clients.entitlement.send(
          new GetEntitlementsCommand({ ProductCode: PRODUCT_CODE, Filter: { COLOUR: ['x'] } as never }),
        ),
      ).rejects.toBeInstanceOf(InvalidParameterException);
    });
  });

  describe('Agreement API', () => {
    it('requires PartyType and AgreementType filters and filters by acceptor and status', async () => {
      const { agreements } = await withAgreements({}, [BUYER, OTHER]);
      await expect(
        clients.agreement.send(
          new SearchAgreementsCommand({
            filters: [{ name: 'AgreementType', values: ['PurchaseAgreement'] }],
          }),
        ),
      ).rejects.toMatchObject({ name: 'ValidationException', reason: 'MISSING_PARTY_TYPE' });
      const base = [
        { name: 'PartyType', values: ['Proposer'] },
        { name: 'AgreementType', values: ['PurchaseAgreement'] },
      ];
      const other = await clients.agreement.send(
        new SearchAgreementsCommand({ filters: [...base, { name: 'AcceptorAccountId', values: [OTHER] }] }),
      );
      expect(other.agreementViewSummaries?.map((a) => a.agreementId)).toEqual([agreements[1]]);
      sim?.admin.endAgreement(agreements[1] as string);
      const active = await clients.agreement.send(
        new SearchAgreementsCommand({
          filters: [...base, { name: 'Status', values: ['ACTIVE'] }],
          maxResults: 1,
        }),
      );
      expect(active.agreementViewSummaries?.map((a) => a.agreementId)).toEqual([agreements[0]]);
      expect(active.nextToken).toBeUndefined();
    });

    it('answers ResourceNotFoundException / ValidationException for bad agreement ids', async () => {
      await withAgreements();
      const error = await clients.agreement
        .send(new DescribeAgreementCommand({ agreementId: 'agmt-nope' }))
        .catch((e) => e);
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error).toMatchObject({ resourceId: 'agmt-nope', resourceType: 'Agreement' });
      await expect(
        clients.agreement.send(new GetAgreementTermsCommand({ agreementId: 'bad id!' })),
      ).rejects.toBeInstanceOf(ValidationException);
    });
  });
});
