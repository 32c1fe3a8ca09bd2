/**
 * Onboardings in DynamoDB (tasks/table.ts): `ONB#<id>/META` with the entity under `data` and the GSI keys
 * (byStage: STAGE#<stage> / <updatedAt>#<id>; byOffer: OFFER#<offerId>; byBuyer: BUYER#<account> / <createdAt>#<id>;
 * byCompany and byContact: NAME#<first character> / <nameKey>#<id>, for the console search by name prefix;
 * byUpdate: ONB / <updatedAt>#<id>, the console's list of all onboardings; byDue: WAIT / <dueAt>#<id>, those waiting
 * for a person at their own stage, soonest due first, and one `ONB#<id>/WAIT#<stage>[#<instance>]` entry per waiting
 * deal step, WAIT / <dueAt>#<id>#<step>),
 * optimistic concurrency on `version`; per-stage counters in `STATS/STAGES` (with `WAIT#<deal stage>`: the deal
 * steps waiting, one per step, as the work lists show them); the timeline as `EVENT#…` items; refs
 * from marketplace identifiers as `REF#<kind>#<key>` items.
 */
import { randomBytes } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  DEAL_STAGES,
  type HumanStage,
  isDealStage,
  STAGES,
  type Stage,
} from '../../../workflows/contracts/stage-registry.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import {
  dealStepSlot,
  dealStepsOf,
  nameKey,
  type Onboarding,
  type OnboardingSummary,
  summarize,
  type Waiting,
  waitingOf,
} from '../../domain/onboarding.js';
import type { TimelineEntry } from '../../domain/timeline.js';
import type { TaskLogger } from '../../ports/logger.js';
import type { OnboardingRepository, RefKind, WaitingFilter } from '../../ports/onboarding-repository.js';
import type { Page, PageRequest } from '../../ports/page.js';
import { ONBOARDING_TABLE } from '../../table.js';
import {
  countAll,
  decodeCursor,
  encodeCursor,
  isConditionalFailure,
  keys,
  queryAll,
} from './dynamo-common.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const emailKey = (email: string, onboardingId: string) => ({
  pk: `ONB-EMAIL#${email.trim().toLowerCase()}`,
  sk: `ONB#${onboardingId}`,
});

const [BY_STAGE, BY_OFFER, BY_BUYER, BY_COMPANY, BY_CONTACT, BY_UPDATE, BY_DUE] =
  ONBOARDING_TABLE.indexes.map((i) => i.name) as [string, string, string, string, string, string, string];

/** The two name indexes a search reads, company first: index name and key attributes. */
const NAME_INDEXES = {
  company: { index: BY_COMPANY, pk: 'gsi4pk', sk: 'gsi4sk' },
  contact: { index: BY_CONTACT, pk: 'gsi5pk', sk: 'gsi5sk' },
} as const;
type NamePhase = keyof typeof NAME_INDEXES;

/** Partition of a name key in the name indexes: its first character (so a prefix query knows its partition). */
const namePartition = (key: string) => `NAME#${Array.from(key)[0] ?? ''}`;

/** The name-index keys of one name (none for a name that normalizes to nothing: the index is sparse). */
function nameKeys(name: string, id: string, pk: string, sk: string): Record<string, string> {
  const key = nameKey(name);
  return key ? { [pk]: namePartition(key), [sk]: `${key}#${id}` } : {};
}

interface OnboardingItem {
  pk: string;
  sk: string;
  type: 'onboarding';
  version: number;
  stage: Stage;
  summary: OnboardingSummary;
  data: Omit<Onboarding, 'version'>;
  gsi1pk: string;
  gsi1sk: string;
  gsi2pk?: string;
  gsi2sk?: string;
  gsi3pk: string;
  gsi3sk: string;
  gsi4pk?: string;
  gsi4sk?: string;
  gsi5pk?: string;
  gsi5sk?: string;
  gsi6pk: string;
  gsi6sk: string;
  gsi7pk?: string;
  gsi7sk?: string;
}

function toItem(o: Onboarding, version: number): OnboardingItem {
  const { version: _v, ...data } = o;
  // the record is in the work lists for its own stage; each deal step has its own entry (stepItems)
  const own = waitingOf(o);
  const waiting = own && !isDealStage(own.stage) ? own : undefined;
  return {
    ...keys.onboarding(o.id),
    type: 'onboarding',
    version,
    stage: o.stage,
    summary: summarize(o),
    data,
    gsi1pk: `STAGE#${o.stage}`,
    gsi1sk: `${o.updatedAt}#${o.id}`,
    ...(o.offer ? { gsi2pk: `OFFER#${o.offer.offerId}`, gsi2sk: o.id } : {}),
    gsi3pk: `BUYER#${o.buyerAwsAccountId}`,
    gsi3sk: `${o.createdAt}#${o.id}`,
    ...nameKeys(o.inquiry.company, o.id, NAME_INDEXES.company.pk, NAME_INDEXES.company.sk),
    ...nameKeys(o.inquiry.contactName, o.id, NAME_INDEXES.contact.pk, NAME_INDEXES.contact.sk),
    gsi6pk: 'ONB',
    gsi6sk: `${o.updatedAt}#${o.id}`,
    ...(waiting ? { gsi7pk: 'WAIT', gsi7sk: `${waiting.dueAt}#${o.id}` } : {}),
  };
}

/** The key of a deal step's entry in the work lists: `ONB#<id>` / `WAIT#<stage>[#<instance>]`. */
const stepKey = (id: string, step: Waiting) => ({ pk: `ONB#${id}`, sk: `WAIT#${dealStepSlot(step)}` });

/**
 * One byDue entry per waiting deal step (gsi7sk = `<dueAt>#<id>#<step>`), its summary's `waiting` that step: the work
 * lists page one row per step, so role and due-date filters and the sort by due judge each step by itself.
 */
function stepItems(o: Onboarding): Record<string, unknown>[] {
  const summary = summarize(o);
  return dealStepsOf(o).map((step) => ({
    ...stepKey(o.id, step),
    type: 'deal-step-wait',
    stage: o.stage,
    summary: { ...summary, waiting: step },
    gsi7pk: 'WAIT',
    gsi7sk: `${step.dueAt}#${o.id}#${dealStepSlot(step)}`,
  }));
}

/** How many steps wait per deal stage, as `WAIT#<stage>` counter names. */
function stepCounts(steps: readonly Waiting[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of steps) {
    const key = dealWait(s.stage);
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * The items `create` writes for a new onboarding (the record at version 1 and its e-mail reference), for bulk loads
 * with BatchWriteItem (bench/console.ts); the per-stage counters are then rebuilt with recountStages().
 */
export function onboardingSeedItems(onboarding: Onboarding): Record<string, unknown>[] {
  return [{ ...toItem(onboarding, 1) }, emailRef(onboarding), ...stepItems(onboarding)];
}

/** Exact e-mail search without a scan (the e-mail of an onboarding never changes). */
const emailRef = (o: Onboarding) => ({
  ...emailKey(o.inquiry.email, o.id),
  type: 'email-ref',
  onboardingId: o.id,
});

/** The counter of onboardings whose deal step waits at `stage` (undefined for any other stage). */
const dealWait = (stage: string | undefined): string | undefined =>
  stage && isDealStage(stage) ? `WAIT#${stage}` : undefined;

function fromItem(item: Record<string, unknown>): Onboarding {
  const i = item as unknown as OnboardingItem;
  return { ...i.data, version: i.version } as Onboarding;
}

export class DynamoOnboardingRepository implements OnboardingRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: () => string,
    private readonly log?: TaskLogger,
  ) {}

  async get(id: string) {
    const r = await this.db.send(
      new GetCommand({ TableName: this.tableName(), Key: keys.onboarding(id), ConsistentRead: true }),
    );
    return r.Item ? fromItem(r.Item) : undefined;
  }

  async create(onboarding: Onboarding) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName(),
          Item: toItem(onboarding, 1),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (isConditionalFailure(err)) return 'exists' as const;
      throw err;
    }
    await this.count(undefined, onboarding.stage);
    await this.moveSteps([], onboarding);
    // exact e-mail search without a scan (the e-mail of an onboarding never changes)
    await this.db.send(
      new PutCommand({
        TableName: this.tableName(),
        Item: emailRef(onboarding),
      }),
    );
    return 'created' as const;
  }

  /** One round trip: the replaced item (ALL_OLD) tells which stage counter to move, atomically with the write. */
  async save(onboarding: Onboarding) {
    let previous: Record<string, unknown> | undefined;
    try {
      const r = await this.db.send(
        new PutCommand({
          TableName: this.tableName(),
          Item: toItem(onboarding, onboarding.version + 1),
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':expected': onboarding.version },
          ReturnValues: 'ALL_OLD',
        }),
      );
      previous = r.Attributes;
    } catch (err) {
      if (isConditionalFailure(err)) throw new ConcurrentUpdateError(`onboarding ${onboarding.id}`);
      throw err;
    }
    const before = previous?.stage as Stage | undefined;
    if (before !== onboarding.stage) await this.count(before, onboarding.stage);
    // deal steps opened or ended: their work-list entries and counters follow
    await this.moveSteps(previous ? dealStepsOf(fromItem(previous)) : [], onboarding);
    return { ...onboarding, version: onboarding.version + 1 };
  }

  /**
   * Writes the work-list entry of each deal step waiting now (its summary kept current), deletes those of steps that
   * ended, and moves the `WAIT#<stage>` counters by the difference. Best effort like the counters: a failure is
   * logged, and recountStages() rebuilds the counters from the entries.
   */
  private async moveSteps(before: readonly Waiting[], onboarding: Onboarding) {
    const after = dealStepsOf(onboarding);
    // deal steps exist only after Completed: other onboardings have no entries to keep or remove
    if (!before.length && !after.length && onboarding.stage !== 'Completed') return;
    const kept = new Set(after.map((s) => stepKey(onboarding.id, s).sk));
    try {
      // the entries stored now, not only those the previous record named: an entry left behind by a save cut off
      // between the record and its entries is removed by the next save
      const stored = await this.db.send(
        new QueryCommand({
          TableName: this.tableName(),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :wait)',
          ExpressionAttributeValues: { ':pk': `ONB#${onboarding.id}`, ':wait': 'WAIT#' },
          ProjectionExpression: 'pk, sk',
        }),
      );
      const ended = (stored.Items ?? []).filter((i) => !kept.has(String(i.sk)));
      await Promise.all([
        ...stepItems(onboarding).map((Item) =>
          this.db.send(new PutCommand({ TableName: this.tableName(), Item })),
        ),
        ...ended.map((i) =>
          this.db.send(
            new DeleteCommand({ TableName: this.tableName(), Key: { pk: String(i.pk), sk: String(i.sk) } }),
          ),
        ),
      ]);
    } catch (err) {
      this.log?.error('deal-step work-list entries not updated', { error: String(err) });
    }
    const was = stepCounts(before);
    const now = stepCounts(after);
    const deltas: Record<string, number> = {};
    for (const key of new Set([...was.keys(), ...now.keys()]))
      deltas[key] = (now.get(key) ?? 0) - (was.get(key) ?? 0);
    await this.addToCounters(deltas);
  }

  /** Moves one onboarding between the counters. Best effort: a failure is logged (see recountStages). */
  private async count(from: string | undefined, to: string | undefined) {
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const adds: string[] = [];
    if (to) {
      names['#to'] = to;
      values[':one'] = 1;
      adds.push('#to :one');
    }
    if (from) {
      names['#from'] = from;
      values[':minus'] = -1;
      adds.push('#from :minus');
    }
    await this.update(adds, names, values);
  }

  /** Adds each delta to its counter in one update (zeros left out). Best effort: a failure is logged. */
  private async addToCounters(deltas: Readonly<Record<string, number>>) {
    const moved = Object.entries(deltas).filter(([, delta]) => delta !== 0);
    await this.update(
      moved.map((_, i) => `#c${i} :d${i}`),
      Object.fromEntries(moved.map(([name], i) => [`#c${i}`, name])),
      Object.fromEntries(moved.map(([, delta], i) => [`:d${i}`, delta])),
    );
  }

  /** One `ADD` update of the counters item. Best effort: a failure is logged (see recountStages). */
  private async update(adds: string[], names: Record<string, string>, values: Record<string, number>) {
    if (!adds.length) return;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName(),
          Key: keys.stats(),
          UpdateExpression: `ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (err) {
      this.log?.error('stage counters not updated; run recountStages()', { error: String(err) });
    }
  }

  async countByStage() {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName(), Key: keys.stats() }));
    return Object.fromEntries(STAGES.map((s) => [s, Math.max(0, Number(r.Item?.[s] ?? 0))])) as Record<
      Stage,
      number
    >;
  }

  async countWaitingDealSteps() {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName(), Key: keys.stats() }));
    const counts: Partial<Record<HumanStage, number>> = {};
    for (const stage of DEAL_STAGES) {
      const n = Math.max(0, Number(r.Item?.[dealWait(stage) as string] ?? 0));
      if (n) counts[stage] = n;
    }
    return counts;
  }

  /**
   * Rebuilds the per-stage counters from the byStage index, and the waiting deal steps' from the byDue index
   * (maintenance; the counters are updated best effort).
   */
  async recountStages(): Promise<Record<Stage, number>> {
    const counts = {} as Record<Stage, number>;
    for (const stage of STAGES) {
      counts[stage] = await countAll(this.db, {
        TableName: this.tableName(),
        IndexName: BY_STAGE,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': `STAGE#${stage}` },
      });
    }
    const deal: Record<string, number> = Object.fromEntries(DEAL_STAGES.map((s) => [dealWait(s), 0]));
    const waiting = await queryAll(this.db, {
      TableName: this.tableName(),
      IndexName: BY_DUE,
      KeyConditionExpression: 'gsi7pk = :p',
      ExpressionAttributeValues: { ':p': 'WAIT' },
    });
    for (const item of waiting) {
      const key = dealWait((item.summary as OnboardingSummary | undefined)?.waiting?.stage);
      if (key) deal[key] = (deal[key] ?? 0) + 1;
    }
    await this.db.send(
      new PutCommand({ TableName: this.tableName(), Item: { ...keys.stats(), ...counts, ...deal } }),
    );
    return counts;
  }

  async listByStage(stage: Stage, page: PageRequest = {}): Promise<Page<OnboardingSummary>> {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.tableName(),
        IndexName: BY_STAGE,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': `STAGE#${stage}` },
        ScanIndexForward: false,
        Limit: page.limit ?? 25,
        ExclusiveStartKey: decodeCursor(page.cursor),
      }),
    );
    const next = encodeCursor(r.LastEvaluatedKey);
    return {
      items: (r.Items ?? []).map((i) => i.summary as OnboardingSummary),
      ...(next ? { nextCursor: next } : {}),
    };
  }

  /**
   * A 12-digit query uses the byBuyer index, a whole e-mail address its `ONB-EMAIL#` items, an onboarding id a direct
   * read, an offer id the byOffer index; any other text is the start of a company or contact name (byCompany, then byContact); no text lists every
   * onboarding newest first (byUpdate). Nothing scans the table.
   */
  async search(
    query: string,
    options: PageRequest & { stage?: Stage } = {},
  ): Promise<Page<OnboardingSummary>> {
    const q = query.trim().toLowerCase();
    const limit = options.limit ?? 25;
    const keep = (s: OnboardingSummary) => !options.stage || s.stage === options.stage;
    if (/^\d{12}$/.test(q) && !options.cursor) {
      const found = (await this.findByBuyerAccount(q)).map(summarize).filter(keep);
      return { items: found.slice(0, limit) };
    }
    if (EMAIL.test(q) && !options.cursor) {
      const refs = await queryAll(this.db, {
        TableName: this.tableName(),
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': emailKey(q, '').pk },
      });
      const found = await Promise.all(refs.map((i) => this.get(String(i.onboardingId))));
      const items = found
        .filter((o): o is Onboarding => o !== undefined)
        .map(summarize)
        .filter(keep)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      return { items: items.slice(0, limit) };
    }
    if (/^offer-[0-9a-z]{1,60}$/.test(q) && !options.cursor) {
      const o = await this.findByOfferId(q);
      return { items: o && keep(summarize(o)) ? [summarize(o)] : [] };
    }
    if (/^onb-[0-9a-z]{10,40}$/.test(q) && !options.cursor) {
      const o = await this.get(q);
      return { items: o && keep(summarize(o)) ? [summarize(o)] : [] };
    }
    if (q) return this.searchByName(nameKey(q), limit, options);
    return this.listAll(limit, options);
  }

  /**
   * Names starting with `key`: the byCompany index, then the byContact index (skipping onboardings whose company
   * already matched), each in key order. The cursor carries the phase and the index key to resume after.
   */
  private async searchByName(
    key: string,
    limit: number,
    options: PageRequest & { stage?: Stage },
  ): Promise<Page<OnboardingSummary>> {
    if (!key) return { items: [] };
    const { phase: resumePhase, ...resumeKey } = decodeCursor(options.cursor) ?? {};
    let phase: NamePhase = resumePhase === 'contact' ? 'contact' : 'company';
    let start = Object.keys(resumeKey).length ? resumeKey : undefined;
    if (start && !(NAME_INDEXES[phase].sk in start)) throw new RangeError('not a cursor of this search');
    const items: OnboardingSummary[] = [];
    for (;;) {
      const page = await this.namePage(phase, key, limit - items.length, options.stage, start);
      items.push(...page.items);
      if (page.next) return { items, nextCursor: encodeCursor({ phase, ...page.next }) as string };
      if (phase === 'contact') return { items };
      phase = 'contact';
      start = undefined;
      if (items.length === limit) return { items, nextCursor: encodeCursor({ phase }) as string };
    }
  }

  /** Up to `limit` summaries from one name index; `next` is the key to resume after, absent when it is exhausted. */
  private async namePage(
    phase: NamePhase,
    key: string,
    limit: number,
    stage: Stage | undefined,
    start: Record<string, unknown> | undefined,
  ): Promise<{ items: OnboardingSummary[]; next?: Record<string, unknown> }> {
    const { index, pk, sk } = NAME_INDEXES[phase];
    const items: OnboardingSummary[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName(),
        IndexName: index,
        KeyConditionExpression: '#pk = :p AND begins_with(#sk, :k)',
        ...(stage ? { FilterExpression: '#stage = :stage' } : {}),
        ExpressionAttributeNames: { '#pk': pk, '#sk': sk, ...(stage ? { '#stage': 'stage' } : {}) },
        ExpressionAttributeValues: {
          ':p': namePartition(key),
          ':k': key,
          ...(stage ? { ':stage': stage } : {}),
        },
        // with a stage filter few of the entries read may match: read many (small, INCLUDE-projected) per request;
        // fewer round trips beat fewer entries (bench:console, prefix + stage, 10,000: p95 85 ms at 1000, 136 at 400)
        Limit: stage ? 1000 : limit,
        ExclusiveStartKey: start,
      },
    );
    for await (const r of pages) {
      for (const item of r.Items ?? []) {
        const summary = item.summary as OnboardingSummary;
        // an onboarding whose company matched was listed in the company phase
        if (phase === 'contact' && nameKey(summary.company).startsWith(key)) continue;
        items.push(summary);
        if (items.length === limit) {
          const last = { pk: item.pk, sk: item.sk, [pk]: item[pk], [sk]: item[sk] };
          const more = item !== r.Items?.at(-1) || r.LastEvaluatedKey !== undefined;
          return more ? { items, next: last } : { items };
        }
      }
    }
    return { items };
  }

  /** No query: every onboarding newest first (byUpdate), or those of one stage (byStage). */
  private async listAll(
    limit: number,
    options: PageRequest & { stage?: Stage },
  ): Promise<Page<OnboardingSummary>> {
    const page = { limit, ...(options.cursor ? { cursor: options.cursor } : {}) };
    if (options.stage) return this.listByStage(options.stage, page);
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.tableName(),
        IndexName: BY_UPDATE,
        KeyConditionExpression: 'gsi6pk = :p',
        ExpressionAttributeValues: { ':p': 'ONB' },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(options.cursor),
      }),
    );
    const next = encodeCursor(r.LastEvaluatedKey);
    return {
      items: (r.Items ?? []).map((i) => i.summary as OnboardingSummary),
      ...(next ? { nextCursor: next } : {}),
    };
  }

  /** The byDue index's query for a filter: due before as a key condition, role and stage as filters. */
  private waitingQuery(filter: WaitingFilter) {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':p': 'WAIT' };
    const conditions: string[] = [];
    if (filter.assignees) {
      names['#summary'] = 'summary';
      names['#waiting'] = 'waiting';
      names['#assignee'] = 'assignee';
      const list = filter.assignees.map((a, i) => {
        values[`:a${i}`] = a;
        return `:a${i}`;
      });
      conditions.push(`#summary.#waiting.#assignee IN (${list.join(', ') || ':none'})`);
      if (list.length === 0) values[':none'] = '-';
    }
    if (filter.stage) {
      names['#stage'] = 'stage';
      values[':stage'] = filter.stage;
      conditions.push('#stage = :stage');
    }
    if (filter.dueBefore) values[':due'] = filter.dueBefore;
    return {
      TableName: this.tableName(),
      IndexName: BY_DUE,
      KeyConditionExpression: filter.dueBefore ? 'gsi7pk = :p AND gsi7sk < :due' : 'gsi7pk = :p',
      ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    };
  }

  /** Pages through the byDue index until `limit` summaries pass the filters (filters may leave pages short). */
  async listWaiting(filter: WaitingFilter & PageRequest = {}): Promise<Page<OnboardingSummary>> {
    const limit = filter.limit ?? 25;
    const filtered = filter.assignees !== undefined || filter.stage !== undefined;
    const items: OnboardingSummary[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        ...this.waitingQuery(filter),
        Limit: filtered ? Math.max(limit, 200) : limit,
        ExclusiveStartKey: decodeCursor(filter.cursor),
      },
    );
    for await (const r of pages) {
      for (const item of r.Items ?? []) {
        items.push(item.summary as OnboardingSummary);
        if (items.length === limit) {
          const more = item !== r.Items?.at(-1) || r.LastEvaluatedKey !== undefined;
          const last = { pk: item.pk, sk: item.sk, gsi7pk: item.gsi7pk, gsi7sk: item.gsi7sk };
          return more ? { items, nextCursor: encodeCursor(last) as string } : { items };
        }
      }
    }
    return { items };
  }

  async findByOfferId(offerId: string) {
    const r = await this.db.send(
      new QueryCommand({
        TableName: this.tableName(),
        IndexName: BY_OFFER,
        KeyConditionExpression: 'gsi2pk = :p',
        ExpressionAttributeValues: { ':p': `OFFER#${offerId}` },
        Limit: 1,
      }),
    );
    const id = (r.Items?.[0]?.data as Onboarding | undefined)?.id;
    return id ? this.get(id) : undefined;
  }

  async findByBuyerAccount(awsAccountId: string) {
    const items = await queryAll(this.db, {
      TableName: this.tableName(),
      IndexName: BY_BUYER,
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': `BUYER#${awsAccountId}` },
      ScanIndexForward: false,
    });
    return items.map(fromItem);
  }

  async linkRef(kind: RefKind, key: string, onboardingId: string) {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName(),
        Item: { ...keys.ref(kind, key), type: 'ref', onboardingId },
      }),
    );
  }

  async findByRef(kind: RefKind, key: string) {
    const r = await this.db.send(new GetCommand({ TableName: this.tableName(), Key: keys.ref(kind, key) }));
    return typeof r.Item?.onboardingId === 'string' ? r.Item.onboardingId : undefined;
  }

  /** Entries of the same millisecond keep their order within a process (the sequence), and never collide. */
  private sequence = 0;

  async appendTimeline(entry: TimelineEntry) {
    this.sequence = (this.sequence + 1) % 1_000_000;
    const unique = `${String(this.sequence).padStart(6, '0')}${randomBytes(3).toString('hex')}`;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName(),
        Item: {
          ...keys.timeline(entry.onboardingId, entry.at, unique),
          type: 'timeline',
          entry,
        },
      }),
    );
  }

  async timeline(onboardingId: string) {
    const items = await queryAll(this.db, {
      TableName: this.tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':p': `ONB#${onboardingId}`, ':e': 'EVENT#' },
    });
    return items.map((i) => i.entry as TimelineEntry);
  }
}
