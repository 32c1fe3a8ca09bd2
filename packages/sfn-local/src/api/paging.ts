/**
 * Pagination tokens as AWS hands them out: opaque, valid only for the query that issued them ("Keep all other
 * arguments unchanged"), and expiring after 24 hours ("Using an expired pagination token will return an HTTP 400
 * InvalidToken error", https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html).
 * A token is the cursor, the query it belongs to and its expiry, signed with a key of this runtime instance.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import { apiError } from './context.js';

export const PAGE_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

interface Payload {
  /** Digest of the query the token pages. */
  q: string;
  /** The cursor. */
  c: unknown;
  /** Expiry, epoch ms. */
  e: number;
}

export class PageTokens {
  readonly #key = randomBytes(32);

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = PAGE_TOKEN_TTL_MS,
  ) {}

  /** A token for `cursor` in the query identified by `query` (every argument that shapes the result). */
  issue(query: unknown, cursor: unknown): string {
    const payload: Payload = { q: digest(query), c: cursor, e: this.clock.now() + this.ttlMs };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.#sign(body)}`;
  }

  /** The cursor of a token issued for the same query; `undefined` for no token; InvalidToken otherwise. */
  read<T>(query: unknown, token: string | undefined): T | undefined {
    if (token === undefined || token === '') return undefined;
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined || !this.#verify(body, signature)) throw invalid(token);
    let payload: Payload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
    } catch {
      throw invalid(token);
    }
    if (payload.q !== digest(query)) throw invalid(token);
    if (payload.e <= this.clock.now()) {
      throw apiError('InvalidToken', `Invalid Token: 'The pagination token has expired: ${token}'`);
    }
    return payload.c as T;
  }

  #sign(body: string): string {
    return createHmac('sha256', this.#key).update(body).digest('base64url');
  }

  #verify(body: string, signature: string): boolean {
    const expected = Buffer.from(this.#sign(body));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

function digest(query: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(query ?? null))
    .digest('base64url')
    .slice(0, 16);
}

function invalid(token: string): Error {
  return apiError(
    'InvalidToken',
    `Invalid Token: '${token.length > 64 ? `${token.slice(0, 64)}...` : token}'`,
  );
}
