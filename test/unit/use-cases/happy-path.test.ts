/**
 * The whole procedure through the use cases, in the order the workflow calls them (the state machine itself is
 * tested in test/workflows): both branches reach a paid plan; nothing a person receives contains a task token.
 */
import { describe, expect, it } from 'vitest';
import { selectAccount } from '../../../tasks/use-cases/account-selection.js';
import { closeOnboarding } from '../../../tasks/use-cases/close-onboarding.js';
import { closeOnboardingRecord } from '../../../tasks/use-cases/close-onboarding-record.js';
import { completeHumanStage } from '../../../tasks/use-cases/complete-human-stage.js';
import { handleMarketplaceEvent } from '../../../tasks/use-cases/marketplace-signals.js';
import { checkOffer, createOffer, sendOfferNotice } from '../../../tasks/use-cases/offers.js';
import { recordInquiry } from '../../../tasks/use-cases/record-inquiry.js';
import { loginExistingUser, registerNewAccount } from '../../../tasks/use-cases/registration.js';
import { resolveBuyerArrival } from '../../../tasks/use-cases/resolve-buyer-arrival.js';
import {
  activatePaidPlan,
  createAccount,
  notifyCompletion,
  seedAccounts,
} from '../../../tasks/use-cases/saas-accounts.js';
import { startOnboarding } from '../../../tasks/use-cases/start-onboarding.js';
import { fixture } from '../fixtures.js';
import { buyer, capturingLogger, inquiry, opened, sales, setup, support, terms } from './helpers.js';

const ACCOUNT = '845735284135';
const LICENSE = 'arn:aws:license-manager::294406891311:license:l-9d01d15f86334a8894365cd7350556ff';

async function throughSetup() {
  const { lines, log } = capturingLogger();
  const ports = setup({ log });
  const tokens: string[] = [];
  const open = async (id: string, stage: Parameters<typeof opened>[2]) => {
    const r = await opened(ports, id, stage);
    tokens.push(r.token);
    return r;
  };

  const started = await startOnboarding(ports, {
    inquiry: inquiry({ awsAccountId: ACCOUNT }),
    actor: { kind: 'system', id: 'web' },
  });
  if (!started.ok) throw new Error('start failed');
  const id = started.onboardingId;
  await recordInquiry(ports, ports.callbacks.executions.get(id)?.input);
  await open(id, 'Consultation');
  const consulted = await completeHumanStage(ports, {
    onboardingId: id,
    actor: sales,
    stage: 'Consultation',
    payload: terms(),
  });
  expect(consulted.ok).toBe(true);

  const { changeSetId } = await createOffer(ports, {
    onboardingId: id,
    buyerAwsAccountId: ACCOUNT,
    terms: terms(),
    attempt: 1,
  });
  let status = await checkOffer(ports, { onboardingId: id, changeSetId });
  while (status.status !== 'SUCCEEDED') status = await checkOffer(ports, { onboardingId: id, changeSetId });
  const offerId = status.offerId ?? '';
  await sendOfferNotice(ports, {
    onboardingId: id,
    offerId,
    offerExpiresAt: terms().offerExpiresAt,
    source: 'api',
  });
  await open(id, 'AwaitAcceptance');

  // the buyer subscribes: the agreement event, then the "アカウントを設定" POST
  const event = fixture<{ detail: { offer: { id: string } } }>('eventbridge-agreement-created.json');
  event.detail.offer.id = offerId;
  expect(await handleMarketplaceEvent(ports, event)).toMatchObject({ outcome: 'advanced' });
  ports.fulfillment.issueToken('mp-token', {
    customerAwsAccountId: ACCOUNT,
    productCode: ports.config.productCode,
    licenseArn: LICENSE,
  });
  ports.fulfillment.entitle(ports.config.productCode, {
    dimension: 'Users',
    licenseArn: LICENSE,
    customerAwsAccountId: ACCOUNT,
  });
  const arrival = await resolveBuyerArrival(ports, { registrationToken: 'mp-token' });
  expect(arrival).toMatchObject({ ok: true, onboardingId: id });
  expect((await open(id, 'AccountSetup')).completedAtOnce).toBe(true);
  await open(id, 'Registration');
  return { ports, id, tokens, lines };
}

describe('the whole procedure', () => {
  it('7-1: a new account reaches the paid plan', async () => {
    const { ports, id, tokens, lines } = await throughSetup();

    expect(
      (
        await registerNewAccount(ports, {
          onboardingId: id,
          actor: buyer(ACCOUNT),
          accountName: 'Example Prod',
          email: 'it@example.co.jp',
        })
      ).ok,
    ).toBe(true);
    const registration = ports.callbacks.successes().at(-1)?.output;
    const { accountId } = await createAccount(ports, { onboardingId: id, registration });
    await activatePaidPlan(ports, { onboardingId: id, accountId });
    await notifyCompletion(ports, { onboardingId: id, accountId });

    expect(await ports.onboardings.get(id)).toMatchObject({
      stage: 'Completed',
      status: 'completed',
      paidPlan: { accountId, plan: 'Enterprise' },
    });
    expect((await ports.accounts.getAccount(accountId))?.plan).toBe('paid');
    expect(ports.mailer.outbox.map((m) => m.tag)).toEqual([
      'acknowledgement',
      'staff-task:Consultation',
      'offer-notice',
      'completion',
    ]);
    const leaked = `${JSON.stringify(ports.mailer.outbox)}\n${lines.join('\n')}`;
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.filter((token) => leaked.includes(token))).toEqual([]);
    expect(leaked).not.toContain('mp-token');
  });

  it('7-2: an existing user picks an account and reaches the paid plan', async () => {
    const { ports, id } = await throughSetup();
    await seedAccounts(ports, [
      {
        email: 'admin@example.co.jp',
        password: 'demo-password-1',
        accounts: [{ id: 'acct-demo-prod', name: 'Demo Prod' }],
      },
    ]);

    const login = await loginExistingUser(ports, {
      onboardingId: id,
      actor: buyer(ACCOUNT),
      email: 'admin@example.co.jp',
      password: 'demo-password-1',
    });
    if (!login.ok) throw new Error('login failed');
    await opened(ports, id, 'AccountSelection');
    expect(
      (
        await selectAccount(ports, {
          onboardingId: id,
          actor: buyer(ACCOUNT),
          userId: login.user.id,
          accountId: 'acct-demo-prod',
        })
      ).ok,
    ).toBe(true);
    await activatePaidPlan(ports, { onboardingId: id, accountId: 'acct-demo-prod' });
    await notifyCompletion(ports, { onboardingId: id, accountId: 'acct-demo-prod' });

    expect(await ports.onboardings.get(id)).toMatchObject({
      status: 'completed',
      accountId: 'acct-demo-prod',
    });
    expect((await ports.accounts.getAccount('acct-demo-prod'))?.paidPlan?.plan).toBe('Enterprise');
  });

  it('support closes at Registration; close-onboarding records who and why and tells support', async () => {
    const { ports, id } = await throughSetup();

    await closeOnboarding(ports, { onboardingId: id, reason: 'Buyer asked to stop', actor: support });
    const failure = ports.callbacks.failures()[0];
    const closed = await closeOnboardingRecord(ports, {
      onboardingId: id,
      stage: 'Registration',
      outcome: 'closed',
      error: failure?.kind === 'failure' ? failure.error : undefined,
      cause: failure?.kind === 'failure' ? failure.cause : undefined,
    });
    await closeOnboardingRecord(ports, {
      onboardingId: id,
      stage: 'Registration',
      outcome: 'closed',
      error: 'Onboarding.Closed',
    });

    expect(closed.reason).toBe('Buyer asked to stop');
    expect(await ports.onboardings.get(id)).toMatchObject({
      stage: 'Closed',
      status: 'closed',
      end: { outcome: 'closed', reason: 'Buyer asked to stop', stage: 'Registration' },
    });
    const alerts = ports.mailer.tagged('support-alert:closed');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toContain('by staff:suzuki');
  });

  it('a failure cause that quotes a payload with a task token is kept, noted and mailed without it', async () => {
    const { ports, id, tokens } = await throughSetup();
    const leaked = tokens[0] as string;
    const cause = `Lambda failed on {"onboardingId":"${id}","taskToken":"${leaked}","stage":"Registration"}`;

    await closeOnboardingRecord(ports, {
      onboardingId: id,
      stage: 'Registration',
      outcome: 'failed',
      error: 'Lambda.Unknown',
      cause,
    });

    const o = await ports.onboardings.get(id);
    expect(o?.end?.reason).toContain('Lambda failed on');
    expect(JSON.stringify(o)).not.toContain(leaked);
    expect(JSON.stringify(await ports.onboardings.timeline(id))).not.toContain(leaked);
    expect(JSON.stringify(ports.mailer.outbox)).not.toContain(leaked);
  });
});
