/**
 * Converting between Step Functions' view of an AWS SDK call and the JS SDK's, guided by the operation's schema:
 * - in: members are matched case-insensitively (Step Functions writes them in PascalCase, some SDKs use
 *   camelCase); a JSON value given for a string member is serialised (e.g. `Input: {...}` of sfn:startExecution,
 *   `Body` of s3:putObject); timestamps become `Date`, non-streaming blobs are base64-decoded.
 * - out: members in PascalCase, timestamps as ISO-8601 strings, streaming blobs as UTF-8 text, other blobs as
 *   base64, `$metadata` dropped.
 */
import { NormalizedSchema } from '@smithy/core/schema';

export interface OperationShapes {
  readonly input?: NormalizedSchema;
  readonly output?: NormalizedSchema;
}

/** The input/output schemas of a command instance (`command.schema`), when the SDK exposes them. */
export function operationShapes(command: { schema?: unknown }): OperationShapes {
  const schema = command.schema as unknown;
  let input: unknown;
  let output: unknown;
  if (Array.isArray(schema) && schema[0] === 9) {
    input = schema[4];
    output = schema[5];
  } else if (schema && typeof schema === 'object' && 'input' in schema && 'output' in schema) {
    ({ input, output } = schema as { input: unknown; output: unknown });
  }
  if (input === undefined || output === undefined) return {};
  // biome-ignore lint/suspicious/noExplicitAny: schema references are opaque SDK values
  return { input: NormalizedSchema.of(input as any), output: NormalizedSchema.of(output as any) };
}

export function toSdkInput(schema: NormalizedSchema | undefined, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (!schema) return value;
  if (schema.isStructSchema() || schema.isUnionSchema()) {
    if (!isObject(value)) return value;
    const members = new Map<string, [string, NormalizedSchema]>();
    for (const [name, member] of schema.structIterator()) members.set(name.toLowerCase(), [name, member]);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const member = members.get(key.toLowerCase());
      const converted = member ? toSdkInput(member[1], item) : item;
      if (converted !== undefined) out[member ? member[0] : key] = converted;
    }
    return out;
  }
  if (schema.isListSchema()) {
    return Array.isArray(value) ? value.map((item) => toSdkInput(schema.getValueSchema(), item)) : value;
  }
  if (schema.isMapSchema()) {
    if (!isObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toSdkInput(schema.getValueSchema(), item);
    return out;
  }
  if (schema.isStringSchema()) return typeof value === 'string' ? value : JSON.stringify(value);
  if (schema.isBlobSchema()) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (schema.isStreaming()) return text;
    return typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.from(text);
  }
  if (schema.isTimestampSchema()) {
    if (typeof value === 'number') return new Date(value * 1000);
    if (typeof value === 'string') return new Date(value);
    return value;
  }
  return value;
}

export async function fromSdkOutput(schema: NormalizedSchema | undefined, value: unknown): Promise<unknown> {
  if (isObject(value) && '$metadata' in value) {
    const { $metadata: _metadata, ...rest } = value;
    value = rest;
  }
  return convertOut(schema, value);
}

async function convertOut(schema: NormalizedSchema | undefined, value: unknown): Promise<unknown> {
  if (value === null || value === undefined) return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof (value as { transformToString?: unknown }).transformToString === 'function') {
    return (value as { transformToString(encoding?: string): Promise<string> }).transformToString('utf-8');
  }
  if (value instanceof Uint8Array) {
    return schema?.isStreaming()
      ? Buffer.from(value).toString('utf8')
      : Buffer.from(value).toString('base64');
  }
  if (Array.isArray(value)) {
    const item = schema?.isListSchema() ? schema.getValueSchema() : undefined;
    return Promise.all(value.map((entry) => convertOut(item, entry)));
  }
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  if (schema && (schema.isStructSchema() || schema.isUnionSchema())) {
    const members = new Map<string, NormalizedSchema>(schema.structIterator());
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      out[pascalCase(key)] = await convertOut(members.get(key), item);
    }
    return out;
  }
  const itemSchema = schema?.isMapSchema() ? schema.getValueSchema() : undefined;
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) out[key] = await convertOut(itemSchema, item);
  }
  return out;
}

function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
