/**
 * Every `.waitForTaskToken` stage: keep the token server side with its due date, move the onboarding to the stage,
 * complete it at once if the fact it awaits already arrived (or stop it if the subscription already failed),
 * otherwise notify the assignee (sales/support by e-mail with a console link; never the token). StageTimedOut goes
 * to support with the stage that timed out.
 */

import {
  assigneeOf,
  isDealStage,
  STOPPED_BY_SUBSCRIPTION_FAILURE,
} from '../../workflows/contracts/stage-registry.js';
import { OpenHumanTask } from '../../workflows/contracts/task-io.js';
import { WORKFLOW_ERRORS } from '../../workflows/contracts/workflow-errors.js';
import { staffTaskEmail } from '../domain/emails/index.js';
import { InvalidTaskInputError, OnboardingNotFoundError } from '../domain/errors.js';
import {
  completionFor,
  dealAnswerFor,
  type SubscriptionFailedFact,
  signalActor,
  subscriptionFailureCause,
} from '../domain/facts.js';
import { openTask, taskSlot } from '../domain/human-task.js';
import { awaitAt, awaitDealStep } from '../domain/onboarding.js';
import { redactTokens } from '../domain/redact.js';
import { isTerminal } from '../domain/stage-rules.js';
import { said } from '../domain/timeline-texts.js';
import { issuesOf } from '../domain/validation.js';
import { consoleUrl, dealUrl } from '../ports/config.js';
import type { Ports } from '../ports/index.js';
import { deliverToTask } from './deliver.js';
import { note, nowIso, SYSTEM, sendBestEffort, updateOnboarding } from './shared.js';

export interface HumanTaskOpenedResult {
  stage: OpenHumanTask['stage'];
  openedAt: string;
  completedAtOnce: boolean;
}

export async function openHumanTask(
  ports: Pick<Ports, 'onboardings' | 'tasks' | 'facts' | 'callbacks' | 'mailer' | 'clock' | 'config' | 'log'>,
  input: unknown,
): Promise<HumanTaskOpenedResult> {
  const parsed = OpenHumanTask.safeParse(input);
  if (!parsed.success) {
    // issues never echo the token value: zod messages name the field only
    throw new InvalidTaskInputError('open-human-task', issuesOf(parsed.error));
  }
  const { onboardingId, stage, taskToken, dueAt, instance } = parsed.data;
  // shown to staff and mailed: a caught error's cause may quote a payload with a token in it
  const context = parsed.data.context && redactTokens(parsed.data.context);
  const actor = SYSTEM('open-human-task');
  const openedAt = nowIso(ports);

  const onboarding = await ports.onboardings.get(onboardingId);
  if (!onboarding) throw new OnboardingNotFoundError(onboardingId);

  // a deal step's instance (its lifecycle execution) keeps its own task; an onboarding stage re-opens its one task
  const previous = await ports.tasks.get(onboardingId, taskSlot({ stage, instance }));
  const retry = previous?.taskToken === taskToken;
  const task = retry
    ? previous
    : openTask({
        onboardingId,
        stage,
        ...(instance ? { instance } : {}),
        taskToken,
        dueAt,
        openedAt,
        ...(context ? { context } : {}),
        ...(previous ? { previous } : {}),
      });
  if (!retry) await ports.tasks.put(task);

  // support's escalation of a record that already reached its end (a step failed after it completed) keeps the end
  const saved = await updateOnboarding(
    ports,
    onboardingId,
    // a deal stage (the lifecycle workflow's Renewal, AdvisoryReview) leaves the onboarding where it ended, waiting
    (o) =>
      isDealStage(stage)
        ? awaitDealStep(o, stage, dueAt, openedAt, instance)
        : stage === 'StageTimedOut' && isTerminal(o.stage)
          ? o
          : awaitAt(o, stage, dueAt, openedAt),
    onboarding,
  );
  if (!retry) {
    await note(
      ports,
      onboardingId,
      actor,
      stage,
      'stage-opened',
      said('stage-opened', { stage, assignee: assigneeOf(stage) }),
      {
        dueAt,
        ...(task.openCount > 1 ? { openCount: task.openCount } : {}),
      },
    );
  }

  // a fact that arrived before the task opened completes (or stops) it at once
  const facts = await ports.facts.list(onboardingId);
  const failed = facts.find((f): f is SubscriptionFailedFact => f.kind === 'subscription-failed');
  if (failed && STOPPED_BY_SUBSCRIPTION_FAILURE.includes(stage)) {
    const outcome = await deliverToTask(ports, {
      onboardingId,
      stage,
      task,
      actor: signalActor(failed.source),
      delivery: {
        kind: 'failure',
        error: WORKFLOW_ERRORS.subscriptionFailed,
        cause: subscriptionFailureCause(failed),
      },
    });
    return { stage, openedAt: task.openedAt, completedAtOnce: outcome === 'completed' };
  }
  // a deal step's answer that came before it opened (AWS's Resolved, the buyer's answer, the renewing agreement)
  const answer = isDealStage(stage) ? dealAnswerFor(stage, task.context, facts) : undefined;
  if (answer) {
    const outcome = await deliverToTask(ports, {
      onboardingId,
      stage,
      task,
      actor: answer.output.actor,
      delivery: { kind: 'success', output: answer.output },
    });
    if (outcome === 'completed') return { stage, openedAt: task.openedAt, completedAtOnce: true };
  }
  const early = completionFor(stage, facts);
  if (early) {
    const outcome = await deliverToTask(ports, {
      onboardingId,
      stage,
      task,
      actor: early.output.actor,
      delivery: { kind: 'success', output: early.output },
    });
    if (outcome === 'completed') return { stage, openedAt: task.openedAt, completedAtOnce: true };
  }

  if (!retry) {
    const assignee = assigneeOf(stage);
    // a deal step is done on the deal view; every other stage on the onboarding's page
    const link = (isDealStage(stage) ? dealUrl : consoleUrl)(ports.config, onboardingId);
    if (assignee !== 'buyer') {
      const to = assignee === 'sales' ? ports.config.salesEmail : ports.config.supportEmail;
      const noteText = describeContext(context);
      // best effort: the task stays open and listed in the console even if the e-mail fails
      await sendBestEffort(ports, {
        to: [to],
        ...staffTaskEmail({
          stage,
          onboardingId,
          company: saved.inquiry.company,
          consoleUrl: link,
          dueAt,
          ...(noteText ? { note: noteText } : {}),
        }),
        tag: `staff-task:${stage}`,
      });
    }
  }
  return { stage, openedAt: task.openedAt, completedAtOnce: false };
}

/** A short human-readable line from the task context (which stage timed out, why the offer failed). */
function describeContext(context: Record<string, unknown> | undefined): string | undefined {
  if (!context) return undefined;
  const parts: string[] = [];
  for (const key of ['timedOutStage', 'stage', 'reason', 'error', 'cause', 'code']) {
    const v = context[key];
    if (typeof v === 'string' && v.trim()) parts.push(`${key}: ${v.slice(0, 300)}`);
  }
  return parts.length ? parts.join('; ') : undefined;
}
