/**
 * The handlers file of `sfn-local --handlers`: JSON `{"<function name or ARN>": "<path to an ES module>#<export>"}`,
 * paths relative to the file (`#<export>` defaults to `handler`). Modules are loaded with dynamic import, so `.ts`
 * modules work when the process runs under tsx.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { LambdaHandler, LambdaHandlers } from './lambda.js';

const HandlersFileSchema = z.record(
  z.string().min(1, 'a function name must not be empty'),
  z.string().regex(/^[^#]+(#[A-Za-z_$][\w$]*)?$/, 'expected "<path to module>#<export>"'),
);

export class HandlersFileError extends Error {
  override readonly name = 'HandlersFileError';
}

/** Reads a handlers file and imports every module it names; rejects with {@link HandlersFileError}. */
export async function loadHandlersFile(file: string): Promise<LambdaHandlers> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (error as Error).message;
    throw new HandlersFileError(`Handlers file ${path}: ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new HandlersFileError(`Handlers file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = HandlersFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at "${issue.path.join('.')}"` : '';
    throw new HandlersFileError(`Handlers file ${path}${where}: ${issue?.message ?? 'invalid'}`);
  }

  const modules = new Map<string, Promise<Record<string, unknown>>>();
  const handlers: Record<string, LambdaHandler> = {};
  for (const [functionName, spec] of Object.entries(parsed.data)) {
    const [modulePath = '', exportName = 'handler'] = spec.split('#');
    const modulePathAbs = resolve(dirname(path), modulePath);
    let loading = modules.get(modulePathAbs);
    if (!loading) {
      loading = import(pathToFileURL(modulePathAbs).href) as Promise<Record<string, unknown>>;
      modules.set(modulePathAbs, loading);
    }
    let module: Record<string, unknown>;
    try {
      module = await loading;
    } catch (error) {
      throw new HandlersFileError(
        `Handlers file ${path}: cannot load module ${modulePathAbs} for function "${functionName}": ${(error as Error).message}`,
      );
    }
    const handler = module[exportName];
    if (handler === undefined) {
      const available = Object.keys(module).join(', ') || 'none';
      throw new HandlersFileError(
        `Handlers file ${path}: module ${modulePathAbs} has no export "${exportName}" for function "${functionName}" (exports: ${available})`,
      );
    }
    if (typeof handler !== 'function') {
      throw new HandlersFileError(
        `Handlers file ${path}: export "${exportName}" of ${modulePathAbs} for function "${functionName}" is a ${typeof handler}, not a function`,
      );
    }
    handlers[functionName] = handler as LambdaHandler;
  }
  return handlers;
}
