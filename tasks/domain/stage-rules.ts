/**
 * Which stage may follow which (design §1). The workflow decides the path; these rules catch a record that would
 * move somewhere the procedure never goes (e.g. leaving a terminal stage, or activating before the offer exists).
 * Staying at the same stage is always allowed (retries, polling).
 */
import type { Stage } from '../../workflows/contracts/stages.js';
import { StageTransitionError } from './errors.js';

export const TERMINAL_STAGES = ['Completed', 'Closed'] as const satisfies readonly Stage[];

const FORWARD: Record<Stage, readonly Stage[]> = {
  Inquiry: ['Consultation'],
  Consultation: ['CreateOffer', 'SendOfferNotice'],
  CreateOffer: ['SendOfferNotice', 'OfferFailed'],
  OfferFailed: ['CreateOffer', 'SendOfferNotice'],
  SendOfferNotice: ['AwaitAcceptance'],
  AwaitAcceptance: ['AccountSetup', 'OfferExpired', 'SubscriptionFailed'],
  OfferExpired: ['CreateOffer', 'SendOfferNotice', 'AwaitAcceptance'],
  AccountSetup: ['Registration', 'SubscriptionFailed'],
  Registration: ['NewOrExisting', 'CreateAccount', 'AccountSelection', 'SubscriptionFailed'],
  NewOrExisting: ['CreateAccount', 'AccountSelection'],
  CreateAccount: ['ActivatePaidPlan', 'SubscriptionFailed'],
  AccountSelection: ['ActivatePaidPlan', 'SubscriptionFailed'],
  ActivatePaidPlan: ['NotifyCompletion', 'SubscriptionFailed'],
  NotifyCompletion: ['Completed'],
  // support re-opens the stage that timed out or failed: any stage the workflow can resume at (see canMove)
  StageTimedOut: [],
  SubscriptionFailed: [],
  Completed: [],
  Closed: [],
};

export function isTerminal(stage: Stage): boolean {
  return (TERMINAL_STAGES as readonly Stage[]).includes(stage);
}

export function canMove(from: Stage, to: Stage): boolean {
  if (from === to) return true;
  if (isTerminal(from)) return false;
  // any live onboarding can be closed, and any stage can time out or fail into support's escalation, which
  // re-opens the stage it came from (a human stage, or a task such as CreateAccount or NotifyCompletion)
  if (to === 'Closed' || to === 'StageTimedOut') return true;
  if (from === 'StageTimedOut') return !isTerminal(to);
  return FORWARD[from].includes(to);
}

export function assertCanMove(from: Stage, to: Stage): void {
  if (!canMove(from, to)) throw new StageTransitionError(from, to);
}
