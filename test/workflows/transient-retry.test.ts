import { describe, expect, it } from 'vitest';
import { renderOnboardingAsl } from '../../workflows/render.js';
import { TRANSIENT_RETRIES } from '../../workflows/transient-retry.js';

describe('the transient-failure retry policy', () => {
  it('is the first retry of every Lambda task, in the policy order, and no task has another copy of it', () => {
    // Prepare
    const expected = TRANSIENT_RETRIES.map((r) => r.errors);
    const transient = new Set(expected.flat());

    // Act
    const tasks = Object.entries(renderOnboardingAsl().States).filter(([, s]) =>
      String(s.Resource).startsWith('arn:aws:states:::lambda:invoke'),
    );

    // Assess
    expect(tasks.length).toBeGreaterThan(10);
    for (const [name, state] of tasks) {
      const retries = (state.Retry ?? []).map((r) => r.ErrorEquals);
      expect({ name, first: retries.slice(0, expected.length) }).toEqual({ name, first: expected });
      expect({
        name,
        rest: retries
          .slice(expected.length)
          .flat()
          .filter((e) => transient.has(e)),
      }).toEqual({
        name,
        rest: [],
      });
    }
  });
});
