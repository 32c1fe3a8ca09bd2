/** Staff never see stack traces: a Lambda error's trace, a stack in a caught cause, frame lines in text are removed. */
import { describe, expect, it } from 'vitest';
import { withoutStackTraces } from '../../../tasks/domain/stack-traces.js';

const LAMBDA_ERROR = JSON.stringify({
  errorType: 'Onboarding.ProvisioningUnavailable',
  errorMessage: "the vendor's SaaS is unavailable (timeout)",
  trace: [
    'Error: x',
    '    at activate (/var/task/index.mjs:12:34)',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  ],
});

describe('withoutStackTraces', () => {
  it('keeps the type and message of a Lambda error quoted in a workflow reason, without its trace', () => {
    // Act
    const shown = withoutStackTraces({
      stage: 'ActivatePaidPlan',
      error: 'Onboarding.ProvisioningUnavailable',
      cause: LAMBDA_ERROR,
    });
    // Assess
    expect(JSON.parse(shown.cause)).toEqual({
      errorType: 'Onboarding.ProvisioningUnavailable',
      errorMessage: "the vendor's SaaS is unavailable (timeout)",
    });
    expect(JSON.stringify(shown)).not.toMatch(/\/var\/task|task_queues/);
  });

  it('cuts frame lines from plain text and leaves other text alone', () => {
    // Act
    const text = withoutStackTraces(
      'TypeError: boom\n    at f (/home/app/tasks/x.ts:3:9)\n    at file:///home/app/y.mjs:1:2',
    );
    const plain = withoutStackTraces('the buyer chose another vendor: see the mail at 10:30');
    // Assess
    expect(text).toBe('TypeError: boom');
    expect(plain).toBe('the buyer chose another vendor: see the mail at 10:30');
  });
});
