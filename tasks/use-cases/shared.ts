/** Helpers the use cases share: load-modify-save with retry, timeline entries, one-time e-mails. */

import type * as z from 'zod';
import type { Actor } from '../../workflows/contracts/actor.js';
import { oneLine } from '../../workflows/contracts/inquiry.js';
import type { Stage } from '../../workflows/contracts/stage-registry.js';
import { ConcurrentUpdateError, InvalidTaskInputError, OnboardingNotFoundError } from '../domain/errors.js';
import { noteSent, type Onboarding } from '../domain/onboarding.js';
import { entry } from '../domain/timeline.js';
import type { Said } from '../domain/timeline-texts.js';
import { issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';
import type { OutgoingEmail } from '../ports/mailer.js';

export const iso = (d: Date) => d.toISOString();
export const nowIso = (ports: Pick<Ports, 'clock'>) => ports.clock.now().toISOString();

/**
 * Loads the onboarding, applies `change`, saves it; retries when someone saved in between (optimistic
 * concurrency). `change` may return the same object to save nothing. `loaded`: the record the caller has just read,
 * used for the first attempt instead of reading it again.
 */
/** Optimistic writes of one onboarding record before a ConcurrentUpdateError is left to the caller's retry. */
export const UPDATE_ATTEMPTS = 12;

export async function updateOnboarding(
  ports: Pick<Ports, 'onboardings'>,
  onboardingId: string,
  change: (current: Onboarding) => Onboarding | Promise<Onboarding>,
  loaded?: Onboarding,
): Promise<Onboarding> {
  for (let attempt = 1; ; attempt++) {
    const current = attempt === 1 && loaded ? loaded : await ports.onboardings.get(onboardingId);
    if (!current) throw new OnboardingNotFoundError(onboardingId);
    const next = await change(current);
    if (next === current) return current;
    try {
      return await ports.onboardings.save({ ...next, version: current.version });
    } catch (err) {
      if (!(err instanceof ConcurrentUpdateError) || attempt >= UPDATE_ATTEMPTS) throw err;
      // many writers at once (a burst of one buyer's tabs): spread the retries out (full jitter, 10 ms doubling)
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** Math.min(attempt, 6)));
    }
  }
}

export async function note(
  ports: Pick<Ports, 'onboardings' | 'clock'>,
  onboardingId: string,
  actor: Actor,
  stage: Stage,
  action: string,
  text: Said,
  detail?: Record<string, unknown>,
): Promise<void> {
  await ports.onboardings.appendTimeline(
    entry(onboardingId, nowIso(ports), actor, stage, action, text, detail),
  );
}

export const SYSTEM = (id: string): Actor => ({ kind: 'system', id });

export async function sendMail(ports: Pick<Ports, 'mailer' | 'log'>, email: OutgoingEmail): Promise<string> {
  // a subject is one header line: names and titles typed by people never add a header (CR/LF folded into a space)
  const { messageId } = await ports.mailer.send({ ...email, subject: oneLine(email.subject).slice(0, 998) });
  ports.log.info('e-mail sent', { tag: email.tag, messageId, recipients: email.to.length });
  return messageId;
}

/** Sends the e-mail unless the onboarding notes it as sent; then notes it. */
export async function sendOnce(
  ports: Pick<Ports, 'onboardings' | 'mailer' | 'clock' | 'log'>,
  onboarding: Onboarding,
  notice: keyof Onboarding['notices'],
  email: OutgoingEmail,
): Promise<{ sent: boolean; onboarding: Onboarding }> {
  if (onboarding.notices[notice]) return { sent: false, onboarding };
  await sendMail(ports, email);
  const at = nowIso(ports);
  const saved = await updateOnboarding(
    ports,
    onboarding.id,
    (o) => (o.notices[notice] ? o : noteSent(o, notice, at)),
    onboarding,
  );
  return { sent: true, onboarding: saved };
}

/** Parses a workflow task's payload; a bad payload is a bug in the state machine, thrown as InvalidTaskInputError. */
export function parseTaskInput<S extends z.ZodType>(task: string, schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new InvalidTaskInputError(task, issuesOf(r.error));
  return r.data;
}

/** A notice must not stop the work it reports on (staff task, support alert): a failed send is logged, not thrown. */
export async function sendBestEffort(
  ports: Pick<Ports, 'mailer' | 'log'>,
  email: OutgoingEmail,
): Promise<boolean> {
  try {
    await sendMail(ports, email);
    return true;
  } catch (err) {
    ports.log.error('support alert not sent', {
      tag: email.tag,
      error: err instanceof Error ? err.message : String(err),
    });
    return false;
  }
}
