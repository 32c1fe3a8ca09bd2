import { describe, expect, it } from 'vitest';
import { StageTransitionError } from '../../../tasks/domain/errors.js';
import { assertCanMove, canMove } from '../../../tasks/domain/stage-rules.js';
import { HUMAN_STAGES } from '../../../workflows/contracts/stages.js';

describe('stage rules', () => {
  it('allows the steps of the procedure in order', () => {
    const path = [
      'Inquiry',
      'Consultation',
      'CreateOffer',
      'SendOfferNotice',
      'AwaitAcceptance',
      'AccountSetup',
      'Registration',
      'CreateAccount',
      'ActivatePaidPlan',
      'NotifyCompletion',
      'Completed',
    ] as const;
    for (let i = 1; i < path.length; i++) expect(canMove(path[i - 1] as never, path[i] as never)).toBe(true);
  });

  it('allows the manual offer and the 7-2 branch', () => {
    expect(canMove('Consultation', 'SendOfferNotice')).toBe(true);
    expect(canMove('Registration', 'AccountSelection')).toBe(true);
    expect(canMove('AccountSelection', 'ActivatePaidPlan')).toBe(true);
  });

  it('lets support re-open any human stage after a timeout and close from anywhere live', () => {
    for (const s of HUMAN_STAGES) {
      expect(canMove(s, 'StageTimedOut')).toBe(true);
      expect(canMove('StageTimedOut', s)).toBe(true);
      expect(canMove(s, 'Closed')).toBe(true);
    }
  });

  it('refuses skipping ahead and leaving an end, with a named error', () => {
    expect(canMove('Inquiry', 'ActivatePaidPlan')).toBe(false);
    expect(canMove('Consultation', 'AccountSetup')).toBe(false);
    expect(canMove('Completed', 'Consultation')).toBe(false);
    expect(canMove('Closed', 'Closed')).toBe(true);
    expect(() => assertCanMove('Closed', 'Consultation')).toThrow(StageTransitionError);
    expect(() => assertCanMove('Closed', 'Consultation')).toThrow(
      'an onboarding at stage Closed cannot move to Consultation',
    );
  });
});
