/**
 * The sample SaaS's side of docs/provisioning-api.yaml: what a vendor implements. Signed requests only (401
 * otherwise), one answer per idempotency key (a replay answers `already-done`), refusals with the documented codes.
 * `switches` let tests (and a curious developer) make the vendor refuse, fail or be slow.
 */
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from 'zod';
import {
  ActivatePaidPlanRequest,
  ChangePlanRequest,
  CreateTenantRequest,
  EndPaidPlanRequest,
  IdempotencyKey,
  ListTenantsRequest,
  ReadTenantRequest,
} from '../../tasks/ports/provisioning.js';
import { verifyOnboardingSignature } from './signature.js';
import type { SaasStore, SaasTenant, SaasUser } from './store.js';

/** How the vendor misbehaves, per operation path (`create`, `list-for-user`, …) or for all (`*`). */
export interface VendorSwitches {
  /** Answer this refusal code (4xx) instead of acting. */
  refuse?: { code: string; field?: string; status?: 400 | 403 | 404 | 409 | 422; times?: number };
  /** Answer 503 this many times (then act normally). */
  fail?: { times: number };
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface ProvisioningApiOptions {
  store: SaasStore;
  secret: () => string;
  /** The tenant page a buyer signs in to (the Tenant's signInUrl). */
  signInUrl: string;
  /** Sends the new owner's invitation (7-1): the link sets their password. */
  invite: (invite: { email: string; tenantName: string; link: string; locale: 'ja' | 'en' }) => Promise<void>;
  invitationUrl: (secret: string) => string;
  switches: Map<string, VendorSwitches>;
  now?: () => Date;
  /** Every request as the vendor saw it (operation, key, status), for tests and the banner's counters. */
  seen?: { operation: string; key: string; status: number }[];
}

type Answer = { status: ContentfulStatusCode; body: unknown };

const refusal = (status: ContentfulStatusCode, code: string, field?: string, message?: string): Answer => ({
  status,
  body: { code, ...(field ? { field } : {}), ...(message ? { message } : {}) },
});

export function provisioningApi(o: ProvisioningApiOptions): Hono {
  const now = o.now ?? (() => new Date());
  const asTenant = (t: SaasTenant) => ({
    tenantId: t.tenantId,
    name: t.name,
    status: t.status,
    ...(t.plan ? { plan: t.plan } : {}),
    signInUrl: o.signInUrl,
  });
  const tenantResult = (t: SaasTenant, result: 'done' | 'already-done' = 'done'): Answer => ({
    status: 200,
    body: { result, tenant: asTenant(t) },
  });
  const userOf = (u: { issuer?: string | undefined; subject: string; email: string }): SaasUser | undefined =>
    // our own OpenID provider's `sub` is the user id; the built-in sign-in's users are matched by e-mail
    o.store.userById(u.subject) ?? o.store.userByEmail(u.email);

  const operations: Record<
    string,
    { schema: z.ZodType; act: (body: never, key: string) => Promise<Answer> }
  > = {
    create: {
      schema: CreateTenantRequest,
      act: async (r: CreateTenantRequest, key: string) => {
        const named = o.store.tenantByName(r.name);
        // created by this very request before a crash lost the answer: the same tenant, already done; the owner's
        // invitation may not have gone out before the crash, so a new one does (at least once)
        if (named?.createdByKey === key) {
          const owner = named.members[0];
          const again = owner ? await o.store.reinvite(owner, now()) : undefined;
          if (again)
            await o.invite({
              email: r.owner.email,
              tenantName: named.name,
              link: o.invitationUrl(again),
              locale: r.buyer.locale,
            });
          return tenantResult(named, 'already-done');
        }
        if (named) return refusal(409, 'tenant-name-taken', 'name', 'name in use');
        if (o.store.userByEmail(r.owner.email)) return refusal(409, 'email-in-use', 'email', 'user exists');
        const { tenant, invitation } = await o.store.createTenant({
          name: r.name,
          ownerEmail: r.owner.email,
          ...(r.owner.name ? { ownerName: r.owner.name } : {}),
          key,
          now: now(),
        });
        await o.invite({
          email: r.owner.email,
          tenantName: tenant.name,
          link: o.invitationUrl(invitation),
          locale: r.buyer.locale,
        });
        return { status: 201, body: { result: 'done', tenant: asTenant(tenant) } };
      },
    },
    'list-for-user': {
      schema: ListTenantsRequest,
      act: async (r: ListTenantsRequest) => {
        const user = userOf(r.user);
        return { status: 200, body: { tenants: user ? o.store.tenantsOf(user.id).map(asTenant) : [] } };
      },
    },
    'activate-paid-plan': {
      schema: ActivatePaidPlanRequest,
      act: async (r: ActivatePaidPlanRequest) => {
        const tenant = o.store.tenant(r.tenantId);
        if (!tenant) return refusal(404, 'tenant-not-found', 'tenantId');
        const user = r.user ? userOf(r.user) : undefined;
        if (r.user && (!user || !tenant.members.includes(user.id)))
          return refusal(403, 'not-permitted', 'tenantId');
        if (tenant.status === 'paid' && tenant.plan === r.plan) return tenantResult(tenant, 'already-done');
        await o.store.update(
          tenant,
          { status: 'paid', plan: r.plan, marketplace: { ...r.marketplace } },
          `paid plan ${r.plan} activated (AWS Marketplace, account ${r.marketplace.customerAwsAccountId})`,
          now(),
        );
        return tenantResult(tenant);
      },
    },
    'change-plan': {
      schema: ChangePlanRequest,
      act: async (r: ChangePlanRequest) => {
        const tenant = o.store.tenant(r.tenantId);
        if (!tenant) return refusal(404, 'tenant-not-found', 'tenantId');
        if (tenant.plan === r.plan && tenant.status === 'paid') return tenantResult(tenant, 'already-done');
        await o.store.update(tenant, { status: 'paid', plan: r.plan }, `plan changed to ${r.plan}`, now());
        return tenantResult(tenant);
      },
    },
    'end-paid-plan': {
      schema: EndPaidPlanRequest,
      act: async (r: EndPaidPlanRequest) => {
        const tenant = o.store.tenant(r.tenantId);
        if (!tenant) return refusal(404, 'tenant-not-found', 'tenantId');
        const status = r.action === 'end' ? 'ended' : 'suspended';
        if (tenant.status === status) return tenantResult(tenant, 'already-done');
        await o.store.update(tenant, { status }, `paid plan ${status} (${r.reason})`, now());
        return tenantResult(tenant);
      },
    },
    read: {
      schema: ReadTenantRequest,
      act: async (r: ReadTenantRequest) => {
        const tenant = o.store.tenant(r.tenantId);
        return tenant ? tenantResult(tenant, 'already-done') : refusal(404, 'tenant-not-found', 'tenantId');
      },
    },
  };

  const misbehave = async (operation: string): Promise<Answer | undefined> => {
    const s = o.switches.get(operation) ?? o.switches.get('*');
    if (!s) return undefined;
    if (s.delayMs) await new Promise((r) => setTimeout(r, s.delayMs));
    if (s.fail && s.fail.times > 0) {
      s.fail.times--;
      return { status: 503, body: { code: 'unavailable', message: 'sample SaaS switched to fail' } };
    }
    if (s.refuse && (s.refuse.times ?? 1) > 0) {
      if (s.refuse.times !== undefined) s.refuse.times--;
      return refusal(s.refuse.status ?? 409, s.refuse.code, s.refuse.field);
    }
    return undefined;
  };

  const app = new Hono();
  app.post('/v1/tenants/:operation', async (c) => {
    const operation = c.req.param('operation');
    const raw = await c.req.text();
    const key = c.req.header('idempotency-key') ?? '';
    const answer = async (a: Answer) => {
      o.seen?.push({ operation, key, status: a.status });
      return c.json(a.body as object, a.status);
    };
    const signed = verifyOnboardingSignature(
      o.secret(),
      {
        signature: c.req.header('x-onboarding-signature'),
        timestamp: c.req.header('x-onboarding-timestamp'),
      },
      raw,
      now().getTime(),
    );
    if (!signed)
      return answer({ status: 401, body: { code: 'bad-signature', message: 'signature not accepted' } });
    const op = operations[operation];
    if (!op) return answer({ status: 404, body: { code: 'no-such-operation' } });
    if (!IdempotencyKey.safeParse(key).success)
      return answer({
        status: 400,
        body: { code: 'other', message: 'Idempotency-Key missing or malformed' },
      });
    const replay = o.store.replay(key);
    if (replay && replay.operation === operation) {
      const body = replay.body as { result?: string };
      return answer({
        status: replay.status as ContentfulStatusCode,
        body: body.result ? { ...body, result: 'already-done' } : body,
      });
    }
    const failed = await misbehave(operation);
    if (failed) return answer(failed);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return answer({ status: 400, body: { code: 'other', message: 'body is not JSON' } });
    }
    const parsed = op.schema.safeParse(json);
    if (!parsed.success)
      return answer({
        status: 400,
        body: { code: 'other', message: z.prettifyError(parsed.error).slice(0, 1000) },
      });
    const result = await op.act(parsed.data as never, key);
    // only what acted is remembered: a refusal may be fixed and retried (the buyer changes the name)
    if (result.status < 300 && operation !== 'list-for-user' && operation !== 'read')
      await o.store.remember(key, { operation, status: result.status, body: result.body });
    return answer(result);
  });
  return app;
}
