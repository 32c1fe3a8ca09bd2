/**
 * Between the engine and a task dispatcher: the request a task becomes, and the messages its outcome becomes
 * (results are copied through JSON and checked against the payload limit before they reach the execution).
 */
import { TaskError, type TaskRequest } from '../tasks.js';
import type { Execution } from './execution.js';
import { textExceedsPayloadLimit } from './limits.js';
import type { Message } from './messages.js';
import type { TaskInFlight } from './types.js';

/** The dispatcher's request for a task of a thread (`submitted` for `.sync` tasks). */
export function taskRequest(
  exec: Execution,
  threadId: string,
  task: TaskInFlight,
  signal: AbortSignal,
  submitted?: (response: unknown) => void,
): TaskRequest {
  const th = exec.threads.get(threadId);
  let iteration = th;
  while (iteration && iteration.kind !== 'iteration') {
    iteration = iteration.parent ? exec.threads.get(iteration.parent) : undefined;
  }
  return {
    resource: task.resource,
    // A copy: handlers may change their event, the history and the checkpoint must not change with it.
    parameters: task.parameters === undefined ? null : JSON.parse(JSON.stringify(task.parameters)),
    taskToken: task.sync ? undefined : task.token,
    stateName: th?.state ?? '',
    ...(iteration?.index !== undefined ? { mapItemIndex: iteration.index } : {}),
    executionArn: exec.record.arn,
    stateMachineArn: exec.record.smArn,
    region: exec.host.region,
    accountId: exec.host.accountId,
    timeoutSeconds: task.timeoutSeconds,
    heartbeatSeconds: task.heartbeatSeconds,
    signal,
    ...(submitted ? { submitted } : {}),
  };
}

/** A `.sync` task's job was submitted. */
export function submittedMessage(task: TaskInFlight, response: unknown): Message {
  let value: unknown = null;
  try {
    value = JSON.parse(JSON.stringify(response === undefined ? null : response));
  } catch {
    value = null;
  }
  return { t: 'task-submitted', attempt: task.attempt, value };
}

/** The dispatcher answered: the result, or States.Runtime / States.DataLimitExceeded when it cannot be one. */
export function resultMessage(task: TaskInFlight, value: unknown): Message {
  let text: string;
  try {
    text = JSON.stringify(value === undefined ? null : value);
  } catch (e) {
    const cause = `The task result is not JSON: ${String(e)}`;
    return { t: 'task-result', attempt: task.attempt, ok: false, error: 'States.Runtime', cause };
  }
  if (textExceedsPayloadLimit(text)) {
    return {
      t: 'task-result',
      attempt: task.attempt,
      ok: false,
      error: 'States.DataLimitExceeded',
      cause: `The state/task '${task.resource}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    };
  }
  return { t: 'task-result', attempt: task.attempt, ok: true, value: JSON.parse(text) };
}

/** The dispatcher failed: a TaskError keeps its error and cause, anything else is States.TaskFailed. */
export function failureMessage(task: TaskInFlight, e: unknown): Message {
  const error = e instanceof TaskError ? e.error : 'States.TaskFailed';
  const cause = e instanceof TaskError ? e.errorCause : e instanceof Error ? e.message : String(e);
  return { t: 'task-result', attempt: task.attempt, ok: false, error, cause };
}
