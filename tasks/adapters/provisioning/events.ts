/**
 * The `events` provisioning adapter: wraps another adapter (built-in or webhook) and publishes every provisioning
 * decision on EventBridge, for vendors who integrate by events and for their CRM/analytics (docs/vendor-saas.md).
 * A decision is published after the wrapped call answered `done` or `already-done` (the event carries which, and the
 * idempotency key, so a consumer can drop duplicates). A publishing failure is logged and never undoes or fails
 * the provisioning call: the decision stands, and the workflow's history keeps it.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { TaskLogger } from '../../ports/logger.js';
import type {
  IdempotencyKey,
  Provisioning,
  ProvisioningOperation,
  ProvisioningOutcome,
} from '../../ports/provisioning.js';

export const PROVISIONING_EVENT_SOURCE = 'marketplace-onboarding.provisioning';

/** The detail-type of each decision (reads are not decisions and publish nothing). */
export const PROVISIONING_DETAIL_TYPES: Partial<Record<ProvisioningOperation, string>> = {
  'create-tenant': 'Tenant Created',
  'activate-paid-plan': 'Paid Plan Activated',
  'change-plan': 'Plan Changed',
  'end-paid-plan': 'Paid Plan Ended',
};

export class EventsProvisioning implements Provisioning {
  readonly kind: string;

  constructor(
    private readonly inner: Provisioning,
    private readonly events: EventBridgeClient,
    private readonly busName: string,
    private readonly log?: TaskLogger,
  ) {
    this.kind = `${inner.kind}+events`;
  }

  createTenant(...args: Parameters<Provisioning['createTenant']>) {
    return this.publishing('create-tenant', args[0], args[1], () => this.inner.createTenant(...args));
  }
  listTenants(...args: Parameters<Provisioning['listTenants']>) {
    return this.inner.listTenants(...args);
  }
  activatePaidPlan(...args: Parameters<Provisioning['activatePaidPlan']>) {
    return this.publishing('activate-paid-plan', args[0], args[1], () =>
      this.inner.activatePaidPlan(...args),
    );
  }
  changePlan(...args: Parameters<Provisioning['changePlan']>) {
    return this.publishing('change-plan', args[0], args[1], () => this.inner.changePlan(...args));
  }
  endPaidPlan(...args: Parameters<Provisioning['endPaidPlan']>) {
    const detailType = args[0].action === 'suspend' ? 'Paid Plan Suspended' : undefined;
    return this.publishing(
      'end-paid-plan',
      args[0],
      args[1],
      () => this.inner.endPaidPlan(...args),
      detailType,
    );
  }
  readTenant(...args: Parameters<Provisioning['readTenant']>) {
    return this.inner.readTenant(...args);
  }

  private async publishing<T>(
    operation: ProvisioningOperation,
    request: object,
    key: IdempotencyKey,
    call: () => Promise<ProvisioningOutcome<T>>,
    detailType = PROVISIONING_DETAIL_TYPES[operation],
  ): Promise<ProvisioningOutcome<T>> {
    const outcome = await call();
    if ((outcome.outcome === 'done' || outcome.outcome === 'already-done') && detailType) {
      const detail = {
        operation,
        idempotencyKey: key,
        outcome: outcome.outcome,
        request,
        result: outcome.value,
      };
      try {
        const sent = await this.events.send(
          new PutEventsCommand({
            Entries: [
              {
                Source: PROVISIONING_EVENT_SOURCE,
                DetailType: detailType,
                EventBusName: this.busName,
                Detail: JSON.stringify(detail),
              },
            ],
          }),
        );
        if (sent.FailedEntryCount) {
          this.log?.warn('provisioning event not accepted', { operation, key, entries: sent.Entries });
        }
      } catch (error) {
        this.log?.warn('provisioning event not published', { operation, key, error: (error as Error).name });
      }
    }
    return outcome;
  }
}
