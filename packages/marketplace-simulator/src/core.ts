/** What every part of the simulator shares: configuration, state, failure switches, the notification outbox. */
import type { SimulatorConfig, SimulatorLogger } from './config.js';
import type { ErrorDetail } from './model.js';
import type { MailMessage } from './notify/offer-mail.js';
import type { DocStore } from './store.js';

export type SubscriptionFailureMode = 'before-setup' | 'after-setup';

/** Failure switches (in memory: they are test instruments, not state). */
export interface Switches {
  /** Operation name (e.g. `ResolveCustomer`) -> number of calls still to throttle. */
  readonly throttle: Map<string, number>;
  readonly changeSetFailures: Array<{ changeIndex?: number; errors: ErrorDetail[] }>;
  readonly subscriptionFailures: Array<{ mode: SubscriptionFailureMode }>;
  /** The next cancellation requests fail validation with these messages. */
  readonly cancellationFailures: Array<{ message: string }>;
}

export interface Notifier {
  /** `resources` defaults to the agreement's ARN (the cancellation request events carry none). */
  agreementEvent(
    detailType: string,
    detail: Record<string, unknown>,
    agreementId: string,
    resources?: string[],
  ): void;
  sns(action: string, message: Record<string, string>): void;
  /** An e-mail AWS sends (through SES at `offerMail.sesEndpoint`). */
  mail(message: MailMessage): void;
}

export interface SimulatorContext {
  readonly config: SimulatorConfig;
  readonly store: DocStore;
  readonly switches: Switches;
  readonly notify: Notifier;
  readonly log: SimulatorLogger;
  /** The simulated time: the real clock moved on by the time travelled (admin `advanceClock`). */
  readonly now: () => Date;
  /** Base URL of the simulator (buyer pages). */
  url: string;
}

/** Takes one throttled call off the switch for `operation`; true when this call must be throttled. */
export function consumeThrottle(ctx: SimulatorContext, operation: string): boolean {
  const left = ctx.switches.throttle.get(operation) ?? 0;
  if (left <= 0) return false;
  ctx.switches.throttle.set(operation, left - 1);
  return true;
}
