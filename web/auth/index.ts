/** Picks the staff authentication adapter from configuration (never from "are we local?"). */
import * as z from 'zod';
import { cognitoGroups } from '../../tasks/adapters/aws/cognito-groups.js';
import { usersFileAuth } from '../../tasks/adapters/file/staff-users.js';
import type { StaffAuth } from '../../tasks/ports/staff-auth.js';
import { CognitoAuthConfig, cognitoAuth } from './cognito.js';

export const StaffAuthConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('users-file'), path: z.string().min(1, 'path of the users file is required') }),
  CognitoAuthConfig.extend({ kind: z.literal('cognito') }),
]);
export type StaffAuthConfig = z.input<typeof StaffAuthConfig>;

export function createStaffAuth(input: StaffAuthConfig): StaffAuth {
  const config = StaffAuthConfig.parse(input);
  switch (config.kind) {
    case 'users-file':
      return usersFileAuth(config.path);
    case 'cognito':
      return cognitoAuth(config, { groupsOf: cognitoGroups(config.userPoolId) });
  }
}

/** Reads the choice from the environment: STAFF_AUTH=users-file (STAFF_USERS_FILE) or cognito (COGNITO_*). */
export function staffAuthConfigFromEnv(env: NodeJS.ProcessEnv): StaffAuthConfig {
  const kind = env.STAFF_AUTH ?? (env.COGNITO_USER_POOL_ID ? 'cognito' : 'users-file');
  if (kind === 'cognito') {
    return {
      kind: 'cognito',
      userPoolId: env.COGNITO_USER_POOL_ID ?? '',
      clientId: env.COGNITO_CLIENT_ID ?? '',
      clientSecret: env.COGNITO_CLIENT_SECRET || undefined,
      domain: env.COGNITO_DOMAIN ?? '',
    };
  }
  if (kind !== 'users-file')
    throw new Error(`STAFF_AUTH must be users-file or cognito, not ${JSON.stringify(kind)}`);
  return { kind: 'users-file', path: env.STAFF_USERS_FILE ?? '.data/staff-users.json' };
}

export type {
  PasswordAuth,
  RedirectAuth,
  StaffAuth,
  StaffIdentity,
} from '../../tasks/ports/staff-auth.js';
