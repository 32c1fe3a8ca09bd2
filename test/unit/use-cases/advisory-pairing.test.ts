/**
 * AWS's advisory events as documented: `advisory: { issuedAt }` / `{ resolvedAt }`, no id, type nor description,
 * with product.id and offer.id. Issued is known by its issuedAt and says when in the deal's record (ja/en); Resolved
 * is paired with the agreement's oldest open advisory; a redelivered Resolved pairs nothing twice.
 */
import { describe, expect, it } from 'vitest';
import { AdvisoryNotIssuedYetError } from '../../../tasks/domain/errors.js';
import { MarketplaceEvent, signalFromEvent } from '../../../tasks/domain/marketplace-signals.js';
import { say } from '../../../tasks/domain/timeline-texts.js';
import { handleMarketplaceEvent } from '../../../tasks/use-cases/marketplace-signals.js';
import { openHumanTask } from '../../../tasks/use-cases/open-human-task.js';
import { fixture } from '../fixtures.js';
import { completedWithPaidPlan, FIXTURE_ACCEPTOR, FIXTURE_AGREEMENT } from './helpers.js';

const AGREEMENT = FIXTURE_AGREEMENT;
const FIRST = '2026-07-02T14:28:00Z';
const SECOND = '2026-07-03T09:00:00Z';

let seq = 0;
/** The Seller Guide's example, with our agreement. */
function advisoryEvent(what: 'Issued' | 'Resolved', advisory: Record<string, string>, id?: string) {
  seq += 1;
  return {
    version: '0',
    id: id ?? `evt-advisory-${seq}`,
    'detail-type': `Purchase Agreement Advisory ${what} - Manufacturer`,
    source: 'aws.agreement-marketplace',
    account: '123456789012',
    time: '2026-07-04T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      requestId: 'a4b2c3d4-e5f6-7890-abcd-ef1234567890',
      catalog: 'AWSMarketplace',
      agreement: { id: AGREEMENT },
      product: { id: 'prod-aw4fgf5tyo5w2ap6fEXAMPLE' },
      acceptor: { accountId: FIXTURE_ACCEPTOR },
      proposer: { accountId: '987654321098' },
      offer: { id: 'offer-1234567890123' },
      advisory,
    },
  };
}

async function withAgreement() {
  const done = await completedWithPaidPlan();
  await handleMarketplaceEvent(done.ports, fixture('eventbridge-agreement-created.json'));
  return done;
}

describe('advisories in the shape AWS documents', () => {
  it('parses issuedAt and resolvedAt', () => {
    // Prepare
    const issued = MarketplaceEvent.parse(advisoryEvent('Issued', { issuedAt: FIRST }));
    const resolved = MarketplaceEvent.parse(advisoryEvent('Resolved', { resolvedAt: SECOND }));
    // Act
    const [a, b] = [signalFromEvent(issued), signalFromEvent(resolved)];
    // Assess
    expect(a).toMatchObject({
      kind: 'advisory-issued',
      advisory: { issuedAt: FIRST },
      offerId: 'offer-1234567890123',
    });
    expect(b).toMatchObject({ kind: 'advisory-resolved', advisory: { resolvedAt: SECOND } });
  });

  it('each Issued is its own episode named by its issuedAt, and says when it was issued (ja/en)', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    // Act
    await handleMarketplaceEvent(ports, advisoryEvent('Issued', { issuedAt: FIRST }));
    await handleMarketplaceEvent(ports, advisoryEvent('Issued', { issuedAt: SECOND }));
    // Assess
    expect([...ports.episodes.started.keys()]).toEqual([
      `advisory-${AGREEMENT}-issued-2026-07-02T14-28-00Z`,
      `advisory-${AGREEMENT}-issued-2026-07-03T09-00-00Z`,
    ]);
    const first = (await ports.agreementRecords.get(id, AGREEMENT))?.episodes.find(
      (e) => e.kind === 'advisory-issued',
    );
    expect(first?.summary).toBe('AWS Marketplace issued an advisory at 2026-07-02 14:28 UTC');
    expect(first?.text && say(first.text, 'ja')).toBe(
      'AWS Marketplace が 2026-07-02 14:28 UTC にアドバイザリーを発行しました',
    );
    expect([...ports.episodes.started.values()][0]).toMatchObject({
      context: { agreementId: AGREEMENT, advisoryId: `issued-${FIRST}`, issuedAt: FIRST },
    });
  });

  it('Resolved without an id resolves the oldest open advisory, completes its review; a redelivery pairs nothing twice', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    await handleMarketplaceEvent(ports, advisoryEvent('Issued', { issuedAt: FIRST }));
    await handleMarketplaceEvent(ports, advisoryEvent('Issued', { issuedAt: SECOND }));
    ports.callbacks.waiting('token-advisory-first');
    await openHumanTask(ports, {
      onboardingId: id,
      stage: 'AdvisoryReview',
      taskToken: 'token-advisory-first',
      dueAt: '2026-08-01T00:00:00Z',
      context: { agreementId: AGREEMENT, advisoryId: `issued-${FIRST}` },
    });
    const resolvedFirst = advisoryEvent('Resolved', { resolvedAt: '2026-07-05T10:00:00Z' }, 'evt-resolved-1');
    // Act
    await handleMarketplaceEvent(ports, resolvedFirst);
    await handleMarketplaceEvent(ports, resolvedFirst);
    await handleMarketplaceEvent(ports, advisoryEvent('Resolved', { resolvedAt: '2026-07-06T10:00:00Z' }));
    // Assess
    const resolved = (await ports.agreementRecords.get(id, AGREEMENT))?.episodes.filter(
      (e) => e.kind === 'advisory-resolved',
    );
    expect(resolved?.map((e) => e.text?.params.advisoryId)).toEqual([`issued-${FIRST}`, `issued-${SECOND}`]);
    expect(resolved?.[0]?.summary).toBe(
      'AWS Marketplace resolved the advisory issued at 2026-07-02 14:28 UTC (2026-07-05 10:00 UTC)',
    );
    expect(ports.callbacks.successes()).toEqual([
      expect.objectContaining({
        token: 'token-advisory-first',
        output: expect.objectContaining({ action: 'resolved' }),
      }),
    ]);
  });

  it('a fresh Resolved that overtook its Issued fails to be delivered again, then resolves it; an old unpaired one is recorded', async () => {
    // Prepare: AWS sends both at once, and the Resolved is handled first
    const { ports, id } = await withAgreement();
    const now = ports.clock.now().toISOString();
    const early = { ...advisoryEvent('Resolved', { resolvedAt: now }, 'evt-resolved-early'), time: now };
    const stale = advisoryEvent('Resolved', { resolvedAt: SECOND }, 'evt-resolved-stale');
    // Act
    const overtook = await handleMarketplaceEvent(ports, early).catch((e: unknown) => e);
    await handleMarketplaceEvent(ports, advisoryEvent('Issued', { issuedAt: FIRST }));
    const redelivered = await handleMarketplaceEvent(ports, early);
    const unpaired = await handleMarketplaceEvent(ports, stale);
    // Assess
    expect(overtook).toBeInstanceOf(AdvisoryNotIssuedYetError);
    expect(redelivered).toMatchObject({ ok: true });
    expect(unpaired).toMatchObject({ ok: true });
    const resolved = (await ports.agreementRecords.get(id, AGREEMENT))?.episodes.filter(
      (e) => e.kind === 'advisory-resolved',
    );
    expect(resolved?.map((e) => e.text?.params.advisoryId)).toEqual([`issued-${FIRST}`, undefined]);
  });
});
