import { describe, expect, it } from 'vitest';
import { digest } from '../../../tasks/domain/marketplace-signals.js';
import { handleMarketplaceEvent } from '../../../tasks/use-cases/marketplace-signals.js';
import { sendOfferNotice } from '../../../tasks/use-cases/offers.js';
import {
  RESOLVE_ATTEMPTS,
  resolveBuyerArrival,
  TOKEN_REPLAY_SECONDS,
} from '../../../tasks/use-cases/resolve-buyer-arrival.js';
import { fixture } from '../fixtures.js';
import { capturingLogger, everythingSent, opened, placeAt, recorded, setup } from './helpers.js';

const ACCOUNT = '845735284135';
const LICENSE = 'arn:aws:license-manager::294406891311:license:l-9d01d15f86334a8894365cd7350556ff';
const TOKEN = 'mp-registration-token-0123456789abcdefSECRET';

async function subscribed() {
  const { lines, log } = capturingLogger();
  const ports = setup({ log });
  const id = await recorded(ports, { awsAccountId: ACCOUNT, locale: 'en' });
  await placeAt(ports, id, 'CreateOffer');
  await sendOfferNotice(ports, {
    onboardingId: id,
    offerId: 'offer-1234567890123',
    offerExpiresAt: '2025-06-30T06:00:00Z',
    source: 'api',
  });
  const { productCode } = ports.config;
  ports.fulfillment.issueToken(TOKEN, { customerAwsAccountId: ACCOUNT, productCode, licenseArn: LICENSE });
  ports.fulfillment.entitle(productCode, {
    dimension: 'Users',
    value: 10,
    licenseArn: LICENSE,
    customerAwsAccountId: ACCOUNT,
  });
  return { ports, id, lines };
}

describe('resolveBuyerArrival', () => {
  it('resolves at once, completes AwaitAcceptance (buyer-arrival) and AccountSetup, returns the session data', async () => {
    const { ports, id } = await subscribed();
    const acceptance = await opened(ports, id, 'AwaitAcceptance');

    const first = await resolveBuyerArrival(ports, { registrationToken: TOKEN });
    await placeAt(ports, id, 'AwaitAcceptance'); // the workflow moves on and opens AccountSetup
    const setupTask = await opened(ports, id, 'AccountSetup');

    expect(first).toMatchObject({
      ok: true,
      onboardingId: id,
      buyerAwsAccountId: ACCOUNT,
      licenseArn: LICENSE,
      locale: 'en',
      replay: false,
    });
    expect(setupTask.completedAtOnce).toBe(true);
    const outputs = ports.callbacks.successes();
    expect(outputs.map((s) => s.token)).toEqual([acceptance.token, setupTask.token]);
    expect(outputs[0]?.output).toMatchObject({
      source: 'buyer-arrival',
      customerAwsAccountId: ACCOUNT,
      licenseArn: LICENSE,
    });
    expect(outputs[1]?.output).toMatchObject({
      actor: { kind: 'buyer', id: ACCOUNT },
      customerAwsAccountId: ACCOUNT,
      licenseArn: LICENSE,
      productCode: ports.config.productCode,
      entitlements: [{ dimension: 'Users', value: 10 }],
    });
    expect(await ports.onboardings.get(id)).toMatchObject({ subscription: 'confirmed', licenseArn: LICENSE });
  });

  it('a replayed token gives the same answer, calls ResolveCustomer once and advances once', async () => {
    const { ports, id } = await subscribed();
    await opened(ports, id, 'AwaitAcceptance');

    const first = await resolveBuyerArrival(ports, { registrationToken: TOKEN });
    const replay = await resolveBuyerArrival(ports, { registrationToken: TOKEN });

    expect(replay).toEqual({ ...first, replay: true });
    expect(ports.fulfillment.resolveCalls).toBe(1);
    expect(ports.callbacks.successes()).toHaveLength(1);
  });

  it('asks AWS again once the memo is older than the replay window, and AWS decides (expired: nothing changes)', async () => {
    // Prepare: arrived; then, past the window, AWS calls the same token expired (resubmitted, held too long)
    const { ports, id } = await subscribed();
    await opened(ports, id, 'AwaitAcceptance');
    await resolveBuyerArrival(ports, { registrationToken: TOKEN });
    await ports.clock.sleep(TOKEN_REPLAY_SECONDS * 1000 - 1000);
    const within = await resolveBuyerArrival(ports, { registrationToken: TOKEN });
    ports.fulfillment.issueToken(TOKEN, 'expired-token');
    await ports.clock.sleep(2000);
    const calls = ports.callbacks.calls.length;
    // Act
    const after = await resolveBuyerArrival(ports, { registrationToken: TOKEN });
    // Assess
    expect(within).toMatchObject({ ok: true, replay: true });
    expect(after).toEqual({ ok: false, error: 'expired-token' });
    expect(ports.fulfillment.resolveCalls).toBe(2);
    expect(ports.callbacks.calls).toHaveLength(calls);
  });

  it('a first arrival found by the buyer account reads the onboarding record once (after advancing)', async () => {
    const { ports, id } = await subscribed();
    await opened(ports, id, 'AwaitAcceptance');
    const reads: string[] = [];
    const get = ports.onboardings.get.bind(ports.onboardings);
    ports.onboardings.get = (onboardingId: string) => {
      reads.push(onboardingId);
      return get(onboardingId);
    };

    const first = await resolveBuyerArrival(ports, { registrationToken: TOKEN });

    expect(first).toMatchObject({ ok: true, onboardingId: id, replay: false });
    expect(reads).toEqual([id]);
    expect(await get(id)).toMatchObject({ subscription: 'confirmed', licenseArn: LICENSE });
  });

  it('a replay (a reload of the page) reads the onboarding record twice, not three times', async () => {
    const { ports, id } = await subscribed();
    await opened(ports, id, 'AwaitAcceptance');
    await resolveBuyerArrival(ports, { registrationToken: TOKEN });
    const reads: string[] = [];
    const get = ports.onboardings.get.bind(ports.onboardings);
    ports.onboardings.get = (onboardingId: string) => {
      reads.push(onboardingId);
      return get(onboardingId);
    };

    const replay = await resolveBuyerArrival(ports, { registrationToken: TOKEN });

    expect(replay).toMatchObject({ ok: true, onboardingId: id, replay: true });
    // the memo's onboarding, and the fresh record after trying to advance
    expect(reads).toEqual([id, id]);
  });

  it('writes the memo first: a post stopped after it is finished by the next post of the same token', async () => {
    // Prepare
    const { ports, id } = await subscribed();
    const acceptance = await opened(ports, id, 'AwaitAcceptance');
    const record = ports.facts.record.bind(ports.facts);
    ports.facts.record = async () => {
      throw new Error('killed after the memo');
    };
    const stopped = await resolveBuyerArrival(ports, { registrationToken: TOKEN }).catch((e: Error) => e);
    const memoAfterStop = await ports.facts.recall(`mptoken#${digest(TOKEN)}`);
    ports.facts.record = record;
    // Act
    const again = await resolveBuyerArrival(ports, { registrationToken: TOKEN });
    // Assess
    expect(stopped).toBeInstanceOf(Error);
    expect(memoAfterStop).toMatchObject({ onboardingId: id });
    expect(again).toMatchObject({ ok: true, onboardingId: id, replay: false });
    expect(ports.callbacks.successes().map((s) => s.token)).toEqual([acceptance.token]);
    expect(await ports.onboardings.get(id)).toMatchObject({ subscription: 'confirmed', licenseArn: LICENSE });
  });

  it('16 parallel posts of one token: one completion, the record confirmed once, every answer ok', async () => {
    // Prepare
    const { ports, id } = await subscribed();
    await opened(ports, id, 'AwaitAcceptance');
    // Act
    const answers = await Promise.all(
      Array.from({ length: 16 }, () => resolveBuyerArrival(ports, { registrationToken: TOKEN })),
    );
    // Assess
    expect(answers.every((a) => a.ok && a.onboardingId === id)).toBe(true);
    expect(ports.callbacks.successes()).toHaveLength(1);
    const timeline = await ports.onboardings.timeline(id);
    expect(timeline.filter((e) => e.action === 'buyer-arrived')).toHaveLength(1);
    expect(await ports.onboardings.get(id)).toMatchObject({ subscription: 'confirmed', licenseArn: LICENSE });
  });

  it('an arrival before the agreement event is stored and used when AwaitAcceptance opens', async () => {
    const { ports, id } = await subscribed();

    const early = await resolveBuyerArrival(ports, { registrationToken: TOKEN });
    const acceptance = await opened(ports, id, 'AwaitAcceptance');
    await handleMarketplaceEvent(ports, fixture('eventbridge-agreement-created.json'));

    expect(early.ok).toBe(true);
    expect(acceptance.completedAtOnce).toBe(true);
    expect(ports.callbacks.successes()).toHaveLength(1);
  });

  it('tells invalid and expired tokens apart', async () => {
    const { ports } = await subscribed();
    ports.fulfillment.issueToken('expired', 'expired-token');

    expect(await resolveBuyerArrival(ports, { registrationToken: 'unknown' })).toEqual({
      ok: false,
      error: 'invalid-token',
    });
    expect(await resolveBuyerArrival(ports, { registrationToken: 'expired' })).toEqual({
      ok: false,
      error: 'expired-token',
    });
    expect(await resolveBuyerArrival(ports, { registrationToken: '  ' })).toEqual({
      ok: false,
      error: 'missing-token',
    });
    expect(ports.callbacks.calls).toHaveLength(0);
  });

  it('retries throttling with back-off, then succeeds', async () => {
    const { ports } = await subscribed();
    ports.fulfillment.throttleNext = 2;

    const r = await resolveBuyerArrival(ports, { registrationToken: TOKEN });

    expect(r.ok).toBe(true);
    expect(ports.clock.sleeps).toEqual([200, 400]);
  });

  it('gives up after a bounded number of throttled attempts with a clear try-again', async () => {
    const { ports } = await subscribed();
    ports.fulfillment.throttleNext = 100;

    const r = await resolveBuyerArrival(ports, { registrationToken: TOKEN });

    expect(r).toEqual({ ok: false, error: 'try-again' });
    expect(ports.fulfillment.resolveCalls).toBe(RESOLVE_ATTEMPTS);
  });

  it('refuses a buyer without an entitlement, and one without an onboarding', async () => {
    const { ports } = await subscribed();
    ports.fulfillment.issueToken('no-entitlement', {
      customerAwsAccountId: ACCOUNT,
      productCode: 'other-product',
      licenseArn: LICENSE,
    });
    ports.fulfillment.issueToken('stranger', {
      customerAwsAccountId: '999988887777',
      productCode: ports.config.productCode,
      licenseArn: `${LICENSE}0`,
    });
    ports.fulfillment.entitle(ports.config.productCode, {
      dimension: 'Users',
      licenseArn: `${LICENSE}0`,
      customerAwsAccountId: '999988887777',
    });

    expect(await resolveBuyerArrival(ports, { registrationToken: 'no-entitlement' })).toEqual({
      ok: false,
      error: 'not-entitled',
    });
    expect(await resolveBuyerArrival(ports, { registrationToken: 'stranger' })).toEqual({
      ok: false,
      error: 'no-onboarding',
    });
  });

  it('keys the customer by account and license: CustomerIdentifier may be absent', async () => {
    const { ports, id } = await subscribed();

    const r = await resolveBuyerArrival(ports, { registrationToken: TOKEN });

    expect(r.ok).toBe(true);
    expect((await ports.onboardings.get(id))?.customerIdentifier).toBeUndefined();
    expect(await ports.onboardings.findByRef('license', 'l-9d01d15f86334a8894365cd7350556ff')).toBe(id);
  });

  it('never lets the marketplace token or a task token out in e-mails or logs', async () => {
    const { ports, id, lines } = await subscribed();
    const acceptance = await opened(ports, id, 'AwaitAcceptance');

    await resolveBuyerArrival(ports, { registrationToken: TOKEN });
    await resolveBuyerArrival(ports, { registrationToken: TOKEN });

    const out = `${everythingSent(ports)}\n${lines.join('\n')}`;
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(acceptance.token);
    expect(JSON.stringify(ports.facts.memos)).not.toContain(TOKEN);
  });
});
