/**
 * Who among the staff may act where, read from the stage registry's assignees (issue 10 item 6), so the console, the
 * CLI and the use cases apply one rule, and the Cognito groups' descriptions (infra/auth.ts) say the same:
 * - a staff stage is completed by its assignee (sales: agreed terms, offer decisions; support: escalations);
 * - closing: support anywhere, sales at its own stages (an offer decision), nobody else;
 * - admin: everything; auditors: nothing (they read).
 */
import type { StaffRole } from './actor.js';
import type { Access } from './functions.js';
import { assigneeOf, type HumanStage } from './stage-registry.js';

/** May `role` complete `stage` (other than by closing)? Buyer stages are the buyer's own. */
export function staffMayComplete(role: StaffRole, stage: HumanStage): boolean {
  if (role === 'admin') return true;
  return assigneeOf(stage) === role;
}

/** May `role` close an onboarding that waits at `stage`? */
export function staffMayClose(role: StaffRole, stage: HumanStage): boolean {
  if (role === 'admin' || role === 'support') return true;
  return role === 'sales' && assigneeOf(stage) === 'sales';
}

/**
 * May `role` extend the offer while the buyer has not subscribed (AwaitAcceptance, a buyer stage)? The offer is
 * sales' (sales agreed its terms and decides on it when it expires): sales and admins.
 */
export function staffMayExtendOffer(role: StaffRole): boolean {
  return role === 'admin' || assigneeOf('OfferExpired') === role;
}

/**
 * What the staff CLI may reach in AWS when run under a role's IAM role (infra/staff-cli.ts): auditors read; the acting
 * roles also complete and close stages (the records, the callbacks, the close mails); revoke-sessions writes a memo.
 */
export const STAFF_CLI_ACCESS = {
  auditor: ['table:read', 'states:read', 'archive:read'],
  sales: ['table:read', 'table:write', 'states:read', 'states:callback', 'archive:read', 'email:send'],
  support: ['table:read', 'table:write', 'states:read', 'states:callback', 'archive:read', 'email:send'],
  admin: ['table:read', 'table:write', 'states:read', 'states:callback', 'archive:read', 'email:send'],
} as const satisfies Record<StaffRole, readonly Access[]>;
