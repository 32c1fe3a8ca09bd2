import { type HumanStage, STAGES, type Stage } from '../../../workflows/contracts/stage-registry.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import {
  dealStepSlot,
  dealStepsOf,
  matchesSearch,
  type Onboarding,
  type OnboardingSummary,
  summarize,
  waitingRows,
} from '../../domain/onboarding.js';
import type { TimelineEntry } from '../../domain/timeline.js';
import type { OnboardingRepository, RefKind, WaitingFilter } from '../../ports/onboarding-repository.js';
import type { PageRequest } from '../../ports/page.js';
import { clone, paginate } from './cursor.js';

/** A row's place in the byDue order: due date, onboarding, then the step (as the DynamoDB index keys it). */
const rowKey = (s: OnboardingSummary) =>
  `${s.waiting?.dueAt}#${s.id}#${s.waiting ? dealStepSlot(s.waiting) : ''}`;

export class MemoryOnboardingRepository implements OnboardingRepository {
  readonly items = new Map<string, Onboarding>();
  private readonly refs = new Map<string, string>();
  private readonly events = new Map<string, TimelineEntry[]>();

  async get(id: string) {
    const o = this.items.get(id);
    return o ? clone(o) : undefined;
  }

  async create(onboarding: Onboarding) {
    if (this.items.has(onboarding.id)) return 'exists' as const;
    this.items.set(onboarding.id, clone({ ...onboarding, version: 1 }));
    return 'created' as const;
  }

  async save(onboarding: Onboarding) {
    const stored = this.items.get(onboarding.id);
    if (!stored || stored.version !== onboarding.version)
      throw new ConcurrentUpdateError(`onboarding ${onboarding.id}`);
    const saved = { ...clone(onboarding), version: onboarding.version + 1 };
    this.items.set(onboarding.id, saved);
    return clone(saved);
  }

  private newestFirst(list: Onboarding[]) {
    return list.sort((a, b) => (b.updatedAt + b.id).localeCompare(a.updatedAt + a.id));
  }

  async listByStage(stage: Stage, page: PageRequest = {}) {
    const all = this.newestFirst([...this.items.values()].filter((o) => o.stage === stage)).map(summarize);
    return paginate(all, page.limit, page.cursor);
  }

  async countByStage() {
    const counts = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
    for (const o of this.items.values()) counts[o.stage] += 1;
    return counts;
  }

  /** One per waiting deal step (two advisories of one onboarding count two), as the work lists' rows. */
  async countWaitingDealSteps() {
    const counts: Partial<Record<HumanStage, number>> = {};
    for (const o of this.items.values())
      for (const w of dealStepsOf(o)) counts[w.stage] = (counts[w.stage] ?? 0) + 1;
    return counts;
  }

  async search(query: string, options: PageRequest & { stage?: Stage } = {}) {
    const all = this.newestFirst(
      [...this.items.values()].filter(
        (o) => (!options.stage || o.stage === options.stage) && matchesSearch(o, query),
      ),
    ).map(summarize);
    return paginate(all, options.limit, options.cursor);
  }

  /** One row per waiting (own stage, each deal step), soonest due first, as the byDue index has them. */
  private waiting(filter: WaitingFilter) {
    return [...this.items.values()]
      .flatMap((o) => waitingRows(o))
      .filter(
        (s) =>
          s.waiting &&
          (!filter.assignees || filter.assignees.includes(s.waiting.assignee)) &&
          (!filter.dueBefore || s.waiting.dueAt < filter.dueBefore) &&
          (!filter.stage || s.stage === filter.stage),
      )
      .sort((a, b) => rowKey(a).localeCompare(rowKey(b)));
  }

  async listWaiting(filter: WaitingFilter & PageRequest = {}) {
    return paginate(this.waiting(filter), filter.limit, filter.cursor);
  }

  async findByOfferId(offerId: string) {
    const o = [...this.items.values()].find((x) => x.offer?.offerId === offerId);
    return o ? clone(o) : undefined;
  }

  async findByBuyerAccount(awsAccountId: string) {
    return [...this.items.values()]
      .filter((o) => o.buyerAwsAccountId === awsAccountId)
      .sort((a, b) => (b.createdAt + b.id).localeCompare(a.createdAt + a.id))
      .map(clone);
  }

  async linkRef(kind: RefKind, key: string, onboardingId: string) {
    this.refs.set(`${kind}#${key}`, onboardingId);
  }

  async findByRef(kind: RefKind, key: string) {
    return this.refs.get(`${kind}#${key}`);
  }

  async appendTimeline(entry: TimelineEntry) {
    const list = this.events.get(entry.onboardingId) ?? [];
    list.push(clone(entry));
    this.events.set(entry.onboardingId, list);
  }

  async timeline(onboardingId: string) {
    return clone(this.events.get(onboardingId) ?? []).sort((a, b) => a.at.localeCompare(b.at));
  }
}
