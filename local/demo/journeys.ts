/**
 * Onboardings driven to their end whatever happens to the stack in between: each step looks at where the execution
 * stands (the Step Functions API, as an operator would) and does what the person waiting there would do next, so a
 * journey picks up again after the stack was killed and started again, however far its last action got. Every action
 * may fail (the stack is down, the action already happened): the next step looks again. For the crash test and the
 * crash benchmark. Like the rest of local/demo it knows URLs and page shapes, never the application's internals.
 */
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { Browser } from './browser.js';
import type { Procedure } from './procedure.js';
import { type BuyerIdentity, defaultTerms } from './scenarios.js';

export interface ExistingUser {
  readonly email: string;
  readonly password: string;
  readonly accountId: string;
}

export interface Journey {
  readonly buyer: BuyerIdentity;
  /** Set for branch 7-2 (log in, pick this account); branch 7-1 registers a new account. */
  readonly existing?: ExistingUser;
  onboardingId?: string;
  browser: Browser;
  offerLink?: string;
  agreementUrl?: string;
  /** The execution's end status, once it ended. */
  ended?: string;
  /** A human stage the journey found waiting that no buyer or sales action moves on (a wrong turn). */
  strayedAt?: string;
  /** Where it was last seen (state, and whether it waited), for the report. */
  lastSeen?: string;
  /** Actions that failed (the stack was down, or the action had already happened), for the report. */
  failedActions: number;
  /** The last buyer-page action failed: click "アカウントを設定" again first (it gives the buyer's session). */
  setUpAgain?: boolean;
}

export function journey(buyer: BuyerIdentity, existing?: ExistingUser): Journey {
  return {
    buyer,
    ...(existing ? { existing } : {}),
    browser: new Browser({ acceptLanguage: 'ja' }),
    failedActions: 0,
  };
}

/** Where an execution stands: ended (with its status), or the newest state entered and whether it waits on a task. */
export interface Position {
  readonly ended?: string;
  readonly state?: string;
  readonly waiting: boolean;
}

export async function position(procedure: Procedure, onboardingId: string): Promise<Position> {
  const out = await procedure.sfn.send(
    new DescribeExecutionCommand({ executionArn: procedure.executionArn(onboardingId) }),
  );
  if (out.status !== 'RUNNING') return { ended: out.status ?? 'UNKNOWN', waiting: false };
  const recent = await procedure.recentEvents(onboardingId);
  const entered = recent.findIndex((e) => e.type?.endsWith('StateEntered'));
  const state = entered >= 0 ? recent[entered]?.stateEnteredEventDetails?.name : undefined;
  const waiting = recent.slice(0, Math.max(entered, 0)).some((e) => e.type === 'TaskSubmitted');
  return { ...(state ? { state } : {}), waiting };
}

/** The onboarding an inquiry from `email` started, if its execution exists (the confirmation may have been lost). */
async function findByEmail(procedure: Procedure, email: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await procedure.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: procedure.stateMachineArn, maxResults: 100, nextToken }),
    );
    for (const e of page.executions ?? []) {
      const d = await procedure.sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
      const input = JSON.parse(d.input ?? '{}') as { inquiry?: { email?: string } };
      if (input.inquiry?.email === email) return e.name;
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

/** Human stages a person in a journey completes; waiting anywhere else (StageTimedOut, OfferFailed...) is a wrong turn. */
const DRIVEN = new Set([
  'Consultation',
  'AwaitAcceptance',
  'AccountSetup',
  'Registration',
  'AccountSelection',
]);

/**
 * One step of a journey: start it, or act at the human stage it waits at. Returns true while it has not ended.
 * Errors of an action are counted, not thrown: the next step looks at the execution again.
 */
export async function step(procedure: Procedure, j: Journey): Promise<boolean> {
  if (j.ended || j.strayedAt) return false;
  try {
    if (!j.onboardingId) {
      j.onboardingId =
        (await findByEmail(procedure, j.buyer.email)) ??
        (await procedure.inquiry({ ...j.buyer, plan: 'Business', locale: 'ja' }));
      return true;
    }
    const at = await position(procedure, j.onboardingId);
    if (at.ended) {
      j.ended = at.ended;
      return false;
    }
    j.lastSeen = `${at.state ?? '?'}${at.waiting ? ' (waiting)' : ''}`;
    if (!at.waiting || !at.state) return true;
    if (!DRIVEN.has(at.state)) {
      j.strayedAt = at.state;
      return false;
    }
    await act(procedure, j, j.onboardingId, at.state);
  } catch {
    j.failedActions += 1;
  }
  return true;
}

async function act(procedure: Procedure, j: Journey, onboardingId: string, stage: string): Promise<void> {
  switch (stage) {
    case 'Consultation':
      await procedure.agreeTerms('sales', onboardingId, defaultTerms());
      return;
    case 'AwaitAcceptance':
    case 'AccountSetup':
      await setUp(procedure, j);
      return;
    case 'Registration':
    case 'AccountSelection':
      try {
        // the buyer's session comes from the fulfillment POST: after one that failed, click "アカウントを設定" again
        if (j.setUpAgain) await setUp(procedure, j);
        j.setUpAgain = false;
        if (j.existing)
          await procedure.loginAndSelect(
            j.browser,
            j.existing.email,
            j.existing.password,
            j.existing.accountId,
          );
        else {
          const form = await j.browser.get(`${procedure.urls.web}/buyer/register`);
          await procedure.registerNew(j.browser, form, `${j.buyer.company} 本番`, j.buyer.email);
        }
      } catch (error) {
        j.setUpAgain = true;
        throw error;
      }
      return;
  }
}

/** Subscribes (once) to the mailed offer, then clicks "アカウントを設定" on the agreement page. */
async function setUp(procedure: Procedure, j: Journey): Promise<void> {
  if (!j.agreementUrl) {
    j.offerLink ??= await procedure.offerLinkFromInbox(j.buyer.email, 2_000);
    const url = new URL(j.offerLink);
    url.searchParams.set('account', j.buyer.awsAccountId);
    const offer = await j.browser.get(url.toString());
    // subscribed already (the answer to an earlier click was lost): the offer page links the agreement instead
    const link = offer.document.querySelector('a[href^="/agreements/"]')?.getAttribute('href');
    const agreement = link
      ? await j.browser.get(new URL(link, offer.url).toString())
      : await j.browser.submit(offer, { action: /\/subscribe$/ });
    j.agreementUrl = agreement.url;
  }
  await procedure.setUpAccount(j.browser, await j.browser.get(j.agreementUrl));
}

/**
 * Drives every journey until each has ended or strayed, or `timeoutMs` passes; `pauseMs` between rounds. `stop`
 * ends the driving early (e.g. once the stack died) and is checked between steps.
 */
export async function driveAll(
  procedure: Procedure,
  journeys: readonly Journey[],
  options: { timeoutMs: number; pauseMs?: number; stop?: () => boolean },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  await Promise.all(
    journeys.map(async (j) => {
      while (Date.now() < deadline && !options.stop?.()) {
        if (!(await step(procedure, j))) return;
        await new Promise((r) => setTimeout(r, options.pauseMs ?? 250));
      }
    }),
  );
}
