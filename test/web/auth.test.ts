import { createSign, generateKeyPairSync, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeWorkflow } from '../../local/in-memory/fake-workflow.js';
import { addUser, readUsersFile, usersFileAuth } from '../../tasks/adapters/file/staff-users.js';
import { scryptParams } from '../../tasks/domain/password.js';
import { createApp } from '../../web/app.js';
import { cognitoAuth, type Jwks, roleFromGroups } from '../../web/auth/cognito.js';
import { createStaffAuth, staffAuthConfigFromEnv } from '../../web/auth/index.js';
import { parseWebConfig } from '../../web/config.js';
import { Client, SECRET } from './support/harness.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'web-auth-'));

describe('users-file adapter', () => {
  it('adds users (file mode 0600, no plain passwords), replaces by id, and verifies sign-ins', async () => {
    const path = join(tmp(), 'nested', 'users.json');
    await addUser(path, { id: 'alice', name: 'Alice', role: 'sales' }, 'alice-password');
    await addUser(path, { id: 'bob', name: 'Bob', role: 'auditor' }, 'bob-password');
    await addUser(path, { id: 'alice', name: 'Alice A.', role: 'support' }, 'new-alice-password');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).not.toContain('alice-password');
    const users = await readUsersFile(path);
    expect(users.map((u) => [u.id, u.role])).toEqual([
      ['bob', 'auditor'],
      ['alice', 'support'],
    ]);
    const auth = usersFileAuth(path);
    expect(await auth.verifyPassword('alice', 'alice-password')).toBeUndefined();
    expect(await auth.verifyPassword('ALICE ', 'new-alice-password')).toEqual({
      id: 'alice',
      name: 'Alice A.',
      role: 'support',
    });
    expect(await auth.verifyPassword('carol', 'whatever-pw')).toBeUndefined();
  });

  it('refuses a malformed file with a clear message, and treats a missing file as no users', async () => {
    const dir = tmp();
    const bad = join(dir, 'users.json');
    writeFileSync(bad, JSON.stringify({ users: [{ id: 'x', name: 'X', role: 'sales', password: 'plain' }] }));
    await expect(readUsersFile(bad)).rejects.toThrow('password must be an scrypt hash');
    expect(await readUsersFile(join(dir, 'none.json'))).toEqual([]);
    await expect(
      addUser(bad.replace('users', 'u2'), { id: 'Bad Id', name: 'X', role: 'sales' }, 'password-1'),
    ).rejects.toThrow();
  });

  it("signs in a user whose hash was written by the former web/auth/passwords.ts, and stores it at today's cost", async () => {
    // Prepare: scrypt$N$r$p$salt$key, base64url, a 64-byte key (that module's format)
    const path = join(tmp(), 'users.json');
    const salt = randomBytes(16);
    const key = scryptSync('old-staff-password', salt, 64, { N: 16384, r: 8, p: 1 });
    const password = `scrypt$16384$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    writeFileSync(path, JSON.stringify({ users: [{ id: 'dora', name: 'Dora', role: 'support', password }] }));
    // Act
    const who = await usersFileAuth(path).verifyPassword('dora', 'old-staff-password');
    const wrong = await usersFileAuth(path).verifyPassword('dora', 'old-staff-passwore');
    // Assess
    expect(who).toEqual({ id: 'dora', name: 'Dora', role: 'support' });
    expect(wrong).toBeUndefined();
    const [stored] = await readUsersFile(path);
    expect(stored?.password.startsWith(`$scrypt$ln=${scryptParams().ln},r=8,p=1$`)).toBe(true);
    expect(await usersFileAuth(path).verifyPassword('dora', 'old-staff-password')).toEqual(who);
  });

  it('is chosen by configuration', () => {
    expect(createStaffAuth({ kind: 'users-file', path: '/tmp/x.json' }).kind).toBe('password');
    expect(staffAuthConfigFromEnv({ STAFF_USERS_FILE: '/srv/users.json' })).toEqual({
      kind: 'users-file',
      path: '/srv/users.json',
    });
    expect(() => staffAuthConfigFromEnv({ STAFF_AUTH: 'ldap' })).toThrow(
      'STAFF_AUTH must be users-file or cognito',
    );
    expect(() =>
      createStaffAuth({ kind: 'cognito', userPoolId: 'bad', clientId: 'c', domain: 'https://d.example' }),
    ).toThrow(/userPoolId/);
  });
});

// --- Cognito: a local RSA key stands in for the user pool's, tokens are signed here ------------------------------
const POOL = 'us-east-1_TestPool1';
const CLIENT = 'client123';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = 'test-key-1';
const jwks = {
  keys: [
    { ...(publicKey.export({ format: 'jwk' }) as Record<string, string>), kid, alg: 'RS256', use: 'sig' },
  ],
} as unknown as Jwks;

function idToken(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', kid, typ: 'JWT' };
  const payload = {
    sub: randomUUID(),
    iss: `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`,
    aud: CLIENT,
    token_use: 'id',
    iat: now,
    exp: now + 600,
    auth_time: now,
    ...claims,
  };
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const data = `${enc(header)}.${enc(payload)}`;
  return `${data}.${createSign('RSA-SHA256').update(data).sign(privateKey).toString('base64url')}`;
}

function tokenEndpoint(token: string | (() => string), calls: URLSearchParams[] = []): typeof fetch {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    expect(String(url)).toBe('https://staff.auth.us-east-1.amazoncognito.com/oauth2/token');
    calls.push(new URLSearchParams(String(init?.body)));
    const idToken = typeof token === 'function' ? token() : token;
    return Response.json({ id_token: idToken, access_token: 'at', token_type: 'Bearer', expires_in: 3600 });
  }) as typeof fetch;
}

const cognitoConfig = {
  userPoolId: POOL,
  clientId: CLIENT,
  domain: 'https://staff.auth.us-east-1.amazoncognito.com',
};

describe('cognito adapter', () => {
  it('maps groups to a role: admin, then sales, support, auditor; none → no access', () => {
    expect(roleFromGroups(['auditor', 'sales'])).toBe('sales');
    expect(roleFromGroups(['support', 'admin'])).toBe('admin');
    expect(roleFromGroups(['auditor'])).toBe('auditor');
    expect(roleFromGroups(['marketing'])).toBeUndefined();
    expect(roleFromGroups(undefined)).toBeUndefined();
  });

  it('exchanges the code with PKCE and verifies the ID token (signature, audience, groups)', async () => {
    const calls: URLSearchParams[] = [];
    const good = cognitoAuth(cognitoConfig, {
      jwks,
      fetch: tokenEndpoint(
        idToken({ 'cognito:groups': ['support'], 'cognito:username': 'sue', name: 'Sue' }),
        calls,
      ),
    });
    const who = await good.exchangeCode({
      code: 'c0de',
      codeVerifier: 'v3rifier',
      redirectUri: 'https://app/auth/callback',
    });
    expect(who).toEqual({ id: 'sue', name: 'Sue', role: 'support' });
    expect(calls[0]?.get('code_verifier')).toBe('v3rifier');
    expect(calls[0]?.get('grant_type')).toBe('authorization_code');

    const noGroup = cognitoAuth(cognitoConfig, { jwks, fetch: tokenEndpoint(idToken({})) });
    expect(
      await noGroup.exchangeCode({ code: 'c', codeVerifier: 'v', redirectUri: 'https://app/auth/callback' }),
    ).toBeUndefined();
    const otherClient = cognitoAuth(cognitoConfig, {
      jwks,
      fetch: tokenEndpoint(idToken({ aud: 'someone-else', 'cognito:groups': ['admin'] })),
    });
    expect(
      await otherClient.exchangeCode({
        code: 'c',
        codeVerifier: 'v',
        redirectUri: 'https://app/auth/callback',
      }),
    ).toBeUndefined();
    const forged = idToken({ 'cognito:groups': ['admin'] }).replace(/\.[^.]+$/, '.AAAA');
    expect(
      await cognitoAuth(cognitoConfig, { jwks, fetch: tokenEndpoint(forged) }).exchangeCode({
        code: 'c',
        codeVerifier: 'v',
        redirectUri: 'https://app/auth/callback',
      }),
    ).toBeUndefined();
  });

  it('runs the hosted-UI flow through the app: redirect with state + PKCE, callback checks the state', async () => {
    const staffAuth = cognitoAuth(cognitoConfig, {
      jwks,
      fetch: tokenEndpoint(() =>
        idToken({ 'cognito:groups': ['auditor'], 'cognito:username': 'ann', email: 'ann@vendor.example' }),
      ),
    });
    const app = createApp(
      {
        ports: new FakeWorkflow().ports,
        staffAuth,
        config: parseWebConfig({ sessionSecret: SECRET, baseUrl: 'http://127.0.0.1:8080' }),
      },
      { error: () => {} },
    );
    const c = new Client(app);
    const start = await c.get('/auth/login?next=/audit');
    expect(start.status).toBe(302);
    const url = new URL(start.location as string);
    expect(url.origin + url.pathname).toBe('https://staff.auth.us-east-1.amazoncognito.com/oauth2/authorize');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:8080/auth/callback');
    const state = url.searchParams.get('state') as string;
    const wrong = new Client(app);
    wrong.cookies.set('oauth', c.cookies.get('oauth') as string);
    expect((await wrong.get(`/auth/callback?code=abc&state=not-${state}`)).status).toBe(401);
    const back = await c.get(`/auth/callback?code=abc&state=${state}`);
    expect(back.location).toBe('/audit');
    const audit = await c.get('/audit');
    expect(audit.text).toContain('ann@vendor.example');
    expect(audit.text).toContain('<span class="badge">auditor</span>');
  });
});
