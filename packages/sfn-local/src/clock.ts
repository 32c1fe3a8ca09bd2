/**
 * Time for the runtime: `now()` in epoch milliseconds and one-shot timers at absolute deadlines.
 * The engine never calls `Date.now()` or `setTimeout` directly, so tests and the conformance runner can drive
 * Waits, retries and timeouts with a {@link VirtualClock}.
 */

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Current time, epoch milliseconds. */
  now(): number;
  /** Calls `fn` once, at or after the absolute time `atMs` (epoch ms). */
  setTimer(atMs: number, fn: () => void): TimerHandle;
}

/** setTimeout's maximum delay; longer timers are re-armed in steps. */
const MAX_DELAY_MS = 2_147_483_647;

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(atMs, fn) {
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = () => {
      if (cancelled) return;
      const delay = atMs - Date.now();
      if (delay > MAX_DELAY_MS) {
        handle = setTimeout(arm, MAX_DELAY_MS);
      } else {
        handle = setTimeout(fn, Math.max(0, delay));
      }
    };
    arm();
    return {
      cancel() {
        cancelled = true;
        if (handle) clearTimeout(handle);
      },
    };
  },
};

interface VirtualTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A clock whose time only moves when told to. Timers fire synchronously inside `advanceTo`/`runNext`. */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: VirtualTimer[] = [];

  constructor(startMs: number = Date.UTC(2024, 0, 1)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimer(atMs: number, fn: () => void): TimerHandle {
    const timer: VirtualTimer = { at: atMs, seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Absolute time of the earliest pending timer. */
  nextTimerAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.#timers) if (!t.cancelled && (next === undefined || t.at < next)) next = t.at;
    return next;
  }

  /** Number of pending timers. */
  get pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** Moves time to `atMs` (never backwards), firing every timer due by then in deadline order. */
  advanceTo(atMs: number): void {
    for (;;) {
      const due = this.#takeDue(atMs);
      if (!due) break;
      if (due.at > this.#now) this.#now = due.at;
      due.fn();
    }
    if (atMs > this.#now) this.#now = atMs;
  }

  advance(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  /** Jumps to the earliest pending timer and fires every timer due at that instant. False when none is pending. */
  runNext(): boolean {
    const next = this.nextTimerAt();
    if (next === undefined) return false;
    this.advanceTo(Math.max(next, this.#now));
    return true;
  }

  #takeDue(atMs: number): VirtualTimer | undefined {
    this.#timers = this.#timers.filter((t) => !t.cancelled);
    let best: VirtualTimer | undefined;
    for (const t of this.#timers) {
      if (t.at <= atMs && (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq))) best = t;
    }
    if (best) best.cancelled = true;
    return best;
  }
}
