/** Helpers shared by the DynamoDB adapters: item keys (single-table design), cursors, error checks, paging. */
import { type DynamoDBDocumentClient, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

export const keys = {
  onboarding: (id: string) => ({ pk: `ONB#${id}`, sk: 'META' }),
  task: (id: string, stage: string) => ({ pk: `ONB#${id}`, sk: `TASK#${stage}` }),
  fact: (id: string, kind: string) => ({ pk: `ONB#${id}`, sk: `FACT#${kind}` }),
  agreement: (onboardingId: string, agreementId: string) => ({
    pk: `ONB#${onboardingId}`,
    sk: `AGR#${agreementId}`,
  }),
  timeline: (id: string, at: string, unique: string) => ({ pk: `ONB#${id}`, sk: `EVENT#${at}#${unique}` }),
  ref: (kind: string, key: string) => ({ pk: `REF#${kind}#${key}`, sk: 'REF' }),
  memo: (key: string) => ({ pk: `MEMO#${key}`, sk: 'MEMO' }),
  rate: (scope: string, digest: string, windowStart: number) => ({
    pk: `RATE#${scope}#${digest}`,
    sk: `W#${windowStart}`,
  }),
  stats: () => ({ pk: 'STATS', sk: 'STAGES' }),
  account: (id: string) => ({ pk: `ACCOUNT#${id}`, sk: 'META' }),
  user: (id: string) => ({ pk: `USER#${id}`, sk: 'META' }),
  email: (email: string) => ({ pk: `EMAIL#${email}`, sk: 'USER' }),
  membership: (userId: string, accountId: string) => ({ pk: `USER#${userId}`, sk: `MEMBER#${accountId}` }),
};

export function isConditionalFailure(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}

/** Opaque cursor: the LastEvaluatedKey, base64url JSON. Anything else is refused with a RangeError. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      Object.values(v).every((x) => typeof x === 'string')
    ) {
      return v as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw new RangeError('invalid cursor');
}

/** Epoch seconds for the table's `ttl` attribute. */
export const ttlIn = (seconds: number, now = Date.now()) => Math.floor(now / 1000) + seconds;

/**
 * Every item a Query matches. One Query call returns at most 1 MB (or `Limit` items): the SDK's paginator follows
 * LastEvaluatedKey until there is none. With `Select: 'COUNT'` the items are none: use {@link countAll}.
 */
export async function queryAll(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client: db }, { ...input })) items.push(...(page.Items ?? []));
  return items;
}

/** How many items a Query matches, counted page by page (`Select: 'COUNT'`). */
export async function countAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<number> {
  let total = 0;
  for await (const page of paginateQuery({ client: db }, { ...input, Select: 'COUNT' }))
    total += page.Count ?? 0;
  return total;
}
