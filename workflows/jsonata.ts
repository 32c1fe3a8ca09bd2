/**
 * Small helpers for writing JSONata into the state machine (QueryLanguage: JSONata). Every field value that starts
 * with `{%` and ends with `%}` is evaluated by Step Functions; everything else is a literal.
 */

/** Wraps a JSONata expression in the `{% %}` delimiters Step Functions evaluates. */
export const jsonata = (expression: string): string => `{% ${expression} %}`;

/** A JSONata string literal (single quotes, escaped) for text written into an expression. */
export const literal = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * The onboarding id, read from the execution input (OnboardingStart.onboardingId). It is valid in every state, also
 * on paths where no task has returned yet, so no payload depends on a variable being assigned first.
 */
export const ONBOARDING_ID = '$states.context.Execution.Input.onboardingId';

/** The task token of a `.waitForTaskToken` state. In JSONata mode this, not `$$.Task.Token`, is the token. */
export const TASK_TOKEN = '$states.context.Task.Token';

/** Seconds → an ISO-8601 instant that many seconds from now (the `dueAt` of a human task). */
export const isoInSeconds = (secondsExpression: string): string =>
  `$fromMillis($millis() + 1000 * (${secondsExpression}))`;
