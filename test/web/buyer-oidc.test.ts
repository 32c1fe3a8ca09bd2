/**
 * 7-2 through the vendor's OpenID provider: the buyer's "すでに登録済みでログインする方はこちら" goes to the sample SaaS's
 * real OpenID provider (oidc-provider on loopback: discovery, PKCE, state, nonce), signs in on its page, comes back,
 * chooses one of the two tenants the vendor lists through the provisioning API, and the vendor's tenant gets the paid
 * plan. A forged or stale callback, a cancelled sign-in and a provider that does not answer change nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookProvisioning } from '../../tasks/adapters/provisioning/webhook.js';
import { buyerOidc } from '../../web/auth/buyer-oidc.js';
import { browser, CLIENT, DEMO, sampleSaas } from '../local/sample-saas/support.js';
import { arrivedBuyer, changes, harness } from './support/harness.js';

const REDIRECT = 'http://127.0.0.1:3999/buyer/oidc/callback';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function atRegisterPage(issuer?: string) {
  const vendor = await sampleSaas(REDIRECT);
  closers.push(vendor.saas.close);
  const oidc = buyerOidc({
    issuer: issuer ?? vendor.saas.issuer,
    ...CLIENT,
    redirectUri: REDIRECT,
    displayName: 'Example SaaS',
  });
  const { app, flow, ports } = await harness({ buyerOidc: oidc });
  ports.provisioning = new WebhookProvisioning({
    baseUrl: vendor.saas.provisioningUrl,
    secret: async () => vendor.secret(),
  });
  const { c, id } = await arrivedBuyer({ app, flow });
  return { c, flow, ports, id, vendor };
}

/** The buyer at the vendor's sign-in page and through it; returns the callback path our app is sent back to. */
async function signInAtVendor(authorizationUrl: string, password = DEMO.password) {
  const idp = browser();
  const toInteraction = await idp(authorizationUrl);
  const interaction = new URL(toInteraction.headers.get('location') ?? '', authorizationUrl).href;
  const page = await idp(interaction);
  const pageText = await page.text();
  const login = await idp(`${interaction}/login`, {
    method: 'POST',
    body: new URLSearchParams({ email: DEMO.email, password, lang: 'ja' }),
  });
  if (login.status !== 303) return { pageText, loginStatus: login.status, callback: undefined };
  const resume = await idp(new URL(login.headers.get('location') ?? '', authorizationUrl).href);
  const back = new URL(resume.headers.get('location') ?? '');
  return { pageText, loginStatus: login.status, callback: `${back.pathname}${back.search}` };
}

describe('7-2 through the vendor OpenID provider', () => {
  it("signs in at the vendor, lists the vendor's two tenants, and the chosen one gets the paid plan", async () => {
    // Prepare
    const { c, flow, ports, id, vendor } = await atRegisterPage();
    // Act
    const toIdp = await c.get('/buyer/login');
    const authorization = new URL(toIdp.location ?? '');
    const { pageText, callback } = await signInAtVendor(authorization.href);
    const back = await c.get(callback ?? '/');
    await flow.idle();
    const list = await c.get('/buyer/accounts');
    const chosen = await c.post('/buyer/accounts', { accountId: 'acct-demo-staging' });
    await flow.idle();
    // Assess
    expect(authorization.origin).toBe(vendor.saas.url);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('ui_locales')).toBe('ja');
    expect(pageText).toContain('Example SaaS にログイン');
    expect(back.location).toBe('/buyer/accounts');
    expect(list.text).toContain('Example KK 本番環境');
    expect(list.text).toContain('Example KK 検証環境');
    expect(chosen.status).toBe(303);
    const user = vendor.saas.store.userByEmail(DEMO.email);
    expect(ports.onboardings.items.get(id)?.registration).toEqual({
      kind: 'existing',
      userId: user?.id,
      issuer: vendor.saas.issuer,
      email: DEMO.email,
    });
    expect(vendor.saas.store.tenant('acct-demo-staging')).toMatchObject({ status: 'paid' });
    expect(vendor.saas.store.tenant('acct-demo-production')).toMatchObject({ status: 'free' });
  });

  it('refuses a callback with another state, and one without the pending sign-in, changing nothing', async () => {
    // Prepare
    const { c, ports } = await atRegisterPage();
    const toIdp = await c.get('/buyer/login');
    const { callback } = await signInAtVendor(toIdp.location ?? '');
    const forged = (callback ?? '').replace(/state=[^&]+/, 'state=forged');
    const before = changes(ports);
    // Act
    const wrongState = await c.get(forged);
    const stale = await c.get(callback ?? '/'); // the pending sign-in was used up by the refusal
    // Assess
    expect(wrongState.status).toBe(401);
    expect(wrongState.text).toContain('ログインが完了しませんでした');
    expect(stale.status).toBe(400);
    expect(stale.text).toContain('ログインをやり直してください');
    expect(changes(ports)).toBe(before);
  });

  it('a cancelled sign-in at the vendor comes back as a page that offers to try again', async () => {
    // Prepare
    const { c, ports } = await atRegisterPage();
    await c.get('/buyer/login');
    const before = changes(ports);
    // Act
    const r = await c.get('/buyer/oidc/callback?error=access_denied&state=whatever');
    // Assess
    expect(r.status).toBe(401);
    expect(r.text).toContain('もう一度ログインする');
    expect(changes(ports)).toBe(before);
  });

  it("an identity provider that does not answer gives a 503 page in the buyer's language", async () => {
    // Prepare
    const { c, ports } = await atRegisterPage('http://127.0.0.1:9');
    const before = changes(ports);
    // Act
    const r = await c.get('/buyer/login?lang=en');
    // Assess
    expect(r.status).toBe(503);
    expect(r.text).toContain('The sign-in page cannot be reached');
    expect(changes(ports)).toBe(before);
  });

  it('the built-in password form is not offered while the vendor sign-in is configured', async () => {
    // Prepare
    const { c } = await atRegisterPage();
    // Act
    const r = await c.post('/buyer/login', { email: DEMO.email, password: DEMO.password });
    // Assess
    expect(r.status).toBe(303);
    expect(r.location).toBe('/buyer/login');
  });
});
