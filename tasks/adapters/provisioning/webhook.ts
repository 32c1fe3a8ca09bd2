/**
 * The `webhook` provisioning adapter: the vendor's own HTTP API (docs/provisioning-api.yaml). Every request is a
 * signed POST with the call's idempotency key; the answer is mapped to the port's outcomes exactly as the document
 * says (2xx done/already-done, 409 already-done or refused, 4xx refused, 401/408/429/5xx/timeout/network/bad body
 * unavailable). It never throws for what the vendor answers: the use case decides what an outcome means.
 */
import { createHmac } from 'node:crypto';
import * as z from 'zod';
import {
  type ActivatePaidPlanRequest,
  type ChangePlanRequest,
  type CreateTenantRequest,
  type EndPaidPlanRequest,
  type IdempotencyKey,
  type ListTenantsRequest,
  type Provisioning,
  type ProvisioningOperation,
  type ProvisioningOutcome,
  REFUSAL_REASONS,
  type ReadTenantRequest,
  type RefusalReason,
  type Refused,
  refused,
  Tenant,
  unavailable,
} from '../../ports/provisioning.js';

export const SIGNATURE_HEADER = 'x-onboarding-signature';
export const TIMESTAMP_HEADER = 'x-onboarding-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** The operation's path under the vendor's base URL. */
export const WEBHOOK_PATHS: Record<ProvisioningOperation, string> = {
  'create-tenant': '/v1/tenants/create',
  'list-tenants': '/v1/tenants/list-for-user',
  'activate-paid-plan': '/v1/tenants/activate-paid-plan',
  'change-plan': '/v1/tenants/change-plan',
  'end-paid-plan': '/v1/tenants/end-paid-plan',
  'read-tenant': '/v1/tenants/read',
};

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: the value of X-Onboarding-Signature. */
export function signRequest(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookOptions {
  /** The vendor's base URL (https in AWS; http is accepted only for a loopback address). */
  baseUrl: string;
  /** The shared signing secret (from Secrets Manager in AWS); read on each call so a rotation is picked up. */
  secret: () => Promise<string>;
  /** Per request, in milliseconds (default 5,000; the workflow retries with backoff). */
  timeoutMs?: number;
  /** Seconds since the epoch (a test clock). */
  now?: () => number;
  fetch?: typeof fetch;
}

const TenantResult = z.object({ result: z.enum(['done', 'already-done']), tenant: Tenant });
const TenantList = z.object({ tenants: z.array(Tenant).max(200) });
const AlreadyDone = z.object({ code: z.literal('already-done'), tenant: Tenant });
const Refusal = z.object({
  code: z.string().min(1).max(100),
  message: z.string().max(1000).optional(),
  field: z.enum(['name', 'email', 'tenantId', 'plan']).optional(),
});

const REFUSAL_STATUSES = new Set([400, 403, 404, 409, 422]);

export function isAllowedBaseUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

export class WebhookProvisioning implements Provisioning {
  readonly kind = 'webhook';
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: WebhookOptions) {
    if (!isAllowedBaseUrl(options.baseUrl)) {
      throw new Error(`provisioning webhook URL must be https (or http on loopback): ${options.baseUrl}`);
    }
    this.fetcher = options.fetch ?? fetch;
  }

  createTenant(request: CreateTenantRequest, key: IdempotencyKey) {
    return this.tenantCall('create-tenant', request, key);
  }
  activatePaidPlan(request: ActivatePaidPlanRequest, key: IdempotencyKey) {
    return this.tenantCall('activate-paid-plan', request, key);
  }
  changePlan(request: ChangePlanRequest, key: IdempotencyKey) {
    return this.tenantCall('change-plan', request, key);
  }
  endPaidPlan(request: EndPaidPlanRequest, key: IdempotencyKey) {
    return this.tenantCall('end-paid-plan', request, key);
  }
  readTenant(request: ReadTenantRequest, key: IdempotencyKey) {
    return this.tenantCall('read-tenant', request, key);
  }

  async listTenants(
    request: ListTenantsRequest,
    key: IdempotencyKey,
  ): Promise<ProvisioningOutcome<Tenant[]>> {
    const answer = await this.send('list-tenants', request, key);
    if ('outcome' in answer) return answer;
    if (answer.status === 200) {
      const list = TenantList.safeParse(answer.body);
      return list.success
        ? { outcome: 'done', value: list.data.tenants }
        : unavailable('bad-response', `list-tenants: ${z.prettifyError(list.error)}`, { status: 200 });
    }
    return this.failure('list-tenants', answer);
  }

  private async tenantCall(
    operation: ProvisioningOperation,
    request: unknown,
    key: IdempotencyKey,
  ): Promise<ProvisioningOutcome<Tenant>> {
    const answer = await this.send(operation, request, key);
    if ('outcome' in answer) return answer;
    if (answer.status === 200 || answer.status === 201) {
      const result = TenantResult.safeParse(answer.body);
      if (!result.success) {
        return unavailable('bad-response', `${operation}: ${z.prettifyError(result.error)}`, {
          status: answer.status,
        });
      }
      return { outcome: result.data.result, value: result.data.tenant };
    }
    if (answer.status === 409) {
      const already = AlreadyDone.safeParse(answer.body);
      if (already.success) return { outcome: 'already-done', value: already.data.tenant };
    }
    return this.failure(operation, answer);
  }

  private failure(
    operation: ProvisioningOperation,
    answer: { status: number; body: unknown; retryAfter?: number },
  ) {
    const { status, body } = answer;
    if (REFUSAL_STATUSES.has(status)) {
      const refusal = Refusal.safeParse(body);
      if (!refusal.success) {
        return unavailable('bad-response', `${operation}: ${status} without a refusal code`, { status });
      }
      return toRefused(refusal.data, status);
    }
    if (status === 401)
      return unavailable('unauthorized', `${operation}: the vendor refused our signature`, { status });
    const extra = {
      status,
      ...(answer.retryAfter !== undefined ? { retryAfterSeconds: answer.retryAfter } : {}),
    };
    if (status === 429) return unavailable('throttled', `${operation}: throttled by the vendor`, extra);
    if (status === 408 || status >= 500)
      return unavailable('server-error', `${operation}: HTTP ${status}`, extra);
    return unavailable('bad-response', `${operation}: unexpected HTTP ${status}`, { status });
  }

  /** Signs and sends one request; answers the status and parsed body, or an `unavailable` outcome. */
  private async send(
    operation: ProvisioningOperation,
    request: unknown,
    key: IdempotencyKey,
  ): Promise<
    { status: number; body: unknown; retryAfter?: number } | Refused | ReturnType<typeof unavailable>
  > {
    let secret: string;
    try {
      secret = await this.options.secret();
    } catch (error) {
      return unavailable(
        'not-configured',
        `${operation}: signing secret unreadable (${(error as Error).name})`,
      );
    }
    const body = JSON.stringify(request);
    const timestamp = String(Math.floor(this.options.now?.() ?? Date.now() / 1000));
    const url = new URL(WEBHOOK_PATHS[operation].slice(1), withSlash(this.options.baseUrl));
    const timeoutMs = this.options.timeoutMs ?? 5000;
    let response: Response;
    try {
      response = await this.fetcher(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signRequest(secret, timestamp, body),
          [IDEMPOTENCY_HEADER]: key,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      const name = (error as Error).name;
      return name === 'TimeoutError' || name === 'AbortError'
        ? unavailable('timeout', `${operation}: no answer within ${timeoutMs} ms`)
        : unavailable('network', `${operation}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      const text = await response.text();
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      status: response.status,
      body: parsed,
      ...(Number.isInteger(retryAfter) && retryAfter >= 0 && response.headers.has('retry-after')
        ? { retryAfter }
        : {}),
    };
  }
}

function withSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

function toRefused(refusal: z.infer<typeof Refusal>, status: number): Refused {
  const reason: RefusalReason = (REFUSAL_REASONS as readonly string[]).includes(refusal.code)
    ? (refusal.code as RefusalReason)
    : 'other';
  return refused(reason, {
    status,
    ...(refusal.field ? { field: refusal.field } : {}),
    ...(refusal.message ? { detail: refusal.message } : {}),
  });
}
