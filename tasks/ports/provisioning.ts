/**
 * Provisioning: the vendor's SaaS tenants as the workflow sees them (procedure steps 7-1, 7-2 and 8, later plan
 * changes and ends). One port, three adapters (tasks/adapters/provisioning/): `built-in` (the embedded directory,
 * the default), `webhook` (the vendor's HTTP API, docs/provisioning-api.yaml) and `events` (publishes every decision on
 * EventBridge; wraps either of the others).
 *
 * Every call carries an idempotency key (`onb:<onboardingId>:<stage>` or `agr:<agreementId>:<event>`): a retry or a
 * duplicate with the same key never provisions twice. Every call answers one of four outcomes:
 * - `done`: it happened now;
 * - `already-done`: it had already happened (same key replayed, or the state was already the one asked for);
 * - `refused`: the vendor will not do it as asked; `reason` is a code the buyer (or support) can act on and
 *   `messageKey` names the buyer-facing message (tasks/domain/provisioning.ts has the words in each language);
 * - `unavailable`: it may or may not have happened (timeout, 5xx, network, unreadable answer): try again with the same
 *   key. The workflow retries it with backoff, then escalates to support (nothing is lost).
 *
 * The zod schemas below are what crosses the boundary: the webhook adapter parses the vendor's answers with them,
 * and the JSON shapes are the same as the OpenAPI document's (test/unit/provisioning/openapi.test.ts keeps them in step).
 */
import * as z from 'zod';

/* ---------------------------------------------------------------- idempotency keys */

/** `onb:<onboardingId>:<stage>` or `agr:<agreementId>:<event>`; 8-200 characters of [A-Za-z0-9._:-]. */
export const IdempotencyKey = z
  .string()
  .regex(
    /^(onb|agr):[A-Za-z0-9._-]{1,150}:[A-Za-z0-9._-]{1,40}$/,
    'idempotency key must be onb:<id>:<stage> or agr:<id>:<event>',
  );
export type IdempotencyKey = z.infer<typeof IdempotencyKey>;

/** The events of an agreement's life a plan change or end is keyed by. */
export const AGREEMENT_EVENTS = [
  'plan-changed',
  'paid-plan-suspended',
  'paid-plan-ended',
  'paid-plan-resumed',
] as const;
export type AgreementEvent = (typeof AGREEMENT_EVENTS)[number];

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

/** The key of a workflow stage's call: the same onboarding and stage always give the same key. */
export function onboardingKey(onboardingId: string, stage: string): IdempotencyKey {
  return `onb:${safe(onboardingId)}:${safe(stage)}`;
}

/** The key of an agreement event's call (plan change or end), e.g. `agr:agmt-123:paid-plan-ended`. */
export function agreementKey(agreementId: string, event: AgreementEvent | string): IdempotencyKey {
  return `agr:${safe(agreementId)}:${safe(event)}`;
}

/* ---------------------------------------------------------------- what crosses the boundary */

export const TenantId = z.string().min(1).max(128);

export const TENANT_STATUSES = ['free', 'paid', 'suspended', 'ended'] as const;

/** A tenant (the vendor's "account" of the procedure) as the vendor describes it. */
export const Tenant = z.object({
  tenantId: TenantId,
  name: z.string().min(1).max(200),
  /** free: no paid plan from us; paid: the marketplace plan is active; suspended/ended: the paid plan was stopped. */
  status: z.enum(TENANT_STATUSES),
  /** The marketplace plan when status is paid/suspended/ended (the agreed terms' plan name). */
  plan: z.string().min(1).max(200).optional(),
  /** Where the buyer signs in to this tenant (shown on the completion page and in the completion mail). */
  signInUrl: z.url().optional(),
});
export type Tenant = z.infer<typeof Tenant>;

/** The buyer as the onboarding knows them (the inquiry). */
export const BuyerRef = z.object({
  awsAccountId: z.string().regex(/^\d{12}$/),
  company: z.string().max(200),
  locale: z.enum(['ja', 'en']),
});

/** A user signed in with the vendor's identity provider (OIDC `iss` + `sub`, and `email`), or the built-in sign-in. */
export const SignedInUser = z.object({
  /** The OIDC issuer; absent for the built-in sign-in. */
  issuer: z.url().optional(),
  /** The OIDC subject (`sub`); the built-in directory's user id for the built-in sign-in. */
  subject: z.string().min(1).max(255),
  email: z.email(),
});
export type SignedInUser = z.infer<typeof SignedInUser>;

/** The marketplace side of a paid plan: what the vendor needs to meter or check entitlements itself. */
export const MarketplaceRef = z.object({
  productCode: z.string().min(1).max(255),
  customerAwsAccountId: z.string().regex(/^\d{12}$/),
  agreementId: z.string().max(255).optional(),
  licenseArn: z.string().max(2048).optional(),
  offerId: z.string().max(255).optional(),
});

/** 7-1: a new tenant with its first user (the owner), who is invited by the vendor (or by the built-in directory). */
export const CreateTenantRequest = z.object({
  onboardingId: z.string().min(1).max(128),
  name: z.string().trim().min(1).max(100),
  owner: z.object({ email: z.email(), name: z.string().max(200).optional() }),
  buyer: BuyerRef,
});
export type CreateTenantRequest = z.infer<typeof CreateTenantRequest>;

/** 7-2: the tenants this signed-in user may upgrade (may be empty). */
export const ListTenantsRequest = z.object({
  onboardingId: z.string().min(1).max(128),
  user: SignedInUser,
});
export type ListTenantsRequest = z.infer<typeof ListTenantsRequest>;

/** Step 8: the paid plan on a tenant. `user` is set for 7-2 (the vendor may check the user may upgrade it). */
export const ActivatePaidPlanRequest = z.object({
  onboardingId: z.string().min(1).max(128),
  tenantId: TenantId,
  plan: z.string().min(1).max(200),
  marketplace: MarketplaceRef,
  user: SignedInUser.optional(),
});
export type ActivatePaidPlanRequest = z.infer<typeof ActivatePaidPlanRequest>;

/** A plan change after the agreement was amended (e.g. a replacement private offer). */
export const ChangePlanRequest = z.object({
  tenantId: TenantId,
  plan: z.string().min(1).max(200),
  marketplace: MarketplaceRef,
  /** What the license grants now (GetEntitlements), dimension key → quantity, when the marketplace says. */
  entitlements: z
    .record(z.string().min(1).max(255), z.union([z.number(), z.string().max(255), z.boolean()]))
    .optional(),
});
export type ChangePlanRequest = z.infer<typeof ChangePlanRequest>;

export const END_REASONS = [
  'subscription-cancelled',
  'subscription-failed',
  'agreement-expired',
  'support',
] as const;

/** Suspend (may resume) or end (for good) the paid plan. */
export const EndPaidPlanRequest = z.object({
  tenantId: TenantId,
  action: z.enum(['suspend', 'end']),
  reason: z.enum(END_REASONS),
  marketplace: MarketplaceRef,
});
export type EndPaidPlanRequest = z.infer<typeof EndPaidPlanRequest>;

export const ReadTenantRequest = z.object({ tenantId: TenantId });
export type ReadTenantRequest = z.infer<typeof ReadTenantRequest>;

/* ---------------------------------------------------------------- outcomes */

/**
 * Why a vendor refuses. The buyer-actionable ones come back to the buyer's page with a message in their language
 * (the field it is about, when there is one); the others go to support with the reason.
 */
export const REFUSAL_REASONS = [
  /** 7-1: the account name is taken (field `name`). */
  'tenant-name-taken',
  /** 7-1: the vendor does not accept this account name (field `name`). */
  'tenant-name-invalid',
  /** 7-1: the vendor does not accept this e-mail address (field `email`). */
  'email-invalid',
  /** 7-1: a user with this e-mail exists already: sign in instead (7-2) (field `email`). */
  'email-in-use',
  /** 7-2/8: no such tenant (or not visible to this user). */
  'tenant-not-found',
  /** 7-2/8: the signed-in user may not upgrade this tenant. */
  'not-permitted',
  /** 8: the tenant cannot take this plan (suspended, on another contract, ...). */
  'tenant-not-eligible',
  /** 8: the vendor does not know the plan (a configuration matter for the vendor, never the buyer). */
  'plan-unknown',
  /** Anything else the vendor refused (4xx with a code we do not know). */
  'other',
] as const;
export const RefusalReason = z.enum(REFUSAL_REASONS);
export type RefusalReason = z.infer<typeof RefusalReason>;

/** The refusals the buyer can fix themselves on the page they came from; the rest go to support. */
export const BUYER_FIXABLE: ReadonlySet<RefusalReason> = new Set([
  'tenant-name-taken',
  'tenant-name-invalid',
  'email-invalid',
  'email-in-use',
  'tenant-not-found',
  'not-permitted',
  'tenant-not-eligible',
]);

export const UNAVAILABLE_REASONS = [
  'timeout',
  'server-error',
  'throttled',
  'network',
  /** 2xx with a body that does not match the contract, or a status the contract does not have. */
  'bad-response',
  /** The vendor rejected our signature (401): a secret or clock to fix; support is told after the retries. */
  'unauthorized',
  /** The adapter is not configured (no URL, no secret). */
  'not-configured',
] as const;

export const Refused = z.object({
  outcome: z.literal('refused'),
  reason: RefusalReason,
  /** The buyer-facing message's key: `provisioning.refused.<reason>` (words in tasks/domain/provisioning.ts). */
  messageKey: z.string(),
  /** The form field the refusal is about (`name`, `email`), when there is one. */
  field: z.enum(['name', 'email', 'tenantId', 'plan']).optional(),
  /** The vendor's own words, for support and logs (never shown to the buyer as is). */
  detail: z.string().max(1000).optional(),
  /** The HTTP status (webhook). */
  status: z.number().int().optional(),
});
export type Refused = z.infer<typeof Refused>;

export const Unavailable = z.object({
  outcome: z.literal('unavailable'),
  reason: z.enum(UNAVAILABLE_REASONS),
  detail: z.string().max(1000),
  status: z.number().int().optional(),
  /** The vendor's Retry-After, in seconds, if it sent one. */
  retryAfterSeconds: z.number().int().min(0).optional(),
});
export type Unavailable = z.infer<typeof Unavailable>;

export type Done<T> = { outcome: 'done'; value: T };
export type AlreadyDone<T> = { outcome: 'already-done'; value: T };
export type ProvisioningOutcome<T> = Done<T> | AlreadyDone<T> | Refused | Unavailable;

export const refusalMessageKey = (reason: RefusalReason) => `provisioning.refused.${reason}`;

export function refused(
  reason: RefusalReason,
  extra: { field?: Refused['field']; detail?: string; status?: number } = {},
): Refused {
  return { outcome: 'refused', reason, messageKey: refusalMessageKey(reason), ...extra };
}

export function unavailable(
  reason: Unavailable['reason'],
  detail: string,
  extra: { status?: number; retryAfterSeconds?: number } = {},
): Unavailable {
  return { outcome: 'unavailable', reason, detail: detail.slice(0, 1000), ...extra };
}

/** What each call is, for logs and events. */
export const PROVISIONING_OPERATIONS = [
  'create-tenant',
  'list-tenants',
  'activate-paid-plan',
  'change-plan',
  'end-paid-plan',
  'read-tenant',
] as const;
export type ProvisioningOperation = (typeof PROVISIONING_OPERATIONS)[number];

/* ---------------------------------------------------------------- the port */

export interface Provisioning {
  /** Which adapter answers (for logs, the banner, the audit): `built-in`, `webhook`, or `…+events`. */
  readonly kind: string;
  /** 7-1: create the tenant and invite its owner. `already-done` for the same key (the same tenant). */
  createTenant(request: CreateTenantRequest, key: IdempotencyKey): Promise<ProvisioningOutcome<Tenant>>;
  /** 7-2: the tenants the signed-in user may upgrade. */
  listTenants(request: ListTenantsRequest, key: IdempotencyKey): Promise<ProvisioningOutcome<Tenant[]>>;
  /** 8: switch the tenant to the paid plan; `already-done` if it already is (this agreement). */
  activatePaidPlan(
    request: ActivatePaidPlanRequest,
    key: IdempotencyKey,
  ): Promise<ProvisioningOutcome<Tenant>>;
  /** The agreement's plan changed. */
  changePlan(request: ChangePlanRequest, key: IdempotencyKey): Promise<ProvisioningOutcome<Tenant>>;
  /** Suspend or end the paid plan. */
  endPaidPlan(request: EndPaidPlanRequest, key: IdempotencyKey): Promise<ProvisioningOutcome<Tenant>>;
  /** The tenant as the vendor has it now. */
  readTenant(request: ReadTenantRequest, key: IdempotencyKey): Promise<ProvisioningOutcome<Tenant>>;
}
