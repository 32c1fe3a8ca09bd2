/** Who runs the CLI: ONBOARDING_USER + ONBOARDING_PASSWORD checked against the staff users file (scrypt). */
import { usersFileAuth } from '../tasks/adapters/file/staff-users.js';

export interface CliIdentity {
  readonly id: string;
  readonly name: string;
  readonly role: string;
}

export async function identify(env: NodeJS.ProcessEnv, usersFile: string): Promise<CliIdentity | undefined> {
  const user = env.ONBOARDING_USER?.trim();
  const password = env.ONBOARDING_PASSWORD;
  if (!user || !password) return undefined;
  return usersFileAuth(usersFile).verifyPassword(user, password);
}
