import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A JSON sample from test/fixtures/tasks/, parsed fresh each time. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  const path = fileURLToPath(new URL(`../fixtures/tasks/${name}`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
