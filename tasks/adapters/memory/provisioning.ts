/**
 * A provisioning fake for unit tests: records every call (operation, key, request) and answers from a script per
 * operation (a queue of outcomes; when it runs out, the wrapped adapter answers, by default the built-in directory).
 */
import type {
  IdempotencyKey,
  Provisioning,
  ProvisioningOperation,
  ProvisioningOutcome,
  Refused,
  Unavailable,
} from '../../ports/provisioning.js';

type Scripted = Refused | Unavailable;

export class ScriptedProvisioning implements Provisioning {
  readonly kind: string;
  readonly calls: { operation: ProvisioningOperation; key: IdempotencyKey; request: unknown }[] = [];
  private readonly script = new Map<ProvisioningOperation, Scripted[]>();

  constructor(private readonly inner: Provisioning) {
    this.kind = `scripted(${inner.kind})`;
  }

  /** The next calls of `operation` answer these outcomes, in order; then the wrapped adapter answers again. */
  answer(operation: ProvisioningOperation, ...outcomes: Scripted[]): this {
    this.script.set(operation, [...(this.script.get(operation) ?? []), ...outcomes]);
    return this;
  }

  count(operation: ProvisioningOperation): number {
    return this.calls.filter((c) => c.operation === operation).length;
  }

  private async call<T>(
    operation: ProvisioningOperation,
    request: unknown,
    key: IdempotencyKey,
    real: () => Promise<ProvisioningOutcome<T>>,
  ): Promise<ProvisioningOutcome<T>> {
    this.calls.push({ operation, key, request });
    const next = this.script.get(operation)?.shift();
    return next ?? real();
  }

  createTenant(...a: Parameters<Provisioning['createTenant']>) {
    return this.call('create-tenant', a[0], a[1], () => this.inner.createTenant(...a));
  }
  listTenants(...a: Parameters<Provisioning['listTenants']>) {
    return this.call('list-tenants', a[0], a[1], () => this.inner.listTenants(...a));
  }
  activatePaidPlan(...a: Parameters<Provisioning['activatePaidPlan']>) {
    return this.call('activate-paid-plan', a[0], a[1], () => this.inner.activatePaidPlan(...a));
  }
  changePlan(...a: Parameters<Provisioning['changePlan']>) {
    return this.call('change-plan', a[0], a[1], () => this.inner.changePlan(...a));
  }
  endPaidPlan(...a: Parameters<Provisioning['endPaidPlan']>) {
    return this.call('end-paid-plan', a[0], a[1], () => this.inner.endPaidPlan(...a));
  }
  readTenant(...a: Parameters<Provisioning['readTenant']>) {
    return this.call('read-tenant', a[0], a[1], () => this.inner.readTenant(...a));
  }
}
