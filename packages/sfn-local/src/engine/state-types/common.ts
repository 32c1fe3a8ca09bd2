/** Helpers shared by the state functions of both query languages. */
import type { CompiledState } from '../../definition.js';
import { StatesError } from '../../errors.js';
import { applyPath } from '../dataflow.js';
import type { StateEnv } from '../outcome.js';
import type { ThreadData } from '../types.js';

/** InputPath / OutputPath, without building a scope when the path is the default `$`. */
export function pathOf(
  env: StateEnv,
  th: ThreadData,
  path: CompiledState['inputPath'],
  value: unknown,
): unknown {
  return path === undefined ? value : applyPath(path, value, env.pathScope(th, value));
}

export function valueForMessage(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export function itemReaderUnsupported(): StatesError {
  return new StatesError(
    'States.ItemReaderFailed',
    'ItemReader is not supported by the local runtime: give the items in the state input (ItemsPath / Items).',
  );
}

/** ItemBatcher: groups items into `{ Items: [...], BatchInput }` batches. */
export function batchItems(
  items: unknown[],
  batcher: Record<string, unknown>,
  batchInput: unknown,
  fromPath: (text: string) => number,
): unknown[] {
  let max = Number.POSITIVE_INFINITY;
  if (typeof batcher.MaxItemsPerBatch === 'number') max = batcher.MaxItemsPerBatch;
  else if (typeof batcher.MaxItemsPerBatchPath === 'string') max = fromPath(batcher.MaxItemsPerBatchPath);
  let maxBytes = Number.POSITIVE_INFINITY;
  if (typeof batcher.MaxInputBytesPerBatch === 'number') maxBytes = batcher.MaxInputBytesPerBatch;
  else if (typeof batcher.MaxInputBytesPerBatchPath === 'string')
    maxBytes = fromPath(batcher.MaxInputBytesPerBatchPath);
  const out: unknown[] = [];
  let batch: unknown[] = [];
  let bytes = 0;
  const flush = () => {
    if (batch.length === 0) return;
    out.push(batchInput === undefined ? { Items: batch } : { BatchInput: batchInput, Items: batch });
    batch = [];
    bytes = 0;
  };
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item) ?? 'null', 'utf8');
    if (batch.length >= max || (batch.length > 0 && bytes + size > maxBytes)) flush();
    batch.push(item);
    bytes += size;
  }
  flush();
  return out;
}
