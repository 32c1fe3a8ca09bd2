/**
 * Step 6, the fulfillment POST: resolve the `x-amzn-marketplace-token` at once (ResolveCustomer), check the
 * entitlement, find the onboarding (customer keyed by CustomerAWSAccountId + LicenseArn), record the buyer-arrival
 * fact, complete AwaitAcceptance (source buyer-arrival) and AccountSetup if they wait. A replayed token gives the
 * same answer and advances nothing twice; an arrival before the agreement event is stored and used when the
 * task opens. Returns what the web needs to start a signed buyer session bound to the onboarding.
 */

import type { Locale } from '../../workflows/contracts/inquiry.js';
import {
  BUYER_ARRIVAL_STAGES,
  type Stage,
  stagesCompletedBy,
} from '../../workflows/contracts/stage-registry.js';
import { completionFor } from '../domain/facts.js';
import { isClaimable } from '../domain/human-task.js';
import { digest, licenseKey } from '../domain/marketplace-signals.js';
import { confirmSubscription, isLive, type Onboarding } from '../domain/onboarding.js';
import { said } from '../domain/timeline-texts.js';
import type { Ports } from '../ports/index.js';
import { FulfillmentError, type ResolvedCustomer } from '../ports/marketplace-fulfillment.js';
import { deliverToTask } from './deliver.js';
import { note, nowIso, updateOnboarding } from './shared.js';

export interface BuyerArrival {
  ok: true;
  onboardingId: string;
  buyerAwsAccountId: string;
  licenseArn: string;
  locale: Locale;
  /** Where the onboarding stands now (e.g. Registration; Completed when setup was already done). */
  stage: Stage;
  /** True when this token had been resolved before (a reload or a replay). */
  replay: boolean;
}

export type BuyerArrivalResult =
  | BuyerArrival
  | {
      ok: false;
      error: 'missing-token' | 'invalid-token' | 'expired-token' | 'not-entitled' | 'no-onboarding';
    }
  /** Throttled or unavailable after the bounded retries: show "please try again in a moment". */
  | { ok: false; error: 'try-again' };

type ArrivalPorts = Pick<
  Ports,
  'fulfillment' | 'onboardings' | 'tasks' | 'facts' | 'callbacks' | 'clock' | 'config' | 'log'
>;

/** ResolveCustomer attempts when throttled (with exponential back-off from RETRY_BASE_MS). */
export const RESOLVE_ATTEMPTS = 4;
export const RETRY_BASE_MS = 200;
/**
 * How long our memo answers for a registration token without asking AWS again: long enough for what one arrival
 * sends twice (a double click, several tabs, a retrying proxy, a reload during setup), short enough that an old
 * token is judged by AWS, not by us. AWS documents no token lifetime, only that a token held too long or submitted
 * again may answer ExpiredTokenException ("redeem this token as soon as it is submitted"); after the arrival the
 * buyer's session cookie carries the setup, not the token.
 */
export const TOKEN_REPLAY_SECONDS = 15 * 60;

async function resolveWithRetry(
  ports: ArrivalPorts,
  token: string,
): Promise<ResolvedCustomer | FulfillmentError> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ports.fulfillment.resolveCustomer(token);
    } catch (err) {
      if (!(err instanceof FulfillmentError)) throw err;
      const retryable = err.kind === 'throttled' || err.kind === 'unavailable';
      if (!retryable || attempt >= RESOLVE_ATTEMPTS) return err;
      const wait = RETRY_BASE_MS * 2 ** (attempt - 1);
      ports.log.warn('ResolveCustomer retry', { kind: err.kind, attempt, waitMs: wait });
      await ports.clock.sleep(wait);
    }
  }
}

function pickOnboarding(list: Onboarding[]): Onboarding | undefined {
  const waiting = (o: Onboarding) => isLive(o) && BUYER_ARRIVAL_STAGES.includes(o.stage);
  return list.find(waiting) ?? list.find(isLive) ?? list[0];
}

export async function resolveBuyerArrival(
  ports: ArrivalPorts,
  input: { registrationToken: string | undefined | null },
): Promise<BuyerArrivalResult> {
  const token = input.registrationToken?.trim();
  if (!token) return { ok: false, error: 'missing-token' };
  const memoKey = `mptoken#${digest(token)}`;

  const memo = await ports.facts.recall(memoKey);
  const fresh =
    typeof memo?.at === 'string' &&
    ports.clock.now().getTime() - Date.parse(memo.at) < TOKEN_REPLAY_SECONDS * 1000;
  // the memo is written first (below); an arrival that stopped before its fact is finished by the full path
  if (
    memo &&
    fresh &&
    typeof memo.onboardingId === 'string' &&
    (await arrivalRecorded(ports, memo.onboardingId))
  ) {
    const o = await ports.onboardings.get(memo.onboardingId);
    // a previous attempt may have stopped half-way; advance returns the record as it is now
    const now = o ? await advance(ports, o) : undefined;
    return {
      ok: true,
      onboardingId: memo.onboardingId,
      buyerAwsAccountId: String(memo.buyerAwsAccountId),
      licenseArn: String(memo.licenseArn),
      locale: (now?.locale ?? memo.locale) as Locale,
      stage: (now?.stage ?? memo.stage) as Stage,
      replay: true,
    };
  }

  const resolved = await resolveWithRetry(ports, token);
  if (resolved instanceof FulfillmentError) {
    ports.log.warn('ResolveCustomer refused the registration token', { kind: resolved.kind });
    if (resolved.kind === 'invalid-token') return { ok: false, error: 'invalid-token' };
    if (resolved.kind === 'expired-token') return { ok: false, error: 'expired-token' };
    return { ok: false, error: 'try-again' };
  }
  const { customerAwsAccountId, productCode, licenseArn, customerIdentifier } = resolved;

  const entitlements = await ports.fulfillment.getEntitlements({
    productCode,
    ...(licenseArn ? { licenseArn } : { customerAwsAccountId }),
  });
  if (!entitlements.length || !licenseArn) {
    ports.log.warn('buyer arrived without an entitlement yet', {
      customerAwsAccountId,
      hasLicense: !!licenseArn,
    });
    return { ok: false, error: 'not-entitled' };
  }

  const byLicense = await ports.onboardings.findByRef('license', licenseKey(licenseArn));
  const onboarding =
    (byLicense ? await ports.onboardings.get(byLicense) : undefined) ??
    pickOnboarding(await ports.onboardings.findByBuyerAccount(customerAwsAccountId));
  if (!onboarding) {
    ports.log.warn('buyer arrived without an onboarding', { customerAwsAccountId });
    return { ok: false, error: 'no-onboarding' };
  }
  const onboardingId = onboarding.id;
  const memoAt = nowIso(ports);
  // the memo first: from here on a reload or a parallel post of this token (a double click, several tabs, a
  // retrying proxy) finds its onboarding without asking AWS again or writing the record again
  await ports.facts.remember(
    memoKey,
    {
      at: memoAt,
      onboardingId,
      buyerAwsAccountId: customerAwsAccountId,
      licenseArn,
      locale: onboarding.locale,
      stage: onboarding.stage,
    },
    TOKEN_REPLAY_SECONDS,
  );
  const at = nowIso(ports);
  await ports.onboardings.linkRef('license', licenseKey(licenseArn), onboardingId);
  if (customerIdentifier) await ports.onboardings.linkRef('customer', customerIdentifier, onboardingId);

  const recorded = await ports.facts.record({
    kind: 'buyer-arrived',
    onboardingId,
    at,
    resolved: {
      customerAwsAccountId,
      licenseArn,
      productCode,
      ...(customerIdentifier ? { customerIdentifier } : {}),
      entitlements: entitlements.map((e) => ({
        dimension: e.dimension,
        ...(e.value !== undefined ? { value: e.value } : {}),
        ...(e.expiresAt ? { expiresAt: e.expiresAt } : {}),
      })),
      resolvedAt: at,
    },
  });
  await updateOnboarding(
    ports,
    onboardingId,
    (o) =>
      confirmSubscription(
        o,
        {
          detail: 'entitled buyer arrived (ResolveCustomer + GetEntitlements)',
          licenseArn,
          productCode,
          ...(customerIdentifier ? { customerIdentifier } : {}),
        },
        at,
      ),
    onboarding,
  );
  if (recorded === 'recorded') {
    await note(
      ports,
      onboardingId,
      { kind: 'buyer', id: customerAwsAccountId },
      onboarding.stage,
      'buyer-arrived',
      said('buyer-arrived', {}),
      {
        licenseArn,
      },
    );
  }
  const after = await advance(ports, onboarding);
  await ports.facts.remember(
    memoKey,
    {
      at: memoAt,
      onboardingId,
      buyerAwsAccountId: customerAwsAccountId,
      licenseArn,
      locale: after.locale,
      stage: after.stage,
    },
    TOKEN_REPLAY_SECONDS,
  );
  return {
    ok: true,
    onboardingId,
    buyerAwsAccountId: customerAwsAccountId,
    licenseArn,
    locale: after.locale,
    stage: after.stage,
    replay: false,
  };
}

/** Whether the buyer-arrived fact of an onboarding is stored (the arrival got past its memo). */
async function arrivalRecorded(ports: ArrivalPorts, onboardingId: string): Promise<boolean> {
  return (await ports.facts.list(onboardingId)).some((f) => f.kind === 'buyer-arrived');
}

/**
 * Completes the stages a buyer's arrival completes (AwaitAcceptance, AccountSetup) with the stored facts if they wait;
 * returns the fresh record.
 */
async function advance(ports: ArrivalPorts, onboarding: Onboarding): Promise<Onboarding> {
  const facts = await ports.facts.list(onboarding.id);
  for (const stage of stagesCompletedBy('buyer-arrived')) {
    const task = await ports.tasks.get(onboarding.id, stage);
    // open, or claimed by a completion that died while sending (deliverToTask takes such a claim over)
    if (!task || !isClaimable(task, ports.clock.now().getTime())) continue;
    // the buyer's own arrival resumes AwaitAcceptance with source buyer-arrival (before an agreement fact)
    const completion =
      completionFor(
        stage,
        facts.filter((f) => f.kind === 'buyer-arrived'),
      ) ?? completionFor(stage, facts);
    if (!completion) continue;
    await deliverToTask(ports, {
      onboardingId: onboarding.id,
      stage,
      task,
      actor: completion.output.actor,
      delivery: { kind: 'success', output: completion.output },
    });
  }
  return (await ports.onboardings.get(onboarding.id)) ?? onboarding;
}
