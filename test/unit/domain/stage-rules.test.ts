import { describe, expect, it } from 'vitest';
import { StageTransitionError } from '../../../tasks/domain/errors.js';
import { assertCanMove, canMove } from '../../../tasks/domain/stage-rules.js';
import { STAGES } from '../../../workflows/contracts/stage-registry.js';

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

  it('lets any live stage escalate to support, which re-opens it (human stage or task), or close', () => {
    const live = STAGES.filter((s) => s !== 'Completed' && s !== 'Closed');
    for (const s of live) {
      expect(canMove(s, 'StageTimedOut')).toBe(true);
      expect(canMove('StageTimedOut', s)).toBe(true);
      expect(canMove(s, 'Closed')).toBe(true);
    }
    expect(canMove('StageTimedOut', 'Completed')).toBe(false);
    expect(canMove('Completed', 'StageTimedOut')).toBe(false);
  });

  it('lets an expired offer whose extension failed go to OfferFailed, as the workflow does', () => {
    // Prepare: OfferExpired → extend → the change set fails → OfferFailed (the record stays at OfferExpired meanwhile)
    const from = 'OfferExpired';

    // Act
    const allowed = canMove(from, 'OfferFailed');

    // Assess
    expect(allowed).toBe(true);
    expect(canMove(from, 'Completed')).toBe(false);
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
