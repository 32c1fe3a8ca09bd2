/**
 * Who runs the CLI:
 * - locally (and wherever a users file holds the staff): ONBOARDING_USER + ONBOARDING_PASSWORD checked against the
 *   staff users file (scrypt);
 * - in AWS (STAFF_IDENTITY=aws): the caller's IAM identity, a role of the stack's StaffCliRoles (STAFF_CLI_ROLES
 *   maps each staff role to its IAM role name), asked of STS; nobody types a name.
 */
import {
  callerIdentity,
  parseStaffCliRoles,
  stsCallerArn,
} from '../tasks/adapters/aws/sts-caller-identity.js';
import { usersFileAuth } from '../tasks/adapters/file/staff-users.js';

export interface CliIdentity {
  readonly id: string;
  readonly name: string;
  readonly role: string;
}

export type Identified = { ok: true; who: CliIdentity } | { ok: false; message: string };

export async function identify(
  env: NodeJS.ProcessEnv,
  usersFile: string,
  callerArn: () => Promise<string> = () => stsCallerArn(),
): Promise<Identified> {
  if (env.STAFF_IDENTITY === 'aws') {
    const roles = parseStaffCliRoles(env.STAFF_CLI_ROLES);
    const r = callerIdentity(await callerArn(), roles);
    if (r.ok) return { ok: true, who: r.identity };
    const names = Object.values(roles).join(', ') || '(STAFF_CLI_ROLES is empty)';
    return {
      ok: false,
      message: `${r.arn || 'this identity'} is not a staff role: assume one of ${names} (the stack output StaffCliRoles)`,
    };
  }
  const user = env.ONBOARDING_USER?.trim();
  const password = env.ONBOARDING_PASSWORD;
  const who = user && password ? await usersFileAuth(usersFile).verifyPassword(user, password) : undefined;
  return who
    ? { ok: true, who }
    : {
        ok: false,
        message: `sign in: set ONBOARDING_USER and ONBOARDING_PASSWORD (users file ${usersFile})`,
      };
}
