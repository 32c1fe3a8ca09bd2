/**
 * The staff CLI in AWS: who runs it is the caller's IAM identity (STS GetCallerIdentity, which needs no permission),
 * not a name the operator types. An assumed role of infra/staff-cli.ts gives the staff role; the session name (with
 * IAM Identity Center, the person's user name) is the actor's id; the full ARN is kept as the actor's name, so the
 * history says exactly which principal acted.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import * as z from 'zod';
import { STAFF_ROLES, type StaffRole } from '../../../workflows/contracts/actor.js';
import type { StaffIdentity } from '../../ports/staff-auth.js';

/** STAFF_CLI_ROLES: the IAM role name of each staff role, as the stack's StaffCliRoles output gives it. */
export const StaffCliRoles = z.partialRecord(z.enum(STAFF_ROLES), z.string().min(1).max(64));
export type StaffCliRoles = z.infer<typeof StaffCliRoles>;

export type CallerIdentity =
  | { ok: true; identity: StaffIdentity }
  | { ok: false; arn: string; reason: 'not-a-staff-role' };

const ASSUMED_ROLE = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([^/]+)\/(.+)$/;

export function parseStaffCliRoles(text: string | undefined): StaffCliRoles {
  if (!text?.trim()) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('STAFF_CLI_ROLES must be JSON, as the stack output StaffCliRoles gives it');
  }
  const parsed = StaffCliRoles.safeParse(json);
  if (!parsed.success)
    throw new Error(`STAFF_CLI_ROLES: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

/** Who the SDK's credentials are: the caller's ARN, from STS (the default credential chain and region). */
export async function stsCallerArn(sts: STSClient = new STSClient({})): Promise<string> {
  const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
  return Arn ?? '';
}

/** The staff identity of a caller ARN: an assumed staff CLI role, or why not. */
export function callerIdentity(arn: string, roles: StaffCliRoles): CallerIdentity {
  const m = ASSUMED_ROLE.exec(arn);
  const roleName = m?.[1];
  const session = m?.[2];
  const role = (Object.entries(roles) as [StaffRole, string][]).find(([, name]) => name === roleName)?.[0];
  if (!role || !session) return { ok: false, arn, reason: 'not-a-staff-role' };
  return { ok: true, identity: { id: session.toLowerCase(), name: arn, role } };
}
