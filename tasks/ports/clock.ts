export interface Clock {
  now(): Date;
  /** Waits (retry back-off). In-memory clocks advance instead of waiting. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
