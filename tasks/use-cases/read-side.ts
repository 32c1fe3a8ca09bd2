/** The console's and the CLI's read side: lists by stage with counts, search, one onboarding with its story. */

import * as z from 'zod';
import { STAGES, type Stage } from '../../workflows/contracts/stage-registry.js';
import type { Fact } from '../domain/facts.js';
import { type HumanTaskView, viewOf } from '../domain/human-task.js';
import type { Onboarding, OnboardingSummary } from '../domain/onboarding.js';
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
});

export type ListOnboardingsResult =
  | {
      ok: true;
      items: OnboardingSummary[];
      nextCursor?: string;
      counts: Record<Stage, number>;
      total: number;
    }
  | Invalid
  | { ok: false; error: 'invalid-cursor' };

export async function listOnboardings(
  ports: Pick<Ports, 'onboardings'>,
  input: { stage?: unknown; query?: unknown; limit?: unknown; cursor?: unknown } = {},
): Promise<ListOnboardingsResult> {
  const parsed = ListQuery.safeParse({
    ...input,
    query: input.query === '' ? undefined : input.query,
    stage: input.stage === '' ? undefined : input.stage,
  });
  if (!parsed.success) return invalid(issuesOf(parsed.error));
  const { stage, query, limit, cursor } = parsed.data;
  const counts = await ports.onboardings.countByStage();
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  try {
    const page = query
      ? await ports.onboardings.search(query, {
          limit,
          ...(cursor ? { cursor } : {}),
          ...(stage ? { stage } : {}),
        })
      : stage
        ? await ports.onboardings.listByStage(stage, { limit, ...(cursor ? { cursor } : {}) })
        : await listAll(ports, limit, cursor);
    return { ok: true, ...page, counts, total };
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
  /** The human task waiting now, if any. */
  openTask?: HumanTaskView;
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
  const open = views
    .filter((t) => t.status === 'open' || t.status === 'claimed')
    .sort((a, b) => b.openedAt.localeCompare(a.openedAt))[0];
  // staff read the stage details, the end and the timeline: error types and messages, never stack traces
  return withoutStackTraces({
    ok: true as const,
    onboarding,
    tasks: views,
    ...(open ? { openTask: open } : {}),
    timeline,
    facts,
  });
}
