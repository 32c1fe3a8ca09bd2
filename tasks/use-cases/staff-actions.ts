/** The staff actions the console and the CLI offer for each human stage (all go through completeHumanStage). */
import type { StaffActor } from '../../workflows/contracts/actor.js';
import type { Ports } from '../ports/index.js';
import { type CompleteStageResult, completeHumanStage } from './complete-human-stage.js';

type StaffPorts = Pick<Ports, 'onboardings' | 'tasks' | 'callbacks' | 'clock' | 'log'>;

/** Consultation: the agreed terms (automatic offer creation, or `offerCreation: 'manual'` with `manualOfferId`). */
export function submitTerms(
  ports: StaffPorts,
  input: { onboardingId: string; actor: StaffActor; terms: unknown },
): Promise<CompleteStageResult> {
  return completeHumanStage(ports, { ...input, stage: 'Consultation', payload: input.terms });
}

/** OfferFailed: `{ action: 'retry', terms } | { action: 'manual', offerId } | { action: 'close', reason }`. */
export function decideOfferFailure(
  ports: StaffPorts,
  input: { onboardingId: string; actor: StaffActor; decision: unknown },
): Promise<CompleteStageResult> {
  return completeHumanStage(ports, { ...input, stage: 'OfferFailed', payload: input.decision });
}

/** OfferExpired: `{ action: 'extend', offerExpiresAt } | { action: 'recreate', terms } | { action: 'close', reason }`. */
export function decideOfferExpired(
  ports: StaffPorts,
  input: { onboardingId: string; actor: StaffActor; decision: unknown },
): Promise<CompleteStageResult> {
  return completeHumanStage(ports, { ...input, stage: 'OfferExpired', payload: input.decision });
}

/** StageTimedOut: `{ action: 'reopen', note? } | { action: 'close', reason }`. */
export function decideTimedOut(
  ports: StaffPorts,
  input: { onboardingId: string; actor: StaffActor; decision: unknown },
): Promise<CompleteStageResult> {
  return completeHumanStage(ports, { ...input, stage: 'StageTimedOut', payload: input.decision });
}
