/** A page of results with an opaque cursor (base64url; only the adapter that made it can read it). */
export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; absent on the last page. */
  nextCursor?: string;
}

export interface PageRequest {
  /** @default 25 */
  limit?: number;
  cursor?: string;
}
