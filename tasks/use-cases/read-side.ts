/** The console's and the CLI's read side: lists by stage with counts, search, one onboarding with its story. */

import * as z from 'zod';
import {
  assigneeOf,
  HUMAN_STAGES,
  type HumanRole,
  type HumanStage,
  isDealStage,
  STAGES,
  type Stage,
} from '../../workflows/contracts/stage-registry.js';
import type { Fact } from '../domain/facts.js';
import { type HumanTaskView, viewOf } from '../domain/human-task.js';
import { type Onboarding, type OnboardingSummary, searchQuery } from '../domain/onboarding.js';
import { withoutStackTraces } from '../domain/stack-traces.js';
import type { TimelineEntry } from '../domain/timeline.js';
import { type Invalid, invalid, issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';

const ListQuery = z.object({
  stage: z.enum(STAGES, { message: 'stage is not a stage of the procedure' }).optional(),
  query: z.string().trim().max(200, 'query must be at most 200 characters').optional(),
  limit: z
    .number()
    .int()
    .min(1, 'limit must be at least 1')
    .max(100, 'limit must be at most 100')
    .default(25),
  cursor: z.string().max(2000).optional(),
  /** The roles the person listing acts as (the stages' assignees they complete): counted as "waiting for me". */
  roles: z
    .array(z.enum(['sales', 'support', 'buyer']))
    .max(3)
    .optional(),
  /** Only onboardings waiting for `roles` (a work list: "waiting for me"). */
  mine: z.boolean().default(false),
  /** Only onboardings waiting past their due date. */
  overdue: z.boolean().default(false),
  /** `due`: onboardings waiting for a person, soonest due first; `updated`: newest first. */
  sort: z.enum(['updated', 'due'], { message: 'sort must be updated or due' }).default('updated'),
});

/** Overdue onboardings counted at most (the list says "100+" beyond). */
export const OVERDUE_COUNTED = 100;

export type ListOnboardingsResult =
  | {
      ok: true;
      items: OnboardingSummary[];
      nextCursor?: string;
      counts: Record<Stage, number>;
      total: number;
      /**
       * How many wait for `roles` (absent when none were given), and how many are overdue: counted up to
       * OVERDUE_COUNTED, `overdueMore` when there are more.
       */
      waiting: { forRoles?: number; overdue: number; overdueMore?: boolean };
    }
  | Invalid
  | { ok: false; error: 'invalid-cursor' };

export async function listOnboardings(
  ports: Pick<Ports, 'onboardings' | 'clock'>,
  input: {
    stage?: unknown;
    query?: unknown;
    limit?: unknown;
    cursor?: unknown;
    roles?: readonly HumanRole[];
    mine?: boolean;
    overdue?: boolean;
    sort?: unknown;
  } = {},
): Promise<ListOnboardingsResult> {
  const parsed = ListQuery.safeParse({
    ...input,
    query: input.query === '' ? undefined : input.query,
    stage: input.stage === '' ? undefined : input.stage,
  });
  if (!parsed.success) return invalid(issuesOf(parsed.error));
  const { stage, limit, cursor, roles, mine, overdue, sort } = parsed.data;
  const waitingFor = mine ? (roles ?? []) : undefined;
  // an AWS account id typed with hyphens or full-width digits is searched as its 12 digits
  const query = parsed.data.query ? searchQuery(parsed.data.query) : undefined;
  const now = ports.clock.now().toISOString();
  // what waits for the roles: the per-stage counters of their stages and of their waiting deal steps (no index read); overdue: the first
  // OVERDUE_COUNTED of the byDue key range before now (one bounded read on every list load and refresh)
  // a deal step (Renewal, AdvisoryReview…) waits while its onboarding stays Completed: counted by its own counter
  const [counts, late, dealSteps] = await Promise.all([
    ports.onboardings.countByStage(),
    ports.onboardings.listWaiting({ dueBefore: now, limit: OVERDUE_COUNTED }),
    roles ? ports.onboardings.countWaitingDealSteps() : ({} as Partial<Record<HumanStage, number>>),
  ]);
  const forRoles = roles
    ? HUMAN_STAGES.filter((s) => roles.includes(assigneeOf(s))).reduce(
        (n, s) => n + (isDealStage(s) ? (dealSteps[s] ?? 0) : (counts[s] ?? 0)),
        0,
      )
    : undefined;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const waiting = {
    ...(forRoles === undefined ? {} : { forRoles }),
    overdue: late.items.length,
    ...(late.nextCursor ? { overdueMore: true } : {}),
  };
  const page_ = { limit, ...(cursor ? { cursor } : {}) };
  try {
    let page: { items: OnboardingSummary[]; nextCursor?: string };
    if (query) {
      // a search keeps its own order (one row per onboarding); the work-list filters narrow its page: a row stays when
      // one of its waitings (its stage, each deal step) passes them all
      page = await ports.onboardings.search(query, { ...page_, ...(stage ? { stage } : {}) });
      page = {
        ...page,
        items: page.items.filter(
          (s) =>
            [...(s.waiting ? [s.waiting] : []), ...(s.dealSteps ?? [])].some(
              (w) => (!waitingFor || waitingFor.includes(w.assignee)) && (!overdue || w.dueAt < now),
            ) ||
            (!waitingFor && !overdue),
        ),
      };
    } else if (waitingFor || overdue || sort === 'due') {
      page = await ports.onboardings.listWaiting({
        ...page_,
        ...(waitingFor ? { assignees: waitingFor } : {}),
        ...(overdue ? { dueBefore: now } : {}),
        ...(stage ? { stage } : {}),
      });
    } else if (stage) {
      page = await ports.onboardings.listByStage(stage, page_);
    } else {
      page = await listAll(ports, limit, cursor);
    }
    return { ok: true, ...page, counts, total, waiting };
  } catch (err) {
    if (err instanceof RangeError) return { ok: false, error: 'invalid-cursor' };
    throw err;
  }
}

/** No stage and no query: every onboarding, newest first (a search matching everything). */
function listAll(ports: Pick<Ports, 'onboardings'>, limit: number, cursor?: string) {
  return ports.onboardings.search('', { limit, ...(cursor ? { cursor } : {}) });
}

export interface OnboardingDetail {
  ok: true;
  onboarding: Onboarding;
  tasks: HumanTaskView[];
  /** The onboarding's human task waiting now, if any. */
  openTask?: HumanTaskView;
  /** The deal's steps waiting now (Renewal, AdvisoryReview: the lifecycle workflow's), oldest first. */
  dealTasks: HumanTaskView[];
  timeline: TimelineEntry[];
  facts: Fact[];
}

export async function getOnboarding(
  ports: Pick<Ports, 'onboardings' | 'tasks' | 'facts'>,
  onboardingId: string,
): Promise<OnboardingDetail | { ok: false; error: 'not-found' }> {
  const onboarding = await ports.onboardings.get(onboardingId);
  if (!onboarding) return { ok: false, error: 'not-found' };
  const [tasks, timeline, facts] = await Promise.all([
    ports.tasks.list(onboardingId),
    ports.onboardings.timeline(onboardingId),
    ports.facts.list(onboardingId),
  ]);
  const views = tasks.map(viewOf);
  const waiting = views.filter((t) => t.status === 'open' || t.status === 'claimed');
  const open = waiting
    .filter((t) => !isDealStage(t.stage))
    .sort((a, b) => b.openedAt.localeCompare(a.openedAt))[0];
  const dealTasks = waiting
    .filter((t) => isDealStage(t.stage))
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  // staff read the stage details, the end and the timeline: error types and messages, never stack traces
  return withoutStackTraces({
    ok: true as const,
    onboarding,
    tasks: views,
    ...(open ? { openTask: open } : {}),
    dealTasks,
    timeline,
    facts,
  });
}
