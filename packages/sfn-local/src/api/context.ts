/**
 * What every API module shares: the runtime's store, engine, clock and identity, page tokens, and the
 * front-end checks AWS makes on names, ARNs and page sizes (with AWS's error types and messages).
 */
import type { Clock } from '../clock.js';
import type { Engine } from '../engine/engine.js';
import { StatesApiError } from '../service.js';
import type { Store } from '../store/store.js';
import type { PageTokens } from './paging.js';

export interface ApiContext {
  readonly region: string;
  readonly accountId: string;
  readonly store: Store;
  readonly engine: Engine;
  readonly clock: Clock;
  readonly pages: PageTokens;
  readonly defaultRoleArn: string;
  /** Why the dispatcher can never run a Task resource (see `TaskDispatcher.unsupported`); undefined when it can. */
  readonly unsupportedIntegration?: (resource: string) => string | undefined;
}

export function apiError(type: string, message: string): StatesApiError {
  return new StatesApiError(type, message);
}

export function validationError(message: string): StatesApiError {
  return apiError('ValidationException', `1 validation error detected: ${message}`);
}

export function requireString(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') {
    throw validationError(`Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  return v;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: AWS forbids control characters in names
const NAME_RE = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ufffe\uffff]{1,80}$/u;

/** Names of state machines, executions, activities and aliases (AWS: 1-80 characters, no reserved characters). */
export function requireName(v: unknown, field = 'name'): string {
  const name = requireString(v, field);
  if (!NAME_RE.test(name)) throw apiError('InvalidName', `Invalid Name: '${name}'`);
  return name;
}

/** `maxResults`: 0 or absent means the default page (100); AWS accepts 0-1000. */
export function pageSize(max: number | undefined, def = 100): number {
  if (max === undefined || max === 0) return def;
  if (max < 0 || max > 1000 || !Number.isInteger(max)) {
    throw validationError(
      `Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`,
    );
  }
  return max;
}

/** One page of `all` from `offset`, and the next offset when more remain. */
export function slicePage<T>(
  all: readonly T[],
  offset: number,
  limit: number,
): { items: T[]; next?: number } {
  const items = all.slice(offset, offset + limit);
  return offset + limit < all.length ? { items, next: offset + limit } : { items };
}
