/**
 * A human task: one `.waitForTaskToken` pause of the workflow (sk=TASK#<slot>). An onboarding stage has one record
 * per onboarding (slot = the stage, re-opened in place); a deal step has one per instance, the lifecycle execution
 * that waits (slot = <stage>#<instance>), so two advisories or two renewals of one deal never share a record or token.
 * The token is a field that only the server side reads; everything shown to people is a `HumanTaskView` (no token).
 */
import type { Actor } from '../../workflows/contracts/actor.js';
import { assigneeOf, type HumanRole, type HumanStage } from '../../workflows/contracts/stage-registry.js';

export type HumanTaskStatus =
  /** waiting for its person or signal */
  | 'open'
  /** a completion is being sent right now (guards double clicks); falls back to open if sending fails */
  | 'claimed'
  /** SendTaskSuccess accepted */
  | 'completed'
  /** SendTaskFailure accepted (closed, subscription failed) */
  | 'failed'
  /** Step Functions said the task timed out */
  | 'timed-out'
  /** Step Functions no longer knows the token (execution ended, or re-opened with a new token) */
  | 'gone';

export interface HumanTask {
  onboardingId: string;
  stage: HumanStage;
  /** A deal step's instance (the lifecycle execution's name); absent for onboarding stages. Not secret. */
  instance?: string;
  /** Server side only. Never put in a page, URL, e-mail or log line. */
  taskToken: string;
  status: HumanTaskStatus;
  assignee: HumanRole;
  openedAt: string;
  dueAt: string;
  context?: Record<string, unknown>;
  claimedAt?: string;
  completedAt?: string;
  completedBy?: Actor;
  /** How it ended: `success`, `failure:<error>`, `timed-out`, `gone`. */
  outcome?: string;
  /** Times this stage was opened for this onboarding (re-opened after a timeout, offer re-created...). */
  openCount: number;
}

export type HumanTaskView = Omit<HumanTask, 'taskToken'>;

/** Where a task is kept: its stage, or for a deal step's instance `<stage>#<instance>`. */
export type TaskSlot = HumanStage | `${HumanStage}#${string}`;

export function taskSlot(task: { stage: HumanStage; instance?: string | undefined }): TaskSlot {
  return task.instance ? `${task.stage}#${task.instance}` : task.stage;
}

export function openTask(args: {
  onboardingId: string;
  stage: HumanStage;
  instance?: string;
  taskToken: string;
  dueAt: string;
  openedAt: string;
  context?: Record<string, unknown>;
  previous?: HumanTask;
}): HumanTask {
  return {
    onboardingId: args.onboardingId,
    stage: args.stage,
    ...(args.instance ? { instance: args.instance } : {}),
    taskToken: args.taskToken,
    status: 'open',
    assignee: assigneeOf(args.stage),
    openedAt: args.openedAt,
    dueAt: args.dueAt,
    ...(args.context ? { context: args.context } : {}),
    openCount: (args.previous?.openCount ?? 0) + 1,
  };
}

export function viewOf(task: HumanTask): HumanTaskView {
  const { taskToken: _hidden, ...view } = task;
  return view;
}

/**
 * A claim older than this is considered abandoned (the process died while sending) and may be taken again. No
 * shorter than the longest run that may hold one (the web function's timeout, 29 s): a younger claim may belong to a
 * request still sending. Until it lapses, another completion is told the stage is still being processed.
 */
export const CLAIM_STALE_MS = 30_000;

/** A claim that is not abandoned yet: someone is sending this stage's completion right now (or died doing so). */
export function isClaimLive(task: HumanTask, nowMs: number): boolean {
  return task.status === 'claimed' && !isClaimable(task, nowMs);
}

export function isClaimable(task: HumanTask, nowMs: number): boolean {
  if (task.status === 'open') return true;
  return (
    task.status === 'claimed' &&
    task.claimedAt !== undefined &&
    nowMs - Date.parse(task.claimedAt) > CLAIM_STALE_MS
  );
}
