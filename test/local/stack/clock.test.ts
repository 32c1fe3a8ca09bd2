/** The local stack's driven clock: real time that a test moves ahead, and the skipping of short waits. */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type DrivenClock, drivenClock, skipShortWaits } from '../../../local/stack/clock.js';

const idleRuntime = { idle: async () => undefined };
let clock: DrivenClock | undefined;
afterEach(() => clock?.stop());

describe('drivenClock', () => {
  it('fires at once the timers a jump passes, and only those', () => {
    // Prepare
    clock = drivenClock();
    const fired: string[] = [];
    clock.setTimer(clock.now() + 86_400_000, () => fired.push('in a day'));
    clock.setTimer(clock.now() + 3 * 86_400_000, () => fired.push('in three days'));

    // Act
    clock.advance(2 * 86_400_000);

    // Assess
    expect(fired).toEqual(['in a day']);
    expect(clock.nextTimerAt()).toBeGreaterThan(clock.now());
  });

  it('keeps in step with real time: a near timer fires without a jump', async () => {
    // Prepare
    clock = drivenClock();
    const start = clock.now();
    let firedAt: number | undefined;
    clock.setTimer(start + 30, () => {
      firedAt = clock?.now();
    });

    // Act
    await sleep(300);

    // Assess
    expect(firedAt).toBeGreaterThanOrEqual(start + 30);
  });

  it('refuses to go back', () => {
    // Prepare
    clock = drivenClock();

    // Act / Assess
    expect(() => clock?.advance(-1)).toThrow(/only moves forward/);
  });
});

describe('skipShortWaits', () => {
  it('passes a wait within the horizon while the runtime is idle, and leaves a longer one', async () => {
    // Prepare
    clock = drivenClock();
    const fired: string[] = [];
    clock.setTimer(clock.now() + 10_000, () => fired.push('a 10 s poll'));
    clock.setTimer(clock.now() + 7 * 86_400_000, () => fired.push('a 7-day timeout'));

    // Act
    const stop = skipShortWaits(clock, idleRuntime, 60_000);
    await sleep(300);
    stop();

    // Assess
    expect(fired).toEqual(['a 10 s poll']);
  });
});
