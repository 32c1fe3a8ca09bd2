/**
 * The automatic renewal as AWS's Ending and Amended events tell it (`agreement.autoRenewalEnabled`,
 * `renewalSummary { lockoutStartTime, disabledBy }`): kept on the agreement record; an Ending of an auto-renewing
 * agreement says it renews unless sales acts before the lockout (ja/en), also in the Renewal step's context and the
 * later reminders; an Amended that turns it off says who did.
 */
import { describe, expect, it } from 'vitest';
import { MarketplaceEvent, signalFromEvent } from '../../../tasks/domain/marketplace-signals.js';
import { say } from '../../../tasks/domain/timeline-texts.js';
import { handleMarketplaceEvent } from '../../../tasks/use-cases/marketplace-signals.js';
import { fixture } from '../fixtures.js';
import { agreementEvents, completedWithPaidPlan, FIXTURE_AGREEMENT } from './helpers.js';

const AGREEMENT = FIXTURE_AGREEMENT;
const END = '2026-12-31T00:00:00Z';
const LOCKOUT = '2026-12-01T00:00:00Z';

const anEvent = agreementEvents('autorenew', '2026-07-04T00:00:00Z');
const event = (detailType: string, agreement: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  anEvent(
    detailType,
    { id: AGREEMENT, ...agreement },
    {
      product: { id: 'prod-aw4fgf5tyo5w2ap6fEXAMPLE', title: 'Product Title' },
      ...extra,
    },
  );
/** The Seller Guide's Ending example, with our agreement. */
const ending = (days: number, autoRenewalEnabled = true) =>
  event(
    'Purchase Agreement Ending - Proposer',
    {
      startTime: '2025-06-01T00:00:00Z',
      endTime: END,
      status: 'ACTIVE',
      daysBeforeEndTime: days,
      autoRenewalEnabled,
    },
    { renewalSummary: { lockoutStartTime: LOCKOUT, disabledBy: null }, offer: { id: 'offer-1234567890123' } },
  );

async function withAgreement() {
  const done = await completedWithPaidPlan();
  await handleMarketplaceEvent(done.ports, fixture('eventbridge-agreement-created.json'));
  return done;
}

describe('automatic renewal (Ending, Amended)', () => {
  it('parses autoRenewalEnabled and renewalSummary', () => {
    // Prepare
    const parsed = MarketplaceEvent.parse(
      event(
        'Purchase Agreement Amended - Proposer',
        { intent: 'AMEND', autoRenewalEnabled: false },
        { renewalSummary: { lockoutStartTime: LOCKOUT, disabledBy: 'PROPOSER' } },
      ),
    );
    // Act
    const s = signalFromEvent(parsed);
    // Assess
    expect(s).toMatchObject({
      autoRenewalEnabled: false,
      lockoutStartTime: LOCKOUT,
      autoRenewalDisabledBy: 'PROPOSER',
    });
  });

  it('an Ending of an auto-renewing agreement: kept on the record, says it renews unless sales acts before the lockout', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    // Act
    await handleMarketplaceEvent(ports, ending(60));
    await handleMarketplaceEvent(ports, ending(30));
    // Assess
    const record = await ports.agreementRecords.get(id, AGREEMENT);
    expect(record).toMatchObject({ autoRenewalEnabled: true, lockoutStartTime: LOCKOUT });
    const first = record?.episodes.find((e) => e.kind === 'ending');
    expect(first?.summary).toBe(
      'Agreement ends in 60 days (2026-12-31 00:00 UTC); it renews automatically unless sales acts before 2026-12-01 00:00 UTC',
    );
    expect(first?.text && say(first.text, 'ja')).toBe(
      '契約はあと 60 日で終了します（2026-12-31 00:00 UTC）。2026-12-01 00:00 UTC までに営業が対応しなければ自動更新されます',
    );
    expect([...ports.episodes.started.values()][0]).toMatchObject({
      episode: 'renewal',
      context: { autoRenewal: true, lockoutStartTime: LOCKOUT },
    });
    const reminder = ports.mailer.tagged('deal:ending');
    expect(reminder).toHaveLength(1);
    expect(reminder[0]?.text).toContain(`it renews automatically unless you act before ${LOCKOUT}`);
  });

  it('an Ending without automatic renewal says so and asks for the renewal offer', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    // Act
    await handleMarketplaceEvent(ports, ending(60, false));
    await handleMarketplaceEvent(ports, ending(30, false));
    // Assess
    const record = await ports.agreementRecords.get(id, AGREEMENT);
    expect(record?.autoRenewalEnabled).toBe(false);
    expect(record?.episodes.find((e) => e.kind === 'ending')?.summary).toBe(
      'Agreement ends in 60 days (2026-12-31 00:00 UTC); automatic renewal is off',
    );
    expect(ports.mailer.tagged('deal:ending')[0]?.text).toContain('prepare the renewal offer');
  });

  it('an Amended that turns the automatic renewal off records who did (ja/en); a later one that changes nothing says nothing of it', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    await handleMarketplaceEvent(ports, ending(90));
    const off = (by: string) =>
      event(
        'Purchase Agreement Amended - Proposer',
        { intent: 'AMEND', status: 'ACTIVE', autoRenewalEnabled: false },
        { renewalSummary: { lockoutStartTime: LOCKOUT, disabledBy: by } },
      );
    // Act
    await handleMarketplaceEvent(ports, off('ACCEPTOR'));
    await handleMarketplaceEvent(ports, off('ACCEPTOR'));
    // Assess
    const record = await ports.agreementRecords.get(id, AGREEMENT);
    expect(record).toMatchObject({ autoRenewalEnabled: false, autoRenewalDisabledBy: 'ACCEPTOR' });
    const amended = record?.episodes.filter((e) => e.kind === 'amended') ?? [];
    expect(amended.map((e) => e.summary)).toEqual([
      'Agreement amended: auto-renewal turned off by the buyer',
      'Agreement amended',
    ]);
    expect(amended[0]?.text && say(amended[0].text, 'ja')).toBe(
      '契約が変更されました。購入者が自動更新をオフにしました',
    );
  });
  it('an Amended of an agreement never said to renew by itself (a quantity change) says nothing of the renewal', async () => {
    // Prepare
    const { ports, id } = await withAgreement();
    // Act
    await handleMarketplaceEvent(
      ports,
      event(
        'Purchase Agreement Amended - Proposer',
        { intent: 'AMEND', status: 'ACTIVE', autoRenewalEnabled: false },
        { renewalSummary: { lockoutStartTime: null, disabledBy: null } },
      ),
    );
    // Assess
    const record = await ports.agreementRecords.get(id, AGREEMENT);
    expect(record?.episodes.filter((e) => e.kind === 'amended').map((e) => e.summary)).toEqual([
      'Agreement amended',
    ]);
    expect(record?.autoRenewalEnabled).toBe(false);
  });
});
