/** Stage rules (tasks/domain/stage-rules.ts), derived from the stage registry's edges. */
import { describe, expect, it } from 'vitest';
import { StageTransitionError } from '../../../tasks/domain/errors.js';
import { assertCanMove, canMove } from '../../../tasks/domain/stage-rules.js';
import { STAGES, type Stage, stageEntry } from '../../../workflows/contracts/stage-registry.js';

describe('stage rules', () => {
  it('allows the steps of the procedure in order (a record skips the NewOrExisting choice)', () => {
    // Prepare
    const path: readonly Stage[] = [
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
    ];

    // Act
    const refused = path.slice(1).filter((to, i) => !canMove(path[i] as Stage, to));

    // Assess
    expect(refused).toEqual([]);
  });

  it('allows the manual offer and the 7-2 branch', () => {
    // Act
    const moves = [
      canMove('Consultation', 'SendOfferNotice'),
      canMove('Registration', 'AccountSelection'),
      canMove('AccountSelection', 'ActivatePaidPlan'),
    ];

    // Assess
    expect(moves).toEqual([true, true, true]);
  });

  it('lets any live stage escalate to support, which re-opens it (human stage or task), or close', () => {
    // Prepare
    const live = STAGES.filter((s) => !stageEntry(s).terminal);

    // Act
    const refused = live.filter(
      (s) => !canMove(s, 'StageTimedOut') || !canMove('StageTimedOut', s) || !canMove(s, 'Closed'),
    );

    // Assess
    expect(live.length).toBeGreaterThan(10);
    expect(refused).toEqual([]);
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

  it('lets a record catch up over one step a crash left unrecorded, never over two', () => {
    // Act: the terms reached Step Functions but not the record (Consultation), and the offer then failed; the buyer
    // arrival completed AccountSetup but the record stayed at AwaitAcceptance, and Registration opened
    const oneBehind = [canMove('Consultation', 'OfferFailed'), canMove('AwaitAcceptance', 'Registration')];
    const twoBehind = [canMove('Consultation', 'AccountSetup'), canMove('AwaitAcceptance', 'CreateAccount')];

    // Assess
    expect(oneBehind).toEqual([true, true]);
    expect(twoBehind).toEqual([false, false]);
  });

  it('refuses skipping ahead and leaving an end, with a named error', () => {
    // Act
    const moves = [
      canMove('Inquiry', 'ActivatePaidPlan'),
      canMove('Consultation', 'AccountSetup'),
      canMove('Completed', 'Consultation'),
      canMove('Closed', 'Closed'),
    ];

    // Assess
    expect(moves).toEqual([false, false, false, true]);
    expect(() => assertCanMove('Closed', 'Consultation')).toThrow(StageTransitionError);
    expect(() => assertCanMove('Closed', 'Consultation')).toThrow(
      'an onboarding at stage Closed cannot move to Consultation',
    );
  });
});
