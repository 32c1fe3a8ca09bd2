import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAgreementCommand } from '@aws-sdk/client-marketplace-agreement';
import { DescribeEntityCommand, StartChangeSetCommand } from '@aws-sdk/client-marketplace-catalog';
import { GetEntitlementsCommand } from '@aws-sdk/client-marketplace-entitlement-service';
import { ResolveCustomerCommand } from '@aws-sdk/client-marketplace-metering';
import { type BusEvent, startLocalEventBus } from '@marketplace-onboarding/local-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BUYER,
  PRODUCT_CODE,
  privateOfferChanges,
  releasedOffer,
  startSimulator,
  waitForChangeSet,
} from './helpers.js';

describe('simulator state survives a restart (dataDir)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'mp-sim-'));
    dirs.push(d);
    return d;
  };

  it('keeps offers, agreements, licenses and tokens; settles change sets that came due while down', async () => {
    // Prepare
    const dataDir = tempDir();
    const first = await startSimulator({ dataDir, changeSetDelayMs: 300 });
    const offerId = await releasedOffer(first.clients.catalog);
    const outcome = first.sim.admin.subscribe(offerId, BUYER);
    if (outcome.kind !== 'created') throw new Error('expected an agreement');
    const token = first.sim.admin.issueRegistrationToken(outcome.agreement.agreementId);
    const pending = await first.clients.catalog.send(
      new StartChangeSetCommand({
        Catalog: 'AWSMarketplace',
        ChangeSet: privateOfferChanges('123456789012'),
      }),
    );
    // Act
    await first.sim.close();
    await new Promise((r) => setTimeout(r, 350));
    const second = await startSimulator({ dataDir, changeSetDelayMs: 300 });
    try {
      // Assess
      const entity = await second.clients.catalog.send(
        new DescribeEntityCommand({ Catalog: 'AWSMarketplace', EntityId: offerId }),
      );
      expect((entity.DetailsDocument as { State: string }).State).toBe('Released');
      const agreement = await second.clients.agreement.send(
        new DescribeAgreementCommand({ agreementId: outcome.agreement.agreementId }),
      );
      expect(agreement.status).toBe('ACTIVE');
      const customer = await second.clients.metering.send(
        new ResolveCustomerCommand({ RegistrationToken: token }),
      );
      expect(customer.LicenseArn).toBe(outcome.agreement.licenseArn);
      const ent = await second.clients.entitlement.send(
        new GetEntitlementsCommand({ ProductCode: PRODUCT_CODE }),
      );
      expect(ent.Entitlements).toHaveLength(1);
      const done = await waitForChangeSet(second.clients.catalog, pending.ChangeSetId as string);
      expect(done.Status).toBe('SUCCEEDED');
      expect(second.sim.admin.state().offers).toHaveLength(2);
    } finally {
      await second.sim.close();
    }
  });

  it('delivers events left pending when the bus was down, after the restart', async () => {
    const dataDir = tempDir();
    const first = await startSimulator({ dataDir, eventsEndpoint: 'http://127.0.0.1:9' });
    const offerId = await releasedOffer(first.clients.catalog);
    first.sim.admin.subscribe(offerId, BUYER);
    expect(await first.sim.admin.idle(300)).toBe(false);
    expect(
      first.sim.admin
        .notifications()
        .filter((n) => n.channel === 'eventbridge')
        .every((n) => n.status === 'pending'),
    ).toBe(true);
    await first.sim.close();

    const received: BusEvent[] = [];
    const bus = await startLocalEventBus({
      rules: [
        {
          name: 'all',
          eventPattern: { source: ['aws.agreement-marketplace'] },
          targets: [{ id: 't', arn: 'T' }],
        },
      ],
      deliver: async (_arn, payload) => {
        received.push(payload as BusEvent);
      },
    });
    const second = await startSimulator({ dataDir, eventsEndpoint: bus.url });
    try {
      expect(await second.sim.admin.idle(5_000)).toBe(true);
      await bus.idle();
      expect(received.map((e) => e['detail-type'])).toEqual([
        'Purchase Agreement Created - Proposer',
        'License Updated - Manufacturer',
      ]);
    } finally {
      await second.sim.close();
      await bus.close();
    }
  });

  it('answers the admin endpoints over HTTP', async () => {
    const { sim, clients } = await startSimulator();
    try {
      const offerId = await releasedOffer(clients.catalog);
      const post = (name: string, body: unknown) =>
        fetch(`${sim.url}/_admin/${name}`, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
      const sub = await post('subscribe', { offerId, accountId: BUYER });
      expect(sub.status).toBe(200);
      const { agreement } = (await sub.json()) as { agreement: { agreementId: string } };
      const { token } = (await (
        await post('issue-token', { agreementId: agreement.agreementId })
      ).json()) as { token: string };
      expect((await post('throttle', { count: 1 })).status).toBe(200);
      await expect(
        clients.metering.send(new ResolveCustomerCommand({ RegistrationToken: token })),
      ).rejects.toMatchObject({
        name: 'ThrottlingException',
      });
      expect((await post('expire-token', { token })).status).toBe(200);
      await expect(
        clients.metering.send(new ResolveCustomerCommand({ RegistrationToken: token })),
      ).rejects.toMatchObject({
        name: 'ExpiredTokenException',
      });
      const bad = await post('throttle', { count: -1 });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toMatch(/count/);
      expect((await post('nope', {})).status).toBe(400);
      expect((await post('expire-offer', { offerId: 'offer-missing' })).status).toBe(404);
      const state = (await (await fetch(`${sim.url}/_admin/state`)).json()) as {
        agreements: unknown[];
        offers: unknown[];
      };
      expect(state.agreements).toHaveLength(1);
      expect(state.offers).toHaveLength(1);
    } finally {
      await sim.close();
    }
  });

  it('says clearly when the port is taken or an option is wrong', async () => {
    const { sim } = await startSimulator();
    try {
      await expect(startSimulator({ port: sim.port })).rejects.toThrow(
        /port \d+ on 127\.0\.0\.1 is already in use/,
      );
      await expect(startSimulator({ sellerAccountId: '12' })).rejects.toThrow(
        /sellerAccountId: an AWS account id is 12 digits/,
      );
    } finally {
      await sim.close();
    }
  });
});
