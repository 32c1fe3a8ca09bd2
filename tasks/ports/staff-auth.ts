/**
 * How staff prove who they are (the console and the CLI). Two adapters, chosen by configuration (web/auth/index.ts):
 * - users-file (tasks/adapters/file/staff-users.ts): a local JSON file of users with password hashes of
 *   tasks/domain/password.ts (the embedded default, and the CLI's identities);
 * - cognito (web/auth/cognito.ts): the Cognito hosted UI (authorization code + PKCE), ID token verified with
 *   openid-client (signature, issuer, audience, expiry), the `cognito:groups` claim mapped to a role.
 */
import type { StaffRole } from '../../workflows/contracts/index.js';

export interface StaffIdentity {
  readonly id: string;
  readonly name: string;
  readonly role: StaffRole;
}

/**
 * The role a signed-in person holds now (undefined: no longer staff: removed, disabled, no role group). A staff
 * session asks it every few minutes (tasks/use-cases/staff-sessions.ts) and ends when the answer changed.
 */
export type CurrentRole = (id: string) => Promise<StaffRole | undefined>;

/** Sign-in with a username and password on our own page. */
export interface PasswordAuth {
  readonly kind: 'password';
  verifyPassword(username: string, password: string): Promise<StaffIdentity | undefined>;
  readonly currentRole?: CurrentRole;
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
  readonly currentRole?: CurrentRole;
}

export type StaffAuth = PasswordAuth | RedirectAuth;
