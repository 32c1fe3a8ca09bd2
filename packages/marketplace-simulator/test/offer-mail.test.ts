import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MarketplaceSimulator } from '../src/index.js';
import { BUYER, OTHER, PRODUCT_ID, releasedOffer, startSimulator } from './helpers.js';

interface InboxEmail {
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
}

// CommonJS with a default export: loaded as Node loads it (the ESM default import differs between tsc and vitest).
const sesServer = (
  createRequire(import.meta.url)('aws-ses-v2-local') as { default: typeof import('aws-ses-v2-local').default }
).default;

const ROOT_EMAIL = 'root@buyer.example.com';

describe('AWS\'s "You have a new Private Offer" e-mail', () => {
  let ses: Server;
  let sesUrl: string;
  let sim: MarketplaceSimulator | undefined;

  const inbox = async (): Promise<InboxEmail[]> => {
    const res = await fetch(`${sesUrl}/store`);
    return ((await res.json()) as { emails: InboxEmail[] }).emails;
  };

  beforeEach(async () => {
    ses = await sesServer({ port: 0, host: '127.0.0.1' });
    sesUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
    await fetch(`${sesUrl}/clear-store`, { method: 'POST' });
  });

  afterEach(async () => {
    await sim?.close();
    sim = undefined;
    await new Promise<void>((r) => ses.close(() => r()));
  });

  it('reaches the local SES inbox when an offer is released, "AWS Marketplace" linking to the offer', async () => {
    // Prepare
    const started = await startSimulator({
      offerMail: { sesEndpoint: sesUrl, accountEmails: { [BUYER]: ROOT_EMAIL } },
    });
    sim = started.sim;

    // Act
    const offerId = await releasedOffer(started.clients.catalog);
    expect(await sim.admin.idle()).toBe(true);

    // Assess
    const mails = await inbox();
    expect(mails).toHaveLength(1);
    const mail = mails[0] as InboxEmail;
    expect(mail.subject).toBe('You have a new Private Offer');
    expect(mail.from).toBe('no-reply@marketplace.aws');
    expect(mail.destination.to).toEqual([ROOT_EMAIL]);
    const link = `${sim.url}/marketplace/pp/procurement?productId=${PRODUCT_ID}&amp;offerId=${offerId}`;
    expect(mail.body.html).toContain(`<a href="${link}" target="_blank" rel="noopener">AWS Marketplace</a>`);
    expect(mail.body.html).toContain(
      `A Marketplace Private Offer has been published for AWS account ${BUYER}. You have until `,
    );
    expect(mail.body.text).toMatch(
      new RegExp(
        `published for AWS account ${BUYER}\\. You have until \\w+ \\d{1,2}, \\d{4} 23:59 UTC to accept the offer`,
      ),
    );
    const page = await fetch(`${link.replace('&amp;', '&')}&account=${BUYER}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(offerId);
  });

  it('goes to the address set at run time, to the pattern otherwise, and not at all to an unknown account', async () => {
    // Prepare
    const started = await startSimulator({
      offerMail: { sesEndpoint: sesUrl, accountEmailPattern: 'aws+{accountId}@example.com' },
    });
    sim = started.sim;
    sim.admin.setAccountEmail(OTHER, 'other-root@example.org');

    // Act
    await releasedOffer(started.clients.catalog, BUYER);
    await releasedOffer(started.clients.catalog, OTHER);
    expect(await sim.admin.idle()).toBe(true);

    // Assess
    const to = (await inbox()).map((m) => m.destination.to[0]).sort();
    expect(to).toEqual([`aws+${BUYER}@example.com`, 'other-root@example.org']);
  });

  it('sends nothing without an e-mail for the account', async () => {
    // Prepare
    const started = await startSimulator({ offerMail: { sesEndpoint: sesUrl } });
    sim = started.sim;

    // Act
    await releasedOffer(started.clients.catalog);
    expect(await sim.admin.idle()).toBe(true);

    // Assess
    expect(await inbox()).toEqual([]);
    expect(sim.admin.notifications().filter((n) => n.channel === 'mail')).toEqual([]);
  });
});
