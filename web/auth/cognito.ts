/**
 * The Cognito adapter (AWS): staff sign in on the Cognito hosted UI (OAuth 2.0 authorization code + PKCE). The
 * web app exchanges the code at the domain's /oauth2/token endpoint, verifies the ID token with aws-jwt-verify
 * (signature against the user pool's JWKS, issuer, audience = app client, token_use = id, expiry) and maps the
 * `cognito:groups` claim to a role: the first of admin, sales, support, auditor the user belongs to.
 * A user in none of those groups cannot sign in.
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import * as z from 'zod';
import type { RedirectAuth, StaffIdentity } from '../../tasks/ports/staff-auth.js';
import { STAFF_ROLES, type StaffRole } from '../../workflows/contracts/index.js';

export const CognitoAuthConfig = z.object({
  userPoolId: z
    .string()
    .regex(/^[a-z]{2}-[a-z]+-\d_[A-Za-z0-9]+$/, 'userPoolId must look like us-east-1_AbC123'),
  clientId: z.string().min(1, 'clientId is required'),
  /** Confidential app clients only; a public client with PKCE needs none. */
  clientSecret: z.string().min(1).optional(),
  /** The hosted UI domain, e.g. https://onboarding.auth.us-east-1.amazoncognito.com */
  domain: z.url({ message: 'domain must be the hosted UI URL' }),
  scopes: z.array(z.string()).default(['openid', 'email', 'profile']),
});
export type CognitoAuthConfig = z.infer<typeof CognitoAuthConfig>;

const ROLE_ORDER: readonly StaffRole[] = ['admin', 'sales', 'support', 'auditor'];

export function roleFromGroups(groups: unknown): StaffRole | undefined {
  if (!Array.isArray(groups)) return undefined;
  return ROLE_ORDER.find((role) => groups.includes(role) && STAFF_ROLES.includes(role));
}

const TokenResponse = z.object({ id_token: z.string().min(1) });

export interface CognitoAuthOptions {
  /** For tests: the JWKS to trust instead of downloading the user pool's. */
  readonly jwks?: Jwks;
  readonly fetch?: typeof fetch;
  /** The user's groups now (undefined: gone or disabled), for the sessions' periodic role check. */
  readonly groupsOf?: (username: string) => Promise<string[] | undefined>;
}

export function cognitoAuth(
  input: z.input<typeof CognitoAuthConfig>,
  options: CognitoAuthOptions = {},
): RedirectAuth {
  const config = CognitoAuthConfig.parse(input);
  const domain = config.domain.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const verifier = CognitoJwtVerifier.create({
    userPoolId: config.userPoolId,
    tokenUse: 'id',
    clientId: config.clientId,
  });
  if (options.jwks) verifier.cacheJwks(options.jwks);

  return {
    kind: 'redirect',
    authorizeUrl({ state, codeChallenge, redirectUri }) {
      const q = new URLSearchParams({
        response_type: 'code',
        client_id: config.clientId,
        redirect_uri: redirectUri,
        scope: config.scopes.join(' '),
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      });
      return `${domain}/oauth2/authorize?${q}`;
    },
    async exchangeCode({ code, codeVerifier, redirectUri }): Promise<StaffIdentity | undefined> {
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (config.clientSecret) {
        headers.authorization = `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`;
      }
      const res = await doFetch(`${domain}/oauth2/token`, {
        method: 'POST',
        headers,
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: config.clientId,
          code,
          redirect_uri: redirectUri,
          code_verifier: codeVerifier,
        }),
      });
      if (!res.ok) return undefined;
      const tokens = TokenResponse.safeParse(await res.json().catch(() => undefined));
      if (!tokens.success) return undefined;
      let payload: Record<string, unknown>;
      try {
        payload = (await verifier.verify(tokens.data.id_token)) as Record<string, unknown>;
      } catch {
        return undefined;
      }
      const role = roleFromGroups(payload['cognito:groups']);
      if (!role || typeof payload.sub !== 'string') return undefined;
      const username = payload['cognito:username'];
      const id = typeof username === 'string' ? username : payload.sub;
      const name =
        typeof payload.name === 'string'
          ? payload.name
          : typeof payload.email === 'string'
            ? payload.email
            : id;
      return { id, name, role };
    },
    ...(options.groupsOf
      ? {
          currentRole: async (id: string) => {
            const groups = await options.groupsOf?.(id);
            return groups ? roleFromGroups(groups) : undefined;
          },
        }
      : {}),
    logoutUrl(redirectUri: string) {
      return `${domain}/logout?${new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri })}`;
    },
  };
}
