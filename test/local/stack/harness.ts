/**
 * A whole local stack on free ports with a temporary data folder, and a procedure driver on it, for e2e tests. The
 * stack's Step Functions runtime runs on a driven clock unless a test asks for the real one: polling and retry waits
 * (up to a minute) pass as soon as the runtime has nothing else to do, and a test moves the clock past a task's
 * timeout (an offer's expiry, a stage's timeout) instead of waiting for it. Change sets then settle at once, as the
 * first check after a skipped wait must see them settled.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eventually, Procedure } from '../../../local/demo/procedure.js';
import { allowManyInquiriesFromOneAddress } from '../../../local/demo/users.js';
import { type RunningStack, type StackOptions, startStack } from '../../../local/stack/boot.js';
import type { StackClockKind } from '../../../local/stack/clock.js';
import { freePortsConfig, type StackVendor } from '../../../local/stack/config.js';
import { DEMO_STAFF } from '../../../local/stack/seed.js';
import { LOCAL_PACING, type WorkflowPacing } from '../../../local/stack/synth.js';

export const STAFF_PASSWORDS = Object.fromEntries(DEMO_STAFF.map((u) => [u.id, u.password]));

/**
 * Time for one end-to-end test: more than the driver's own waits (30 s for a stage, 60 s for the end), so on a slow
 * machine a test fails with the driver's message naming what it waited for, not with vitest's bare timeout.
 */
export const E2E_TEST_TIMEOUT_MS = 120_000;

/** On the driven clock, waits up to this long pass at once: LOCAL_PACING's polls and retries, no stage timeout. */
const SKIPPED_WAIT_SECONDS = 60;

export interface StackHarness {
  readonly stack: RunningStack;
  readonly procedure: Procedure;
  readonly dataDir: string;
  /**
   * Moves the driven clock just past the timeout of the task the onboarding waits on now (its TimeoutSeconds as the
   * history records it), so the timeout fires at once. Returns the seconds skipped.
   */
  skipPastTimeout(onboardingId: string): Promise<number>;
  close(): Promise<void>;
}

export async function startTestStack(
  pacing: Partial<WorkflowPacing> = {},
  options: {
    clock?: StackClockKind;
    vendor?: StackVendor;
    vendorUrl?: string;
    artifacts?: boolean;
    adjustTemplate?: StackOptions['adjustTemplate'];
  } = {},
): Promise<StackHarness> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  allowManyInquiriesFromOneAddress();
  const driven = (options.clock ?? 'driven') === 'driven';
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mo-e2e-'));
  const stack = await startStack({
    config: freePortsConfig(dataDir, {
      ...(options.vendor ? { vendor: options.vendor } : {}),
      ...(options.vendorUrl ? { vendor: 'built-in', vendorUrl: options.vendorUrl } : {}),
      ...(options.artifacts ? { artifacts: true } : {}),
    }),
    pacing: { ...LOCAL_PACING, ...pacing },
    ...(options.adjustTemplate ? { adjustTemplate: options.adjustTemplate } : {}),
    ...(driven
      ? { clock: 'driven', skipWaitsUpToSeconds: SKIPPED_WAIT_SECONDS, changeSetDelayMs: 0 }
      : { clock: 'real', changeSetDelayMs: 500 }),
  }).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const procedure = new Procedure(stack.urls, stack.stateMachineArn, STAFF_PASSWORDS);
  return {
    stack,
    procedure,
    dataDir,
    skipPastTimeout: async (onboardingId) => {
      const { clock } = stack;
      if (!clock) throw new Error('skipPastTimeout: this stack runs on the real clock');
      const scheduled = (await procedure.history(onboardingId))
        .filter((e) => e.type === 'TaskScheduled' || e.type === 'LambdaFunctionScheduled')
        .at(-1);
      const seconds =
        scheduled?.taskScheduledEventDetails?.timeoutInSeconds ??
        scheduled?.lambdaFunctionScheduledEventDetails?.timeoutInSeconds;
      if (seconds === undefined) throw new Error(`${onboardingId} waits on no task with a timeout`);
      clock.advance((seconds + 1) * 1000);
      return seconds;
    },
    close: async () => {
      procedure.sfn.destroy();
      await stack.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The support e-mail telling that `onboardingId` timed out (subject and text), once the SES inbox has it. */
export async function supportMailAbout(sesUrl: string, onboardingId: string): Promise<string> {
  return eventually(`a support e-mail about ${onboardingId} timing out`, async () => {
    const store = (await (await fetch(`${sesUrl}/store`)).json()) as {
      emails: { destination: { to: string[] }; subject: string; body: { text?: string } }[];
    };
    const mail = store.emails.find(
      (m) =>
        m.subject.includes(onboardingId) &&
        /StageTimedOut|期限切れ|timed out/i.test(`${m.subject} ${m.body.text}`),
    );
    return mail ? `${mail.subject}\n${mail.body.text ?? ''}` : undefined;
  });
}
