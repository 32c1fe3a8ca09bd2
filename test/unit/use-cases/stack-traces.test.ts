/**
 * Staff never see stack traces (issue 10 item 8): the stage details of an escalation whose cause is a Lambda error,
 * and the support alert of an onboarding closed on such an error, carry the error's type and message only.
 */
import { describe, expect, it } from 'vitest';
import { closeOnboardingRecord } from '../../../tasks/use-cases/close-onboarding-record.js';
import { getOnboarding } from '../../../tasks/use-cases/read-side.js';
import { opened, recorded, setup } from './helpers.js';

const LAMBDA_ERROR = JSON.stringify({
  errorType: 'Onboarding.ProvisioningUnavailable',
  errorMessage: "the vendor's SaaS is unavailable for activate-paid-plan (timeout)",
  trace: [
    'Error: x',
    '    at activate (/var/task/index.mjs:12:34)',
    '    at run (node:internal/process/task_queues:95:5)',
  ],
});

describe('error details for staff', () => {
  it('the escalation stage shows the error type and message without the trace', async () => {
    // Prepare
    const ports = setup();
    const id = await recorded(ports);
    await opened(ports, id, 'StageTimedOut', {
      stage: 'ActivatePaidPlan',
      error: 'Onboarding.ProvisioningUnavailable',
      cause: LAMBDA_ERROR,
    });
    // Act
    const detail = await getOnboarding(ports, id);
    // Assess
    const shown = JSON.stringify(detail.ok && detail.openTask?.context);
    expect(shown).toContain('unavailable for activate-paid-plan (timeout)');
    expect(shown).not.toMatch(/\/var\/task|task_queues|"trace"/);
  });

  it('the support alert of an onboarding closed on a Lambda error carries no frame', async () => {
    // Prepare
    const ports = setup();
    const id = await recorded(ports);
    // Act
    await closeOnboardingRecord(ports, {
      onboardingId: id,
      stage: 'ActivatePaidPlan',
      outcome: 'failed',
      error: 'Onboarding.ProvisioningUnavailable',
      cause: `${LAMBDA_ERROR.slice(0, 40)}\n    at activate (/var/task/index.mjs:12:34)`,
    });
    // Assess
    const alert = ports.mailer.outbox.map((m) => m.text).join('\n');
    expect(alert).not.toMatch(/\/var\/task/);
  });
});
