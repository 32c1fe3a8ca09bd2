/** Shared set-up for the simulator tests: a simulator on a free port, the real SDK clients, a released offer. */

import { MarketplaceAgreementClient } from '@aws-sdk/client-marketplace-agreement';
import {
  type Change,
  DescribeChangeSetCommand,
  type DescribeChangeSetCommandOutput,
  MarketplaceCatalogClient,
  StartChangeSetCommand,
} from '@aws-sdk/client-marketplace-catalog';
import { MarketplaceEntitlementServiceClient } from '@aws-sdk/client-marketplace-entitlement-service';
import { MarketplaceMeteringClient } from '@aws-sdk/client-marketplace-metering';
import { type MarketplaceSimulator, type SimulatorOptions, startMarketplaceSimulator } from '../src/index.js';

export const SELLER = '111122223333';
export const BUYER = '444455556666';
export const OTHER = '777788889999';
export const PRODUCT_ID = 'prod-abcdefghijklm';
export const PRODUCT_CODE = 'abc123productcode0000';

export const baseOptions: SimulatorOptions = {
  port: 0,
  fulfillmentUrl: 'http://127.0.0.1:9/marketplace/fulfillment',
  productCode: PRODUCT_CODE,
  productId: PRODUCT_ID,
  productTitle: 'Example SaaS',
  region: 'us-east-1',
  sellerAccountId: SELLER,
  changeSetDelayMs: 60,
  dimensions: [{ key: 'Users' }, { key: 'Admins' }],
};

export interface Clients {
  catalog: MarketplaceCatalogClient;
  metering: MarketplaceMeteringClient;
  entitlement: MarketplaceEntitlementServiceClient;
  agreement: MarketplaceAgreementClient;
}

export function clientsFor(sim: MarketplaceSimulator): Clients {
  const common = {
    endpoint: sim.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  };
  return {
    catalog: new MarketplaceCatalogClient(common),
    metering: new MarketplaceMeteringClient(common),
    entitlement: new MarketplaceEntitlementServiceClient(common),
    agreement: new MarketplaceAgreementClient(common),
  };
}

export async function startSimulator(overrides: Partial<SimulatorOptions> = {}) {
  const sim = await startMarketplaceSimulator({ ...baseOptions, ...overrides });
  return { sim, clients: clientsFor(sim) };
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The change set of a typical private SaaS contract offer (names the CreateOffer change). */
export function privateOfferChanges(buyer = BUYER, availabilityDays = 30, constraints = 'Allowed'): Change[] {
  const ref = '$CreateOffer.Entity.Identifier';
  const entity = { Type: 'Offer@1.0', Identifier: ref };
  return [
    {
      ChangeType: 'CreateOffer',
      ChangeName: 'CreateOffer',
      Entity: { Type: 'Offer@1.0' },
      DetailsDocument: { ProductId: PRODUCT_ID, Name: 'Private offer for ACME' },
    },
    {
      ChangeType: 'UpdateTargeting',
      Entity: entity,
      DetailsDocument: { PositiveTargeting: { BuyerAccounts: [buyer] } },
    },
    {
      ChangeType: 'UpdatePricingTerms',
      Entity: entity,
      DetailsDocument: {
        PricingModel: 'Contract',
        Terms: [
          {
            Type: 'ConfigurableUpfrontPricingTerm',
            CurrencyCode: 'USD',
            RateCards: [
              {
                Selector: { Type: 'Duration', Value: 'P12M' },
                RateCard: [
                  { DimensionKey: 'Users', Price: '100.00' },
                  { DimensionKey: 'Admins', Price: '250.00' },
                ],
                Constraints: { MultipleDimensionSelection: constraints, QuantityConfiguration: constraints },
              },
            ],
          },
        ],
      },
    },
    {
      ChangeType: 'UpdateLegalTerms',
      Entity: entity,
      // Details as JSON text, the other way of sending them
      Details: JSON.stringify({
        Terms: [{ Type: 'LegalTerm', Documents: [{ Type: 'StandardEula', Version: '2022-07-14' }] }],
      }),
    },
    {
      ChangeType: 'UpdateValidityTerms',
      Entity: entity,
      DetailsDocument: { Terms: [{ Type: 'ValidityTerm', AgreementDuration: 'P12M' }] },
    },
    {
      ChangeType: 'UpdateAvailability',
      Entity: entity,
      DetailsDocument: { AvailabilityEndDate: inDays(availabilityDays) },
    },
    { ChangeType: 'ReleaseOffer', Entity: entity, DetailsDocument: {} },
  ];
}

export async function waitForChangeSet(
  catalog: MarketplaceCatalogClient,
  changeSetId: string,
  timeoutMs = 5_000,
): Promise<DescribeChangeSetCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await catalog.send(
      new DescribeChangeSetCommand({ Catalog: 'AWSMarketplace', ChangeSetId: changeSetId }),
    );
    if (out.Status === 'SUCCEEDED' || out.Status === 'FAILED' || out.Status === 'CANCELLED') return out;
    if (Date.now() > deadline) throw new Error(`change set ${changeSetId} still ${out.Status}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** Creates and releases a private offer for `buyer`; returns its id. */
export async function releasedOffer(
  catalog: MarketplaceCatalogClient,
  buyer = BUYER,
  availabilityDays = 30,
): Promise<string> {
  const { ChangeSetId } = await catalog.send(
    new StartChangeSetCommand({
      Catalog: 'AWSMarketplace',
      ChangeSet: privateOfferChanges(buyer, availabilityDays),
    }),
  );
  const done = await waitForChangeSet(catalog, ChangeSetId as string);
  if (done.Status !== 'SUCCEEDED') throw new Error(`offer not released: ${JSON.stringify(done.ChangeSet)}`);
  return done.ChangeSet?.[0]?.Entity?.Identifier as string;
}

/** Submits the Subscribe form of the offer page like a browser; returns the redirect target and agreement id. */
export async function subscribeViaPage(
  sim: MarketplaceSimulator,
  offerId: string,
  account = BUYER,
  fields: Record<string, string> = {},
): Promise<{ status: number; location: string | null; agreementId: string | undefined; html: string }> {
  const res = await fetch(`${sim.url}/offers/${offerId}/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ account, ...fields }),
    redirect: 'manual',
  });
  const location = res.headers.get('location');
  return {
    status: res.status,
    location,
    agreementId: /\/agreements\/(agmt-[a-z0-9]+)/.exec(location ?? '')?.[1],
    html: await res.text(),
  };
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Reads the "アカウントを設定" form of an agreement page: where it posts and the token it carries. */
export async function setupForm(sim: MarketplaceSimulator, agreementId: string, account = BUYER) {
  const res = await fetch(`${sim.url}/agreements/${agreementId}?account=${account}`);
  const html = await res.text();
  const form =
    /<form method="post" action="([^"]+)" enctype="application\/x-www-form-urlencoded">\s*<input type="hidden" name="x-amzn-marketplace-token" value="([^"]+)">/.exec(
      html,
    );
  return {
    status: res.status,
    html,
    action: form ? unescapeHtml(form[1] as string) : undefined,
    token: form ? unescapeHtml(form[2] as string) : undefined,
  };
}
