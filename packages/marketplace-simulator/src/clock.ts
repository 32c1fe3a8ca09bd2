/**
 * The simulator's clock: real time moved on by the time travelled (`advanceClock`), kept in the store so a restart
 * stays in the simulated present. Only the simulator reads it; its clients keep their own clocks.
 */
import type { DocStore } from './store.js';

interface ClockDoc {
  offsetMs: number;
}

export class SimulatorClock {
  private offset: number;

  constructor(private readonly store: DocStore) {
    this.offset = store.peek<ClockDoc>('clock', 'offset')?.offsetMs ?? 0;
  }

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  /** How far ahead of real time the simulator is, in ms. */
  get offsetMs(): number {
    return this.offset;
  }

  advance(ms: number): void {
    this.offset += ms;
    this.store.put<ClockDoc>('clock', 'offset', { offsetMs: this.offset });
  }
}
