import type { Clock } from '../../ports/clock.js';

/** Time moves only when told; `sleep` advances it at once (and records the wait). */
export class MemoryClock implements Clock {
  private ms: number;
  readonly sleeps: number[] = [];

  constructor(start: Date | string = '2025-04-01T00:00:00.000Z') {
    this.ms = new Date(start).getTime();
  }

  now() {
    return new Date(this.ms);
  }

  advance(ms: number) {
    this.ms += ms;
  }

  async sleep(ms: number) {
    this.sleeps.push(ms);
    this.ms += ms;
  }
}
