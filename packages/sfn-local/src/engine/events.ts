/**
 * History events: how a stored event becomes the `HistoryEvent` GetExecutionHistory returns, and how a Task's
 * `Resource` maps to the events AWS records for it (`LambdaFunction*` for a plain function ARN, `Task*` with
 * `resourceType`/`resource` for `arn:aws:states:::<service>:<action>[.<pattern>]`).
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { StoredEvent } from './types.js';

/** `<Type>State<Phase>` event types, made once per state type (a fresh string per event costs a hash per lookup). */
const STATE_EVENT_TYPES = new Map<string, Record<'Entered' | 'Exited' | 'Aborted', string>>();
export function stateEventType(stateType: string, phase: 'Entered' | 'Exited' | 'Aborted'): string {
  let types = STATE_EVENT_TYPES.get(stateType);
  if (types === undefined) {
    types = {
      Entered: `${stateType}StateEntered`,
      Exited: `${stateType}StateExited`,
      Aborted: `${stateType}StateAborted`,
    };
    STATE_EVENT_TYPES.set(stateType, types);
  }
  return types[phase];
}

/** Detail fields that the API carries as JSON text, by details key. */
const JSON_TEXT_FIELDS: Record<string, readonly string[]> = {
  executionStartedEventDetails: ['input'],
  executionSucceededEventDetails: ['output'],
  stateEnteredEventDetails: ['input'],
  stateExitedEventDetails: ['output'],
  taskScheduledEventDetails: ['parameters'],
  taskSucceededEventDetails: ['output'],
  taskSubmittedEventDetails: ['output'],
  lambdaFunctionScheduledEventDetails: ['input'],
  lambdaFunctionSucceededEventDetails: ['output'],
  activityScheduledEventDetails: ['input'],
  activitySucceededEventDetails: ['output'],
};

/** Fields dropped when GetExecutionHistory is called with includeExecutionData=false. */
const DATA_FIELDS = new Set([
  'input',
  'output',
  'parameters',
  'inputDetails',
  'outputDetails',
  'assignedVariables',
  'assignedVariablesDetails',
]);

export function toJsonText(v: unknown): string {
  return JSON.stringify(v === undefined ? null : v);
}

export function toHistoryEvent(e: StoredEvent, includeData = true): HistoryEvent {
  const out: Record<string, unknown> = {
    timestamp: new Date(e.ts),
    type: e.type,
    id: e.id,
    previousEventId: e.prev,
  };
  if (e.key) {
    const src = e.d ?? {};
    const details: Record<string, unknown> = {};
    const textFields = JSON_TEXT_FIELDS[e.key];
    for (const [k, v] of Object.entries(src)) {
      if (v === undefined) continue;
      if (!includeData && DATA_FIELDS.has(k)) continue;
      if (textFields?.includes(k)) details[k] = toJsonText(v);
      else if (k === 'inputDetails' || k === 'outputDetails' || k === 'assignedVariablesDetails') {
        details[k] = { ...(v as object) };
      } else if (k === 'assignedVariables') {
        details[k] = Object.fromEntries(
          Object.entries(v as Record<string, unknown>).map(([n, x]) => [n, toJsonText(x)]),
        );
      } else details[k] = v;
    }
    out[e.key] = details;
  }
  return out as unknown as HistoryEvent;
}

export interface ResourceInfo {
  /** Plain Lambda function ARN: LambdaFunction* events. */
  lambda: boolean;
  /** Activity ARN: Activity* events; the task waits for a worker (GetActivityTask) and its token. */
  activity?: boolean;
  /** `.waitForTaskToken` */
  waitForToken: boolean;
  /** `.sync` / `.sync:2` */
  sync: boolean;
  resourceType: string;
  resourceName: string;
}

const cache = new Map<string, ResourceInfo>();

export function resourceInfo(resource: string): ResourceInfo {
  const hit = cache.get(resource);
  if (hit) return hit;
  let info: ResourceInfo;
  const lambda = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/.test(resource);
  const m = /^arn:[^:]+:states:::(.+)$/.exec(resource);
  if (lambda) {
    info = { lambda: true, waitForToken: false, sync: false, resourceType: 'lambda', resourceName: resource };
  } else if (m) {
    const rest = m[1] as string;
    let resourceType: string;
    let resourceName: string;
    if (rest.startsWith('aws-sdk:')) {
      const parts = rest.split(':');
      resourceType = `aws-sdk:${parts[1] ?? ''}`;
      resourceName = parts.slice(2).join(':');
    } else {
      const idx = rest.indexOf(':');
      resourceType = idx < 0 ? rest : rest.slice(0, idx);
      resourceName = idx < 0 ? '' : rest.slice(idx + 1);
    }
    info = {
      lambda: false,
      waitForToken: resourceName.endsWith('.waitForTaskToken'),
      sync: /\.sync(:\d+)?$/.test(resourceName),
      resourceType,
      resourceName,
    };
  } else {
    // Activity ARNs and anything else: recorded as Task events with the ARN as resource. An activity task waits
    // for a worker's SendTask* on its token, like a `.waitForTaskToken` task (GetActivityTask hands the token out).
    const parts = resource.split(':');
    const activity = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:activity:[^:]+$/.test(resource);
    info = {
      lambda: false,
      ...(activity ? { activity } : {}),
      waitForToken: activity,
      sync: false,
      resourceType: parts[2] ?? 'unknown',
      resourceName: resource,
    };
  }
  cache.set(resource, info);
  return info;
}
