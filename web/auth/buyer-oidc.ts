/**
 * Step 7-2 through the vendor's own identity provider (OpenID Connect): authorization code with PKCE (S256), state
 * and nonce, standard discovery, with openid-client. The ID token's `sub` and `email` identify the buyer's user;
 * the tenants they may upgrade then come from the provisioning port. Without an issuer configured the built-in
 * sign-in is used instead (web/routes/buyer.ts).
 */
import * as oidc from 'openid-client';
import * as z from 'zod';

export const BuyerOidcConfig = z.object({
  /** The vendor's issuer (discovery at `<issuer>/.well-known/openid-configuration`); https, or http on loopback. */
  issuer: z.url({ message: 'BUYER_OIDC_ISSUER must be a URL' }),
  clientId: z.string().min(1, 'BUYER_OIDC_CLIENT_ID is required with BUYER_OIDC_ISSUER'),
  clientSecret: z.string().min(1, 'the OIDC client secret is required with BUYER_OIDC_ISSUER'),
  /** `<web base URL>/buyer/oidc/callback`, registered with the vendor's IdP. */
  redirectUri: z.url(),
  /** Shown on the buyer's pages ("… でログイン"). */
  displayName: z.string().min(1).max(100).default('SaaS'),
  scope: z.string().default('openid email profile'),
  /** How the client authenticates at the token endpoint (Auth0's regular web apps default to client_secret_post). */
  tokenAuthMethod: z.enum(['client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
});
export type BuyerOidcConfig = z.infer<typeof BuyerOidcConfig>;

/** What the callback must match: kept in a signed, short-lived cookie bound to the buyer's session. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
}

export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string;
}

export class OidcUnavailableError extends Error {
  override name = 'OidcUnavailableError';
}

/** The callback was not a valid answer to our request (state/nonce/PKCE/ID token), or the buyer cancelled. */
export class OidcRejectedError extends Error {
  override name = 'OidcRejectedError';
  constructor(
    message: string,
    readonly reason: 'cancelled' | 'invalid' | 'no-email',
  ) {
    super(message);
  }
}

const isLoopback = (url: string) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

export interface BuyerOidc {
  readonly displayName: string;
  /** The authorization URL to send the buyer to, and what the callback must match. */
  start(options: { locale: 'ja' | 'en' }): Promise<{ url: string; pending: PendingSignIn }>;
  /** The identity from the callback's query, checked against `pending` (the URL is the registered redirect URI). */
  finish(query: URLSearchParams, pending: PendingSignIn): Promise<OidcIdentity>;
}

export function buyerOidc(input: z.input<typeof BuyerOidcConfig>): BuyerOidc {
  const config = BuyerOidcConfig.parse(input);
  if (new URL(config.issuer).protocol !== 'https:' && !isLoopback(config.issuer))
    throw new Error('BUYER_OIDC_ISSUER must be an https URL (http only on loopback)');
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= oidc
      .discovery(
        new URL(config.issuer),
        config.clientId,
        { redirect_uris: [config.redirectUri] },
        config.tokenAuthMethod === 'client_secret_post'
          ? oidc.ClientSecretPost(config.clientSecret)
          : oidc.ClientSecretBasic(config.clientSecret),
        {
          timeout: 5,
          ...(isLoopback(config.issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
        },
      )
      .catch((error: unknown) => {
        discovered = undefined; // try again on the next buyer
        throw new OidcUnavailableError(`discovery of ${config.issuer} failed: ${(error as Error).message}`);
      });
    return discovered;
  };

  return {
    displayName: config.displayName,
    async start({ locale }) {
      const server = await configuration();
      const pending: PendingSignIn = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        verifier: oidc.randomPKCECodeVerifier(),
      };
      const url = oidc.buildAuthorizationUrl(server, {
        redirect_uri: config.redirectUri,
        scope: config.scope,
        response_type: 'code',
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
        ui_locales: locale,
      });
      return { url: url.href, pending };
    },
    async finish(query, pending) {
      // the registered redirect URI, not the URL as the request arrived (a proxy or API Gateway may rewrite the host)
      const callbackUrl = new URL(config.redirectUri);
      callbackUrl.search = query.toString();
      const error = query.get('error');
      if (error) throw new OidcRejectedError(`the identity provider answered ${error}`, 'cancelled');
      const server = await configuration();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(server, callbackUrl, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (e) {
        if (e instanceof oidc.ClientError || e instanceof oidc.AuthorizationResponseError)
          throw new OidcRejectedError((e as Error).message, 'invalid');
        throw new OidcUnavailableError(`token exchange failed: ${(e as Error).message}`);
      }
      const claims = tokens.claims();
      if (!claims?.sub) throw new OidcRejectedError('the ID token has no subject', 'invalid');
      let email = z.email().safeParse(claims.email);
      if (!email.success) {
        // providers that keep the ID token small (oidc-provider's default) give the e-mail on the UserInfo endpoint
        const info = await oidc.fetchUserInfo(server, tokens.access_token, claims.sub).catch((e: unknown) => {
          throw new OidcUnavailableError(`userinfo failed: ${(e as Error).message}`);
        });
        email = z.email().safeParse(info.email);
      }
      if (!email.success) throw new OidcRejectedError('the ID token has no e-mail address', 'no-email');
      return { issuer: claims.iss, subject: claims.sub, email: email.data.toLowerCase() };
    },
  };
}
