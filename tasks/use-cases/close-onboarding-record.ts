/** The close-onboarding task: record why the onboarding ended (from the error the workflow caught), tell support. */

import { CloseRequest } from '../../workflows/contracts/callbacks.js';
import { CloseOnboardingInput } from '../../workflows/contracts/task-io.js';
import { supportAlertEmail } from '../domain/emails/index.js';
import { close } from '../domain/onboarding.js';
import { redactTokens } from '../domain/redact.js';
import { withoutStackTraces } from '../domain/stack-traces.js';
import { said, say } from '../domain/timeline-texts.js';
import { consoleUrl } from '../ports/config.js';
import type { Ports } from '../ports/index.js';
import { withdrawalSaid, withdrawOutstandingOffer } from './offer-withdrawal.js';
import { note, nowIso, parseTaskInput, SYSTEM, sendOnce, updateOnboarding } from './shared.js';

/** The reason in words, and who closed it when the cause is a CloseRequest. */
function reasonOf(error: string | undefined, cause: string | undefined): { reason: string; by?: string } {
  if (cause) {
    try {
      const parsed = CloseRequest.safeParse(JSON.parse(cause));
      if (parsed.success)
        return { reason: parsed.data.reason, by: `${parsed.data.actor.kind}:${parsed.data.actor.id}` };
      const obj = JSON.parse(cause) as Record<string, unknown>;
      const text = [obj.reason, obj.message, obj.errorMessage, obj.code].find((v) => typeof v === 'string');
      if (typeof text === 'string') return { reason: text };
    } catch {
      // a plain-text cause
    }
    return { reason: cause.slice(0, 2000) };
  }
  return { reason: error ?? 'ended without a reason' };
}

/**
 * Records the end; an offer still out and not accepted is expired at the marketplace (offer-withdrawal.ts), and
 * support's mail says what became of it (expired, still applying, or failed: expire it by hand).
 */
export async function closeOnboardingRecord(
  ports: Pick<Ports, 'onboardings' | 'mailer' | 'clock' | 'config' | 'log' | 'catalog'>,
  input: unknown,
): Promise<{ closedAt: string; reason: string }> {
  const { onboardingId, stage, outcome, error, cause } = parseTaskInput(
    'close-onboarding',
    CloseOnboardingInput,
    input,
  );
  // the reason is kept, noted and mailed: a caught cause may quote a payload with a token in it
  const { reason, by } = reasonOf(error, cause && withoutStackTraces(redactTokens(cause)));
  const at = nowIso(ports);
  let onboarding = await updateOnboarding(ports, onboardingId, (o) =>
    close(o, { outcome, reason, stage, ...(error ? { error } : {}) }, at),
  );
  if (onboarding.end?.at === at) {
    await note(
      ports,
      onboardingId,
      SYSTEM('close-onboarding'),
      'Closed',
      'closed',
      said('closed', { stage, reason }),
      {
        outcome,
        ...(error ? { error } : {}),
        ...(by ? { closedBy: by } : {}),
      },
    );
  }
  const withdrawn = await withdrawOutstandingOffer(ports, onboarding, 'Closed');
  if (withdrawn) onboarding = withdrawn.onboarding;
  const offerLines = withdrawn
    ? (['ja', 'en'] as const).map((l) => say(withdrawalSaid(withdrawn.withdrawal), l) ?? '').join('\n')
    : '';
  ({ onboarding } = await sendOnce(ports, onboarding, 'closed', {
    to: [ports.config.supportEmail],
    ...supportAlertEmail({
      kind:
        outcome === 'subscription-failed'
          ? 'subscription-failed'
          : outcome === 'offer-failed'
            ? 'offer-failed'
            : outcome === 'timed-out'
              ? 'timed-out'
              : 'closed',
      onboardingId,
      company: onboarding.inquiry.company,
      consoleUrl: consoleUrl(ports.config, onboardingId),
      detail: `Ended at ${stage} (${outcome})${by ? ` by ${by}` : ''}: ${reason}${offerLines ? `\n${offerLines}` : ''}`,
    }),
    tag: `support-alert:${outcome}`,
  }));
  return { closedAt: onboarding.end?.at ?? at, reason: onboarding.end?.reason ?? reason };
}
