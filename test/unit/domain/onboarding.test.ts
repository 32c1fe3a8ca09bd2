import { describe, expect, it } from 'vitest';
import { SubscriptionFailedError, SubscriptionNotConfirmedError } from '../../../tasks/domain/errors.js';
import {
  activatePaidPlan,
  close,
  confirmSubscription,
  failSubscription,
  matchesSearch,
  moveTo,
  nameKey,
  newOnboarding,
  type Onboarding,
} from '../../../tasks/domain/onboarding.js';
import { WORKFLOW_ERRORS } from '../../../workflows/contracts/workflow-errors.js';
import { inquiry } from '../use-cases/helpers.js';

const at = '2025-04-01T00:00:00.000Z';
const fresh = () => newOnboarding({ id: 'onb-abcdefghij', inquiry: { ...inquiry(), locale: 'en' }, at });

describe('Onboarding', () => {
  it('starts at Inquiry with the buyer account and locale of the inquiry', () => {
    const o = fresh();
    expect(o).toMatchObject({
      stage: 'Inquiry',
      status: 'active',
      buyerAwsAccountId: '123456789012',
      locale: 'en',
    });
  });

  it('search key of a name: NFKC, lower case, single spaces, without a Japanese legal form at either end', () => {
    // Prepare
    const names = ['株式会社サンプル', 'サンプル株式会社', '㈱サンプル', 'サンプル (株)', 'ＡＣＭＥ  Corp'];

    // Act
    const keys = names.map(nameKey);

    // Assess
    expect(keys).toEqual(['サンプル', 'サンプル', 'サンプル', 'サンプル', 'acme corp']);
  });

  it('a search finds the start of the company or contact name, or the whole e-mail, AWS account id or id', () => {
    // Prepare
    const o = fresh();

    // Act
    const found = [
      'example',
      'EXAMPLE kk',
      'yamada',
      'yamada@example.co.jp',
      '123456789012',
      'onb-abcdefghij',
    ];
    const missed = ['kk', 'taro', 'example.co.jp', '12345678', 'onb-abc'];

    // Assess
    expect(found.filter((q) => !matchesSearch(o, q))).toEqual([]);
    expect(missed.filter((q) => matchesSearch(o, q))).toEqual([]);
  });

  it('does not activate before the subscription is confirmed', () => {
    const o = moveTo(moveTo(fresh(), 'Consultation', at), 'CreateOffer', at);
    let error: unknown;
    try {
      activatePaidPlan(o, 'acct-1', at);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SubscriptionNotConfirmedError);
    expect((error as SubscriptionNotConfirmedError).workflowError).toBe(
      WORKFLOW_ERRORS.subscriptionNotConfirmed,
    );
  });

  it('activates once after confirmation and keeps the first activation', () => {
    let o: Onboarding = { ...fresh(), stage: 'CreateAccount' };
    o = confirmSubscription(o, { detail: 'agreement', agreementId: 'agmt-1' }, at);
    const once = activatePaidPlan(o, 'acct-1', at);
    const twice = activatePaidPlan(once, 'acct-1', '2025-05-01T00:00:00.000Z');
    expect(once.paidPlan).toEqual({ accountId: 'acct-1', plan: 'Enterprise', activatedAt: at });
    expect(twice.paidPlan?.activatedAt).toBe(at);
  });

  it('a late positive signal does not revive a failed subscription', () => {
    const failed = failSubscription(fresh(), 'failed', 'subscribe-fail', at);
    const after = confirmSubscription(failed, { detail: 'agreement' }, at);
    expect(after.subscription).toBe('failed');
    expect(() => activatePaidPlan({ ...after, stage: 'CreateAccount' }, 'acct-1', at)).toThrow(
      SubscriptionFailedError,
    );
  });

  it('records the end once', () => {
    const closed = close(fresh(), { outcome: 'closed', reason: 'customer declined', stage: 'Inquiry' }, at);
    const again = close(
      closed,
      { outcome: 'timed-out', reason: 'other', stage: 'Inquiry' },
      '2025-06-01T00:00:00Z',
    );
    expect(closed).toMatchObject({
      stage: 'Closed',
      status: 'closed',
      end: { outcome: 'closed', reason: 'customer declined', at },
    });
    expect(again.end).toEqual(closed.end);
  });
});
