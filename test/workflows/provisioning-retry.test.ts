/**
 * The vendor's SaaS unavailable (Onboarding.ProvisioningUnavailable) on the rendered definition, in memory on a
 * virtual clock (sfn-local): a short outage is absorbed by the retries with the same input (so the same idempotency
 * key); a long one goes to support's escalation with the error and its cause, and re-opening re-runs the stage.
 */
import { TaskError } from '@marketplace-onboarding/sfn-local';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeHandlers, happyCallbacks, ONBOARDING_ID, START } from '../../local/in-memory/fakes.js';
import { runInMemory, type TaskCall } from '../../local/in-memory/run.js';
import type { AslStateMachine } from '../../workflows/asl.js';
import { OpenHumanTask, WORKFLOW_ERRORS, WorkflowReason } from '../../workflows/contracts/index.js';
import { renderOnboardingAsl } from '../../workflows/render.js';

let asl: AslStateMachine;
beforeAll(() => {
  asl = renderOnboardingAsl();
});

const down = (cause: string) => {
  throw new TaskError(WORKFLOW_ERRORS.provisioningUnavailable, cause);
};

async function run(registration: 'new' | 'existing', override: (call: TaskCall, name: string) => unknown) {
  const fakes = fakeHandlers({ callbacks: happyCallbacks(registration), override });
  const result = await runInMemory(asl, START, fakes.handler, { executionName: ONBOARDING_ID });
  expect(fakes.violations).toEqual([]);
  return result;
}

describe('an unavailable vendor SaaS', () => {
  it.each([
    ['new', 'create-account', 'CreateAccount'],
    ['existing', 'activate-paid-plan', 'ActivatePaidPlan'],
  ] as const)(
    '%s account: a short outage of %s is retried with the same input, no escalation',
    async (branch, fn, state) => {
      // Prepare
      let attempts = 0;
      // Act
      const r = await run(branch, (_c, name) =>
        name === fn && attempts++ < 3 ? down('server-error: 503') : undefined,
      );
      // Assess
      const calls = r.calls.filter((c) => c.state === state);
      expect(r.status).toBe('SUCCEEDED');
      expect(calls).toHaveLength(4);
      expect(new Set(calls.map((c) => JSON.stringify(c.payload))).size).toBe(1);
      expect(r.path).not.toContain('StageTimedOut');
    },
  );

  it('a long outage: retried to the limit, then support is told the error and cause; re-opening completes', async () => {
    // Prepare
    let outage = true;
    // Act
    const r = await run('new', (call, name) => {
      if (name === 'create-account' && outage) return down('timeout: no answer within 5000 ms');
      if (call.state === 'StageTimedOut') outage = false; // the vendor is back while support looks at it
      return undefined;
    });
    // Assess
    expect(r.status).toBe('SUCCEEDED');
    const escalation = OpenHumanTask.parse(
      r.calls.find((c) => c.waitForTaskToken && (c.payload as { stage: string }).stage === 'StageTimedOut')
        ?.payload,
    );
    expect(WorkflowReason.parse(escalation.context)).toMatchObject({
      stage: 'CreateAccount',
      error: WORKFLOW_ERRORS.provisioningUnavailable,
      cause: expect.stringContaining('timeout: no answer within 5000 ms'),
      resumeAt: 'CreateAccount',
    });
    // 1 call + 6 retries, then the re-opened run
    expect(r.calls.filter((c) => c.state === 'CreateAccount')).toHaveLength(8);
    expect(r.path.slice(r.path.indexOf('StageTimedOut') - 1)).toEqual(
      expect.arrayContaining(['CreateAccount', 'StageTimedOut', 'TimedOutDecision', 'Completed']),
    );
  });
});
