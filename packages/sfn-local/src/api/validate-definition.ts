/**
 * ValidateStateMachineDefinition
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html): the
 * checks of CreateStateMachine, reported as diagnostics (`result` FAIL when there is an error) instead of an
 * InvalidDefinition error. Diagnostics carry AWS's codes (`SCHEMA_VALIDATION_FAILED`, `MISSING_TRANSITION_TARGET`...)
 * and the JSON path of the problem as `location`. A Task resource the runtime's dispatcher cannot run is an ERROR
 * with the code `LOCAL_UNSUPPORTED_INTEGRATION` (CreateStateMachine rejects it too).
 */
import type * as sfn from '@aws-sdk/client-sfn';
import { definitionProblems } from '../definition.js';
import { requireString, validationError } from './context.js';

const MAX_DIAGNOSTICS = 100;

export function validateStateMachineDefinition(
  input: sfn.ValidateStateMachineDefinitionInput,
  unsupported?: (resource: string) => string | undefined,
): sfn.ValidateStateMachineDefinitionOutput {
  const definition = requireString(input.definition, 'definition');
  const max = input.maxResults ?? MAX_DIAGNOSTICS;
  if (!Number.isInteger(max) || max < 0 || max > MAX_DIAGNOSTICS) {
    throw validationError(
      `Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_DIAGNOSTICS}`,
    );
  }
  const limit = max === 0 ? MAX_DIAGNOSTICS : max;
  const problems =
    Buffer.byteLength(definition) > 1_048_576
      ? ['SCHEMA_VALIDATION_FAILED: definition is larger than 1 MB']
      : definitionProblems(definition, input.type ?? 'STANDARD', unsupported);
  const diagnostics = problems.map(toDiagnostic);
  return {
    result: diagnostics.length > 0 ? 'FAIL' : 'OK',
    diagnostics: diagnostics.slice(0, limit),
    truncated: diagnostics.length > limit,
  };
}

function toDiagnostic(problem: string): sfn.ValidateStateMachineDefinitionDiagnostic {
  const m = /^([A-Z_]+): ([\s\S]*?)(?: at (\/\S*))?$/.exec(problem);
  if (!m) return { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: problem };
  return {
    severity: 'ERROR',
    code: m[1] as string,
    message: m[2] as string,
    ...(m[3] ? { location: m[3] } : {}),
  };
}
