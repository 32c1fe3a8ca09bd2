import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../workflows/contracts/functions.js';
import { WORKFLOW_ERRORS } from '../../workflows/contracts/workflow-errors.js';
import { renderOnboardingAsl } from '../../workflows/render.js';
import { TRANSIENT_RETRIES, transientRetries } from '../../workflows/transient-retry.js';

const lambdaTasks = () =>
  Object.entries(renderOnboardingAsl().States).filter(([, s]) =>
    String(s.Resource).startsWith('arn:aws:states:::lambda:invoke'),
  );

describe('the transient-failure retry policy', () => {
  it('is the first retry of every Lambda task, in the policy order, and no task has another copy of it', () => {
    // Prepare
    const expected = TRANSIENT_RETRIES.map((r) => r.errors);
    const transient = new Set(expected.flat());

    // Act
    const tasks = lambdaTasks();

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

  it('retries the errors that mean "try again": in progress, concurrent update, throttling', () => {
    // Act
    const errors = TRANSIENT_RETRIES.flatMap((r) => r.errors ?? []);

    // Assess
    expect(errors).toEqual(
      expect.arrayContaining([
        'IdempotencyAlreadyInProgressError',
        WORKFLOW_ERRORS.concurrentUpdate,
        WORKFLOW_ERRORS.throttled,
        'Lambda.TooManyRequestsException',
      ]),
    );
  });

  it('waits longer than the function timeout before retrying an invocation marked in progress, in every task', () => {
    // Prepare
    const longest = Math.max(
      ...FUNCTIONS.filter((f) => f.trigger === 'workflow').map((f) => f.timeoutSeconds ?? 10),
    );

    // Act
    const intervals = lambdaTasks().map(([name, state]) => ({
      name,
      interval: Number(
        (state.Retry ?? []).find((r) => r.ErrorEquals.includes(WORKFLOW_ERRORS.inProgress))?.IntervalSeconds,
      ),
    }));

    // Assess
    for (const { name, interval } of intervals) {
      expect({ name, longer: interval > longest }).toEqual({ name, longer: true });
    }
  });

  it('spreads racing writers: concurrent updates and throttling back off with full jitter', () => {
    // Act
    const jittered = lambdaTasks().flatMap(([, state]) =>
      (state.Retry ?? []).filter((r) =>
        r.ErrorEquals.some((e) => e === WORKFLOW_ERRORS.concurrentUpdate || e === WORKFLOW_ERRORS.throttled),
      ),
    );

    // Assess
    expect(jittered.length).toBeGreaterThan(0);
    for (const r of jittered) expect(r).toMatchObject({ JitterStrategy: 'FULL', BackoffRate: 2 });
  });

  it('refuses a function timeout Lambda does not allow, naming it', () => {
    expect(() => transientRetries(Duration.minutes(20))).toThrow(/1 to 900.*20 minutes/);
  });
});
