/**
 * Who acted. Every callback into the workflow carries one, and the execution history keeps it.
 * Pure zod: imported by workflows/, tasks/, web/ and cli/ alike (no aws-cdk-lib, no @aws-sdk here).
 */
import * as z from 'zod';

export const STAFF_ROLES = ['sales', 'support', 'auditor', 'admin'] as const;
export const StaffRole = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRole>;

/** Roles that may change an onboarding. Auditors only read. */
export const ACTING_ROLES = ['sales', 'support', 'admin'] as const;

export const StaffActor = z.object({
  kind: z.literal('staff'),
  id: z.string().trim().min(1, 'actor.id is required').max(128),
  role: z.enum(ACTING_ROLES, { message: 'actor.role must be sales, support or admin (auditors cannot act)' }),
  name: z.string().trim().max(200).optional(),
});

export const BuyerActor = z.object({
  kind: z.literal('buyer'),
  /** The buyer's AWS account id once known (resolved from the marketplace token), else the e-mail they gave. */
  id: z.string().trim().min(1, 'actor.id is required').max(256),
  email: z.email().optional(),
});

export const SystemActor = z.object({
  kind: z.literal('system'),
  /** The component that acted, e.g. `marketplace-events`, `record-inquiry`. */
  id: z.string().trim().min(1, 'actor.id is required').max(128),
});

export const Actor = z.discriminatedUnion('kind', [StaffActor, BuyerActor, SystemActor], {
  message: 'actor.kind must be staff, buyer or system',
});
export type Actor = z.infer<typeof Actor>;
export type StaffActor = z.infer<typeof StaffActor>;
