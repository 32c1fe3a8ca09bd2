/** Opaque cursors for the in-memory adapters (an offset, base64url-encoded). */
export function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof v.o === 'number' && Number.isInteger(v.o) && v.o >= 0) return v.o;
  } catch {
    // fall through
  }
  throw new RangeError('invalid cursor');
}

export function paginate<T>(
  all: readonly T[],
  limit = 25,
  cursor?: string,
): { items: T[]; nextCursor?: string } {
  const start = decodeOffset(cursor);
  const items = all.slice(start, start + limit);
  const next = start + limit;
  return next < all.length ? { items, nextCursor: encodeOffset(next) } : { items };
}

export const clone = <T>(v: T): T => structuredClone(v);
