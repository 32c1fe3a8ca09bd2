import { describe, expect, it } from 'vitest';
import type { FakeWorkflow } from '../../local/in-memory/fake-workflow.js';
import * as uc from '../../tasks/use-cases/index.js';
import { RESOLVE_ATTEMPTS } from '../../tasks/use-cases/resolve-buyer-arrival.js';
import { signToken } from '../../web/security/signed.js';
import { Client, changes, harness, offered } from './support/harness.js';

const arrive = (c: Client, token: string) =>
  c.request('/marketplace/fulfillment', {
    method: 'POST',
    body: new URLSearchParams({ 'x-amzn-marketplace-token': token }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://aws.amazon.com' },
  });

/** Offer out, buyer subscribed, the buyer's browser lands on our fulfillment URL. */
async function landed(flow: FakeWorkflow, c: Client, acct = '123456789012') {
  const id = await offered(flow, { awsAccountId: acct });
  const token = flow.subscribe(id, acct);
  const r = await arrive(c, token);
  await flow.idle();
  return { id, token, r };
}

describe('buyer pages (steps 6 and 7)', () => {
  it('7-1: fulfillment POST → AWS Marketplace経由 新規登録 → completion; the token is never shown', async () => {
    const { app, flow, ports } = await harness();
    const c = new Client(app);
    const { id, token, r } = await landed(flow, c);
    expect(r.status).toBe(303);
    expect(r.location).toBe('/buyer/register?lang=ja');
    const page = await c.follow();
    expect(page.text).toContain('AWS Marketplace経由 新規登録');
    expect(page.text).toContain('すでに登録済みでログインする方はこちら');
    expect(page.text).not.toContain(token);
    expect(c.cookieHeader()).not.toContain(token);
    const done = await c.post('/buyer/register', {
      accountName: 'Example Team',
      email: 'owner@example.co.jp',
    });
    expect(done.status).toBe(303);
    expect((await c.follow()).text).toContain('お手続きが完了しました');
    await flow.idle();
    const o = await ports.onboardings.get(id);
    expect(o?.stage).toBe('Completed');
    expect(o?.registration).toEqual({
      kind: 'new',
      accountName: 'Example Team',
      email: 'owner@example.co.jp',
    });
    const task = await ports.tasks.get(id, 'Registration');
    expect(task?.completedBy).toEqual({ kind: 'buyer', id: '123456789012' });
  });

  it('7-2: login → 有料化を行うアカウントの選択 → このアカウントで利用を開始する', async () => {
    const { app, flow, ports } = await harness();
    await uc.seedAccounts(ports, [
      {
        email: 'hanako@example.co.jp',
        password: 'pw-hanako-1',
        accounts: [
          { id: 'acct-hanako-team', name: 'Hanako Team' },
          { id: 'acct-hanako-lab', name: 'Hanako Lab' },
        ],
      },
    ]);
    const c = new Client(app);
    const { id } = await landed(flow, c);
    await c.follow();
    expect((await c.get('/buyer/login')).text).toContain('<h1>AWS Marketplace経由 ログイン</h1>');
    const bad = await c.post('/buyer/login', { email: 'hanako@example.co.jp', password: 'wrong' });
    expect(bad.status).toBe(401);
    expect(bad.text).toContain('メールアドレスまたはパスワードが正しくありません。');
    expect((await ports.onboardings.get(id))?.stage).toBe('Registration');
    const ok = await c.post('/buyer/login', { email: 'hanako@example.co.jp', password: 'pw-hanako-1' });
    expect(ok.location).toBe('/buyer/accounts');
    await flow.idle();
    const list = await c.follow();
    expect(list.text).toContain('有料化を行うアカウントの選択');
    expect(list.text).toContain('Hanako Lab');
    expect(list.text.match(/このアカウントで利用を開始する/g)).toHaveLength(2);
    const chosen = await c.post('/buyer/accounts', { accountId: 'acct-hanako-lab' });
    expect(chosen.status).toBe(303);
    await flow.idle();
    const o = await ports.onboardings.get(id);
    expect(o?.accountId).toBe('acct-hanako-lab');
    expect(o?.stage).toBe('Completed');
  });

  it('refuses an account the user does not belong to, and changes nothing', async () => {
    const { app, flow, ports } = await harness();
    await uc.seedAccounts(ports, [
      { email: 'a@example.com', password: 'pw-a-12345', accounts: [{ id: 'acct-a', name: 'A' }] },
      { email: 'b@example.com', password: 'pw-b-12345', accounts: [{ id: 'acct-b', name: 'B' }] },
    ]);
    const c = new Client(app);
    await landed(flow, c);
    await c.get('/buyer/login');
    await c.post('/buyer/login', { email: 'a@example.com', password: 'pw-a-12345' });
    await flow.idle();
    await c.follow();
    const before = changes(ports);
    const r = await c.post('/buyer/accounts', { accountId: 'acct-b' });
    expect(r.status).toBe(403);
    expect(r.text).toContain('選択したアカウントはこのユーザーのものではありません。');
    expect(changes(ports)).toBe(before);
  });

  it('offers the login when the e-mail is already registered', async () => {
    const { app, flow, ports } = await harness();
    await uc.seedAccounts(ports, [
      { email: 'taken@example.com', password: 'pw-taken-1', accounts: [{ id: 'acct-t', name: 'T' }] },
    ]);
    const c = new Client(app);
    await landed(flow, c);
    await c.follow();
    const before = changes(ports);
    const r = await c.post('/buyer/register', { accountName: 'New', email: 'taken@example.com' });
    expect(r.status).toBe(409);
    expect(r.text).toContain('このメールアドレスはすでに登録されています。');
    expect(changes(ports)).toBe(before);
  });

  it('uses the language of the inquiry, with a switch on every buyer page', async () => {
    const { app, flow } = await harness();
    const c = new Client(app);
    const id = await offered(flow);
    const stored = await flow.ports.onboardings.get(id);
    if (!stored) throw new Error('no onboarding');
    await flow.ports.onboardings.save({ ...stored, locale: 'en' });
    const r = await arrive(c, flow.subscribe(id, '123456789012'));
    expect(r.location).toBe('/buyer/register?lang=en');
    await flow.idle();
    const page = await c.follow();
    expect(page.text).toContain('Sign up via AWS Marketplace');
    expect(page.text).toContain('Already registered? Log in here');
    expect(page.text).toContain('href="/buyer/register?lang=ja"');
    expect((await c.get('/buyer/register?lang=ja')).text).toContain('AWS Marketplace経由 新規登録');
  });

  it.each([
    ['invalid token', async (_f: FakeWorkflow) => 'nonsense-token', 400, 'このリンクは無効です'],
    [
      'expired token',
      async (f: FakeWorkflow) => {
        f.ports.fulfillment.issueToken('expired-1', 'expired-token');
        return 'expired-1';
      },
      400,
      'リンクの有効期限が切れています',
    ],
    [
      'offer not yet accepted (no entitlement)',
      async (f: FakeWorkflow) => {
        await offered(f);
        f.ports.fulfillment.issueToken('early-1', {
          customerAwsAccountId: '123456789012',
          productCode: f.ports.config.productCode,
          licenseArn: 'arn:aws:license-manager::1:license:l-early',
        });
        return 'early-1';
      },
      409,
      'オファーの承諾がまだ確認できません',
    ],
    [
      'buyer without an onboarding',
      async (f: FakeWorkflow) => f.subscribe('onb-nobody', '555555555555'),
      409,
      'お申し込みが見つかりません',
    ],
  ])('shows a clear page for an %s, without a session', async (_name, make, status, text) => {
    const { app, flow, ports } = await harness();
    const token = await make(flow);
    const before = changes(ports);
    const r = await arrive(new Client(app), token);
    expect(r.status).toBe(status);
    expect(r.text).toContain(text);
    expect(r.headers.getSetCookie().some((l) => l.startsWith('buyer='))).toBe(false);
    expect(changes(ports)).toBe(before);
  });

  it('asks to try again when the marketplace throttles, and says so when setup is already complete', async () => {
    const { app, flow, ports } = await harness();
    const id = await offered(flow);
    const token = flow.subscribe(id, '123456789012');
    ports.fulfillment.throttleNext = RESOLVE_ATTEMPTS;
    const busy = await arrive(new Client(app), token);
    expect(busy.status).toBe(429);
    expect(busy.headers.get('retry-after')).toBe('5');
    expect(busy.text).toContain('ただいま混み合っています');
    const c = new Client(app);
    await arrive(c, token);
    await flow.idle();
    await c.follow();
    await c.post('/buyer/register', { accountName: 'T', email: 't@example.com' });
    await flow.idle();
    expect((await ports.onboardings.get(id))?.stage).toBe('Completed');
    const again = await arrive(new Client(app), flow.anotherToken(id, '123456789012'));
    expect(again.status).toBe(409);
    expect(again.text).toContain('セットアップは完了しています');
    const replay = await arrive(new Client(app), token);
    expect(replay.status).toBe(409);
  });

  it('says "still processing, try again in a moment" (not "complete") while a completion that died holds its claim', async () => {
    // Prepare: the buyer's registration was being sent when the process died (its claim stays until it lapses)
    const { app, flow, ports } = await harness();
    const c = new Client(app);
    const { id } = await landed(flow, c);
    await c.follow();
    const task = await ports.tasks.get(id, 'Registration');
    const at = ports.clock.now().toISOString();
    expect(task && (await ports.tasks.claim(id, 'Registration', task.taskToken, at, at))).toBe(true);

    // Act
    const ja = await c.post('/buyer/register', { accountName: 'T', email: 't@example.com' });
    await c.get('/buyer/register?lang=en');
    const en = await c.post('/buyer/register?lang=en', { accountName: 'T', email: 't@example.com' });

    // Assess
    expect(en.text).toContain('Still processing');
    expect(en.text).toContain('try again in a moment');
    expect(en.text).not.toContain('already been set up');
    expect(ja.status).toBe(409);
    expect(ja.text).toContain('まだ処理中です');
    expect(ja.text).toContain('しばらくしてからもう一度お試しください');
    expect(ja.text).not.toContain('セットアップは完了しています');
    expect((await ports.onboardings.get(id))?.stage).toBe('Registration');
  });

  it('without a session, or with an expired or tampered one, shows the session page and changes nothing', async () => {
    const { app, flow, ports } = await harness();
    const c = new Client(app);
    expect((await c.get('/buyer/register')).status).toBe(401);
    const { id } = await landed(flow, c);
    await c.follow();
    const other = await offered(flow, { awsAccountId: '210987654321' });
    const before = changes(ports);
    // tampered: the same session re-pointed at another onboarding keeps the old signature
    const [body, sig] = (c.cookies.get('buyer') as string).split('.');
    const payload = JSON.parse(Buffer.from(body as string, 'base64url').toString());
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
    // expired: one hour later (default TTL), by the ports' clock
    ports.clock.advance(3_601_000);
    const late = await c.post('/buyer/register', { accountName: 'X', email: 'x@example.com' });
    expect(late.status).toBe(401);
    expect(late.text).toContain('セッションの有効期限が切れました');
    expect(changes(ports)).toBe(before);
    expect((await ports.onboardings.get(id))?.stage).toBe('Registration');
  });

  it('says where a buyer page opens when reached without any session, and a 404 page has a way on', async () => {
    // Prepare
    const { app } = await harness();
    const c = new Client(app);

    // Act
    const bookmark = await c.get('/buyer/register');
    const missing = await c.get('/no-such-page');

    // Assess
    expect(bookmark.status).toBe(401);
    expect(bookmark.text).toContain('このページは AWS Marketplace から開きます');
    expect(bookmark.text).not.toContain('セッションの有効期限が切れました');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<a href="/inquiry">お問い合わせフォーム</a>');
  });

  it('binds the session to one onboarding: a session for A only ever acts on A', async () => {
    const { app, flow, ports } = await harness();
    const c = new Client(app);
    const { id: a } = await landed(flow, c, '111111111111');
    const b = await offered(flow, { awsAccountId: '222222222222' });
    await c.follow();
    expect(c.last?.text).not.toContain(a); // the forms carry no onboarding id
    await c.post('/buyer/register', { accountName: 'A team', email: 'a@example.com', onboardingId: b });
    await flow.idle();
    expect((await ports.onboardings.get(a))?.stage).toBe('Completed');
    expect((await ports.onboardings.get(b))?.stage).toBe('AwaitAcceptance');
    // a session signed with another secret is refused
    const foreign = signToken('another-secret-0123456789-abcdefghijkl', 'buyer-session', {
      sid: 'x',
      onb: b,
      acct: '222222222222',
      exp: Math.floor(ports.clock.now().getTime() / 1000) + 600,
    });
    const thief = new Client(app);
    thief.cookies.set('buyer', foreign);
    expect((await thief.get('/buyer/register')).status).toBe(401);
  });

  it('validates the registration form with field messages and changes nothing', async () => {
    const { app, flow, ports } = await harness();
    const c = new Client(app);
    await landed(flow, c);
    await c.follow();
    const before = changes(ports);
    const r = await c.post('/buyer/register', { accountName: '', email: 'nope' });
    expect(r.status).toBe(400);
    expect(r.text).toContain('id="f-accountName-err"');
    expect(r.text).toContain('メールアドレスの形式が正しくありません（例: name@example.com）。');
    expect(r.text).toContain('アカウント名を入力してください。');
    expect(changes(ports)).toBe(before);
  });
});
