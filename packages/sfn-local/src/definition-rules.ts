/**
 * Definition rules Step Functions enforces at CreateStateMachine/UpdateStateMachine (and
 * ValidateStateMachineDefinition) beyond the ASL schema. Each problem is `CODE: message at /path`.
 *
 * - `HeartbeatSeconds` must be smaller than `TimeoutSeconds`; both are positive integers up to 99999999
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html).
 * - `States.ALL` must appear alone in its `ErrorEquals` and in the last Retrier / Catcher
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 * - A Wait `Timestamp` uses an uppercase `T` and `Z` (https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html).
 * - `JitterStrategy` is `FULL` or `NONE`; `MaxDelaySeconds` is a positive integer below 31622401.
 * - Variable names (`Assign` keys) follow Unicode UAX #31 identifiers, at most 80 characters, `states` is reserved
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
 * - EXPRESS state machines support neither `.waitForTaskToken` nor `.sync` integrations nor activities
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html).
 */

// biome-ignore lint/suspicious/noExplicitAny: raw ASL JSON
type Raw = Record<string, any>;

const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const VARIABLE_RE = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;
const MAX_SECONDS = 99_999_999;

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isJsonata(v: unknown): boolean {
  return typeof v === 'string' && v.trim().startsWith('{%');
}

/** Rules every state machine type follows. */
export function definitionRules(raw: Raw): string[] {
  const problems: string[] = [];
  forEachState(raw, '', (state, path) => checkState(state, path, problems));
  return problems;
}

/** Rules of EXPRESS state machines. */
export function expressRules(raw: Raw): string[] {
  const problems: string[] = [];
  forEachState(raw, '', (state, path) => {
    if (state.Type !== 'Task' || typeof state.Resource !== 'string') return;
    const resource = state.Resource;
    if (/\.waitForTaskToken$/.test(resource) || /\.sync(:\d+)?$/.test(resource)) {
      problems.push(
        `SCHEMA_VALIDATION_FAILED: Express state machine does not support '${resource.slice(resource.lastIndexOf('.'))}' service integration at ${path}/Resource`,
      );
    } else if (/^arn:aws[a-z-]*:states:[^:]*:[^:]*:activity:/.test(resource)) {
      problems.push(
        `SCHEMA_VALIDATION_FAILED: Express state machine does not support Activities at ${path}/Resource`,
      );
    }
  });
  return problems;
}

/**
 * Task resources the runtime's dispatcher can never run (an integration sfn-local does not have): the definition is
 * rejected, as AWS rejects a resource it does not recognise, instead of failing at run time. `LOCAL_` marks the code
 * as this runtime's, not AWS's.
 */
export function integrationRules(raw: Raw, unsupported: (resource: string) => string | undefined): string[] {
  const problems: string[] = [];
  forEachState(raw, '', (state, path) => {
    if (state.Type !== 'Task' || typeof state.Resource !== 'string') return;
    const why = unsupported(state.Resource);
    if (why !== undefined) {
      problems.push(
        `LOCAL_UNSUPPORTED_INTEGRATION: sfn-local cannot run the resource '${state.Resource}': ${why} at ${path}/Resource`,
      );
    }
  });
  return problems;
}

function forEachState(scope: Raw, at: string, visit: (state: Raw, path: string) => void): void {
  if (!isObject(scope.States)) return;
  for (const [name, state] of Object.entries(scope.States)) {
    if (!isObject(state)) continue;
    const path = `${at}/States/${name}`;
    visit(state, path);
    if (Array.isArray(state.Branches)) {
      state.Branches.forEach((b: unknown, i: number) => {
        if (isObject(b)) forEachState(b, `${path}/Branches/${i}`, visit);
      });
    }
    const processor = state.ItemProcessor ?? state.Iterator;
    if (isObject(processor)) forEachState(processor, `${path}/ItemProcessor`, visit);
  }
}

function checkState(state: Raw, path: string, problems: string[]): void {
  checkTimeouts(state, path, problems);
  checkErrorHandlers(state, 'Retry', path, problems);
  checkErrorHandlers(state, 'Catch', path, problems);
  if (state.Type === 'Wait' && typeof state.Timestamp === 'string' && !isJsonata(state.Timestamp)) {
    if (!TIMESTAMP_RE.test(state.Timestamp)) {
      problems.push(
        `SCHEMA_VALIDATION_FAILED: The value of the field 'Timestamp' must be an RFC3339 timestamp with an uppercase 'T' and 'Z' at ${path}/Timestamp`,
      );
    }
  }
  checkAssign(state.Assign, `${path}/Assign`, problems);
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((c: unknown, i: number) => {
      if (isObject(c)) checkAssign(c.Assign, `${path}/Catch/${i}/Assign`, problems);
    });
  }
  if (Array.isArray(state.Choices)) {
    state.Choices.forEach((c: unknown, i: number) => {
      if (isObject(c)) checkAssign(c.Assign, `${path}/Choices/${i}/Assign`, problems);
    });
  }
}

function checkTimeouts(state: Raw, path: string, problems: string[]): void {
  for (const field of ['TimeoutSeconds', 'HeartbeatSeconds']) {
    const v = state[field];
    if (typeof v === 'number' && (!Number.isInteger(v) || v < 1 || v > MAX_SECONDS)) {
      problems.push(
        `SCHEMA_VALIDATION_FAILED: The value of the field '${field}' must be a positive integer up to ${MAX_SECONDS} at ${path}/${field}`,
      );
    }
  }
  const { TimeoutSeconds: timeout, HeartbeatSeconds: heartbeat } = state;
  if (typeof timeout === 'number' && typeof heartbeat === 'number' && heartbeat >= timeout) {
    problems.push(
      `SCHEMA_VALIDATION_FAILED: The value of the field 'HeartbeatSeconds' must be smaller than the value of the field 'TimeoutSeconds' at ${path}/HeartbeatSeconds`,
    );
  }
}

function checkErrorHandlers(state: Raw, field: 'Retry' | 'Catch', path: string, problems: string[]): void {
  const list = state[field];
  if (!Array.isArray(list)) return;
  list.forEach((handler: unknown, i: number) => {
    if (!isObject(handler) || !Array.isArray(handler.ErrorEquals)) return;
    const at = `${path}/${field}/${i}`;
    const errors: unknown[] = handler.ErrorEquals;
    if (errors.includes('States.ALL')) {
      if (errors.length > 1) {
        problems.push(
          `SCHEMA_VALIDATION_FAILED: 'States.ALL' must appear alone in 'ErrorEquals' at ${at}/ErrorEquals`,
        );
      }
      if (i !== list.length - 1) {
        const what = field === 'Retry' ? 'Retrier' : 'Catcher';
        problems.push(
          `SCHEMA_VALIDATION_FAILED: A ${what} with 'States.ALL' must be the last ${what} at ${at}`,
        );
      }
    }
    if (field === 'Retry') {
      if (
        handler.JitterStrategy !== undefined &&
        handler.JitterStrategy !== 'FULL' &&
        handler.JitterStrategy !== 'NONE'
      ) {
        problems.push(
          `SCHEMA_VALIDATION_FAILED: The value of the field 'JitterStrategy' must be one of [FULL, NONE] at ${at}/JitterStrategy`,
        );
      }
      const maxDelay = handler.MaxDelaySeconds;
      if (maxDelay !== undefined && (!Number.isInteger(maxDelay) || maxDelay < 1 || maxDelay > 31_622_400)) {
        problems.push(
          `SCHEMA_VALIDATION_FAILED: The value of the field 'MaxDelaySeconds' must be an integer from 1 to 31622400 at ${at}/MaxDelaySeconds`,
        );
      }
    }
  });
}

function checkAssign(assign: unknown, path: string, problems: string[]): void {
  if (!isObject(assign)) return;
  for (const key of Object.keys(assign)) {
    // JSONPath mode: `"name.$": "<path>"` assigns a value selected by a path.
    const name = key.endsWith('.$') ? key.slice(0, -2) : key;
    if (name.length > 80 || !VARIABLE_RE.test(name) || name === 'states') {
      problems.push(`SCHEMA_VALIDATION_FAILED: '${name}' is not a valid variable name at ${path}/${name}`);
    }
  }
}
