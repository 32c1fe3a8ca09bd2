/**
 * Request validation as the Step Functions front end does it, before an operation runs:
 * a body that is not a JSON object or a member of the wrong JSON type is a `SerializationException`;
 * missing required members, values outside an enum or a range are a `ValidationException` with AWS's
 * "N validation error(s) detected: ..." message. Unknown members are ignored, `null` members are absent.
 */
import { z } from 'zod';
import type { OperationName, WireError } from './wire.js';

const str = z.string();
const int = z.number().int();
const bool = z.boolean();
const tagList = z.array(z.looseObject({ key: str.optional(), value: str.optional() }));
const stringList = z.array(str);
const loggingConfiguration = z.looseObject({
  level: str.optional(),
  includeExecutionData: bool.optional(),
  destinations: z
    .array(
      z.looseObject({ cloudWatchLogsLogGroup: z.looseObject({ logGroupArn: str.optional() }).optional() }),
    )
    .optional(),
});
const tracingConfiguration = z.looseObject({ enabled: bool.optional() });
const routingConfiguration = z.array(
  z.looseObject({ stateMachineVersionArn: str.optional(), weight: int.optional() }),
);
const mock = z.looseObject({
  result: str.optional(),
  errorOutput: z.looseObject({ error: str.optional(), cause: str.optional() }).optional(),
  fieldValidationMode: str.optional(),
});
const stateConfiguration = z.looseObject({
  retrierRetryCount: int.optional(),
  errorCausedByState: str.optional(),
  mapIterationFailureCount: int.optional(),
  mapItemReaderData: str.optional(),
});
const encryptionConfiguration = z.looseObject({
  kmsKeyId: str.optional(),
  kmsDataKeyReusePeriodSeconds: int.optional(),
  type: str.optional(),
});

interface OperationShape {
  readonly members: Record<string, z.ZodType>;
  readonly required: readonly string[];
}

const arnOnly = (member: string): OperationShape => ({ members: { [member]: str }, required: [member] });
const paging = { maxResults: int, nextToken: str };

/** Members, their JSON types and the required ones, per operation (from the Step Functions API model). */
export const OPERATION_SHAPES: Record<OperationName, OperationShape> = {
  CreateStateMachine: {
    members: {
      name: str,
      definition: str,
      roleArn: str,
      type: str,
      loggingConfiguration,
      tags: tagList,
      tracingConfiguration,
      publish: bool,
      versionDescription: str,
      encryptionConfiguration,
    },
    required: ['name', 'definition', 'roleArn'],
  },
  UpdateStateMachine: {
    members: {
      stateMachineArn: str,
      definition: str,
      roleArn: str,
      loggingConfiguration,
      tracingConfiguration,
      publish: bool,
      versionDescription: str,
      encryptionConfiguration,
    },
    required: ['stateMachineArn'],
  },
  DescribeStateMachine: {
    members: { stateMachineArn: str, includedData: str },
    required: ['stateMachineArn'],
  },
  ListStateMachines: { members: { ...paging }, required: [] },
  DeleteStateMachine: arnOnly('stateMachineArn'),
  StartExecution: {
    members: { stateMachineArn: str, name: str, input: str, traceHeader: str },
    required: ['stateMachineArn'],
  },
  DescribeExecution: { members: { executionArn: str, includedData: str }, required: ['executionArn'] },
  ListExecutions: {
    members: { stateMachineArn: str, statusFilter: str, mapRunArn: str, redriveFilter: str, ...paging },
    required: [],
  },
  GetExecutionHistory: {
    members: { executionArn: str, reverseOrder: bool, includeExecutionData: bool, ...paging },
    required: ['executionArn'],
  },
  StopExecution: { members: { executionArn: str, error: str, cause: str }, required: ['executionArn'] },
  DescribeStateMachineForExecution: {
    members: { executionArn: str, includedData: str },
    required: ['executionArn'],
  },
  SendTaskSuccess: { members: { taskToken: str, output: str }, required: ['taskToken', 'output'] },
  SendTaskFailure: { members: { taskToken: str, error: str, cause: str }, required: ['taskToken'] },
  SendTaskHeartbeat: arnOnly('taskToken'),
  PublishStateMachineVersion: {
    members: { stateMachineArn: str, revisionId: str, description: str },
    required: ['stateMachineArn'],
  },
  ListStateMachineVersions: { members: { stateMachineArn: str, ...paging }, required: ['stateMachineArn'] },
  DeleteStateMachineVersion: arnOnly('stateMachineVersionArn'),
  CreateStateMachineAlias: {
    members: { name: str, description: str, routingConfiguration },
    required: ['name', 'routingConfiguration'],
  },
  UpdateStateMachineAlias: {
    members: { stateMachineAliasArn: str, description: str, routingConfiguration },
    required: ['stateMachineAliasArn'],
  },
  DescribeStateMachineAlias: arnOnly('stateMachineAliasArn'),
  ListStateMachineAliases: { members: { stateMachineArn: str, ...paging }, required: ['stateMachineArn'] },
  DeleteStateMachineAlias: arnOnly('stateMachineAliasArn'),
  ValidateStateMachineDefinition: {
    members: { definition: str, type: str, severity: str, maxResults: int },
    required: ['definition'],
  },
  TestState: {
    members: {
      definition: str,
      roleArn: str,
      input: str,
      inspectionLevel: str,
      revealSecrets: bool,
      variables: str,
      stateName: str,
      mock,
      context: str,
      stateConfiguration,
    },
    required: ['definition'],
  },
  StartSyncExecution: {
    members: { stateMachineArn: str, name: str, input: str, traceHeader: str, includedData: str },
    required: ['stateMachineArn'],
  },
  RedriveExecution: { members: { executionArn: str, clientToken: str }, required: ['executionArn'] },
  DescribeMapRun: arnOnly('mapRunArn'),
  ListMapRuns: { members: { executionArn: str, ...paging }, required: ['executionArn'] },
  UpdateMapRun: {
    members: {
      mapRunArn: str,
      maxConcurrency: int,
      toleratedFailurePercentage: z.number(),
      toleratedFailureCount: int,
    },
    required: ['mapRunArn'],
  },
  CreateActivity: {
    members: { name: str, tags: tagList, encryptionConfiguration },
    required: ['name'],
  },
  DeleteActivity: arnOnly('activityArn'),
  DescribeActivity: arnOnly('activityArn'),
  ListActivities: { members: { ...paging }, required: [] },
  GetActivityTask: { members: { activityArn: str, workerName: str }, required: ['activityArn'] },
  TagResource: { members: { resourceArn: str, tags: tagList }, required: ['resourceArn', 'tags'] },
  UntagResource: { members: { resourceArn: str, tagKeys: stringList }, required: ['resourceArn', 'tagKeys'] },
  ListTagsForResource: arnOnly('resourceArn'),
};

const ENUMS: Record<string, readonly string[]> = {
  type: ['STANDARD', 'EXPRESS'],
  statusFilter: ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'],
  redriveFilter: ['REDRIVEN', 'NOT_REDRIVEN'],
  includedData: ['ALL_DATA', 'METADATA_ONLY'],
  severity: ['ERROR', 'WARNING'],
  inspectionLevel: ['INFO', 'DEBUG', 'TRACE'],
};

/** Upper bounds of the string members AWS constrains by length (characters). */
const MAX_LENGTHS: Record<string, number> = {
  name: 80,
  taskToken: 2048,
  error: 256,
  cause: 32768,
  nextToken: 1024,
  traceHeader: 256,
  workerName: 80,
  description: 256,
  clientToken: 256,
};

export type ValidationResult = { ok: true; input: Record<string, unknown> } | { ok: false; error: WireError };

export function validateRequest(operation: OperationName, body: unknown): ValidationResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return serializationError('Request body must be a JSON object');
  }
  const shape = OPERATION_SHAPES[operation];
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (value !== null && Object.hasOwn(shape.members, key)) input[key] = value;
  }

  for (const [key, value] of Object.entries(input)) {
    const parsed = (shape.members[key] as z.ZodType).safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = [key, ...(issue?.path ?? [])].join('.');
      return serializationError(`Unexpected JSON type for member '${where}': ${issue?.message ?? 'invalid'}`);
    }
  }

  const problems: string[] = [];
  for (const key of shape.required) {
    if (input[key] === undefined) {
      problems.push(`Value null at '${key}' failed to satisfy constraint: Member must not be null`);
    }
  }
  for (const [key, value] of Object.entries(input)) {
    const allowed = ENUMS[key];
    if (allowed && typeof value === 'string' && !allowed.includes(value)) {
      problems.push(
        `Value '${value}' at '${key}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
      );
    }
    const maxLength = MAX_LENGTHS[key];
    if (maxLength !== undefined && typeof value === 'string' && value.length > maxLength) {
      problems.push(
        `Value at '${key}' failed to satisfy constraint: Member must have length less than or equal to ${maxLength}`,
      );
    }
    if (key === 'taskToken' && value === '') {
      problems.push(
        `Value at 'taskToken' failed to satisfy constraint: Member must have length greater than or equal to 1`,
      );
    }
    if (key === 'maxResults' && typeof value === 'number' && (value < 0 || value > 1000)) {
      const bound = value < 0 ? 'greater than or equal to 0' : 'less than or equal to 1000';
      problems.push(
        `Value '${value}' at 'maxResults' failed to satisfy constraint: Member must have value ${bound}`,
      );
    }
  }
  if (problems.length > 0) {
    const count = `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected`;
    return {
      ok: false,
      error: { status: 400, type: 'ValidationException', message: `${count}: ${problems.join('; ')}` },
    };
  }
  return { ok: true, input };
}

function serializationError(message: string): ValidationResult {
  return { ok: false, error: { status: 400, type: 'SerializationException', message } };
}
