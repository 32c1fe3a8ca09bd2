/**
 * The clock of the local stack's Step Functions runtime. `npm start` runs on the runtime's real clock. Tests can ask
 * for a driven one instead: the runtime's VirtualClock kept in step with real time, so polling Waits, retries and
 * everything outside the runtime (the marketplace simulator, the e-mails, the pages) go on as usual, which a test
 * moves ahead to fire at once every Wait, retry and task timeout due by then (an offer's expiry, a stage's timeout)
 * instead of waiting for it.
 *
 * Only the runtime's timers (and the times it records in execution histories) follow it: the application reads the
 * real clock, as it does in AWS.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Clock, type LocalStepFunctions, VirtualClock } from '@marketplace-onboarding/sfn-local';

export type StackClockKind = 'real' | 'driven';

export interface DrivenClock extends Clock {
  /** Moves the clock `ms` ahead of real time (more than before), firing every timer due by then. */
  advance(ms: number): void;
  /** Absolute time of the earliest pending timer. */
  nextTimerAt(): number | undefined;
  /** Stops following real time. */
  stop(): void;
}

/** How often the driven clock catches up with real time (timers fire at most this late). */
const FOLLOW_EVERY_MS = 10;

export function drivenClock(): DrivenClock {
  const virtual = new VirtualClock(Date.now());
  let ahead = 0;
  const follow = () => virtual.advanceTo(Date.now() + ahead);
  const follower = setInterval(follow, FOLLOW_EVERY_MS);
  follower.unref();
  return {
    now: () => virtual.now(),
    setTimer: (atMs, fn) => virtual.setTimer(atMs, fn),
    nextTimerAt: () => virtual.nextTimerAt(),
    advance(ms) {
      if (!(ms >= 0)) throw new Error(`the clock only moves forward: advance(${ms})`);
      ahead += ms;
      follow();
    },
    stop: () => clearInterval(follower),
  };
}

/** How often an idle runtime is looked at for a short wait to skip. */
const SKIP_CHECK_MS = 20;

/**
 * While the runtime has nothing to run, moves the clock to its next timer when that is at most `upToMs` away:
 * polling and retry waits pass at once, longer timers (a stage's timeout, an offer's expiry) wait to be driven.
 * Returns a function that stops it.
 */
export function skipShortWaits(
  clock: DrivenClock,
  runtime: Pick<LocalStepFunctions, 'idle'>,
  upToMs: number,
): () => void {
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      await runtime.idle();
      const next = clock.nextTimerAt();
      const gap = next === undefined ? undefined : next - clock.now();
      if (!stopped && gap !== undefined && gap <= upToMs) clock.advance(Math.max(0, gap));
      await sleep(SKIP_CHECK_MS, undefined, { ref: false });
    }
  };
  void loop().catch(() => undefined);
  return () => {
    stopped = true;
  };
}
