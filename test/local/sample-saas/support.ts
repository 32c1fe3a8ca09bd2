/** A sample SaaS on a free loopback port with the demo user, and a tiny cookie-keeping browser for its redirects. */
import { type Invitation, type SampleSaas, startSampleSaas } from '../../../local/sample-saas/server.js';

export const DEMO = {
  email: 'taro.yamada@example.co.jp',
  password: 'demo-buyer-pass',
  name: '山田 太郎',
  tenants: [
    { id: 'acct-demo-production', name: 'Example KK 本番環境' },
    { id: 'acct-demo-staging', name: 'Example KK 検証環境' },
  ],
};

export const CLIENT = {
  clientId: 'marketplace-onboarding',
  clientSecret: 'client-secret-for-tests-0123456789',
};

export async function sampleSaas(redirectUri = 'http://127.0.0.1:9/buyer/oidc/callback') {
  const invitations: Invitation[] = [];
  let secret = 'signing-secret-for-tests-0123456789';
  const saas: SampleSaas = await startSampleSaas({
    signingSecret: () => secret,
    client: { ...CLIENT, redirectUris: [redirectUri] },
    invite: async (i) => void invitations.push(i),
    demoUsers: [DEMO],
  });
  return {
    saas,
    invitations,
    secret: () => secret,
    rotate: (next: string) => {
      secret = next;
    },
  };
}

/** fetch that keeps cookies per host and never follows redirects (the test follows them, as a browser would). */
export function browser() {
  const jar = new Map<string, string>();
  return async (url: string, init: RequestInit = {}) => {
    const u = new URL(url);
    const cookies = [...jar]
      .filter(([k]) => k.startsWith(`${u.host}|`))
      .map(([k, v]) => `${k.split('|')[1]}=${v}`);
    const headers = new Headers(init.headers);
    if (cookies.length) headers.set('cookie', cookies.join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) jar.set(`${u.host}|${name.trim()}`, value.join('='));
    }
    return res;
  };
}
