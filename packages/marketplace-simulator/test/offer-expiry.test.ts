/**
 * AWS's way of withdrawing a released private offer ("Expire a private offer": UpdateAvailability with an
 * AvailabilityEndDate in the past): the change set succeeds, the offer reads as expired, the buyer's page says it can
 * no longer be accepted and a subscribe is refused.
 */
import { DescribeEntityCommand, StartChangeSetCommand } from '@aws-sdk/client-marketplace-catalog';
import { afterEach, describe, expect, it } from 'vitest';
import type { MarketplaceSimulator } from '../src/index.js';
import { BUYER, releasedOffer, startSimulator, subscribeViaPage, waitForChangeSet } from './helpers.js';

let sim: MarketplaceSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('expiring a released offer through the Catalog API', () => {
  it('a past AvailabilityEndDate ends it: the page says it expired, no Subscribe, a subscribe is refused', async () => {
    // Prepare
    const started = await startSimulator();
    sim = started.sim;
    const { catalog } = started.clients;
    const offerId = await releasedOffer(catalog);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

    // Act
    const { ChangeSetId } = await catalog.send(
      new StartChangeSetCommand({
        Catalog: 'AWSMarketplace',
        ChangeSet: [
          {
            ChangeType: 'UpdateAvailability',
            Entity: { Type: 'Offer@1.0', Identifier: offerId },
            DetailsDocument: { AvailabilityEndDate: yesterday },
          },
        ],
      }),
    );
    const done = await waitForChangeSet(catalog, ChangeSetId as string);
    const entity = await catalog.send(
      new DescribeEntityCommand({ Catalog: 'AWSMarketplace', EntityId: offerId }),
    );
    const page = await fetch(sim.admin.offerUrl(offerId, BUYER));
    const html = await page.text();
    const post = await subscribeViaPage(sim, offerId);

    // Assess
    expect(done.Status).toBe('SUCCEEDED');
    expect(JSON.stringify(entity.DetailsDocument)).toContain(`"AvailabilityEndDate":"${yesterday}`);
    expect(page.status).toBe(410);
    expect(html).toContain('(This offer has expired)');
    expect(html).not.toContain('サブスクライブ <span');
    expect(post.status).toBe(410);
    expect(sim.admin.state().agreements).toEqual([]);
  });
});
