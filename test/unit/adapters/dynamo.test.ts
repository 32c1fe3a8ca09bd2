import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoAccountDirectory } from '../../../tasks/adapters/aws/dynamo-account-directory.js';
import { countAll, queryAll } from '../../../tasks/adapters/aws/dynamo-common.js';
import { DynamoFactStore } from '../../../tasks/adapters/aws/dynamo-fact-store.js';
import { DynamoHumanTaskStore } from '../../../tasks/adapters/aws/dynamo-human-task-store.js';
import { DynamoOnboardingRepository } from '../../../tasks/adapters/aws/dynamo-onboarding-repository.js';
import { ConcurrentUpdateError } from '../../../tasks/domain/errors.js';
import { openTask } from '../../../tasks/domain/human-task.js';
import { newOnboarding } from '../../../tasks/domain/onboarding.js';
import { inquiry } from '../use-cases/helpers.js';

const docs = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }), {
  marshallOptions: { removeUndefinedValues: true },
});
const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

const table = () => 'onboarding-table';
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const onboarding = () => ({
  ...newOnboarding({ id: 'onb-abcdefghij', inquiry: inquiry(), at: '2025-04-01T00:00:00.000Z' }),
  offer: {
    offerId: 'offer-abcdefghij12',
    expiresAt: '2025-06-30T00:00:00Z',
    source: 'api' as const,
    url: 'u',
  },
  version: 3,
});

/** Answers a Query in two pages: the first ends with a LastEvaluatedKey, the second starts from it. */
function twoPages(first: Record<string, unknown>[], second: Record<string, unknown>[]) {
  const lastKey = { pk: 'ONB#onb-abcdefghij', sk: 'page-1-end' };
  const starts: unknown[] = [];
  ddb.on(QueryCommand).callsFake((input: { ExclusiveStartKey?: unknown }) => {
    starts.push(input.ExclusiveStartKey);
    return input.ExclusiveStartKey === undefined
      ? { Items: first, Count: first.length, LastEvaluatedKey: lastKey }
      : { Items: second, Count: second.length };
  });
  return { lastKey, starts };
}

describe('queryAll and countAll (DynamoDB paging)', () => {
  it('reads a two-page result whole, the second page from where the first ended', async () => {
    // Prepare
    const { lastKey, starts } = twoPages([{ n: 1 }, { n: 2 }], [{ n: 3 }]);

    // Act
    const items = await queryAll(docs, {
      TableName: 'onboarding-table',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': 'ONB#onb-abcdefghij' },
    });

    // Assess
    expect(items).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(starts).toEqual([undefined, lastKey]);
  });

  it('counts over every page', async () => {
    // Prepare
    twoPages([{}, {}], [{}]);

    // Act
    const count = await countAll(docs, {
      TableName: 'onboarding-table',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': 'STAGE#Consultation' },
    });

    // Assess
    expect(count).toBe(3);
    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.Select)).toEqual(['COUNT', 'COUNT']);
  });
});

describe('DynamoOnboardingRepository', () => {
  it('creates with a condition so nothing is overwritten, and keys every index', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    const repo = new DynamoOnboardingRepository(docs, table);

    expect(await repo.create(onboarding())).toBe('created');

    const put = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(put?.Item).toMatchObject({
      pk: 'ONB#onb-abcdefghij',
      sk: 'META',
      version: 1,
      gsi1pk: 'STAGE#Inquiry',
      gsi1sk: '2025-04-01T00:00:00.000Z#onb-abcdefghij',
      gsi2pk: 'OFFER#offer-abcdefghij12',
      gsi3pk: 'BUYER#123456789012',
      gsi4pk: 'NAME#e',
      gsi4sk: 'example kk#onb-abcdefghij',
      gsi5pk: 'NAME#y',
      gsi5sk: 'yamada taro#onb-abcdefghij',
      gsi6pk: 'ONB',
      gsi6sk: '2025-04-01T00:00:00.000Z#onb-abcdefghij',
    });
    expect(put?.Item).not.toHaveProperty('search');
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: 'STATS', sk: 'STAGES' },
      UpdateExpression: 'ADD #to :one',
      ExpressionAttributeNames: { '#to': 'Inquiry' },
    });
    ddb.on(PutCommand).rejects(conditionFailed());
    expect(await repo.create(onboarding())).toBe('exists');
  });

  it('saves only over the expected version and moves the stage counters', async () => {
    ddb.on(PutCommand).resolves({ Attributes: { stage: 'Inquiry' } });
    ddb.on(UpdateCommand).resolves({});
    const repo = new DynamoOnboardingRepository(docs, table);

    const saved = await repo.save({ ...onboarding(), stage: 'Consultation' });

    expect(saved.version).toBe(4);
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      ConditionExpression: '#v = :expected',
      ExpressionAttributeValues: { ':expected': 3 },
      Item: { version: 4, gsi1pk: 'STAGE#Consultation' },
    });
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      UpdateExpression: 'ADD #to :one, #from :minus',
      ExpressionAttributeNames: { '#to': 'Consultation', '#from': 'Inquiry' },
    });
  });

  it('saves in one round trip: the replaced item (ALL_OLD) names the stage it leaves', async () => {
    ddb.on(PutCommand).resolves({ Attributes: { stage: 'Consultation' } });
    ddb.on(UpdateCommand).resolves({});
    const repo = new DynamoOnboardingRepository(docs, table);

    await repo.save({ ...onboarding(), stage: 'Consultation' });

    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input.ReturnValues).toBe('ALL_OLD');
    // same stage as before: no counter moves
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('reports a concurrent save as ConcurrentUpdateError', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    const repo = new DynamoOnboardingRepository(docs, table);

    await expect(repo.save(onboarding())).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it('lists a stage newest first through byStage with an opaque cursor', async () => {
    const summary = { id: 'onb-abcdefghij', stage: 'Consultation' };
    ddb.on(QueryCommand).resolves({
      Items: [{ summary }],
      LastEvaluatedKey: { pk: 'ONB#x', sk: 'META', gsi1pk: 'STAGE#Consultation', gsi1sk: 'k' },
    });
    const repo = new DynamoOnboardingRepository(docs, table);

    const page = await repo.listByStage('Consultation', { limit: 10 });
    await repo.listByStage('Consultation', { limit: 10, cursor: page.nextCursor });

    const [first, second] = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(first).toMatchObject({
      IndexName: 'byStage',
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': 'STAGE#Consultation' },
      ScanIndexForward: false,
      Limit: 10,
    });
    expect(page.items).toEqual([summary]);
    expect(second?.ExclusiveStartKey).toEqual({
      pk: 'ONB#x',
      sk: 'META',
      gsi1pk: 'STAGE#Consultation',
      gsi1sk: 'k',
    });
    await expect(repo.listByStage('Consultation', { cursor: 'bm90IGpzb24' })).rejects.toBeInstanceOf(
      RangeError,
    );
  });

  it('searches by account id through byBuyer and by text with a filtered scan', async () => {
    // Prepare
    ddb.on(QueryCommand).resolves({ Items: [] });
    const repo = new DynamoOnboardingRepository(docs, table);

    // Act
    await repo.search('123456789012');

    // Assess
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'byBuyer',
      ExpressionAttributeValues: { ':p': 'BUYER#123456789012' },
    });
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('searches a name prefix in byCompany, then byContact, never scanning; the cursor resumes in the index', async () => {
    // Prepare
    const row = (id: string, company: string) => ({
      pk: `ONB#${id}`,
      sk: 'META',
      gsi4pk: 'NAME#e',
      gsi4sk: `${company.toLowerCase()}#${id}`,
      summary: { id, company, stage: 'Inquiry' },
    });
    // the company index holds a then b; a start key resumes after it
    ddb
      .on(QueryCommand, { IndexName: 'byCompany' })
      .callsFake((input: { ExclusiveStartKey?: { pk?: string } }) => ({
        Items:
          input.ExclusiveStartKey?.pk === 'ONB#a'
            ? [row('b', 'Example B')]
            : [row('a', 'Example A'), row('b', 'Example B')],
      }));
    ddb.on(QueryCommand, { IndexName: 'byContact' }).resolves({
      Items: [
        {
          pk: 'ONB#b',
          sk: 'META',
          gsi5pk: 'NAME#e',
          gsi5sk: 'e#b',
          summary: { id: 'b', company: 'Example B' },
        },
        { pk: 'ONB#c', sk: 'META', gsi5pk: 'NAME#e', gsi5sk: 'e#c', summary: { id: 'c', company: 'Other' } },
      ],
    });
    const repo = new DynamoOnboardingRepository(docs, table);

    // Act
    const first = await repo.search('  ＥＸＡＭＰＬＥ ', { limit: 1 });
    const rest = await repo.search('example', { limit: 5, cursor: first.nextCursor });

    // Assess
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'byCompany',
      KeyConditionExpression: '#pk = :p AND begins_with(#sk, :k)',
      ExpressionAttributeNames: { '#pk': 'gsi4pk', '#sk': 'gsi4sk' },
      ExpressionAttributeValues: { ':p': 'NAME#e', ':k': 'example' },
    });
    expect(first.items.map((i) => i.id)).toEqual(['a']);
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({
      pk: 'ONB#a',
      sk: 'META',
      gsi4pk: 'NAME#e',
      gsi4sk: 'example a#a',
    });
    // b matched by company already: not listed again from the contact index
    expect(rest.items.map((i) => i.id)).toEqual(['b', 'c']);
    expect(rest.nextCursor).toBeUndefined();
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  });
});

describe('DynamoOnboardingRepository, the list of all onboardings', () => {
  it('reads byUpdate newest first, one page per request, and never scans', async () => {
    // Prepare
    ddb.on(QueryCommand, { IndexName: 'byUpdate' }).resolves({
      Items: [{ summary: { id: 'b' } }, { summary: { id: 'a' } }],
      LastEvaluatedKey: { pk: 'ONB#a', sk: 'META', gsi6pk: 'ONB', gsi6sk: '2025#a' },
    });
    const repo = new DynamoOnboardingRepository(docs, table);

    // Act
    const page = await repo.search('', { limit: 2 });

    // Assess
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'byUpdate',
      KeyConditionExpression: 'gsi6pk = :p',
      ExpressionAttributeValues: { ':p': 'ONB' },
      ScanIndexForward: false,
      Limit: 2,
    });
    expect(page.items.map((i) => i.id)).toEqual(['b', 'a']);
    expect(page.nextCursor).toBeDefined();
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  });
});

describe('DynamoHumanTaskStore', () => {
  const task = openTask({
    onboardingId: 'onb-abcdefghij',
    stage: 'Consultation',
    taskToken: 'tok',
    dueAt: 'd',
    openedAt: 'o',
  });

  it('claims with a condition on the token and the status, one winner', async () => {
    ddb.on(UpdateCommand).resolvesOnce({}).rejects(conditionFailed());
    const store = new DynamoHumanTaskStore(docs, table);

    const first = await store.claim(
      'onb-abcdefghij',
      'Consultation',
      'tok',
      '2025-04-01T00:01:00Z',
      '2025-04-01T00:00:00Z',
    );
    const second = await store.claim(
      'onb-abcdefghij',
      'Consultation',
      'tok',
      '2025-04-01T00:01:00Z',
      '2025-04-01T00:00:00Z',
    );

    expect([first, second]).toEqual([true, false]);
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: 'ONB#onb-abcdefghij', sk: 'TASK#Consultation' },
      ConditionExpression:
        'taskToken = :token AND (taskStatus = :open OR (taskStatus = :claimed AND #task.claimedAt < :stale))',
      ExpressionAttributeValues: { ':token': 'tok', ':stale': '2025-04-01T00:00:00Z' },
    });
  });

  it('stores the task (token server side) and ignores a finish for a replaced token', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).rejects(conditionFailed());
    const store = new DynamoHumanTaskStore(docs, table);

    await store.put(task);
    await store.finish('onb-abcdefghij', 'Consultation', 'old-token', {
      status: 'completed',
      at: 'x',
      outcome: 'success',
    });

    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input.Item).toMatchObject({
      sk: 'TASK#Consultation',
      taskToken: 'tok',
      taskStatus: 'open',
    });
  });
});

describe('DynamoFactStore', () => {
  it("lists an onboarding's facts past the first page (one Query returns at most 1 MB)", async () => {
    // Prepare
    const fact = (kind: string) => ({ fact: { onboardingId: 'onb-abcdefghij', kind } });
    twoPages([fact('a')], [fact('b')]);
    const facts = new DynamoFactStore(docs, table);

    // Act
    const listed = await facts.list('onb-abcdefghij');

    // Assess
    expect(listed.map((f) => f.kind)).toEqual(['a', 'b']);
  });

  it('keeps the first fact of a kind and reports a duplicate', async () => {
    ddb.on(PutCommand).resolvesOnce({}).rejects(conditionFailed());
    const store = new DynamoFactStore(docs, table);
    const fact = {
      kind: 'subscription-failed' as const,
      onboardingId: 'onb-abcdefghij',
      at: 'a',
      source: 's',
      reason: 'r',
    };

    expect(await store.record(fact)).toBe('recorded');
    expect(await store.record(fact)).toBe('duplicate');
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      Item: { pk: 'ONB#onb-abcdefghij', sk: 'FACT#subscription-failed' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('treats an expired memo as absent even if the table still holds it', async () => {
    const now = Date.parse('2025-04-01T00:00:00Z');
    ddb.on(GetCommand).resolves({ Item: { value: { a: 1 }, ttl: now / 1000 - 1 } });
    const store = new DynamoFactStore(docs, table, () => now);

    expect(await store.recall('k')).toBeUndefined();
    ddb.on(GetCommand).resolves({ Item: { value: { a: 1 }, ttl: now / 1000 + 60 } });
    expect(await store.recall('k')).toEqual({ a: 1 });
  });
});

describe('DynamoAccountDirectory', () => {
  it('activates the paid plan once with a condition', async () => {
    ddb.on(UpdateCommand).resolvesOnce({}).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: { account: { id: 'acct-1' } } });
    const dir = new DynamoAccountDirectory(docs, table);
    const paid = { plan: 'Enterprise', onboardingId: 'onb-abcdefghij', activatedAt: 'now' };

    expect(await dir.activatePaidPlan('acct-1', paid)).toBe('activated');
    expect(await dir.activatePaidPlan('acct-1', paid)).toBe('already-active');
    expect(ddb.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      Key: { pk: 'ACCOUNT#acct-1', sk: 'META' },
      ConditionExpression: 'attribute_exists(pk) AND #plan <> :paid',
    });
  });

  it('refuses an e-mail that belongs to another user', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    const dir = new DynamoAccountDirectory(docs, table);

    await expect(dir.putUser({ id: 'user-2', email: 'A@Example.com', createdAt: 'x' })).rejects.toThrow(
      'e-mail a@example.com already belongs to another user',
    );
    expect(ddb.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      Item: { pk: 'EMAIL#a@example.com', userId: 'user-2' },
      ConditionExpression: 'attribute_not_exists(pk) OR userId = :id',
    });
  });
});
