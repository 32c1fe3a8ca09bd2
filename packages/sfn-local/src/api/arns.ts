/**
 * Step Functions ARNs: state machines and their versions (`stateMachine:<name>:<n>`) and aliases
 * (`stateMachine:<name>:<alias>`), executions (`execution:` for STANDARD, `express:` for EXPRESS), activities and
 * Map Runs. https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html describes the
 * qualified forms.
 */
import { apiError, requireString, validationError } from './context.js';

export type StateMachineRef =
  | { kind: 'stateMachine'; arn: string; name: string }
  | { kind: 'version'; arn: string; smArn: string; name: string; version: number }
  | { kind: 'alias'; arn: string; smArn: string; name: string; alias: string };

const SM_RE = /^arn:aws[a-z-]*:states:([^:]*):([^:]*):stateMachine:([^:/]+)(\/[^:]+)?(?::([^:]+))?$/;

function invalidArn(arn: string): Error {
  return apiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
}

/** Parses a state machine ARN, plain or qualified. A Distributed Map label (`name/label`) is a ValidationException. */
export function parseStateMachineArn(value: unknown, field = 'stateMachineArn'): StateMachineRef {
  const arn = requireString(value, field);
  const m = SM_RE.exec(arn);
  if (!m) throw invalidArn(arn);
  const name = m[3] as string;
  if (m[4]) {
    throw validationError(
      `Value '${arn}' at '${field}' failed to satisfy constraint: a Distributed Map label is not a state machine`,
    );
  }
  const smArn = arn.slice(0, arn.length - (m[5] ? m[5].length + 1 : 0));
  const qualifier = m[5];
  if (qualifier === undefined) return { kind: 'stateMachine', arn, name };
  if (/^\d+$/.test(qualifier)) return { kind: 'version', arn, smArn, name, version: Number(qualifier) };
  return { kind: 'alias', arn, smArn, name, alias: qualifier };
}

export function requireUnqualified(value: unknown, field = 'stateMachineArn'): string {
  const ref = parseStateMachineArn(value, field);
  if (ref.kind !== 'stateMachine') {
    throw validationError(
      `Value '${ref.arn}' at '${field}' failed to satisfy constraint: a version or alias ARN is not accepted here`,
    );
  }
  return ref.arn;
}

export interface ExecutionRef {
  arn: string;
  express: boolean;
  smName: string;
  name: string;
}

const EXEC_RE = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:(execution|express):([^:]+):([^:]+)(?::[^:]+)?$/;

export function parseExecutionArn(value: unknown, field = 'executionArn'): ExecutionRef {
  const arn = requireString(value, field);
  const m = EXEC_RE.exec(arn);
  if (!m) throw invalidArn(arn);
  return { arn, express: m[1] === 'express', smName: m[2] as string, name: m[3] as string };
}

export function activityArn(region: string, accountId: string, name: string): string {
  return `arn:aws:states:${region}:${accountId}:activity:${name}`;
}

export function requireActivityArn(value: unknown, field = 'activityArn'): string {
  const arn = requireString(value, field);
  if (!/^arn:aws[a-z-]*:states:[^:]*:[^:]*:activity:[^:]+$/.test(arn)) throw invalidArn(arn);
  return arn;
}

export function requireMapRunArn(value: unknown, field = 'mapRunArn'): string {
  const arn = requireString(value, field);
  if (!/^arn:aws[a-z-]*:states:[^:]*:[^:]*:mapRun:[^:]+:[^:]+$/.test(arn)) throw invalidArn(arn);
  return arn;
}
