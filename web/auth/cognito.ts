/**
 * The Cognito adapter (AWS): staff sign in on the Cognito hosted UI (OAuth 2.0 authorization code + PKCE). The
 * exchange and the ID token's checks (signature against the user pool's JWKS, issuer, audience = app client, expiry)
 * are openid-client's, the same library as the buyers' sign-in at the vendor (web/auth/buyer-oidc.ts); the
 * `cognito:groups` claim is mapped to a role: the first of admin, sales, support, auditor the user belongs to.
 * A user in none of those groups cannot sign in.
 */
import * as oidc from 'openid-client';
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

/** A JSON Web Key Set (the user pool's), for tests that sign their own tokens. */
export interface Jwks {
  readonly keys: readonly Record<string, unknown>[];
}

export interface CognitoAuthOptions {
  /** For tests: the JWKS to trust instead of downloading the user pool's. */
  readonly jwks?: Jwks;
  readonly fetch?: typeof fetch;
  /** The user's groups now (undefined: gone or disabled), for the sessions' periodic role check. */
  readonly groupsOf?: (username: string) => Promise<string[] | undefined>;
}

const REGION = /^([a-z]{2}-[a-z]+-\d)_/;

export function cognitoAuth(
  input: z.input<typeof CognitoAuthConfig>,
  options: CognitoAuthOptions = {},
): RedirectAuth {
  const config = CognitoAuthConfig.parse(input);
  const domain = config.domain.replace(/\/+$/, '');
  const region = REGION.exec(config.userPoolId)?.[1] ?? 'us-east-1';
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${config.userPoolId}`;
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const client = new oidc.Configuration(
    {
      issuer,
      authorization_endpoint: `${domain}/oauth2/authorize`,
      token_endpoint: `${domain}/oauth2/token`,
      jwks_uri: jwksUri,
    },
    config.clientId,
    config.clientSecret,
  );
  // the ID token's signature too (a token from the token endpoint over TLS would pass without it, as OIDC allows)
  oidc.enableNonRepudiationChecks(client);
  const doFetch = options.fetch ?? fetch;
  client[oidc.customFetch] = (url, init) =>
    options.jwks && url === jwksUri
      ? Promise.resolve(Response.json(options.jwks))
      : doFetch(url, init as RequestInit);

  return {
    kind: 'redirect',
    authorizeUrl({ state, codeChallenge, redirectUri }) {
      return oidc.buildAuthorizationUrl(client, {
        redirect_uri: redirectUri,
        scope: config.scopes.join(' '),
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      }).href;
    },
    async exchangeCode({ code, codeVerifier, redirectUri }): Promise<StaffIdentity | undefined> {
      let claims: Record<string, unknown> | undefined;
      try {
        const callback = new URL(redirectUri);
        callback.search = new URLSearchParams({ code }).toString();
        const tokens = await oidc.authorizationCodeGrant(client, callback, {
          pkceCodeVerifier: codeVerifier,
          expectedState: oidc.skipStateCheck, // the app checked its state cookie before calling
          idTokenExpected: true,
        });
        claims = tokens.claims() as Record<string, unknown> | undefined;
      } catch {
        return undefined; // a refused code, a forged or foreign token, an unreachable user pool
      }
      if (claims?.token_use !== 'id') return undefined;
      const role = roleFromGroups(claims['cognito:groups']);
      if (!role || typeof claims.sub !== 'string') return undefined;
      const username = claims['cognito:username'];
      const id = typeof username === 'string' ? username : claims.sub;
      const name =
        typeof claims.name === 'string' ? claims.name : typeof claims.email === 'string' ? claims.email : id;
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
