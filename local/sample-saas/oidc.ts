/**
 * The sample SaaS's OpenID provider (oidc-provider, a certified implementation): authorization code with PKCE
 * required, one confidential client (the onboarding's buyer pages), `openid email profile`, the SaaS's own users as
 * accounts (`sub` is the user id). The SaaS's first-party client skips the consent screen; the sign-in page is the
 * SaaS's own (pages.ts).
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import Provider, { type Adapter, type AdapterPayload, type Configuration, type JWK } from 'oidc-provider';
import type { SaasStore } from './store.js';

export interface OidcClientSettings {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
}

/**
 * The provider's sessions, interactions, codes and grants, in this process's memory: a restart of the local stack
 * signs the SaaS's users out (its users and tenants are in the store and survive). A real vendor's IdP keeps them.
 */
class MemoryAdapter implements Adapter {
  private static readonly items = new Map<string, { payload: AdapterPayload; expiresAt?: number }>();
  constructor(private readonly model: string) {}
  private key = (id: string) => `${this.model}:${id}`;
  private live(id: string) {
    const item = MemoryAdapter.items.get(this.key(id));
    if (item?.expiresAt && item.expiresAt < Date.now()) MemoryAdapter.items.delete(this.key(id));
    else return item?.payload;
    return undefined;
  }
  async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
    MemoryAdapter.items.set(this.key(id), {
      payload,
      ...(expiresIn ? { expiresAt: Date.now() + expiresIn * 1000 } : {}),
    });
  }
  async find(id: string) {
    return this.live(id);
  }
  async findByUserCode(userCode: string) {
    return [...MemoryAdapter.items.values()].find((i) => i.payload.userCode === userCode)?.payload;
  }
  async findByUid(uid: string) {
    return [...MemoryAdapter.items.values()].find((i) => i.payload.uid === uid)?.payload;
  }
  async consume(id: string) {
    const payload = this.live(id);
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    MemoryAdapter.items.delete(this.key(id));
  }
  async revokeByGrantId(grantId: string) {
    for (const [k, i] of MemoryAdapter.items)
      if (i.payload.grantId === grantId) MemoryAdapter.items.delete(k);
  }
}

/** The provider's signing key, kept in the data folder so tokens and discovery stay stable across restarts. */
async function signingKey(dir: string | undefined): Promise<JWK> {
  const file = dir ? path.join(dir, 'oidc-signing-key.json') : undefined;
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = {
    ...privateKey.export({ format: 'jwk' }),
    kid: `sample-${Date.now()}`,
    use: 'sig',
    alg: 'RS256',
  };
  if (file) await writeFile(file, JSON.stringify(jwk), { mode: 0o600 });
  return jwk as JWK;
}

export async function createOidcProvider(options: {
  issuer: string;
  store: SaasStore;
  client: OidcClientSettings;
  cookieKey: string;
  dataDir?: string;
}): Promise<Provider> {
  const { store, client } = options;
  const configuration: Configuration = {
    adapter: MemoryAdapter,
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: client.redirectUris,
        post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: async (_ctx, id) => {
      const user = store.userById(id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: user.email,
          email_verified: true,
          ...(user.name ? { name: user.name } : {}),
        }),
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: [options.cookieKey] },
    jwks: { keys: [await signingKey(options.dataDir)] },
    // a first-party client: the grant of the scopes asked is given with the sign-in (no consent screen)
    loadExistingGrant: async (ctx) => {
      const session = ctx.oidc.session;
      const clientId = ctx.oidc.client?.clientId;
      if (!session?.accountId || !clientId) return undefined;
      const existing = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(clientId);
      if (existing) {
        const found = await ctx.oidc.provider.Grant.find(existing);
        if (found) return found;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    ttl: {
      Session: 8 * 3600,
      Interaction: 3600,
      Grant: 8 * 3600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
  };
  const provider = new Provider(options.issuer, configuration);
  // keep oidc-provider's own console warnings about development settings out of `npm start`'s output
  provider.on('server_error', (_ctx, error) => console.error('sample SaaS OpenID provider:', error));
  return provider;
}
