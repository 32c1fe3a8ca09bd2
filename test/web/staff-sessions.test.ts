/**
 * Revocable staff sessions (issue 10 item 7): a staff cookie is a session only while the server keeps it open.
 * Signing out closes it at once (a copy of the cookie kept elsewhere no longer opens the console), and an admin's
 * `revoke-sessions` signs a person out everywhere (after they left, or after their role changed).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../../cli/run.js';
import { cognitoGroups } from '../../tasks/adapters/aws/cognito-groups.js';
import { addUser, usersFileAuth } from '../../tasks/adapters/file/staff-users.js';
import { ROLE_CHECK_SECONDS } from '../../tasks/use-cases/staff-sessions.js';
import { cognitoAuth } from '../../web/auth/cognito.js';
import { Client, harness, PASSWORD, STAFF, sharedUsersFile } from './support/harness.js';

describe('staff sessions', () => {
  it('signing out closes the session: the same cookie, replayed, is sent to sign in', async () => {
    // Prepare
    const { app } = await harness();
    const c = new Client(app);
    await c.signIn('sales');
    const copied = c.cookieHeader();
    await c.get('/console');
    // Act
    await c.post('/auth/logout', {});
    const replayed = await app.request('/console', { headers: { cookie: copied }, redirect: 'manual' });
    // Assess
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get('location')).toMatch(/^\/auth\/login/);
  });

  it("an admin's revoke-sessions signs the person out of every browser; a new sign-in works", async () => {
    // Prepare
    const { app, ports } = await harness();
    const first = new Client(app);
    await first.signIn('sales');
    const second = new Client(app);
    await second.signIn('sales');
    const before = await first.get('/console');
    ports.clock.advance(1000);
    // Act
    const out: string[] = [];
    const code = await runCli(['revoke-sessions', 'sam'], {
      ports,
      env: {
        STAFF_USERS_FILE: await sharedUsersFile(),
        ONBOARDING_USER: 'ada',
        ONBOARDING_PASSWORD: PASSWORD,
      },
      out: (t) => out.push(t),
      err: () => undefined,
    });
    const a = await first.get('/console');
    const b = await second.get('/console');
    ports.clock.advance(1000);
    const again = new Client(app);
    await again.signIn('sales');
    const fresh = await again.get('/console');
    // Assess
    expect(before.status).toBe(200);
    expect(code).toBe(EXIT.ok);
    expect(out.join('')).toContain('sam: every session opened until');
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(fresh.status).toBe(200);
  });

  it('only an admin revokes sessions', async () => {
    // Prepare
    const { ports } = await harness();
    // Act
    const code = await runCli(['revoke-sessions', 'ada'], {
      ports,
      env: {
        STAFF_USERS_FILE: await sharedUsersFile(),
        ONBOARDING_USER: 'sue',
        ONBOARDING_PASSWORD: PASSWORD,
      },
      out: () => undefined,
      err: () => undefined,
    });
    // Assess
    expect(code).toBe(EXIT.forbidden);
  });

  it('a role changed or removed at the sign-in provider ends the session within ROLE_CHECK_SECONDS', async () => {
    // Prepare: sam (sales) and sue (support) signed in; then sam becomes auditor and sue is removed from the file
    const file = join(mkdtempSync(join(tmpdir(), 'staff-roles-')), 'users.json');
    for (const u of [STAFF.sales, STAFF.support]) await addUser(file, u, PASSWORD);
    const { app, ports } = await harness({ staffAuth: usersFileAuth(file) });
    const sam = new Client(app);
    await sam.signIn('sales');
    const sue = new Client(app);
    await sue.signIn('support');
    const first = [await sam.get('/console'), await sue.get('/console')];
    await addUser(file, { ...STAFF.sales, role: 'auditor' }, PASSWORD);
    const users = JSON.parse(readFileSync(file, 'utf8')).users.filter((u: { id: string }) => u.id !== 'sue');
    writeFileSync(file, JSON.stringify({ users }));
    // Act
    const soon = await sam.get('/console');
    ports.clock.advance(ROLE_CHECK_SECONDS * 1000);
    const later = [await sam.get('/console'), await sue.get('/console')];
    // Assess: still in until the next check, then both sent to sign in (sam signs in again as auditor)
    expect(first.map((r) => r.status)).toEqual([200, 200]);
    expect(soon.status).toBe(200);
    expect(later.map((r) => r.status)).toEqual([303, 303]);
    expect(later[0]?.headers.get('location')).toMatch(/^\/auth\/login/);
  });

  it("reads a Cognito user's role from its groups now: a removed group, a disabled or deleted user give none", async () => {
    // Prepare
    const cognito = mockClient(CognitoIdentityProviderClient);
    cognito.on(AdminGetUserCommand, { Username: 'taro' }).resolves({ Username: 'taro', Enabled: true });
    cognito
      .on(AdminListGroupsForUserCommand, { Username: 'taro' })
      .resolves({ Groups: [{ GroupName: 'sales' }, { GroupName: 'everyone' }] });
    cognito.on(AdminGetUserCommand, { Username: 'hanako' }).resolves({ Username: 'hanako', Enabled: true });
    cognito
      .on(AdminListGroupsForUserCommand, { Username: 'hanako' })
      .resolves({ Groups: [{ GroupName: 'everyone' }] });
    cognito.on(AdminGetUserCommand, { Username: 'jiro' }).resolves({ Username: 'jiro', Enabled: false });
    cognito
      .on(AdminGetUserCommand, { Username: 'gone' })
      .rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    const auth = cognitoAuth(
      { userPoolId: 'us-east-1_AbC123', clientId: 'client', domain: 'https://staff.auth.example' },
      {
        groupsOf: cognitoGroups(
          'us-east-1_AbC123',
          new CognitoIdentityProviderClient({ region: 'us-east-1' }),
        ),
      },
    );
    // Act
    const roles = await Promise.all(['taro', 'hanako', 'jiro', 'gone'].map((u) => auth.currentRole?.(u)));
    // Assess
    expect(roles).toEqual(['sales', undefined, undefined, undefined]);
    cognito.restore();
  });
});
