/**
 * Building the `$reason` variable (WorkflowReason in contracts/task-io.ts) in catchers and Choice rules, so every
 * side path and every end records why it was taken.
 */
import type { REASON_KINDS, Stage } from './contracts/index.js';
import { jsonata, literal } from './jsonata.js';

export type ReasonKind = (typeof REASON_KINDS)[number];

export interface ReasonParts {
  /** The stage, or `{ expression }`: JSONata evaluating to a stage name (e.g. a variable). */
  readonly stage: Stage | { readonly expression: string };
  readonly kind: ReasonKind;
  /** JSONata expression of the error name. */
  readonly error: string;
  /** JSONata expression of the cause (must evaluate to a string). */
  readonly cause: string;
  /** The state a re-open resumes at. @default no re-open target */
  readonly resumeAt?: string;
}

/** `{ reason: {% {...} %} }`: one JSONata object, so an undefined part never makes the assignment fail. */
export function assignReason(parts: ReasonParts): { reason: string } {
  const fields = [
    `'stage': ${typeof parts.stage === 'string' ? literal(parts.stage) : parts.stage.expression}`,
    `'kind': ${literal(parts.kind)}`,
    `'error': ${parts.error}`,
    `'cause': ${parts.cause}`,
    `'at': $now()`,
    ...(parts.resumeAt ? [`'resumeAt': ${literal(parts.resumeAt)}`] : []),
  ];
  return { reason: jsonata(`{${fields.join(', ')}}`) };
}

/** The caught error's cause, or `fallback` when the error carries none. */
export const caughtCause = (fallback: string): string =>
  `($c := $states.errorOutput.Cause; $exists($c) and $c != '' ? $c : ${literal(fallback)})`;

/** `$reason` from a Catch: the caught error and cause. */
export function caughtReason(
  stage: ReasonParts['stage'],
  kind: ReasonKind,
  resumeAt: string | undefined,
  fallbackCause: string,
): { reason: string } {
  return assignReason({
    stage,
    kind,
    error: '$states.errorOutput.Error',
    cause: caughtCause(fallbackCause),
    ...(resumeAt ? { resumeAt } : {}),
  });
}

/** `$reason` when staff chose "close" in a decision stage: the cause is a CloseRequest (actor and reason) as JSON. */
export const closedByDecision = (stage: Stage): { reason: string } =>
  assignReason({
    stage,
    kind: 'closed',
    error: literal('Onboarding.Closed'),
    cause: "$string({'actor': $decision.actor, 'reason': $decision.reason})",
  });
