/**
 * Resuming a paused workflow, at most once: check a success payload against the stage's callback contract, claim the
 * stored task (so a double click or a duplicated signal loses the race), send SendTaskSuccess/SendTaskFailure with
 * the token the server kept, record the outcome.
 */

import type { Actor } from '../../workflows/contracts/actor.js';
import { type HumanStage, isDealStage, STAGE_CALLBACKS } from '../../workflows/contracts/stage-registry.js';
import { InvalidTaskInputError } from '../domain/errors.js';
import { CLAIM_STALE_MS, type HumanTask, isClaimLive, taskSlot } from '../domain/human-task.js';
import { said } from '../domain/timeline-texts.js';
import { issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';
import { note, nowIso } from './shared.js';

/**
 * `in-progress`: another completion of the stage holds a live claim (it is being sent right now, or the process
 * sending it died and the claim has not lapsed yet): not done as far as anyone knows; try again in a moment.
 */
export type DeliveryOutcome = 'completed' | 'already-completed' | 'timed-out' | 'not-open' | 'in-progress';

export type Delivery =
  | { kind: 'success'; output: unknown }
  | { kind: 'failure'; error: string; cause: string };

export async function deliverToTask(
  ports: Pick<Ports, 'tasks' | 'callbacks' | 'clock' | 'onboardings' | 'log'>,
  args: {
    onboardingId: string;
    stage: HumanStage;
    delivery: Delivery;
    actor: Actor;
    task?: HumanTask;
    /** A deal step's instance (see findTask). */
    instance?: string;
  },
): Promise<DeliveryOutcome> {
  const { onboardingId, stage, actor } = args;
  // whoever built it (a form, a marketplace signal, a stored fact), nothing is sent that breaks the contract
  const delivery = checked(stage, args.delivery);
  const task = args.task ?? (await findTask(ports, onboardingId, stage, args.instance));
  if (!task) return 'not-open';
  const settled = settledOutcome(task);
  if (settled) return settled;
  const slot = taskSlot(task);

  const now = ports.clock.now();
  const claimed = await ports.tasks.claim(
    onboardingId,
    slot,
    task.taskToken,
    now.toISOString(),
    new Date(now.getTime() - CLAIM_STALE_MS).toISOString(),
  );
  if (!claimed) {
    const again = await ports.tasks.get(onboardingId, slot);
    if (again && isClaimLive(again, ports.clock.now().getTime())) return 'in-progress';
    return (again && settledOutcome(again)) ?? 'already-completed';
  }

  let result: Awaited<ReturnType<Ports['callbacks']['sendTaskSuccess']>>;
  try {
    result =
      delivery.kind === 'success'
        ? await ports.callbacks.sendTaskSuccess(task.taskToken, delivery.output)
        : await ports.callbacks.sendTaskFailure(task.taskToken, delivery.error, delivery.cause);
  } catch (err) {
    await ports.tasks.release(onboardingId, slot, task.taskToken);
    throw err;
  }

  const at = nowIso(ports);
  if (result.ok) {
    await ports.tasks.finish(onboardingId, slot, task.taskToken, {
      status: delivery.kind === 'success' ? 'completed' : 'failed',
      at,
      outcome: delivery.kind === 'success' ? 'success' : `failure:${delivery.error}`,
      completedBy: actor,
    });
    await note(
      ports,
      onboardingId,
      actor,
      stage,
      delivery.kind === 'success' ? 'stage-completed' : 'stage-failed',
      delivery.kind === 'success'
        ? said('stage-completed', { stage })
        : said('stage-failed', { stage, error: delivery.error }),
    );
    return 'completed';
  }
  // Step Functions answers TaskTimedOut both for a task past its timeout and for one already closed another way
  // (the execution stopped, or it moved on): before the due date it is the latter
  const pastDue = Date.parse(task.dueAt) <= ports.clock.now().getTime();
  if (result.reason === 'timed-out' && pastDue) {
    await ports.tasks.finish(onboardingId, slot, task.taskToken, {
      status: 'timed-out',
      at,
      outcome: 'timed-out',
    });
    return 'timed-out';
  }
  await ports.tasks.finish(onboardingId, slot, task.taskToken, {
    status: 'gone',
    at,
    outcome: result.reason,
  });
  ports.log.warn('task token no longer known to Step Functions', {
    onboardingId,
    stage,
    reason: result.reason,
  });
  return 'not-open';
}

/**
 * The task of a stage: an onboarding stage's one task, or a deal step's instance. Without an instance, a deal stage's
 * task still waiting (the oldest first: the one due to be answered), else its latest one (to say how it ended).
 */
export async function findTask(
  ports: Pick<Ports, 'tasks'>,
  onboardingId: string,
  stage: HumanStage,
  instance?: string,
): Promise<HumanTask | undefined> {
  if (instance || !isDealStage(stage)) return ports.tasks.get(onboardingId, taskSlot({ stage, instance }));
  const own = (await ports.tasks.list(onboardingId)).filter((t) => t.stage === stage);
  const waiting = own.filter((t) => t.status === 'open' || t.status === 'claimed');
  return (
    [...waiting].sort((a, b) => a.openedAt.localeCompare(b.openedAt))[0] ??
    [...own].sort((a, b) => b.openedAt.localeCompare(a.openedAt))[0]
  );
}

/** The success payload as its stage's contract parses it; InvalidTaskInputError (nothing claimed or sent) if it breaks it. */
function checked(stage: HumanStage, delivery: Delivery): Delivery {
  if (delivery.kind !== 'success') return delivery;
  const parsed = STAGE_CALLBACKS[stage].safeParse(delivery.output);
  if (!parsed.success) throw new InvalidTaskInputError(`${stage} callback`, issuesOf(parsed.error));
  return { kind: 'success', output: parsed.data };
}

function settledOutcome(task: HumanTask): DeliveryOutcome | undefined {
  switch (task.status) {
    case 'completed':
    case 'failed':
      return 'already-completed';
    case 'timed-out':
      return 'timed-out';
    case 'gone':
      return 'not-open';
    default:
      return undefined;
  }
}
