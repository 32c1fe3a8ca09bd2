import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeAgreementCommand,
  GetAgreementTermsCommand,
  SearchAgreementsCommand,
} from '@aws-sdk/client-marketplace-agreement';
import { StartChangeSetCommand } from '@aws-sdk/client-marketplace-catalog';
import { GetEntitlementsCommand } from '@aws-sdk/client-marketplace-entitlement-service';
import { ResolveCustomerCommand } from '@aws-sdk/client-marketplace-metering';
import {
  type BusEvent,
  type LocalEventBus,
  startLocalEventBus,
} from '@marketplace-onboarding/local-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { type MarketplaceSimulator, type SnsNotification, snsLambdaEvent } from '../src/index.js';
import {
  BUYER,
  type Clients,
  OTHER,
  PRODUCT_CODE,
  PRODUCT_ID,
  privateOfferChanges,
  releasedOffer,
  SELLER,
  setupForm,
  startSimulator,
  subscribeViaPage,
  waitForChangeSet,
} from './helpers.js';

/** A stand-in for the seller's web app: records fulfillment form posts and SNS notifications. */
async function sellerApp() {
  const posts: Array<{ path: string; headers: Record<string, unknown>; body: string }> = [];
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    posts.push({ path: req.url ?? '', headers: req.headers, body });
    res.writeHead(200).end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, posts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('the buyer on AWS Marketplace: offer page, Subscribe, "アカウントを設定", cancel', () => {
  let sim: MarketplaceSimulator | undefined;
  let bus: LocalEventBus | undefined;
  let app: Awaited<ReturnType<typeof sellerApp>> | undefined;
  let clients: Clients;
  const delivered: BusEvent[] = [];

  afterEach(async () => {
    await sim?.close();
    await bus?.close();
    await app?.close();
    sim = bus = app = undefined;
    delivered.length = 0;
  });

  async function start() {
    app = await sellerApp();
    bus = await startLocalEventBus({
      rules: [
        {
          name: 'marketplace',
          eventPattern: { source: ['aws.agreement-marketplace'] },
          targets: [{ id: 't', arn: 'Handler' }],
        },
      ],
      accountId: SELLER,
      deliver: async (_arn, payload) => {
        delivered.push(payload as BusEvent);
      },
    });
    ({ sim, clients } = await startSimulator({
      fulfillmentUrl: `${app.url}/marketplace/fulfillment`,
      eventsEndpoint: bus.url,
      snsCallback: `${app.url}/sns`,
    }));
    return { sim, app, bus };
  }

  it('runs the whole purchase through plain HTTP, the SDK clients and the event bus', async () => {
    // Prepare
    const { sim, app, bus } = await start();
    const offerId = await releasedOffer(clients.catalog);

    // Act + Assess: the offer page (the link of the offer e-mail)
    const prompt = await fetch(`${sim.url}/offers/${offerId}`);
    expect(prompt.status).toBe(200);
    expect(await prompt.text()).toContain('name="account"');
    const refused = await fetch(`${sim.url}/offers/${offerId}?account=${OTHER}`);
    expect(refused.status).toBe(403);
    const refusedPage = await refused.text();
    expect(refusedPage).toContain('このオファーはお使いの AWS アカウント');
    // the way on: the same page asks for another account
    expect(refusedPage).toMatch(
      new RegExp(`<form method="get" action="/offers/${offerId}">[\\s\\S]*name="account"`),
    );
    const page = await fetch(sim.admin.offerUrl(offerId, BUYER));
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Example SaaS');
    expect(html).toContain('Private offer for ACME');
    expect(html).toContain('オファーの有効期限');
    expect(html).toContain('250.00 USD');
    expect(html).toContain(`<form method="post" action="/offers/${offerId}/subscribe">`);
    expect(html).toContain('サブスクライブ');

    // Subscribe (twice: a double click gives the same agreement)
    const first = await subscribeViaPage(sim, offerId, BUYER, {
      selector: 'P12M',
      qty_Users: '5',
      qty_Admins: '1',
    });
    expect(first.status).toBe(303);
    expect(first.location).toBe(`/agreements/${first.agreementId}?account=${BUYER}&subscribed=1`);
    const again = await subscribeViaPage(sim, offerId, BUYER, { qty_Users: '9' });
    expect(again.agreementId).toBe(first.agreementId);
    const agreementId = first.agreementId as string;

    // The agreement page carries a real form posting x-amzn-marketplace-token to the fulfillment URL
    const form = await setupForm(sim, agreementId);
    expect(form.status).toBe(200);
    expect(form.html).toContain('アカウントを設定');
    expect(form.action).toBe(`${app.url}/marketplace/fulfillment`);
    expect(form.token).toMatch(/^[A-Za-z0-9+/]+=*$/);

    // The browser submits it; the seller resolves the token at once
    await fetch(form.action as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'x-amzn-marketplace-token': form.token as string }),
    });
    const posted = app.posts.find((p) => p.path === '/marketplace/fulfillment');
    const token = new URLSearchParams(posted?.body).get('x-amzn-marketplace-token') as string;
    const customer = await clients.metering.send(new ResolveCustomerCommand({ RegistrationToken: token }));
    expect(customer).toMatchObject({
      CustomerAWSAccountId: BUYER,
      ProductCode: PRODUCT_CODE,
      LicenseArn: expect.stringMatching(/^arn:aws:license-manager::294406891311:license:l-[0-9a-f]{32}$/),
      CustomerIdentifier: expect.stringMatching(/^[A-Za-z0-9]{11}$/),
    });

    // Entitlements of the license
    const ent = await clients.entitlement.send(
      new GetEntitlementsCommand({ ProductCode: PRODUCT_CODE, Filter: { CUSTOMER_AWS_ACCOUNT_ID: [BUYER] } }),
    );
    expect(ent.Entitlements?.map((e) => [e.Dimension, e.Value?.IntegerValue]).sort()).toEqual([
      ['Admins', 1],
      ['Users', 5],
    ]);
    expect(ent.Entitlements?.[0]?.LicenseArn).toBe(customer.LicenseArn);
    expect(ent.Entitlements?.[0]?.ExpirationDate).toBeInstanceOf(Date);

    // Agreement API
    const described = await clients.agreement.send(new DescribeAgreementCommand({ agreementId }));
    expect(described).toMatchObject({
      agreementId,
      agreementType: 'PurchaseAgreement',
      status: 'ACTIVE',
      acceptor: { accountId: BUYER },
      proposer: { accountId: SELLER },
      proposalSummary: { offerId, resources: [{ id: PRODUCT_ID, type: 'SaaSProduct' }] },
      estimatedCharges: { currencyCode: 'USD', agreementValue: '750.00' },
    });
    expect(described.startTime).toBeInstanceOf(Date);
    expect((described.endTime?.getTime() ?? 0) - (described.startTime?.getTime() ?? 0)).toBeGreaterThan(
      364 * 86_400_000,
    );
    const found = await clients.agreement.send(
      new SearchAgreementsCommand({
        catalog: 'AWSMarketplace',
        filters: [
          { name: 'PartyType', values: ['Proposer'] },
          { name: 'AgreementType', values: ['PurchaseAgreement'] },
          { name: 'OfferId', values: [offerId] },
        ],
      }),
    );
    expect(found.agreementViewSummaries?.map((a) => a.agreementId)).toEqual([agreementId]);
    const terms = await clients.agreement.send(new GetAgreementTermsCommand({ agreementId }));
    const pricing = terms.acceptedTerms?.find(
      (t) => t.configurableUpfrontPricingTerm,
    )?.configurableUpfrontPricingTerm;
    expect(pricing?.configuration).toEqual({
      selectorValue: 'P12M',
      dimensions: [
        { dimensionKey: 'Users', dimensionValue: 5 },
        { dimensionKey: 'Admins', dimensionValue: 1 },
      ],
    });
    expect(terms.acceptedTerms?.some((t) => t.legalTerm?.documents?.[0]?.type === 'StandardEula')).toBe(true);
    expect(terms.acceptedTerms?.find((t) => t.validityTerm)?.validityTerm?.agreementDuration).toBe('P12M');

    // Events reached the bus, shaped as AWS Marketplace sends them
    expect(await sim.admin.idle()).toBe(true);
    await bus.idle();
    expect(delivered.map((e) => e['detail-type'])).toEqual([
      'Purchase Agreement Created - Proposer',
      'License Updated - Manufacturer',
    ]);
    const [created, license] = delivered as [BusEvent, BusEvent];
    expect(created).toMatchObject({
      source: 'aws.agreement-marketplace',
      account: SELLER,
      resources: [`arn:aws:aws-marketplace::aws:agreement:${agreementId}`],
      detail: {
        catalog: 'AWSMarketplace',
        agreement: { id: agreementId, intent: 'NEW', status: 'ACTIVE' },
        acceptor: { accountId: BUYER },
        proposer: { accountId: SELLER },
        offer: { id: offerId },
      },
    });
    expect(created.detail).not.toHaveProperty('license');
    expect(license.detail).toMatchObject({
      agreement: { id: agreementId },
      product: { code: PRODUCT_CODE, id: PRODUCT_ID },
      license: { arn: customer.LicenseArn },
    });
    const sns = app.posts.filter((p) => p.path === '/sns');
    expect(sns).toHaveLength(1);
    expect(sns[0]?.headers['x-amz-sns-message-type']).toBe('Notification');
    const envelope = JSON.parse(sns[0]?.body ?? '{}');
    expect(envelope).toMatchObject({
      Type: 'Notification',
      TopicArn: `arn:aws:sns:us-east-1:287250355862:aws-mp-subscription-notification-${PRODUCT_CODE}`,
    });
    expect(JSON.parse(envelope.Message)).toEqual({
      action: 'subscribe-success',
      'customer-identifier': customer.CustomerIdentifier,
      'product-code': PRODUCT_CODE,
      'offer-identifier': offerId,
      isFreeTrialTermPresent: 'false',
    });

    // Cancel: agreement ended, license deprovisioned, events and SNS
    const cancel = await fetch(`${sim.url}/agreements/${agreementId}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ account: BUYER }),
      redirect: 'manual',
    });
    expect(cancel.status).toBe(303);
    expect((await clients.agreement.send(new DescribeAgreementCommand({ agreementId }))).status).toBe(
      'CANCELLED',
    );
    const after = await clients.entitlement.send(
      new GetEntitlementsCommand({
        ProductCode: PRODUCT_CODE,
        Filter: { LICENSE_ARN: [customer.LicenseArn as string] },
      }),
    );
    expect(after.Entitlements).toEqual([]);
    expect((await setupForm(sim, agreementId)).token).toBeUndefined();
    await sim.admin.idle();
    await bus.idle();
    expect(delivered.map((e) => e['detail-type']).slice(2)).toEqual([
      'Purchase Agreement Ended - Proposer',
      'License Deprovisioned - Manufacturer',
    ]);
    expect(delivered[2]?.detail).toMatchObject({ agreement: { id: agreementId, status: 'CANCELLED' } });
    expect(delivered[2]?.detail).not.toHaveProperty('offer');
    expect(
      app.posts.filter((p) => p.path === '/sns').map((p) => JSON.parse(JSON.parse(p.body).Message).action),
    ).toEqual(['subscribe-success', 'unsubscribe-pending', 'unsubscribe-success']);
  });

  it('holds the agreement events back so the buyer can reach the seller first (out of order)', async () => {
    const { sim, bus } = await start();
    const offerId = await releasedOffer(clients.catalog);
    sim.admin.pauseNotifications('eventbridge');
    const sub = await subscribeViaPage(sim, offerId);
    const form = await setupForm(sim, sub.agreementId as string);
    const customer = await clients.metering.send(
      new ResolveCustomerCommand({ RegistrationToken: form.token }),
    );
    expect(customer.CustomerAWSAccountId).toBe(BUYER);
    expect(await sim.admin.idle(200)).toBe(true); // SNS went out; events are held
    await bus.idle();
    expect(delivered).toEqual([]);
    sim.admin.resumeNotifications();
    expect(await sim.admin.idle()).toBe(true);
    await bus.idle();
    expect(delivered.map((e) => e['detail-type'])).toEqual([
      'Purchase Agreement Created - Proposer',
      'License Updated - Manufacturer',
    ]);
  });

  it('lets the buyer pick one dimension when the offer allows only one (Disallowed constraints)', async () => {
    const { sim } = await start();
    const { ChangeSetId } = await clients.catalog.send(
      new StartChangeSetCommand({
        Catalog: 'AWSMarketplace',
        ChangeSet: privateOfferChanges(BUYER, 30, 'Disallowed'),
      }),
    );
    const offerId = (await waitForChangeSet(clients.catalog, ChangeSetId as string)).ChangeSet?.[0]?.Entity
      ?.Identifier as string;
    const html = await (await fetch(sim.admin.offerUrl(offerId, BUYER))).text();
    expect(html).toContain('name="dimension" value="Admins"');
    expect(html).not.toContain('name="quantity"');
    const sub = await subscribeViaPage(sim, offerId, BUYER, { dimension: 'Admins' });
    const terms = await clients.agreement.send(
      new GetAgreementTermsCommand({ agreementId: sub.agreementId }),
    );
    expect(
      terms.acceptedTerms?.find((t) => t.configurableUpfrontPricingTerm)?.configurableUpfrontPricingTerm
        ?.configuration?.dimensions,
    ).toEqual([{ dimensionKey: 'Admins', dimensionValue: 1 }]);
    const bad = await subscribeViaPage(sim, offerId, OTHER, { dimension: 'Admins' });
    expect(bad.status).toBe(403);
  });

  it('refuses an expired offer and an unknown one', async () => {
    const { sim } = await start();
    const offerId = await releasedOffer(clients.catalog);
    sim.admin.expireOffer(offerId);
    const page = await fetch(sim.admin.offerUrl(offerId, BUYER));
    expect(page.status).toBe(410);
    const html = await page.text();
    expect(html).toContain('このオファーは有効期限が切れています');
    expect(html).not.toContain('サブスクライブ <span');
    const post = await subscribeViaPage(sim, offerId);
    expect(post.status).toBe(410);
    expect(sim.admin.state().agreements).toEqual([]);
    expect((await fetch(`${sim.url}/offers/offer-doesnotexist1?account=${BUYER}`)).status).toBe(404);
    expect((await fetch(`${sim.url}/offers/${offerId}?account=12ab`)).status).toBe(400);
    // sales extends the expired offer: it can be accepted again
    const { ChangeSetId } = await clients.catalog.send(
      new StartChangeSetCommand({
        Catalog: 'AWSMarketplace',
        ChangeSet: [
          {
            ChangeType: 'UpdateAvailability',
            Entity: { Type: 'Offer@1.0', Identifier: offerId },
            DetailsDocument: {
              AvailabilityEndDate: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
            },
          },
        ],
      }),
    );
    expect((await waitForChangeSet(clients.catalog, ChangeSetId as string)).Status).toBe('SUCCEEDED');
    expect((await fetch(sim.admin.offerUrl(offerId, BUYER))).status).toBe(200);
    expect((await subscribeViaPage(sim, offerId)).status).toBe(303);
  });

  it('subscribe-fail before setup: no agreement, no event, SNS subscribe-fail', async () => {
    const { sim, app, bus } = await start();
    const offerId = await releasedOffer(clients.catalog);
    sim.admin.failNextSubscription();
    const failed = await subscribeViaPage(sim, offerId);
    expect(failed.status).toBe(402);
    expect(failed.html).toContain('サブスクリプションに失敗しました');
    await sim.admin.idle();
    await bus.idle();
    expect(sim.admin.state().agreements).toEqual([]);
    expect(delivered).toEqual([]);
    expect(
      JSON.parse(JSON.parse(app.posts.find((p) => p.path === '/sns')?.body ?? '{}').Message).action,
    ).toBe('subscribe-fail');
    // the switch is spent: the next try works
    expect((await subscribeViaPage(sim, offerId)).status).toBe(303);
  });

  it('subscribe-fail after setup: the buyer reaches the seller, but nothing is entitled', async () => {
    const { sim, bus } = await start();
    const offerId = await releasedOffer(clients.catalog);
    sim.admin.failNextSubscription({ mode: 'after-setup' });
    const sub = await subscribeViaPage(sim, offerId);
    expect(sub.status).toBe(303);
    const form = await setupForm(sim, sub.agreementId as string);
    const customer = await clients.metering.send(
      new ResolveCustomerCommand({ RegistrationToken: form.token }),
    );
    expect(customer.CustomerAWSAccountId).toBe(BUYER);
    const ent = await clients.entitlement.send(
      new GetEntitlementsCommand({
        ProductCode: PRODUCT_CODE,
        Filter: { LICENSE_ARN: [customer.LicenseArn as string] },
      }),
    );
    expect(ent.Entitlements).toEqual([]);
    await sim.admin.idle();
    await bus.idle();
    expect(delivered).toEqual([]);
    const notes = sim.admin
      .notifications()
      .map((n) => JSON.parse((n.payload as { Message: string }).Message).action);
    expect(notes).toEqual(['subscribe-fail']);
  });

  it('another account cannot see the agreement page', async () => {
    const { sim } = await start();
    const offerId = await releasedOffer(clients.catalog);
    const sub = await subscribeViaPage(sim, offerId);
    expect((await fetch(`${sim.url}/agreements/${sub.agreementId}?account=${OTHER}`)).status).toBe(404);
    const index = await (await fetch(`${sim.url}/?account=${BUYER}`)).text();
    expect(index).toContain(`/offers/${offerId}?account=${BUYER}`);
    expect(index).toContain(sub.agreementId);
  });

  it('remembers the buyer account like a console sign-in, and follows the AWS offer link shape', async () => {
    const { sim } = await start();
    const offerId = await releasedOffer(clients.catalog);
    const first = await fetch(`${sim.url}/?account=${BUYER}`);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(cookie).toBe(`mp-account=${BUYER}`);
    const page = await fetch(`${sim.url}/offers/${offerId}`, { headers: { cookie } });
    expect(await page.text()).toContain('サブスクライブ');
    const link = await fetch(
      `${sim.url}/marketplace/pp/procurement?productId=${PRODUCT_ID}&offerId=${offerId}`,
      {
        redirect: 'manual',
      },
    );
    expect(link.status).toBe(303);
    expect(link.headers.get('location')).toBe(`/offers/${offerId}`);
    const out = await fetch(`${sim.url}/?signout=1`, { headers: { cookie } });
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect(await out.text()).toContain('name="account"');
  });

  it('hands SNS notifications to a function callback; snsLambdaEvent wraps them for a Lambda handler', async () => {
    const received: SnsNotification[] = [];
    ({ sim, clients } = await startSimulator({
      snsCallback: async (n) => {
        received.push(n);
      },
    }));
    const offerId = await releasedOffer(clients.catalog);
    sim.admin.subscribe(offerId, BUYER);
    expect(await sim.admin.idle()).toBe(true);
    expect(received).toHaveLength(1);
    const event = snsLambdaEvent(received[0] as SnsNotification);
    expect(event.Records[0]?.EventSource).toBe('aws:sns');
    expect(JSON.parse(event.Records[0]?.Sns.Message ?? '{}').action).toBe('subscribe-success');
  });
});
