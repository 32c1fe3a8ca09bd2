/**
 * How staff prove who they are (the console and the CLI). Two adapters, chosen by configuration (web/auth/index.ts):
 * - users-file (tasks/adapters/file/staff-users.ts): a local JSON file of users with password hashes of
 *   tasks/domain/password.ts (the embedded default, and the CLI's identities);
 * - cognito (web/auth/cognito.ts): the Cognito hosted UI (authorization code + PKCE), ID token verified with
 *   aws-jwt-verify, the `cognito:groups` claim mapped to a role.
 */
import type { StaffRole } from '../../workflows/contracts/index.js';

export interface StaffIdentity {
  readonly id: string;
  readonly name: string;
  readonly role: StaffRole;
}

/** Sign-in with a username and password on our own page. */
export interface PasswordAuth {
  readonly kind: 'password';
  verifyPassword(username: string, password: string): Promise<StaffIdentity | undefined>;
}

/** Sign-in through an OAuth 2.0 authorization server (redirect, then code exchange). */
export interface RedirectAuth {
  readonly kind: 'redirect';
  authorizeUrl(input: { state: string; codeChallenge: string; redirectUri: string }): string;
  exchangeCode(input: {
    code: string;
    codeVerifier: string;
    redirectUri: string;
  }): Promise<StaffIdentity | undefined>;
  /** Where to send the browser to end the provider's session too (optional). */
  logoutUrl?(redirectUri: string): string;
}

export type StaffAuth = PasswordAuth | RedirectAuth;
