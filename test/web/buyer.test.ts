import { describe, expect, it } from 'vitest';
import { signToken } from '../../web/security/signed.js';
import type { FakeWorld } from './support/fake-world.js';
import { Client, harness, seedOnboarding } from './support/harness.js';

/** An onboarding whose buyer has subscribed: waiting at AccountSetup. */
async function accepted(world: FakeWorld, acct = '123456789012'): Promise<string> {
  const id = await seedOnboarding(world, { awsAccountId: acct });
  await world.completeHumanStage({
    onboardingId: id,
    stage: 'Consultation',
    actor: { kind: 'staff', id: 'sam', role: 'sales' },
    payload: {
      actor: { kind: 'staff', id: 'sam', role: 'sales' },
      plan: 'Business',
      offerName: 'Offer',
      currency: 'USD',
      durationMonths: 12,
      dimensions: [{ key: 'users', price: '10.00' }],
      offerExpiresAt: '2025-06-30T23:59:59Z',
      offerCreation: 'automatic',
    },
  });
  world.accept(id);
  return id;
}

const arrive = (c: Client, token: string) =>
  c.request('/marketplace/fulfillment', {
    method: 'POST',
    body: new URLSearchParams({ 'x-amzn-marketplace-token': token }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://aws.amazon.com' },
  });

describe('buyer pages (steps 6 and 7)', () => {
  it('7-1: fulfillment POST → 新規登録 → completion, the token never shown', async () => {
    const { app, world } = await harness();
    const id = await accepted(world);
    const token = world.issueToken(id);
    const c = new Client(app);
    const r = await arrive(c, token);
    expect(r.status).toBe(303);
    expect(r.location).toBe('/buyer/register');
    expect(r.location).not.toContain(token);
    const page = await c.follow();
    expect(page.text).toContain('AWS Marketplace経由 新規登録');
    expect(page.text).toContain('すでに登録済みでログインする方はこちら');
    expect(page.text).not.toContain(token);
    const done = await c.post('/buyer/register', {
      accountName: 'Example Team',
      email: 'owner@example.co.jp',
    });
    expect(done.status).toBe(303);
    expect((await c.follow()).text).toContain('お手続きが完了しました');
    expect((await world.getOnboarding(id))?.stage).toBe('Completed');
    const reg = (await world.getExecutionHistory(id)).find(
      (e) => e.stage === 'Registration' && e.event === 'TaskSucceeded',
    );
    expect(reg?.actor).toEqual({ kind: 'buyer', id: '123456789012', email: 'owner@example.co.jp' });
  });

  it('7-2: login → 有料化を行うアカウントの選択 → このアカウントで利用を開始する', async () => {
    const { app, world } = await harness();
    const id = await accepted(world);
    world.addUser('hanako@example.co.jp', 'pw-hanako-1', [
      { accountId: 'acct-1', name: 'Hanako Team', plan: 'Free' },
      { accountId: 'acct-2', name: 'Hanako Lab', plan: 'Free' },
    ]);
    const c = new Client(app);
    await arrive(c, world.issueToken(id));
    await c.follow();
    expect((await c.get('/buyer/login')).text).toContain('ログイン');
    const bad = await c.post('/buyer/login', { email: 'hanako@example.co.jp', password: 'wrong' });
    expect(bad.status).toBe(401);
    expect(bad.text).toContain('メールアドレスまたはパスワードが正しくありません。');
    expect((await world.getOnboarding(id))?.stage).toBe('Registration');
    const ok = await c.post('/buyer/login', { email: 'hanako@example.co.jp', password: 'pw-hanako-1' });
    expect(ok.location).toBe('/buyer/accounts');
    const list = await c.follow();
    expect(list.text).toContain('有料化を行うアカウントの選択');
    expect(list.text).toContain('Hanako Lab');
    expect(list.text.match(/このアカウントで利用を開始する/g)).toHaveLength(2);
    const chosen = await c.post('/buyer/accounts', { accountId: 'acct-2' });
    expect(chosen.status).toBe(303);
    expect((await world.getOnboarding(id))?.accountId).toBe('acct-2');
  });

  it('refuses an account the user does not belong to, and changes nothing', async () => {
    const { app, world } = await harness();
    const id = await accepted(world);
    world.addUser('a@example.com', 'pw-a-12345', [{ accountId: 'acct-a', name: 'A', plan: 'Free' }]);
    world.addUser('b@example.com', 'pw-b-12345', [{ accountId: 'acct-b', name: 'B', plan: 'Free' }]);
    const c = new Client(app);
    await arrive(c, world.issueToken(id));
    await c.get('/buyer/login');
    await c.post('/buyer/login', { email: 'a@example.com', password: 'pw-a-12345' });
    await c.follow();
    const before = world.changes;
    const r = await c.post('/buyer/accounts', { accountId: 'acct-b' });
    expect(r.status).toBe(403);
    expect(r.text).toContain('選択したアカウントはこのユーザーのものではありません。');
    expect(world.changes).toBe(before);
  });

  it('has an English switch on every buyer page', async () => {
    const { app, world } = await harness();
    const id = await accepted(world);
    const c = new Client(app);
    await arrive(c, world.issueToken(id));
    const page = await c.get('/buyer/register?lang=en');
    expect(page.text).toContain('Sign up via AWS Marketplace');
    expect(page.text).toContain('Already registered? Log in here');
    expect(page.text).toContain('href="/buyer/register?lang=ja"');
  });

  it.each([
    ['invalid token', async (_w: FakeWorld) => 'nonsense-token', 400, 'このリンクは無効です'],
    [
      'expired token',
      async (w: FakeWorld) => w.issueToken(await accepted(w), 'expired'),
      400,
      'リンクの有効期限が切れています',
    ],
    [
      'offer not yet accepted',
      async (w: FakeWorld) => w.issueToken(await seedOnboarding(w)),
      409,
      'オファーの承諾がまだ確認できません',
    ],
  ])('shows a clear page for an %s', async (_name, make, status, text) => {
    const { app, world } = await harness();
    const token = await make(world);
    const before = world.changes;
    const r = await arrive(new Client(app), token);
    expect(r.status).toBe(status);
    expect(r.text).toContain(text);
    expect(r.headers.get('set-cookie') ?? '').not.toMatch(/buyer=/);
    expect(world.changes).toBe(before);
  });

  it('asks to try again when the marketplace throttles, and says so when setup is already complete', async () => {
    const { app, world } = await harness();
    const id = await accepted(world);
    const token = world.issueToken(id);
    world.throttleNext = 1;
    const busy = await arrive(new Client(app), token);
    expect(busy.status).toBe(429);
    expect(busy.headers.get('retry-after')).toBe('5');
    expect(busy.text).toContain('ただいま混み合っています');
    const c = new Client(app);
    await arrive(c, token);
    await c.follow();
    await c.post('/buyer/register', { accountName: 'T', email: 't@example.com' });
    const again = await arrive(new Client(app), world.issueToken(id));
    expect(again.status).toBe(409);
    expect(again.text).toContain('セットアップは完了しています');
  });

  it('without a session, or with an expired or tampered one, shows the session page and changes nothing', async () => {
    const { app, world, clock } = await harness();
    const id = await accepted(world);
    const c = new Client(app);
    expect((await c.get('/buyer/register')).status).toBe(401);
    await arrive(c, world.issueToken(id));
    await c.follow();
    // tampered: the same session re-pointed at another onboarding keeps the old signature
    const [body, sig] = (c.cookies.get('buyer') as string).split('.');
    const payload = JSON.parse(Buffer.from(body as string, 'base64url').toString());
    const other = await accepted(world, '210987654321');
    const before = world.changes;
    const forged = `${Buffer.from(JSON.stringify({ ...payload, onb: other })).toString('base64url')}.${sig}`;
    const thief = new Client(app);
    thief.cookies.set('buyer', forged);
    thief.cookies.set('csrf', c.cookies.get('csrf') as string);
    const tampered = await thief.post(
      '/buyer/register',
      { accountName: 'X', email: 'x@example.com' },
      { csrf: c.csrf() },
    );
    expect(tampered.status).toBe(401);
    // expired: one hour later (default TTL)
    clock.now = new Date(clock.now.getTime() + 3_601_000);
    const late = await c.post('/buyer/register', { accountName: 'X', email: 'x@example.com' });
    expect(late.status).toBe(401);
    expect(late.text).toContain('セッションの有効期限が切れました');
    expect(world.changes).toBe(before);
    expect((await world.getOnboarding(id))?.stage).toBe('Registration');
    expect((await world.getOnboarding(other))?.stage).toBe('AccountSetup');
  });

  it('binds the session to one onboarding: a session signed for A only ever acts on A', async () => {
    const { app, world, clock } = await harness();
    const a = await accepted(world, '111111111111');
    const b = await accepted(world, '222222222222');
    const c = new Client(app);
    await arrive(c, world.issueToken(a));
    await c.follow();
    // the forms carry no onboarding id; an extra one in the body is ignored
    expect(c.last?.text).not.toContain(a);
    await c.post('/buyer/register', { accountName: 'A team', email: 'a@example.com', onboardingId: b });
    expect((await world.getOnboarding(a))?.stage).toBe('Completed');
    expect((await world.getOnboarding(b))?.stage).toBe('AccountSetup');
    // a session for B must be signed with the secret; one signed with another secret is refused
    const foreign = signToken('another-secret-0123456789-abcdefghijkl', 'buyer-session', {
      sid: 'x',
      onb: b,
      acct: '222222222222',
      exp: Math.floor(clock.now.getTime() / 1000) + 600,
    });
    const thief = new Client(app);
    thief.cookies.set('buyer', foreign);
    expect((await thief.get('/buyer/register')).status).toBe(401);
  });

  it('validates the registration form with field messages and changes nothing', async () => {
    const { app, world } = await harness();
    const id = await accepted(world);
    const c = new Client(app);
    await arrive(c, world.issueToken(id));
    await c.follow();
    const before = world.changes;
    const r = await c.post('/buyer/register', { accountName: '', email: 'nope' });
    expect(r.status).toBe(400);
    expect(r.text).toContain('id="f-accountName-err"');
    expect(r.text).toContain('email must be a valid e-mail address');
    expect(world.changes).toBe(before);
  });
});
